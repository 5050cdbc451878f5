//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Handing over a channel that has been used: what it had read from its
// socket and not delivered travels with it to a new owner in another
// process, in order (a typed receiver's buffered frames, then eof; a raw
// channel's buffered frame with its two fds, then the frame still in the
// socket; a big frame partly read when its receive was cancelled, completed
// by the new owner). A channel with an outstanding receive (a typed receiver,
// and a raw channel in a handle) is refused with error::channel_busy and
// nothing is sent; once the receive is cancelled it travels and works.
// Forged channel records and the other refusals: handover_hostile.cpp.

#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/typed_channel.hpp>
#include <boost/unix_ipc/detail/frame.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"
#include "xproc_helpers.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace typed_xproc;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;
using unix_ipc_test::fd_leak_checker;

namespace {

std::pair<unique_fd, unique_fd> socket_pair()
{
    int sv[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    return {unique_fd(sv[0]), unique_fd(sv[1])};
}

// In a child: one asynchronous receive, at most 5 s.
template <class T, class Channel>
std::optional<T> receive_within(asio::io_context& ctx, Channel& ch, error_code& ec)
{
    std::optional<T> out;
    bool done = false;
    ch.async_receive([&](error_code e, T v) {
        ec = e;
        if (!e)
            out = std::move(v);
        done = true;
    });
    ctx.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done && std::chrono::steady_clock::now() < deadline)
        ctx.run_one_for(std::chrono::milliseconds(50));
    if (!done)
    {
        ch.cancel();
        ctx.restart();
        ctx.run_for(std::chrono::milliseconds(100));
        ec = asio::error::timed_out;
    }
    return out;
}

std::string text(const raw_message& m)
{
    return std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
}

// Writes all of data to a (non-blocking) socket, waiting while it is full.
void send_all(int fd, const void* data, std::size_t size)
{
    const auto* p = static_cast<const unsigned char*>(data);
    while (size > 0)
    {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
            pollfd pfd{fd, POLLOUT, 0};
            ::poll(&pfd, 1, 1000);
            continue;
        }
        BOOST_TEST_REQUIRE(n > 0, "send: " << std::strerror(errno));
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::size_t unread_bytes(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_handover)

// Send 1, 2, 3; receive 1 (one read brings all three); hand the receiver to
// another process: it receives 2 and 3, then the end of the stream.
BOOST_FIXTURE_TEST_CASE(a_receiver_with_buffered_frames_delivers_them_to_its_new_owner, io_context_fixture)
{
    fd_leak_checker leaks;
    auto carrier_fds = socket_pair();
    const pid_t pid = fork_child([&] {
        carrier_fds.first.reset();
        asio::io_context c;
        unix_ipc::receiver<unix_ipc::receiver<int>> carrier(raw_channel(c, std::move(carrier_fds.second)));
        error_code ec;
        auto rx = receive_within<unix_ipc::receiver<int>>(c, carrier, ec);
        CHILD_CHECK(!ec && rx && rx->is_open());
        auto v = receive_within<int>(c, *rx, ec);
        CHILD_CHECK(!ec && v && *v == 2);
        v = receive_within<int>(c, *rx, ec);
        CHILD_CHECK(!ec && v && *v == 3);
        receive_within<int>(c, *rx, ec);
        CHILD_CHECK(ec == make_error_code(unix_ipc::error::eof));
        return 0;
    });
    carrier_fds.second.reset();
    unix_ipc::sender<unix_ipc::receiver<int>> carrier(raw_channel(ctx, std::move(carrier_fds.first)));

    auto [tx, rx] = unix_ipc::make_channel<int>(ctx);
    tx.send(1);
    tx.send(2);
    tx.send(3);
    BOOST_TEST(rx.receive() == 1);
    BOOST_TEST_REQUIRE(unread_bytes(rx.raw().native_handle()) == 0u, "2 and 3 are in the receiver, not the socket");
    carrier.send(rx);
    rx.close();
    tx.close();
    wait_success(pid);
}

// A raw channel handed over as a handle: buffered frames keep their fds.
BOOST_FIXTURE_TEST_CASE(a_raw_channel_hands_over_buffered_frames_with_their_fds, io_context_fixture)
{
    fd_leak_checker leaks;
    auto carrier_fds = socket_pair();
    const pid_t pid = fork_child([&] {
        carrier_fds.first.reset();
        asio::io_context c;
        unix_ipc::receiver<handle<raw_channel>> carrier(raw_channel(c, std::move(carrier_fds.second)));
        error_code ec;
        auto h = receive_within<handle<raw_channel>>(c, carrier, ec);
        CHILD_CHECK(!ec && h && h->has_value());
        raw_channel ch = h->release();
        raw_message m = ch.receive(ec);
        CHILD_CHECK(!ec && text(m) == "two" && m.fds.size() == 2u);
        CHILD_CHECK(read_fd(m.fds[0].get()) == "second" && read_fd(m.fds[1].get()) == "third");
        m = ch.receive(ec);
        CHILD_CHECK(!ec && text(m) == "three" && m.fds.empty());
        m = ch.receive(ec);
        CHILD_CHECK(ec == make_error_code(unix_ipc::error::eof));
        return 0;
    });
    carrier_fds.second.reset();
    unix_ipc::sender<handle<raw_channel>> carrier(raw_channel(ctx, std::move(carrier_fds.first)));

    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    {
        // One read takes "zero" and the segment after it, "two" with its fds
        // (Linux ends a read after a segment with fds): "two" and its fds
        // wait in b's reader, "three" in the socket.
        unique_fd m2 = make_memfd("second"), m3 = make_memfd("third");
        const int two[] = {m2.get(), m3.get()};
        a.send(asio::buffer(std::string("zero")));
        a.send(asio::buffer(std::string("two")), two);
        a.send(asio::buffer(std::string("three")));
    }
    raw_message m = b.receive();
    BOOST_TEST(text(m) == "zero");
    BOOST_TEST_REQUIRE(unread_bytes(b.native_handle()) == unix_ipc::detail::frame_header_size + 5,
                       "\"two\" and its fds are in the reader, \"three\" in the socket");
    carrier.send(handle<raw_channel>(std::move(b)));
    a.close();
    wait_success(pid);
}

// Part of a big frame was read (into its own buffer) when the receive was
// cancelled: the new owner gets the whole frame, and the one after it.
BOOST_FIXTURE_TEST_CASE(a_partly_read_big_frame_is_completed_by_the_new_owner, io_context_fixture)
{
    fd_leak_checker leaks;
    const std::size_t size = 1024 * 1024, first = 300 * 1024;
    std::vector<unsigned char> payload(size);
    for (std::size_t i = 0; i < size; ++i)
        payload[i] = static_cast<unsigned char>(i * 7 + i / 4096);

    auto carrier_fds = socket_pair();
    const pid_t pid = fork_child([&] {
        carrier_fds.first.reset();
        asio::io_context c;
        unix_ipc::receiver<handle<raw_channel>> carrier(raw_channel(c, std::move(carrier_fds.second)));
        error_code ec;
        auto h = receive_within<handle<raw_channel>>(c, carrier, ec);
        CHILD_CHECK(!ec && h && h->has_value());
        raw_channel ch = h->release();
        raw_message m = ch.receive(ec);
        CHILD_CHECK(!ec && m.bytes.size() == size);
        CHILD_CHECK(std::memcmp(m.bytes.data(), payload.data(), size) == 0);
        m = ch.receive(ec);
        CHILD_CHECK(!ec && text(m) == "after");
        return 0;
    });
    carrier_fds.second.reset();
    unix_ipc::sender<handle<raw_channel>> carrier(raw_channel(ctx, std::move(carrier_fds.first)));

    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    // The header and the first part of the payload, written by hand.
    std::vector<unsigned char> head(unix_ipc::detail::frame_header_size);
    unix_ipc::detail::encode_header(head.data(), 0, size);
    send_all(a.native_handle(), head.data(), head.size());
    send_all(a.native_handle(), payload.data(), first);

    raw_message msg;
    std::optional<error_code> got;
    b.async_receive(msg, [&](error_code ec) { got = ec; });
    run_until(ctx, [&] { return unread_bytes(b.native_handle()) == 0; });
    BOOST_TEST_REQUIRE(!got.has_value());
    b.cancel();
    run_until(ctx, [&] { return got.has_value(); });
    BOOST_TEST((*got == asio::error::operation_aborted));

    carrier.send(handle<raw_channel>(std::move(b)));
    send_all(a.native_handle(), payload.data() + first, size - first);
    a.send(asio::buffer(std::string("after")));
    wait_success(pid);
}

// An outstanding receive would race the new owner for the stream: refused,
// and nothing is sent. Once it is cancelled, the same channel travels.
BOOST_FIXTURE_TEST_CASE(a_channel_with_an_outstanding_receive_is_refused, io_context_fixture)
{
    fd_leak_checker leaks;
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<unix_ipc::receiver<int>>(ctx);
    auto [raw_tx, raw_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto [tx, rx] = unix_ipc::make_channel<int>(ctx);

    std::optional<error_code> received;
    rx.async_receive([&](error_code ec, int) { received = ec; });
    error_code ec;
    carrier_tx.send(rx, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::channel_busy));
    // The same for a raw channel in a handle.
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    raw_message m;
    std::optional<error_code> raw_received;
    b.async_receive(m, [&](error_code e) { raw_received = e; });
    handle<raw_channel> hb(std::move(b));
    raw_tx.send(hb, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::channel_busy));
    BOOST_TEST(unread_bytes(carrier_rx.raw().native_handle()) == 0u, "nothing was sent");
    BOOST_TEST(unread_bytes(raw_rx.raw().native_handle()) == 0u, "nothing was sent");

    rx.cancel();
    hb->cancel();
    run_until(ctx, [&] { return received.has_value() && raw_received.has_value(); });
    BOOST_TEST((*received == asio::error::operation_aborted));
    carrier_tx.send(rx);
    raw_tx.send(hb);
    unix_ipc::receiver<int> moved = carrier_rx.receive();
    handle<raw_channel> moved_raw = raw_rx.receive();
    tx.send(42);
    BOOST_TEST(moved.receive() == 42);
    a.send(asio::buffer(std::string("hi")));
    BOOST_TEST(text(moved_raw->receive()) == "hi");
}

BOOST_AUTO_TEST_SUITE_END()
