//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IMPL_SOCKET_OPS_IPP
#define BOOST_UNIX_IPC_DETAIL_IMPL_SOCKET_OPS_IPP

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/detail/frame_reader.hpp>
#include <boost/unix_ipc/detail/socket_ops.hpp>

#include <boost/asio/error.hpp>
#include <boost/assert/source_location.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {

namespace {

inline void assign_errno(system::error_code& ec, int e, const source_location& loc) noexcept
{
    ec.assign(e, system::system_category(), &loc);
}

} // namespace

std::size_t write_frames(int fd, frame_out* first, system::error_code& ec, bool blocking) noexcept
{
    frame_writer::plan p;
    frame_writer::prepare(*first, p);
    msghdr msg{};
    msg.msg_iov = p.iov;
    msg.msg_iovlen = static_cast<std::size_t>(p.iov_count);
    if (p.control_size != 0)
    {
        msg.msg_control = p.control;
        msg.msg_controllen = p.control_size;
    }
    ssize_t n;
    do
        n = ::sendmsg(fd, &msg, MSG_NOSIGNAL | (blocking ? 0 : MSG_DONTWAIT));
    while (n < 0 && errno == EINTR);
    if (n < 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            ec = asio::error::would_block;
        else if (errno == EPIPE || errno == ECONNRESET)
            ec.assign(static_cast<int>(error::eof), get_error_category(), &loc);
        else
            assign_errno(ec, errno, loc);
        return 0;
    }
    ec.clear();
    if (n == 0)
    {
        ec = asio::error::would_block;
        return 0;
    }
    frame_writer::commit(*first, p, static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n);
}

std::size_t read_frames(int fd, frame_reader& r, std::size_t* wanted, system::error_code& ec, bool blocking)
{
    frame_reader::target t = r.prepare();
    *wanted = t.size + t.size2;
    iovec iov[2] = {{t.data, t.size}, {t.data2, t.size2}};
    alignas(cmsghdr) unsigned char
        control[CMSG_SPACE(sizeof(int) * max_fds_per_sendmsg) + CMSG_SPACE(sizeof(ucred)) + 64];
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = t.size2 ? 2 : 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);

    ssize_t n;
    do
        n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | (blocking ? 0 : MSG_DONTWAIT));
    while (n < 0 && errno == EINTR);
    if (n < 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            ec = asio::error::would_block;
        else if (errno == ECONNRESET)
        {
            // The peer closed with data of ours unread: it is gone.
            ec.clear();
            return 0;
        }
        else
            assign_errno(ec, errno, loc);
        return 0;
    }
    ec.clear();
    // Take ownership of every fd first, so none leaks whatever happens next.
    std::optional<credentials> writer;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
    {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
            c->cmsg_len >= CMSG_LEN(sizeof(ucred)))
        {
            ucred uc;
            std::memcpy(&uc, CMSG_DATA(c), sizeof(uc));
            writer = credentials{uc.pid, uc.uid, uc.gid};
        }
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        {
            std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            const unsigned char* p = CMSG_DATA(c);
            for (std::size_t i = 0; i < count; ++i)
            {
                int rfd;
                std::memcpy(&rfd, p + i * sizeof(int), sizeof(int));
                r.add_fd(rfd);
            }
        }
    }
    r.set_read_credentials(writer);
    r.commit(static_cast<std::size_t>(n));
    if (msg.msg_flags & MSG_CTRUNC)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        ec.assign(static_cast<int>(error::fds_truncated), get_error_category(), &loc);
    }
    return static_cast<std::size_t>(n);
}

void wait_fd(int fd, short events, system::error_code& ec) noexcept
{
    pollfd p{fd, events, 0};
    for (;;)
    {
        int rc = ::poll(&p, 1, -1);
        if (rc >= 0)
            break;
        if (errno != EINTR)
        {
            static constexpr auto loc = BOOST_CURRENT_LOCATION;
            assign_errno(ec, errno, loc);
            return;
        }
    }
    ec.clear();
}

