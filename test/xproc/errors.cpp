//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A peer process that dies, breaks off a frame, lies in a header, sends more
// than the limits allow, or overflows this process's fd table.

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/detail/frame.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;

namespace {

// A frame header as the wire format defines it: struct '=IIQ'.
std::vector<unsigned char> header(std::uint32_t magic, std::uint32_t fd_count, std::uint64_t payload)
{
    std::vector<unsigned char> h(16);
    std::memcpy(h.data(), &magic, 4);
    std::memcpy(h.data() + 4, &fd_count, 4);
    std::memcpy(h.data() + 8, &payload, 8);
    return h;
}

constexpr std::uint32_t good_magic = 0x55495001;

// One sendmsg of `data` with `fds` as SCM_RIGHTS.
bool sendmsg_fds(int sock, const std::vector<unsigned char>& data, const std::vector<int>& fds)
{
    iovec iov{const_cast<unsigned char*>(data.data()), data.size()};
    std::vector<unsigned char> control(CMSG_SPACE(sizeof(int) * fds.size()));
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (!fds.empty())
    {
        m.msg_control = control.data();
        m.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
    }
    return ::sendmsg(sock, &m, MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

// Receives one frame asynchronously, with a deadline.
error_code receive_one(asio::io_context& ioc, raw_channel& ch, raw_message& msg,
                       std::chrono::milliseconds timeout = 5s)
{
    std::optional<error_code> result;
    ch.async_receive(msg, [&](error_code ec) { result = ec; });
    run_until(ioc, [&] { return result.has_value(); }, timeout);
    return *result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(xproc_errors)

// SIGKILL on the peer while a receive (and a blocked send) wait: both end with
// error::eof, well within a second.
BOOST_AUTO_TEST_CASE(peer_killed_while_receiving_gives_eof)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        // Two frames, then never read again; `theirs` stays open until killed.
        asio::io_context cioc;
        raw_channel cch(cioc, std::move(theirs));
        cch.send(asio::buffer(std::string_view("one")));
        cch.send(asio::buffer(std::string_view("two")));
        for (;;)
            ::pause();
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    std::optional<error_code> received, sent;
    raw_message msg;
    for (const char* expected : {"one", "two"})
    {
        BOOST_TEST(!receive_one(ioc, ch, msg));
        BOOST_TEST(to_string(msg.bytes) == expected);
    }
    ch.async_receive([&](error_code ec, raw_message) { received = ec; });
    // Bigger than both socket buffers: the send stays outstanding.
    std::vector<unsigned char> big(std::size_t(16) << 20, 0xAB);
    ch.async_send(asio::buffer(big), [&](error_code ec) { sent = ec; });
    for (int i = 0; i < 20; ++i)
        ioc.poll();
    ioc.restart();
    BOOST_TEST_REQUIRE(!received.has_value());
    BOOST_TEST_REQUIRE(!sent.has_value());

    const auto start = std::chrono::steady_clock::now();
    ::kill(child.pid(), SIGKILL);
    run_until(ioc, [&] { return received.has_value() && sent.has_value(); }, 1s);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(*received == code(unix_ipc::error::eof), received->message());
    BOOST_TEST(*sent == code(unix_ipc::error::eof), sent->message());
    BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 1000);
    const int st = child.wait();
    BOOST_TEST((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL), child_process::describe(st));
}

// A peer killed with our data unread in its socket (the kernel then reports
// ECONNRESET on our end): the frames it sent before dying are still delivered,
// then eof.
BOOST_AUTO_TEST_CASE(frames_sent_before_peer_killed_are_delivered)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    unique_fd go_r, go_w;
    {
        int p[2];
        BOOST_TEST_REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        go_r.reset(p[0]);
        go_w.reset(p[1]);
    }
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        go_r.reset();
        asio::io_context cioc;
        raw_channel cch(cioc, std::move(theirs));
        unique_fd f = make_memfd("sent before death");
        const int fds[] = {f.get()};
        cch.send(asio::buffer(std::string_view("one")), fds);
        cch.send(asio::buffer(std::string_view("two")));
        XPROC_CHILD_REQUIRE(::write(go_w.get(), "k", 1) == 1);
        for (;;)
            ::pause();
        return 0;
    });
    theirs.reset();
    go_w.reset();
    char c;
    BOOST_TEST_REQUIRE(::read(go_r.get(), &c, 1) == 1);

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    // Leave data unread in the peer's socket, then kill it.
    const std::string unread(1000, 'u');
    error_code ec;
    ch.send(asio::buffer(unread), {}, ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    ::kill(child.pid(), SIGKILL);
    const int st = child.wait();
    BOOST_TEST((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL), child_process::describe(st));

    raw_message msg;
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST(to_string(msg.bytes) == "one");
    BOOST_TEST_REQUIRE(msg.fds.size() == 1u);
    BOOST_TEST(read_fd(msg.fds[0].get()) == "sent before death");
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST(to_string(msg.bytes) == "two");
    BOOST_TEST(msg.fds.empty());
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::eof), ec.message());
    ch.send(asio::buffer(unread), {}, ec);
    BOOST_TEST(ec == code(unix_ipc::error::eof), ec.message());
}

