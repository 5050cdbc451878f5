//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_CREDENTIALS_HPP
#define BOOST_UNIX_IPC_CREDENTIALS_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <sys/types.h>

namespace boost {
namespace unix_ipc {

/// The identity of a process at the other end of a socket.
struct credentials
{
    pid_t pid = 0;
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);

    friend bool operator==(const credentials& a, const credentials& b) noexcept
    {
        return a.pid == b.pid && a.uid == b.uid && a.gid == b.gid;
    }
    friend bool operator!=(const credentials& a, const credentials& b) noexcept { return !(a == b); }
};

/// The credentials the kernel recorded for the peer of the Unix socket `fd`
/// (`SO_PEERCRED`), taken when the connection was made: for an accepted
/// socket, the process that connected; for a connecting socket, the process
/// that called `listen()` on the other end (not necessarily the one that
/// accepts); for either end of a socket pair, the process that created it.
/// A listening socket reports its own listening process; a socket that is
/// neither connected nor listening succeeds with the default values.
BOOST_UNIX_IPC_DECL credentials peer_credentials(int fd, system::error_code& ec) noexcept;

/// Turns `SO_PASSCRED` on or off for the Unix socket `fd`: while it is on,
/// the kernel records, for every byte written to the peer socket, the
/// writer's `SCM_CREDENTIALS` (its process id, real user id and real group
/// id), and a reader sees them per message. Bytes written while it was off
/// carry none.
BOOST_UNIX_IPC_DECL void set_pass_credentials(int fd, bool on, system::error_code& ec) noexcept;

} // namespace unix_ipc
} // namespace boost

#endif
