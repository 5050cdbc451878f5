//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Handing over a channel, the hostile and edge cases: forged channel records
// (byte count beyond the payload or 2^63, fd count 0xffffffff, fd index out
// of range, an index used for the socket and a buffered fd, two channels on
// one socket index) give bad_message with every fd of the frame closed, and
// the carrier takes the next good message; a channel with an outstanding
// send, one skipping an oversized frame, one whose receive side failed are
// refused with channel_busy and nothing is sent; a receive that completed
// but whose handler has not run does not refuse it; a channel at eof travels
// and its new owner gets eof; frames that came with a channel have no
// credentials, frames read afterwards have the writer's.

#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::handle;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;
using unix_ipc::unique_fd;
using unix_ipc_test::bytes;
using unix_ipc_test::count_open_fds;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

using chan = unix_ipc::receiver<int>;
using chan_pair = std::pair<chan, chan>;

template <class T> bytes encode(const T& v)
{
    std::vector<std::byte> b;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(v, b, fds);
    const auto* p = reinterpret_cast<const unsigned char*>(b.data());
    return bytes(p, p + b.size());
}

template <class T> void append(bytes& b, T v)
{
    const auto* p = reinterpret_cast<const unsigned char*>(&v);
    b.insert(b.end(), p, p + sizeof v);
}

// A channel record: socket index, byte count and bytes, fd count and indices.
bytes channel_record(std::uint32_t socket, std::uint64_t count, const bytes& data, std::uint32_t nfds,
                     const std::vector<std::uint32_t>& fd_indices = {})
{
    bytes b;
    append(b, socket);
    append(b, count);
    b.insert(b.end(), data.begin(), data.end());
    append(b, nfds);
    for (std::uint32_t i : fd_indices)
        append(b, i);
    return b;
}

// What comes before the channel record in a receiver<int> message: an
// honest empty channel is that prefix and 0xffffffff.
bytes chan_prefix()
{
    bytes b = encode(chan{});
    BOOST_TEST_REQUIRE(b.size() >= 4u);
    std::uint32_t tail;
    std::memcpy(&tail, b.data() + b.size() - 4, 4);
    BOOST_TEST_REQUIRE(tail == 0xffffffffu);
    b.resize(b.size() - 4);
    return b;
}

std::size_t unread_bytes(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
}

// A socketpair end to send in a frame, and a way to tell when every copy of
// it is closed: a send on the other end then fails with EPIPE.
struct probe
{
    std::pair<unique_fd, unique_fd> sp = unix_ipc_test::make_stream_socketpair();
    int fd() const { return sp.first.get(); }
    bool all_copies_closed()
    {
        sp.first.reset();
        const char c = 'x';
        return ::send(sp.second.get(), &c, 1, MSG_NOSIGNAL) < 0 && errno == EPIPE;
    }
};

// A receiver of T on one end of a socketpair; the test writes frames by hand
// on the other.
template <class T> struct hostile_peer
{
    std::pair<unique_fd, unique_fd> sp = unix_ipc_test::make_stream_socketpair();
    unix_ipc::receiver<T> r;

    explicit hostile_peer(asio::io_context& ctx) : r(raw_channel(ctx, std::move(sp.second))) {}

    void send_frame(const bytes& payload, const std::vector<int>& fds)
    {
        unix_ipc_test::send_raw(
            sp.first.get(), unix_ipc_test::frame_bytes(payload, static_cast<std::uint32_t>(fds.size())), fds);
    }

    error_code receive(asio::io_context& ctx, T* out = nullptr)
    {
        std::optional<error_code> result;
        r.async_receive([&](error_code ec, T v) {
            result = ec;
            if (out)
                *out = std::move(v);
        });
        run_until(ctx, [&] { return result.has_value(); });
        return *result;
    }
};

const error_code bad_message = make_error_code(unix_ipc::error::bad_message);
const error_code channel_busy = make_error_code(unix_ipc::error::channel_busy);