// The peer writes part of a frame with raw ::send and exits: unexpected_eof,
// and the channel keeps reporting it.
BOOST_AUTO_TEST_CASE(peer_closes_mid_frame_gives_unexpected_eof)
{
    struct variant
    {
        const char* name;
        std::uint64_t payload_declared;
        std::size_t payload_written; // after the whole header
        std::size_t header_written;
    };
    const variant variants[] = {
        {"half a small payload", 100, 50, 16},
        {"half a header", 100, 0, 8},
        {"a header only", 1, 0, 16},
        {"part of a big payload", std::uint64_t(4) << 20, 300000, 16},
    };
    for (const variant& v : variants)
    {
        BOOST_TEST_CONTEXT(v.name)
        {
            fd_leak_checker leaks;
            auto [mine, theirs] = socket_pair();
            child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
                mine.reset();
                // A whole good frame first, so the cut is not at the stream start.
                auto good = header(good_magic, 0, 2);
                good.push_back('o');
                good.push_back('k');
                XPROC_CHILD_REQUIRE(send_raw(theirs.get(), good.data(), good.size()));
                auto h = header(good_magic, 0, v.payload_declared);
                h.resize(v.header_written);
                if (v.header_written == 16)
                    h.resize(16 + v.payload_written, 'p');
                XPROC_CHILD_REQUIRE(send_raw(theirs.get(), h.data(), h.size()));
                return 0;
            });
            theirs.reset();
            asio::io_context ioc;
            raw_channel ch(ioc, std::move(mine));
            raw_message msg;
            error_code ec = receive_one(ioc, ch, msg);
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST(to_string(msg.bytes) == "ok");
            ec = receive_one(ioc, ch, msg);
            BOOST_TEST(ec == code(unix_ipc::error::unexpected_eof), ec.message());
            ec = receive_one(ioc, ch, msg);
            BOOST_TEST(ec == code(unix_ipc::error::unexpected_eof), "second receive: " << ec.message());
            child.wait_success();
        }
    }
}

// Forged headers: bad magic, wrong version, more fds declared than sent. The
// receive side fails with protocol_error for good and closes the fds it held.
BOOST_AUTO_TEST_CASE(forged_header_gives_protocol_error)
{
    struct variant
    {
        const char* name;
        std::uint32_t magic;
        std::uint32_t fd_count_declared;
        int fds_sent;
    };
    const variant variants[] = {
        {"bad magic", 0xDEADBEEF, 0, 2},
        {"bad magic, zero", 0, 0, 0},
        {"version 2", 0x55495002, 0, 1},
        {"byte-swapped magic", 0x01504955, 0, 0},
        {"two fds declared, one sent", good_magic, 2, 1},
    };
    for (const variant& v : variants)
    {
        BOOST_TEST_CONTEXT(v.name)
        {
            fd_leak_checker leaks;
            auto [mine, theirs] = socket_pair();
            child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
                mine.reset();
                std::vector<unique_fd> files;
                std::vector<int> fds;
                for (int i = 0; i < v.fds_sent; ++i)
                {
                    files.push_back(make_memfd("forged"));
                    fds.push_back(files.back().get());
                }
                auto frame = header(v.magic, v.fd_count_declared, 4);
                frame.insert(frame.end(), {'d', 'a', 't', 'a'});
                XPROC_CHILD_REQUIRE(sendmsg_fds(theirs.get(), frame, fds));
                // A good frame after it must not be delivered.
                auto good = header(good_magic, 0, 0);
                XPROC_CHILD_REQUIRE(send_raw(theirs.get(), good.data(), good.size()));
                return 0;
            });
            theirs.reset();
            child.wait_success(); // everything is in our socket buffer now

            asio::io_context ioc;
            raw_channel ch(ioc, std::move(mine));
            raw_message msg;
            error_code ec = receive_one(ioc, ch, msg);
            BOOST_TEST(ec == code(unix_ipc::error::protocol_error), ec.message());
            BOOST_TEST(msg.fds.empty());
            ec = receive_one(ioc, ch, msg);
            BOOST_TEST(ec == code(unix_ipc::error::protocol_error), "second receive: " << ec.message());
        }
    }
}

