//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_RAW_MESSAGE_HPP
#define BOOST_UNIX_IPC_RAW_MESSAGE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace boost {
namespace unix_ipc {

/// One received frame: its payload bytes and the fds that came with it.
///
/// The fds are owned: those still in `fds` when the message is destroyed or
/// overwritten are closed. Receiving into an existing `raw_message` reuses the
/// capacity of its vectors (and closes the fds it still held).
struct raw_message
{
    std::vector<std::byte> bytes;
    std::vector<unique_fd> fds;

    /// Who wrote the frame, as the kernel recorded it (`SCM_CREDENTIALS`):
    /// set when the receiving channel has `set_pass_credentials(true)`
    /// (pid 0 and the overflow ids 65534 for a frame written before that);
    /// empty otherwise.
    std::optional<credentials> sender;
};

} // namespace unix_ipc
} // namespace boost

#endif