// The carrier still works: a good record brings a channel that works.
template <class T, class Make>
void check_good_message(asio::io_context& ctx, hostile_peer<T>& peer, Make make_payload)
{
    auto [tx, rx] = unix_ipc::make_channel<int>(ctx);
    peer.send_frame(make_payload(), {rx.raw().native_handle()});
    rx.close();
    T out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    tx.send(42);
    if constexpr (std::is_same_v<T, chan>)
        BOOST_TEST(out.receive() == 42);
    else
        BOOST_TEST(out.first.receive() == 42);
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_handover_hostile)

// Each forged record: bad_message, the frame's fds (socket and buffered fd)
// all closed, no fd left open, and the next good message goes through.
BOOST_FIXTURE_TEST_CASE(forged_channel_records_are_bad_messages, io_context_fixture)
{
    const bytes prefix = chan_prefix();
    hostile_peer<chan> peer(ctx);
    const std::size_t fds_before = count_open_fds();

    struct forged
    {
        const char* what;
        bytes record;
        bool with_buffered_fd;
    };
    const bytes four = {1, 2, 3, 4};
    const forged cases[] = {
        {"byte count beyond the payload", channel_record(0, 100, four, 0), false},
        {"byte count 2^63", channel_record(0, std::uint64_t(1) << 63, {}, 0), false},
        {"fd count 0xffffffff", channel_record(0, 0, {}, 0xffffffffu, {1}), true},
        {"socket index out of range", channel_record(5, 0, {}, 0), false},
        {"buffered fd index out of range", channel_record(0, 0, {}, 1, {7}), true},
        // Every fd of the frame claimed, one of them twice (an unclaimed fd
        // alone would make the message bad).
        {"socket index reused for a buffered fd", channel_record(0, 0, {}, 1, {0}), false},
        {"buffered fd index used twice", channel_record(0, 0, {}, 2, {1, 1}), true},
    };
    for (const forged& f : cases)
    {
        BOOST_TEST_CONTEXT(f.what)
        {
            {
                probe sock, extra;
                std::vector<int> fds{sock.fd()};
                if (f.with_buffered_fd)
                    fds.push_back(extra.fd());
                bytes payload = prefix;
                payload.insert(payload.end(), f.record.begin(), f.record.end());
                peer.send_frame(payload, fds);
                BOOST_TEST(peer.receive(ctx) == bad_message);
                BOOST_TEST(sock.all_copies_closed(), "the socket of the forged channel was left open");
                BOOST_TEST(extra.all_copies_closed(), "the buffered fd was left open");
            }
            BOOST_TEST(count_open_fds() == fds_before);
        }
    }
    check_good_message(ctx, peer, [&] {
        bytes p = prefix;
        const bytes r = channel_record(0, 0, {}, 0);
        p.insert(p.end(), r.begin(), r.end());
        return p;
    });
    BOOST_TEST(count_open_fds() == fds_before);
}

// Two channels in one message on the same socket index.
BOOST_FIXTURE_TEST_CASE(two_channels_on_one_socket_index_are_a_bad_message, io_context_fixture)
{
    // An honest pair of empty channels: [head] ffffffff [between] ffffffff.
    const bytes empty = encode(chan_pair{});
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i + 4 <= empty.size();)
    {
        std::uint32_t v;
        std::memcpy(&v, empty.data() + i, 4);
        if (v == 0xffffffffu)
        {
            at.push_back(i);
            i += 4;
        }
        else
            ++i;
    }
    BOOST_TEST_REQUIRE(at.size() == 2u);
    BOOST_TEST_REQUIRE(at[1] + 4 == empty.size());
    const bytes head(empty.begin(), empty.begin() + static_cast<std::ptrdiff_t>(at[0]));
    const bytes between(empty.begin() + static_cast<std::ptrdiff_t>(at[0] + 4),
                        empty.begin() + static_cast<std::ptrdiff_t>(at[1]));
    auto make = [&](std::uint32_t first, std::uint32_t second) {
        bytes p = head;
        const bytes r1 = channel_record(first, 0, {}, 0), r2 = channel_record(second, 0, {}, 0);
        p.insert(p.end(), r1.begin(), r1.end());
        p.insert(p.end(), between.begin(), between.end());
        p.insert(p.end(), r2.begin(), r2.end());
        return p;
    };

    hostile_peer<chan_pair> peer(ctx);
    const std::size_t fds_before = count_open_fds();
    {
        // One fd, claimed by both (an unclaimed fd alone would make the message bad).
        probe a;
        peer.send_frame(make(0, 0), {a.fd()});
        BOOST_TEST(peer.receive(ctx) == bad_message);
        BOOST_TEST(a.all_copies_closed(), "the first channel's socket was left open");
    }
    BOOST_TEST(count_open_fds() == fds_before);
    // The honest form of the same message: the first channel works, the second is
    // empty.
    check_good_message(ctx, peer, [&] {
        bytes p = head;
        const bytes r = channel_record(0, 0, {}, 0);
        p.insert(p.end(), r.begin(), r.end());
        p.insert(p.end(), between.begin(), between.end());
        append(p, std::uint32_t(0xffffffffu));
        return p;
    });
    BOOST_TEST(count_open_fds() == fds_before);
}

