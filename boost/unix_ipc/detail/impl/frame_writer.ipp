//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IMPL_FRAME_WRITER_IPP
#define BOOST_UNIX_IPC_DETAIL_IMPL_FRAME_WRITER_IPP

#include <boost/unix_ipc/detail/frame_writer.hpp>

#include <boost/assert/source_location.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {

namespace {

inline void fw_assign_errno(system::error_code& ec, int e, const source_location& loc) noexcept
{
    ec.assign(e, system::system_category(), &loc);
}

// Appends the unsent bytes of f (at most `limit`) to iov; returns the count.
std::size_t append_unsent(const frame_out& f, iovec* iov, int& n, int max, std::size_t limit) noexcept
{
    std::size_t added = 0;
    std::uint64_t off = f.sent;
    if (off < frame_header_size)
    {
        if (n >= max || limit == 0)
            return 0;
        std::size_t len = std::min<std::size_t>(frame_header_size - off, limit);
        iov[n++] = iovec{const_cast<unsigned char*>(f.header) + off, len};
        added += len;
        if (len < frame_header_size - off)
            return added;
        off = 0;
    }
    else
        off -= frame_header_size;
    for (const iovec& b : f.iov)
    {
        if (n >= max || added >= limit)
            break;
        if (off >= b.iov_len)
        {
            off -= b.iov_len;
            continue;
        }
        std::size_t len = std::min<std::size_t>(b.iov_len - off, limit - added);
        iov[n++] = iovec{static_cast<char*>(b.iov_base) + off, len};
        added += len;
        off = 0;
    }
    return added;
}

} // namespace

void frame_out::own_unsent_fds(system::error_code& ec) noexcept
{
    ec.clear();
    if (owned_from <= fds_sent)
        return;
    for (std::size_t i = fds_sent; i < fds.size(); ++i)
    {
        int d = ::fcntl(fds[i], F_DUPFD_CLOEXEC, 0);
        if (d < 0)
        {
            static constexpr auto loc = BOOST_CURRENT_LOCATION;
            fw_assign_errno(ec, errno, loc);
            for (std::size_t j = fds_sent; j < i; ++j)
                ::close(std::exchange(fds[j], -1));
            return;
        }
        fds[i] = d;
    }
    owned_from = fds_sent;
}

void frame_out::release_owned() noexcept
{
    for (std::size_t i = owned_from; i < fds.size(); ++i)
        ::close(fds[i]);
    owned_from = static_cast<std::size_t>(-1);
}

void frame_writer::prepare(const frame_out& first, plan& p) noexcept
{
    p.iov_count = 0;
    p.bytes = 0;
    p.fd_batch = 0;
    p.control_size = 0;
    if (first.fds_sent < first.fds.size())
    {
        p.fd_batch = std::min<std::size_t>(max_fds_per_sendmsg, first.fds.size() - first.fds_sent);
        p.control_size = CMSG_SPACE(sizeof(int) * p.fd_batch);
        std::memset(p.control, 0, p.control_size);
        msghdr m{};
        m.msg_control = p.control;
        m.msg_controllen = p.control_size;
        cmsghdr* c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * p.fd_batch);
        std::memcpy(CMSG_DATA(c), first.fds.data() + first.fds_sent, sizeof(int) * p.fd_batch);
    }
    const bool more_batches = first.fds_sent + p.fd_batch < first.fds.size();
    p.bytes = append_unsent(first, p.iov, p.iov_count, max_iov_per_sendmsg,
                            more_batches ? 1 : static_cast<std::size_t>(-1));
    if (more_batches)
        return;
    for (const frame_out* f = first.next; f && !f->started() && f->fds.empty(); f = f->next)
    {
        if (p.iov_count >= max_iov_per_sendmsg || p.bytes >= max_gather_bytes)
            break;
        p.bytes += append_unsent(*f, p.iov, p.iov_count, max_iov_per_sendmsg, static_cast<std::size_t>(-1));
    }
}

void frame_writer::commit(frame_out& first, const plan& p, std::size_t n) noexcept
{
    // The kernel attaches the fds to the first byte written: they are out.
    first.fds_sent += p.fd_batch;
    std::size_t left = n;
    for (frame_out* f = &first; f && left; f = f->next)
    {
        const std::uint64_t take = std::min<std::uint64_t>(left, f->total - f->sent);
        f->sent += take;
        left -= static_cast<std::size_t>(take);
    }
}

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
