//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/raw_bootstrap.hpp (bootstrap layer, raw channels) compiles
// alone, first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_BOOTSTRAP), and keeps the typed layer out: a program that
// spawns a child and talks to it over a raw channel does not parse
// Boost.Serialization.
#if BOOST_UNIX_IPC_HAS_BOOTSTRAP
#include <boost/unix_ipc/raw_bootstrap.hpp>
#include <boost/unix_ipc/raw_bootstrap.hpp> // and its include guard works

// The include guards of the typed layer's headers and of the
// Boost.Serialization headers it starts from.
#if defined(BOOST_UNIX_IPC_TYPED_CHANNEL_HPP) || defined(BOOST_UNIX_IPC_CODEC_HPP) || \
    defined(BOOST_UNIX_IPC_IPC_ARCHIVE_HPP) || defined(BOOST_UNIX_IPC_TYPED_BOOTSTRAP_HPP)
#error "boost/unix_ipc/raw_bootstrap.hpp includes the typed layer"
#endif
#if defined(BOOST_SERIALIZATION_CONFIG_HPP) || defined(BOOST_SERIALIZATION_ACCESS_HPP) || \
    defined(BOOST_SERIALIZATION_NVP_HPP) || defined(BOOST_ARCHIVE_BASIC_ARCHIVE_HPP) ||   \
    defined(BOOST_ARCHIVE_ARCHIVE_EXCEPTION_HPP)
#error "boost/unix_ipc/raw_bootstrap.hpp includes Boost.Serialization"
#endif

#include <boost/asio/io_context.hpp>

// The raw bootstrap API is all there.
namespace {
[[maybe_unused]] void compile_test_raw_bootstrap(boost::asio::io_context& ctx)
{
    namespace unix_ipc = boost::unix_ipc;
    unix_ipc::child c = unix_ipc::spawn(ctx, "/bin/true");
    unix_ipc::raw_channel ch = unix_ipc::inherited_channel(ctx);
    unix_ipc::private_listener l(ctx);
    (void)c;
    (void)ch;
    (void)l;
}
} // namespace
#endif