void prepare_socket(int fd, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    int domain = 0, type = 0;
    socklen_t len = sizeof(int);
    if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0)
        return assign_errno(ec, errno, loc);
    len = sizeof(int);
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
        return assign_errno(ec, errno, loc);
    if (domain != AF_UNIX || type != SOCK_STREAM)
    {
        ec.assign(EINVAL, system::system_category(), &loc);
        return;
    }
    // The blocking mode is left as it is: it belongs to the file
    // description, which other holders of the socket share (a plain Asio
    // socket on a duplicate expects the O_NONBLOCK it set). The asynchronous
    // operations never block (every call passes MSG_DONTWAIT); the
    // synchronous ones wait in their sendmsg or recvmsg on a blocking socket
    // (every socket this library makes), in poll on a non-blocking one.
    int fdfl = ::fcntl(fd, F_GETFD);
    if (fdfl < 0 || (!(fdfl & FD_CLOEXEC) && ::fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) < 0))
        return assign_errno(ec, errno, loc);
    // Big frames leave in few large chunks with a larger send buffer; the
    // kernel caps the value at net.core.wmem_max, and failing is harmless.
    int sndbuf = 1 << 20;
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    ec.clear();
}

void make_socketpair(unique_fd& a, unique_fd& b, system::error_code& ec) noexcept
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        return assign_errno(ec, errno, loc);
    }
    a.reset(sv[0]);
    b.reset(sv[1]);
    ec.clear();
}

namespace {

bool make_address(std::string_view path, sockaddr_un& addr, socklen_t& len, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    std::memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(addr.sun_path))
    {
        ec.assign(path.empty() ? EINVAL : ENAMETOOLONG, system::system_category(), &loc);
        return false;
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + (path[0] == '\0' ? 0 : 1));
    return true;
}

} // namespace

unique_fd connect_path(std::string_view path, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    sockaddr_un addr;
    socklen_t len;
    if (!make_address(path, addr, len, ec))
        return unique_fd();
    unique_fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s)
    {
        assign_errno(ec, errno, loc);
        return unique_fd();
    }
    // A blocking AF_UNIX connect waits only for room in the listener's
    // backlog; interrupted by a signal, the socket is left unconnected (the
    // TCP-style "wait for writability" would report it connected at once):
    // try again, and take EISCONN as success.
    while (::connect(s.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0)
    {
        if (errno == EINTR)
            continue;
        if (errno == EISCONN)
            break;
        assign_errno(ec, errno, loc);
        return unique_fd();
    }
    ec.clear();
    return s;
}

unique_fd listen_path(std::string_view path, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    sockaddr_un addr;
    socklen_t len;
    if (!make_address(path, addr, len, ec))
        return unique_fd();
    unique_fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!s)
    {
        assign_errno(ec, errno, loc);
        return unique_fd();
    }
    if (::bind(s.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0 || ::listen(s.get(), SOMAXCONN) != 0)
    {
        assign_errno(ec, errno, loc);
        return unique_fd();
    }
    ec.clear();
    return s;
}

unique_fd accept_one(int listen_fd, system::error_code& ec) noexcept
{
    for (;;)
    {
        int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0)
        {
            ec.clear();
            return unique_fd(fd);
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            ec = asio::error::would_block;
        else
        {
            static constexpr auto loc = BOOST_CURRENT_LOCATION;
            assign_errno(ec, errno, loc);
        }
        return unique_fd();
    }
}

std::string bound_path(int fd)
{
    sockaddr_un addr{};
    socklen_t len = sizeof(addr);
    if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return std::string();
    std::size_t n = len > offsetof(sockaddr_un, sun_path) ? len - offsetof(sockaddr_un, sun_path) : 0;
    if (n > 0 && addr.sun_path[0] != '\0')
        n = ::strnlen(addr.sun_path, n);
    return std::string(addr.sun_path, n);
}

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