// A send still outstanding (the socket is full) would interleave with the
// new owner's frames: refused, nothing sent; the send then completes.
BOOST_FIXTURE_TEST_CASE(a_channel_with_an_outstanding_send_is_refused, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    const std::vector<unsigned char> big(4 * 1024 * 1024, 0x5a);
    std::optional<error_code> sent;
    a.async_send(asio::buffer(big), [&](error_code ec) { sent = ec; });
    ctx.poll();
    BOOST_TEST_REQUIRE(!sent.has_value(), "the send should be waiting for room in the socket");

    handle<raw_channel> ha(std::move(a));
    error_code ec;
    carrier_tx.send(ha, ec);
    BOOST_TEST(ec == channel_busy);
    BOOST_TEST(unread_bytes(carrier_rx.raw().native_handle()) == 0u, "nothing was sent");
    BOOST_TEST_REQUIRE(ha.has_value());

    // Still usable: the frame arrives whole, then the channel travels.
    raw_message m;
    std::optional<error_code> got;
    b.async_receive(m, [&](error_code e) { got = e; });
    run_until(ctx, [&] { return sent.has_value() && got.has_value(); });
    BOOST_TEST(!*sent);
    BOOST_TEST(!*got);
    BOOST_TEST(m.bytes.size() == big.size());
    carrier_tx.send(ha);
    handle<raw_channel> moved = carrier_rx.receive();
    moved->send(asio::buffer(std::string("hi")));
    m = b.receive();
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "hi");
}

// A channel skipping the rest of a frame over its limits: the rest is still
// in the socket, so the new owner could not tell where frames start.
BOOST_FIXTURE_TEST_CASE(a_channel_skipping_an_oversized_frame_is_refused, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    unix_ipc::receive_limits l = b.limits();
    l.max_payload_size = 1024;
    b.set_limits(l);
    const std::vector<unsigned char> big(4 * 1024 * 1024, 0x5a);
    std::optional<error_code> sent;
    a.async_send(asio::buffer(big), [&](error_code ec) { sent = ec; });

    raw_message m;
    std::optional<error_code> got;
    b.async_receive(m, [&](error_code e) { got = e; });
    run_until(ctx, [&] { return got.has_value(); });
    BOOST_TEST((*got == make_error_code(unix_ipc::error::message_too_large)));
    BOOST_TEST_REQUIRE(!sent.has_value(), "the rest of the frame should still be on its way");

    handle<raw_channel> hb(std::move(b));
    error_code ec;
    carrier_tx.send(hb, ec);
    BOOST_TEST(ec == channel_busy);
    BOOST_TEST(unread_bytes(carrier_rx.raw().native_handle()) == 0u, "nothing was sent");

    // Still usable: the next frame arrives once the big one is skipped.
    const std::string after = "after";
    std::optional<error_code> sent_after;
    a.async_send(asio::buffer(after), [&](error_code e) { sent_after = e; });
    got.reset();
    hb->async_receive(m, [&](error_code e) { got = e; });
    run_until(ctx, [&] { return got.has_value() && sent.has_value() && sent_after.has_value(); });
    BOOST_TEST(!*sent);
    BOOST_TEST(!*got);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "after");
    carrier_tx.send(hb);
    BOOST_TEST(carrier_rx.receive().has_value());
}

