//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IMPL_BOOTSTRAP_OPS_IPP
#define BOOST_UNIX_IPC_DETAIL_IMPL_BOOTSTRAP_OPS_IPP

#include <boost/unix_ipc/detail/bootstrap_ops.hpp>
#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/error.hpp>

#include <boost/assert/source_location.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>

extern "C" {
extern char** environ;
}

namespace boost {
namespace unix_ipc {
namespace detail {

namespace {

constexpr const char* fd_variable = "BOOST_UNIX_IPC_FD";
constexpr const char* path_variable = "BOOST_UNIX_IPC_PATH";

void bootstrap_errno(system::error_code& ec, int e, const source_location& loc) noexcept
{
    ec.assign(e, system::system_category(), &loc);
}

std::string_view name_of(std::string_view entry) noexcept
{
    return entry.substr(0, entry.find('='));
}

// Closes every fd of [from, to]. Async-signal-safe.
} // namespace

std::string resolve_executable(std::string_view name, system::error_code& ec)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    ec.clear();
    if (name.empty())
    {
        bootstrap_errno(ec, ENOENT, loc);
        return std::string();
    }
    if (name.find('/') != std::string_view::npos)
    {
        if (name.front() == '/')
            return std::string(name);
        std::string cwd(256, '\0');
        while (!::getcwd(cwd.data(), cwd.size()))
        {
            if (errno != ERANGE)
            {
                bootstrap_errno(ec, errno, loc);
                return std::string();
            }
            cwd.resize(cwd.size() * 2);
        }
        cwd.resize(std::strlen(cwd.c_str()));
        return cwd + "/" + std::string(name);
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (true)
    {
        std::size_t colon = dirs.find(':');
        std::string_view dir = dirs.substr(0, colon);
        std::string candidate = dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
        struct stat st;
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate.front() == '/' ? candidate : resolve_executable("./" + candidate, ec);
        if (colon == std::string_view::npos)
            break;
        dirs.remove_prefix(colon + 1);
    }
    bootstrap_errno(ec, ENOENT, loc);
    return std::string();
}

int launch_child(const char* path, const char* const* argv, const char* const* envp, int source, int target,
                 const char* dir, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    // posix_spawn: glibc starts the child with clone(CLONE_VM | CLONE_VFORK),
    // so the parent's page tables are not copied (fork took ~100 ms from a
    // parent with 2 GiB resident), and reports an exec failure's errno itself
    // after reaping the child. The child gets `source` at `target` without
    // close-on-exec (adddup2 onto itself clears the flag, as POSIX now
    // requires and glibc does since 2.29), every other fd above 2 closed (they
    // are close-on-exec already, except any a caller made without it), an
    // empty signal mask and default actions for the signals the parent
    // catches (glibc resets those before running anything of the child's);
    // ignored signals stay ignored, as exec keeps them.
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = ::posix_spawn_file_actions_init(&actions);
    if (rc != 0)
    {
        bootstrap_errno(ec, rc, loc);
        return -1;
    }
    rc = ::posix_spawnattr_init(&attr);
    if (rc != 0)
    {
        ::posix_spawn_file_actions_destroy(&actions);
        bootstrap_errno(ec, rc, loc);
        return -1;
    }
    rc = ::posix_spawn_file_actions_adddup2(&actions, source, target);
    for (int fd = 3; rc == 0 && fd < target; ++fd)
        rc = ::posix_spawn_file_actions_addclose(&actions, fd);
    if (rc == 0 && target < INT_MAX)
        rc = ::posix_spawn_file_actions_addclosefrom_np(&actions, target + 1);
    if (rc == 0 && dir)
        rc = ::posix_spawn_file_actions_addchdir_np(&actions, dir);
    sigset_t none, caught;
    ::sigemptyset(&none);
    ::sigemptyset(&caught);
    for (int sig = 1; sig < NSIG; ++sig)
    {
        struct sigaction sa;
        if (::sigaction(sig, nullptr, &sa) == 0 && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL)
            ::sigaddset(&caught, sig);
    }
    if (rc == 0)
        rc = ::posix_spawnattr_setsigmask(&attr, &none);
    if (rc == 0)
        rc = ::posix_spawnattr_setsigdefault(&attr, &caught);
    if (rc == 0)
        rc = ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    if (rc == 0)
        rc = ::posix_spawn(&pid, path, &actions, &attr, const_cast<char* const*>(argv),
                           const_cast<char* const*>(envp));
    ::posix_spawnattr_destroy(&attr);
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
    {
        bootstrap_errno(ec, rc, loc);
        return -1;
    }
    ec.clear();
    return pid;
}

void make_child_socket_pair(int target, unique_fd& parent_end, unique_fd& child_end,
                            system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return bootstrap_errno(ec, errno, loc);
    unique_fd p(sv[0]);
    unique_fd c(sv[1]);
    if (c.get() != target && target >= 0)
    {
        // Lowest free number >= target: target itself when it is free. Holding
        // it keeps the launcher's error pipe off that number.
        unique_fd moved(::fcntl(c.get(), F_DUPFD_CLOEXEC, target));
        if (!moved)
            return bootstrap_errno(ec, errno, loc);
        c = std::move(moved);
    }
    parent_end = std::move(p);
    child_end = std::move(c);
    ec.clear();
}

std::vector<std::string> build_child_environment(bool inherit, const std::vector<std::string>& extra,
                                                 const std::string& ours)
{
    std::vector<std::string> env;
    if (inherit && environ)
    {
        for (char** e = environ; *e; ++e)
        {
            std::string_view entry(*e);
            std::string_view name = name_of(entry);
            if (name == fd_variable || name == path_variable)
                continue;
            bool overridden = false;
            for (const auto& x : extra)
                if (name_of(x) == name)
                {
                    overridden = true;
                    break;
                }
            if (!overridden)
                env.emplace_back(entry);
        }
    }
    for (const auto& x : extra)
        if (name_of(x) != fd_variable) // the fd is ours to name
            env.push_back(x);
    env.push_back(ours);
    return env;
}

unique_fd take_inherited_fd(std::string& path, system::error_code& ec)
{
    path.clear();
    const char* value = std::getenv(fd_variable);
    if (!value)
    {
        const char* p = std::getenv(path_variable);
        if (!p || !*p)
        {
            ec = error::not_bootstrapped;
            return unique_fd();
        }
        path = p;
        ::unsetenv(path_variable);
        ec.clear();
        return unique_fd();
    }
    std::string_view text(value);
    ::unsetenv(fd_variable);
    ::unsetenv(path_variable);

    int fd = -1;
    auto res = std::from_chars(text.data(), text.data() + text.size(), fd);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || fd < 0)
    {
        ec = error::bad_bootstrap_environment;
        return unique_fd();
    }
    // The fd must be open, and an AF_UNIX stream socket: anything else means the
    // variable leaked from an ancestor or was set by hand. Not owned until then.
    int type = 0, domain = 0;
    socklen_t len = sizeof(type);
    if (::fcntl(fd, F_GETFD) < 0 || ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
        type != SOCK_STREAM)
    {
        ec = error::bad_bootstrap_environment;
        return unique_fd();
    }
    len = sizeof(domain);
    if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_UNIX)
    {
        ec = error::bad_bootstrap_environment;
        return unique_fd();
    }
    unique_fd owned(fd);
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    // (The channel that takes it makes it blocking: see prepare_socket.)
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
    {
        bootstrap_errno(ec, errno, loc);
        return unique_fd();
    }
    ec.clear();
    return owned;
}

std::string make_private_directory(system::error_code& ec)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    std::string base = "/tmp";
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"))
    {
        // Only a directory of our own that no one else may enter or write
        // (as systemd makes it), and short enough for sun_path with
        // "/boost-unix-ipc-XXXXXX/socket" appended.
        struct stat st;
        if (*xdg == '/' && ::lstat(xdg, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
            (st.st_mode & 077) == 0 && std::strlen(xdg) + 29 < sizeof(sockaddr_un::sun_path))
            base = xdg;
    }
    std::string templ = base + "/boost-unix-ipc-XXXXXX";
    // mkdtemp creates the directory with mode 0700, whatever the umask.
    if (!::mkdtemp(templ.data()))
    {
        bootstrap_errno(ec, errno, loc);
        return std::string();
    }
    ec.clear();
    return templ;
}

void remove_private_directory(const std::string& dir) noexcept
{
    if (dir.empty())
        return;
    std::string sock = dir + "/socket";
    ::unlink(sock.c_str());
    ::rmdir(dir.c_str());
}

int exit_code_of(int status) noexcept
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return status;
}

} // namespace detail

bool is_bootstrapped() noexcept
{
    const char* fd = std::getenv(detail::fd_variable);
    const char* path = std::getenv(detail::path_variable);
    return (fd && *fd) || (path && *path);
}

bool same_user(const credentials& peer) noexcept
{
    return peer.uid == ::geteuid();
}

} // namespace unix_ipc
} // namespace boost

#endif
