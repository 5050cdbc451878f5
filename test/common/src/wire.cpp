//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include "unix_ipc_test/wire.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace unix_ipc_test {

bytes frame_header(std::uint64_t payload_size, std::uint32_t fd_count, std::uint32_t magic_and_version)
{
    bytes h(16);
    std::memcpy(h.data(), &magic_and_version, 4);
    std::memcpy(h.data() + 4, &fd_count, 4);
    std::memcpy(h.data() + 8, &payload_size, 8);
    return h;
}

bytes frame_bytes(const bytes& payload, std::uint32_t fd_count)
{
    bytes f = frame_header(payload.size(), fd_count);
    append(f, payload);
    return f;
}

bytes frame_bytes(const std::string& payload, std::uint32_t fd_count)
{
    return frame_bytes(bytes(payload.begin(), payload.end()), fd_count);
}

void append(bytes& a, const bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
}

namespace {

inline unsigned char pattern_byte(std::size_t i, std::uint32_t seed) noexcept
{
    std::uint64_t x = (static_cast<std::uint64_t>(i) + 1) * 0x9E3779B97F4A7C15ull ^ (std::uint64_t(seed) << 32 | seed);
    x ^= x >> 29;
    return static_cast<unsigned char>(x ^ (x >> 8));
}

} // namespace

void fill_pattern(void* data, std::size_t size, std::uint32_t seed)
{
    auto* p = static_cast<unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i)
        p[i] = pattern_byte(i, seed);
}

bytes pattern(std::size_t size, std::uint32_t seed)
{
    bytes b(size);
    fill_pattern(b.data(), size, seed);
    return b;
}

bool check_pattern(const void* data, std::size_t size, std::uint32_t seed)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i)
    {
        if (p[i] != pattern_byte(i, seed))
        {
            BOOST_TEST(false, "pattern " << seed << " of " << size << " bytes differs at byte " << i);
            return false;
        }
    }
    return true;
}

std::string to_string(const boost::unix_ipc::raw_message& m)
{
    return std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
}

void send_raw(int fd, const void* data, std::size_t size, const std::vector<int>& fds)
{
    const auto* p = static_cast<const unsigned char*>(data);
    std::vector<unsigned char> control;
    bool first = true;
    while (size > 0 || first)
    {
        iovec iov{const_cast<unsigned char*>(p), size};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (first && !fds.empty())
        {
            control.assign(CMSG_SPACE(sizeof(int) * fds.size()), 0);
            msg.msg_control = control.data();
            msg.msg_controllen = control.size();
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
            std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
        }
        first = false;
        if (size == 0)
            break;
        ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
        {
            first = msg.msg_control != nullptr; // nothing was sent: retry with the fds
            continue;
        }
        BOOST_TEST_REQUIRE(n > 0, "sendmsg: " << std::strerror(errno));
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::size_t recv_raw(int fd, bytes& out, std::size_t max_bytes, std::vector<boost::unix_ipc::unique_fd>* fds,
                     int flags)
{
    const std::size_t old = out.size();
    out.resize(old + max_bytes);
    iovec iov{out.data() + old, max_bytes};
    alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(int) * 512)];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n;
    do
        n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | flags);
    while (n < 0 && errno == EINTR);
    BOOST_TEST_REQUIRE(n >= 0, "recvmsg: " << std::strerror(errno));
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
    {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i)
        {
            int rfd;
            std::memcpy(&rfd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (fds)
                fds->emplace_back(rfd);
            else
                ::close(rfd);
        }
    }
    BOOST_TEST(!(msg.msg_flags & MSG_CTRUNC), "recv_raw: control data truncated");
    out.resize(old + static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n);
}

bool socket_drained(int fd)
{
    char c;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

temp_dir::temp_dir()
{
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/unix_ipc_test_XXXXXX";
    // Unix socket paths are limited to 107 bytes: fall back to /tmp for long TMPDIRs.
    if (tmpl.size() > 60)
        tmpl = "/tmp/unix_ipc_test_XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    BOOST_TEST_REQUIRE(::mkdtemp(buf.data()) != nullptr, "mkdtemp: " << std::strerror(errno));
    path_ = buf.data();
}

temp_dir::~temp_dir()
{
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

} // namespace unix_ipc_test
