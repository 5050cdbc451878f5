//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_UNIQUE_FD_HPP
#define BOOST_UNIX_IPC_UNIQUE_FD_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace boost {
namespace unix_ipc {

/// Owns one file descriptor and closes it on destruction. Move-only.
///
/// Every fd the library receives is handed out as a `unique_fd`, so an fd that
/// no one claims is closed.
class unique_fd
{
public:
    /// An empty owner (`get() == -1`).
    constexpr unique_fd() noexcept = default;

    /// Takes ownership of `fd` (which may be -1).
    constexpr explicit unique_fd(int fd) noexcept : fd_(fd) {}

    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;

    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}

    unique_fd& operator=(unique_fd&& other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }

    ~unique_fd() { reset(); }

    /// The owned fd, or -1.
    constexpr int get() const noexcept { return fd_; }

    /// True when an fd is owned.
    constexpr explicit operator bool() const noexcept { return fd_ >= 0; }

    /// Gives up ownership without closing and returns the fd.
    int release() noexcept { return std::exchange(fd_, -1); }

    /// Closes the owned fd, if any, and takes ownership of `fd`.
    void reset(int fd = -1) noexcept
    {
        int old = std::exchange(fd_, fd);
        if (old >= 0)
            ::close(old); // Linux: the fd is released even when close reports EINTR
    }

    friend void swap(unique_fd& a, unique_fd& b) noexcept { std::swap(a.fd_, b.fd_); }

private:
    int fd_ = -1;
};

/// Duplicates `fd` into a new close-on-exec descriptor (`F_DUPFD_CLOEXEC`).
inline unique_fd duplicate_fd(int fd, system::error_code& ec) noexcept
{
    int nfd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (nfd < 0)
        ec.assign(errno, system::system_category());
    else
        ec.clear();
    return unique_fd(nfd);
}

} // namespace unix_ipc
} // namespace boost

#endif
