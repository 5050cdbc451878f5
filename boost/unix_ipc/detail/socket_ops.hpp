//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_SOCKET_OPS_HPP
#define BOOST_UNIX_IPC_DETAIL_SOCKET_OPS_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/unique_fd.hpp>
#include <boost/unix_ipc/detail/frame.hpp>
#include <boost/unix_ipc/detail/frame_writer.hpp>

#include <boost/container/small_vector.hpp>
#include <boost/system/error_code.hpp>

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace boost {
namespace unix_ipc {
namespace detail {

class frame_reader;

// One frame to write: header, payload iovecs (the caller's memory) and fds
// (copied), and how much of it has been written. Frames queue through next.
// One sendmsg of what frame_writer::prepare() plans for the queue at first,
// committed: the bytes written (would_block when none; a blocking call waits
// in the kernel unless the socket's file description is non-blocking).
BOOST_UNIX_IPC_DECL std::size_t write_frames(int fd, frame_out* first, system::error_code& ec,
                                             bool blocking = false) noexcept;

// Reads once into r.prepare(), with MSG_CMSG_CLOEXEC, hands the received fds
// to r. Returns the bytes read (0 with no error: the peer closed) and the size
// of the target in *wanted. ec: would_block, error::fds_truncated, or a system error.
BOOST_UNIX_IPC_DECL std::size_t read_frames(int fd, frame_reader& r, std::size_t* wanted,
                                            system::error_code& ec, bool blocking = false);

// Waits until fd is readable (events = POLLIN) or writable (POLLOUT).
BOOST_UNIX_IPC_DECL void wait_fd(int fd, short events, system::error_code& ec) noexcept;

// Prepares a socket for a channel: checks it is AF_UNIX/SOCK_STREAM, makes it
// close-on-exec, raises SO_SNDBUF; its blocking mode is left alone.
BOOST_UNIX_IPC_DECL void prepare_socket(int fd, system::error_code& ec) noexcept;

// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK).
BOOST_UNIX_IPC_DECL void make_socketpair(unique_fd& a, unique_fd& b, system::error_code& ec) noexcept;

// A blocking connect to a Unix socket path (or '\0'-prefixed abstract name).
BOOST_UNIX_IPC_DECL unique_fd connect_path(std::string_view path, system::error_code& ec) noexcept;

// A close-on-exec, non-blocking listening socket bound to path.
BOOST_UNIX_IPC_DECL unique_fd listen_path(std::string_view path, system::error_code& ec) noexcept;

// accept4 with SOCK_CLOEXEC (a blocking socket), retrying EINTR and ECONNABORTED.
BOOST_UNIX_IPC_DECL unique_fd accept_one(int listen_fd, system::error_code& ec) noexcept;

// The path a listening socket is bound to.
BOOST_UNIX_IPC_DECL std::string bound_path(int fd);




} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
