//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_RECEIVE_LIMITS_HPP
#define BOOST_UNIX_IPC_RECEIVE_LIMITS_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <cstddef>

namespace boost {
namespace unix_ipc {

/// What a receiver accepts from its peer. A frame whose header declares more
/// is rejected before anything is allocated for it.
struct receive_limits
{
    /// Largest payload, in bytes, of one frame (default 128 MiB). A larger
    /// declared size fails the receive with `error::message_too_large`.
    std::size_t max_payload_size = std::size_t(128) << 20;

    /// Most fds one frame may carry (default 1024). More fail the receive with
    /// `error::too_many_fds`.
    std::size_t max_fds = 1024;
};

} // namespace unix_ipc
} // namespace boost

#endif