// A receive side that failed (a frame with a bad magic): what is left of the
// stream cannot be framed, the channel is refused.
BOOST_FIXTURE_TEST_CASE(a_channel_whose_receive_failed_is_refused, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto sp = unix_ipc_test::make_stream_socketpair();
    raw_channel b(ctx, std::move(sp.second));
    bytes garbage(64, 0xee);
    unix_ipc_test::send_raw(sp.first.get(), garbage);
    error_code ec;
    b.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::protocol_error));

    handle<raw_channel> hb(std::move(b));
    carrier_tx.send(hb, ec);
    BOOST_TEST(ec == channel_busy);
    BOOST_TEST(unread_bytes(carrier_rx.raw().native_handle()) == 0u, "nothing was sent");
}

// A receive that completed (the frame was in the reader when it started, its
// handler is posted) but whose handler has not run yet does not make the
// channel busy: the frame is the handler's, what follows the new owner's.
BOOST_FIXTURE_TEST_CASE(a_completed_receive_whose_handler_has_not_run_is_not_busy, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    a.send(asio::buffer(std::string("one")));
    a.send(asio::buffer(std::string("two")));
    raw_message m = b.receive();
    BOOST_TEST_REQUIRE(unread_bytes(b.native_handle()) == 0u, "\"two\" is in the reader, not the socket");
    std::optional<error_code> got;
    b.async_receive(m, [&](error_code e) { got = e; });
    BOOST_TEST_REQUIRE(!got.has_value());

    handle<raw_channel> hb(std::move(b));
    error_code ec;
    carrier_tx.send(hb, ec);
    BOOST_TEST_REQUIRE(!ec);
    run_until(ctx, [&] { return got.has_value(); });
    BOOST_TEST(!*got);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "two");
    raw_channel moved = carrier_rx.receive().release();
    a.send(asio::buffer(std::string("three")));
    m = moved.receive();
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "three");
}

// A channel at eof travels; its new owner gets eof (after the frames it had).
BOOST_FIXTURE_TEST_CASE(a_channel_at_eof_is_handed_over_and_its_new_owner_gets_eof, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<chan>(ctx);
    auto [tx, rx] = unix_ipc::make_channel<int>(ctx);
    tx.send(1);
    tx.close();
    error_code ec;
    BOOST_TEST(rx.receive(ec) == 1);
    BOOST_TEST(!ec);
    rx.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));

    carrier_tx.send(rx, ec);
    BOOST_TEST_REQUIRE(!ec);
    rx.close();
    chan moved = carrier_rx.receive();
    BOOST_TEST_REQUIRE(moved.is_open());
    moved.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
}

// Credentials are per read of the socket: frames that came with the channel
// have none (even with passing on at both owners); a frame read afterwards
// has the writer's.
BOOST_FIXTURE_TEST_CASE(frames_that_came_with_a_channel_have_no_credentials, io_context_fixture)
{
    auto [carrier_tx, carrier_rx] = unix_ipc::make_channel<handle<raw_channel>>(ctx);
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    b.set_pass_credentials(true);
    a.send(asio::buffer(std::string("one")));
    a.send(asio::buffer(std::string("two")));
    raw_message m = b.receive();
    BOOST_TEST_REQUIRE(m.sender.has_value());
    BOOST_TEST(m.sender->pid == ::getpid());
    BOOST_TEST_REQUIRE(unread_bytes(b.native_handle()) == 0u, "\"two\" is in the reader, not the socket");

    carrier_tx.send(handle<raw_channel>(std::move(b)));
    raw_channel moved = carrier_rx.receive().release();
    moved.set_pass_credentials(true);
    m = moved.receive();
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "two");
    BOOST_TEST(!m.sender.has_value(), "a frame that came with the channel has credentials");
    a.send(asio::buffer(std::string("three")));
    m = moved.receive();
    BOOST_TEST(std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size()) == "three");
    BOOST_TEST_REQUIRE(m.sender.has_value());
    BOOST_TEST(m.sender->pid == ::getpid());
}

BOOST_AUTO_TEST_SUITE_END()
