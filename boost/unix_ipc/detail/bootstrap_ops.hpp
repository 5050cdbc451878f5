//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_BOOTSTRAP_OPS_HPP
#define BOOST_UNIX_IPC_DETAIL_BOOTSTRAP_OPS_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace boost {
namespace unix_ipc {
namespace detail {

// The non-template part of the bootstrap layer (compiled into the library).

// Parent side: a connected socket pair for a child whose end will be `target`
// in the child. `parent_end` is close-on-exec and blocking; `child_end` is
// close-on-exec and placed at `target` when that number is free here, so the
// launcher's own pipe can never take it.
BOOST_UNIX_IPC_DECL void make_child_socket_pair(int target, unique_fd& parent_end, unique_fd& child_end,
                                                system::error_code& ec) noexcept;

// The executable spawn() runs: a name without '/' looked up in PATH (ENOENT
// when absent), a relative path made absolute (the child changes directory
// before exec).
BOOST_UNIX_IPC_DECL std::string resolve_executable(std::string_view name, system::error_code& ec);

// posix_spawn (no fork: nothing of the parent is copied): `source` becomes
// fd `target` (not close-on-exec), every other fd but 0, 1 and 2 is closed,
// the signal mask is cleared and caught signals get their default action,
// the directory changed (if `dir`). An exec failure comes back as `ec`
// (ENOENT, EACCES...) and the child is reaped. Returns the pid, or -1.
BOOST_UNIX_IPC_DECL int launch_child(const char* path, const char* const* argv, const char* const* envp, int source,
                                     int target, const char* dir, system::error_code& ec) noexcept;

// The child's environment: this process's own (if `inherit`) minus the
// bootstrap variables and the names `extra` sets, then `extra` ("NAME=VALUE"
// entries), then `ours`.
BOOST_UNIX_IPC_DECL std::vector<std::string> build_child_environment(bool inherit,
                                                                     const std::vector<std::string>& extra,
                                                                     const std::string& ours);

// Child side: takes the fd named by BOOST_UNIX_IPC_FD (made close-on-exec,
// checked to be an AF_UNIX stream socket) or, when only BOOST_UNIX_IPC_PATH is
// set, returns no fd and the path to connect to. The variable is removed from
// the environment either way, so the channel is taken once.
BOOST_UNIX_IPC_DECL unique_fd take_inherited_fd(std::string& path, system::error_code& ec);

// Path mode: a fresh private directory (mode 0700) under $XDG_RUNTIME_DIR, or
// /tmp when that is unset or unusable.
BOOST_UNIX_IPC_DECL std::string make_private_directory(system::error_code& ec);

// Removes `dir`/socket and `dir`; errors are ignored (best effort at teardown).
BOOST_UNIX_IPC_DECL void remove_private_directory(const std::string& dir) noexcept;

// The exit code of a native wait status: the status given to exit(), or 128
// plus the signal number for a process killed by a signal (as a shell does).
BOOST_UNIX_IPC_DECL int exit_code_of(int native_status) noexcept;

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
