//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/raw_channel.hpp compiles alone, first in its translation unit.
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/raw_channel.hpp> // and its include guard works

// The converting constructor from a channel on another executor type makes
// completion-token adapters' as_default_on work.
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>

#include <type_traits>

namespace {

using deferred_channel = boost::asio::deferred_t::as_default_on_t<boost::unix_ipc::raw_channel>;
static_assert(std::is_constructible<deferred_channel, boost::unix_ipc::raw_channel&&>::value,
              "converting move constructor");

[[maybe_unused]] void as_default_on_compiles(boost::asio::io_context& ctx)
{
    boost::unix_ipc::raw_channel ch(ctx);
    auto d = boost::asio::deferred.as_default_on(std::move(ch));
    static_assert(std::is_same<decltype(d), deferred_channel>::value, "as_default_on type");
    // The default token is now deferred: async_receive() returns an operation.
    auto op = d.async_receive();
    (void)op;
}

} // namespace