// Frames over the receiver's limits fail with message_too_large or
// too_many_fds, their fds are closed, and the next frame still arrives.
BOOST_AUTO_TEST_CASE(frame_over_limits_is_skipped)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    struct frame
    {
        std::size_t size;
        int fds;
        const char* expected; // "" for an error frame
    };
    static const frame frames[] = {
        {4096, 2, ""},          {6, 0, "good 1"}, {std::size_t(1) << 20, 1, ""}, {6, 1, "good 2"},
        {10, 10, ""},           {6, 0, "good 3"}, {std::size_t(8) << 20, 0, ""}, {6, 4, "good 4"},
    };
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        for (const frame& f : frames)
        {
            std::vector<unique_fd> files;
            std::vector<int> fds;
            for (int i = 0; i < f.fds; ++i)
            {
                files.push_back(make_memfd(f.expected));
                fds.push_back(files.back().get());
            }
            std::string payload = *f.expected ? std::string(f.expected) : std::string(f.size, 'x');
            ch.send(asio::buffer(payload), fds);
        }
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    ch.set_limits(unix_ipc::receive_limits{1024, 4});
    BOOST_TEST(ch.limits().max_payload_size == 1024u);
    raw_message msg;
    for (const frame& f : frames)
    {
        BOOST_TEST_CONTEXT("frame of " << f.size << " bytes and " << f.fds << " fds")
        {
            error_code ec = receive_one(ioc, ch, msg);
            if (*f.expected)
            {
                BOOST_TEST(!ec, ec.message());
                BOOST_TEST(to_string(msg.bytes) == f.expected);
                BOOST_TEST_REQUIRE(msg.fds.size() == std::size_t(f.fds));
                for (auto& fd : msg.fds)
                    BOOST_TEST(read_fd(fd.get()) == f.expected);
            }
            else if (f.size > 1024)
                BOOST_TEST(ec == code(unix_ipc::error::message_too_large), ec.message());
            else
                BOOST_TEST(ec == code(unix_ipc::error::too_many_fds), ec.message());
        }
    }
    msg = raw_message();
    error_code ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::eof), ec.message());
    child.wait_success();
}

// A frame with more fds than receive_limits::max_fds (1100 > 1024, in five
// sendmsg batches) is skipped with too_many_fds and the channel stays usable.
BOOST_AUTO_TEST_CASE(frame_with_too_many_fds_in_batches_is_skipped)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        unique_fd f = make_memfd("many");
        std::vector<int> fds(1100, f.get()); // the same file 1100 times
        ch.send(asio::buffer(std::string_view("too many")), fds);
        ch.send(asio::buffer(std::string_view("next")));
        return 0;
    });
    theirs.reset();
    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    raw_message msg;
    error_code ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::too_many_fds), ec.message());
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(to_string(msg.bytes) == "next");
    child.wait_success();
}

// Like the above with 2000 fds (eight batches of at most 253). The reference
// documents too_many_fds with the channel still usable for any frame over
// max_fds; found: the reader's bound on buffered fds (max_fds + 2 * 253) trips
// while the batches arrive, one header byte each, before the header is
// complete, and the receive fails with protocol_error, closing the receive side.
BOOST_AUTO_TEST_CASE(frame_with_far_too_many_fds_is_skipped)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        unique_fd f = make_memfd("many");
        std::vector<int> fds(2000, f.get());
        ch.send(asio::buffer(std::string_view("far too many")), fds);
        ch.send(asio::buffer(std::string_view("next")));
        return 0;
    });
    theirs.reset();
    child.wait_success(); // both frames wait in our socket buffer
    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    raw_message msg;
    error_code ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::too_many_fds), ec.message());
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(to_string(msg.bytes) == "next");
}

