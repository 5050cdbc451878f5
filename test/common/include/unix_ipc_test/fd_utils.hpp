//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_FD_UTILS_HPP
#define BOOST_UNIX_IPC_TEST_FD_UTILS_HPP

// File-descriptor helpers for the tests: counting the process's open fds,
// checking a scope leaks none, making pipes and socketpairs, identifying files.

#include <boost/unix_ipc/unique_fd.hpp>

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <utility>

namespace unix_ipc_test {

/// The number of fds open in this process (entries of /proc/self/fd, not
/// counting the directory fd used to read it).
std::size_t count_open_fds();

/// Every open fd and what it refers to (readlink of /proc/self/fd/N).
std::map<int, std::string> list_open_fds();

/// Records the open fds when constructed; at destruction (or check()) it
/// BOOST_TESTs that the count is the same, and names the fds that differ.
///
/// Construct it after the io_context's reactor exists (io_context_fixture does
/// that), or the reactor's own epoll/eventfd/timerfd count as leaks.
class fd_leak_checker
{
public:
    explicit fd_leak_checker(std::string what = "scope");
    fd_leak_checker(const fd_leak_checker&) = delete;
    fd_leak_checker& operator=(const fd_leak_checker&) = delete;
    ~fd_leak_checker();

    /// BOOST_TESTs now that the count is the recorded one; returns whether it is.
    bool check() const;

    /// Whether the count is the recorded one, without testing; *diff (if
    /// given) names the fds opened (+fd) and closed (-fd) since.
    bool unchanged(std::string* diff = nullptr) const;

    /// Records the current fds as the new baseline.
    void rebase();

    std::size_t baseline() const noexcept { return before_.size(); }

private:
    std::string what_;
    std::map<int, std::string> before_;
};

/// pipe2(O_CLOEXEC): {read end, write end}. Fails the test (REQUIRE) on error.
std::pair<boost::unix_ipc::unique_fd, boost::unix_ipc::unique_fd> make_pipe();

/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC), blocking ends. REQUIREs success.
std::pair<boost::unix_ipc::unique_fd, boost::unix_ipc::unique_fd> make_stream_socketpair();

/// Identity of an open file: (st_dev, st_ino). Both ends of a pipe share one.
struct file_identity
{
    unsigned long long dev = 0;
    unsigned long long ino = 0;

    friend bool operator==(const file_identity& a, const file_identity& b) noexcept
    {
        return a.dev == b.dev && a.ino == b.ino;
    }
    friend bool operator!=(const file_identity& a, const file_identity& b) noexcept { return !(a == b); }
    friend bool operator<(const file_identity& a, const file_identity& b) noexcept
    {
        return a.dev < b.dev || (a.dev == b.dev && a.ino < b.ino);
    }
    friend std::ostream& operator<<(std::ostream& os, const file_identity& f)
    {
        return os << "dev " << f.dev << " ino " << f.ino;
    }
};

/// The identity of the file fd refers to. REQUIREs fstat success.
file_identity file_id(int fd);

/// True when fd is an open descriptor of this process (fcntl F_GETFD succeeds).
bool is_open_fd(int fd) noexcept;

/// True when fd has FD_CLOEXEC set.
bool is_cloexec(int fd) noexcept;

/// The status flags' access mode of fd (O_RDONLY, O_WRONLY or O_RDWR), or -1.
int access_mode(int fd) noexcept;

/// Raises RLIMIT_NOFILE's soft limit to at least `wanted` (not above the hard
/// limit); returns the soft limit in force afterwards.
std::size_t raise_fd_limit(std::size_t wanted);

/// Sets RLIMIT_NOFILE's soft limit for its lifetime and restores the old one.
class scoped_fd_limit
{
public:
    explicit scoped_fd_limit(std::size_t soft);
    scoped_fd_limit(const scoped_fd_limit&) = delete;
    scoped_fd_limit& operator=(const scoped_fd_limit&) = delete;
    ~scoped_fd_limit();

private:
    unsigned long long old_soft_;
};

/// The highest open fd number, or -1.
int highest_open_fd();

/// The RLIMIT_NOFILE soft limit under which exactly `free_slots` more fds can
/// be opened now (fd numbers below the limit that are not in use).
std::size_t fd_limit_leaving(std::size_t free_slots);

} // namespace unix_ipc_test

#endif