namespace {

struct rlimit_restorer
{
    rlimit saved{};
    rlimit_restorer() { ::getrlimit(RLIMIT_NOFILE, &saved); }
    ~rlimit_restorer() { ::setrlimit(RLIMIT_NOFILE, &saved); }
};

} // namespace

// The receiving process cannot hold the fds of a frame (RLIMIT_NOFILE): the
// kernel truncates them (MSG_CTRUNC); the receive fails with fds_truncated,
// nothing crashes, and every fd that did arrive is closed.
BOOST_AUTO_TEST_CASE(fd_table_full_gives_fds_truncated)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        std::vector<unique_fd> files;
        std::vector<int> fds;
        for (int i = 0; i < 40; ++i)
        {
            files.push_back(make_memfd("t"));
            fds.push_back(files.back().get());
        }
        ch.send(asio::buffer(std::string_view("forty fds")), fds);
        ch.send(asio::buffer(std::string_view("after")));
        return 0;
    });
    theirs.reset();
    child.wait_success(); // both frames wait in our socket buffer

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    // No receive before the limit is lowered: one read would already take
    // the fds in.
    raw_message msg;
    error_code ec;
    const std::size_t open_before = count_open_fds();
    {
        rlimit_restorer restore;
        // The limit bounds fd numbers, and new fds take the lowest free
        // numbers: pick the limit that leaves exactly 3 free numbers below it
        // (fds above it, inherited from our own parent, stay open).
        const std::vector<int> open = list_open_fds();
        rlim_t limit = 0;
        for (std::size_t free_below = 0; free_below < 3; ++limit)
            if (!std::binary_search(open.begin(), open.end(), static_cast<int>(limit)))
                ++free_below;
        rlimit lim = restore.saved;
        lim.rlim_cur = limit;
        BOOST_TEST_MESSAGE("RLIMIT_NOFILE lowered to " << limit << " with " << open.size() << " fds open");
        BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &lim) == 0);
        ec = receive_one(ioc, ch, msg);
        BOOST_TEST(ec == code(unix_ipc::error::fds_truncated), ec.message());
        BOOST_TEST(msg.fds.empty());
    }
    // The 3 fds that did arrive were closed with the receive side.
    BOOST_TEST(count_open_fds() == open_before);
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::fds_truncated), "next receive: " << ec.message());
    // The process can still open files.
    unique_fd probe = make_memfd("probe");
    BOOST_TEST(static_cast<bool>(probe));
}

// Sending to a peer process that has exited: error::eof, sync and async, and
// no SIGPIPE (MSG_NOSIGNAL) even where SIGPIPE keeps its default action.
BOOST_AUTO_TEST_CASE(send_to_exited_peer_gives_eof_without_sigpipe)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    child_process peer = fork_child([&, &mine = mine] {
        mine.reset();
        return 0;
    });
    theirs.reset();
    peer.wait_success();

    // In a child whose SIGPIPE is SIG_DFL: a missing MSG_NOSIGNAL kills it.
    child_process sender = fork_child([&, &mine = mine] {
        ::signal(SIGPIPE, SIG_DFL);
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(mine));
        error_code ec;
        ch.send(asio::buffer(std::string_view("anyone?")), {}, ec);
        XPROC_CHILD_REQUIRE(ec == unix_ipc::error::eof);
        std::optional<error_code> r;
        ch.async_send(asio::buffer(std::string_view("anyone?")), [&](error_code e) { r = e; });
        ioc.run();
        XPROC_CHILD_REQUIRE(r && *r == unix_ipc::error::eof);
        return 0;
    });
    const int st = sender.wait();
    BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0), child_process::describe(st));

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    error_code ec;
    ch.send(asio::buffer(std::string_view("anyone?")), {}, ec);
    BOOST_TEST(ec == code(unix_ipc::error::eof), ec.message());
    std::optional<error_code> r;
    ch.async_send(asio::buffer(std::string_view("anyone?")), [&](error_code e) { r = e; });
    run_until(ioc, [&] { return r.has_value(); });
    BOOST_TEST(*r == code(unix_ipc::error::eof), r->message());
    // And a receive sees the end too.
    raw_message msg;
    ec = receive_one(ioc, ch, msg);
    BOOST_TEST(ec == code(unix_ipc::error::eof), ec.message());
}

BOOST_AUTO_TEST_SUITE_END()
