//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Bytes and fds crossing between a forked child and the parent.

#include <boost/unix_ipc/raw_channel.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;

BOOST_AUTO_TEST_SUITE(xproc_transfer)

// The child opens a file, writes into it and sends the open fd; the parent
// reads the file through the fd it received.
BOOST_AUTO_TEST_CASE(file_from_child_is_readable_in_parent)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();
    const std::string text = "written by the child";

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        char path[] = "/tmp/unix_ipc_xproc_XXXXXX";
        unique_fd file(::mkstemp(path));
        XPROC_CHILD_REQUIRE(file);
        ::unlink(path);
        XPROC_CHILD_REQUIRE(::write(file.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        const int fds[] = {file.get()};
        ch.send(asio::buffer(std::string_view("a file")), fds);
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    std::optional<error_code> result;
    raw_message msg;
    ch.async_receive([&](error_code ec, raw_message m) {
        result = ec;
        msg = std::move(m);
    });
    run_until(ioc, [&] { return result.has_value(); });
    BOOST_TEST_REQUIRE(!*result, result->message());
    BOOST_TEST(to_string(msg.bytes) == "a file");
    BOOST_TEST_REQUIRE(msg.fds.size() == 1u);
    BOOST_TEST(read_fd(msg.fds[0].get()) == text);
    // The fd arrived close-on-exec (MSG_CMSG_CLOEXEC).
    BOOST_TEST((::fcntl(msg.fds[0].get(), F_GETFD) & FD_CLOEXEC) != 0);
    child.wait_success();
}

// 1000 round trips, both directions carrying bytes and an fd, on an
// io_context created before the fork (notify_fork on both sides).
BOOST_AUTO_TEST_CASE(ping_pong_1000_round_trips_with_fds)
{
    fd_leak_checker leaks;
    constexpr int rounds = 1000;
    asio::io_context ioc;
    auto [parent_end, child_end] = unix_ipc::make_raw_channel_pair(ioc);

    ioc.notify_fork(asio::execution_context::fork_prepare);
    child_process child = fork_child([&, &parent_end = parent_end, &child_end = child_end] {
        ioc.notify_fork(asio::execution_context::fork_child);
        parent_end.close();
        int served = 0;
        bool failed = false;
        raw_message in;
        std::string reply;
        std::function<void()> next = [&] {
            child_end.async_receive(in, [&](error_code ec) {
                if (ec == unix_ipc::error::eof)
                    return; // the parent is done
                if (ec || in.fds.size() != 1 || to_string(in.bytes) != "ping " + std::to_string(served))
                {
                    std::fprintf(stderr, "child: bad ping %d: %s\n", served, ec.message().c_str());
                    failed = true;
                    return;
                }
                const std::uint64_t v = static_cast<std::uint64_t>(served) * 7 + 1;
                if (::pwrite(in.fds[0].get(), &v, sizeof v, 0) != sizeof v)
                {
                    failed = true;
                    return;
                }
                reply = "pong " + std::to_string(served);
                const int fds[] = {in.fds[0].get()};
                child_end.async_send(asio::buffer(reply), fds, [&](error_code ec2) {
                    if (ec2)
                    {
                        failed = true;
                        return;
                    }
                    ++served;
                    next();
                });
            });
        };
        next();
        ioc.run();
        XPROC_CHILD_REQUIRE(!failed);
        XPROC_CHILD_REQUIRE(served == rounds);
        return 0;
    });
    ioc.notify_fork(asio::execution_context::fork_parent);
    child_end.close();

    unique_fd file = make_memfd("");
    BOOST_TEST_REQUIRE(static_cast<bool>(file));
    int done = 0;
    std::string ping;
    raw_message in;
    error_code failure;
    std::string bad;
    std::function<void()> round = [&] {
        ping = "ping " + std::to_string(done);
        const int fds[] = {file.get()};
        parent_end.async_send(asio::buffer(ping), fds, [&](error_code ec) {
            if (ec)
                return void(failure = ec);
            parent_end.async_receive(in, [&](error_code ec2) {
                if (ec2)
                    return void(failure = ec2);
                std::uint64_t v = 0;
                if (to_string(in.bytes) != "pong " + std::to_string(done))
                    bad = "payload: " + to_string(in.bytes);
                else if (in.fds.size() != 1 || !same_file(in.fds[0].get(), file.get()))
                    bad = "fd is not the file sent";
                else if (::pread(file.get(), &v, sizeof v, 0) != sizeof v ||
                         v != static_cast<std::uint64_t>(done) * 7 + 1)
                    bad = "file content " + std::to_string(v) + " at round " + std::to_string(done);
                if (!bad.empty())
                    return;
                if (++done < rounds)
                    round();
            });
        });
    };
    round();
    run_until(ioc, [&] { return done == rounds || failure || !bad.empty(); }, 20s);
    BOOST_TEST(!failure, failure.message());
    BOOST_TEST(bad.empty(), bad);
    BOOST_TEST(done == rounds);
    parent_end.close();
    in = raw_message();
    child.wait_success();
}

// One frame with 300 fds (two sendmsg batches) from the child.
BOOST_AUTO_TEST_CASE(three_hundred_fds_in_one_frame)
{
    fd_leak_checker leaks;
    constexpr int count = 300;
    auto [mine, theirs] = socket_pair();

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        std::vector<unique_fd> files;
        std::vector<int> fds;
        for (int i = 0; i < count; ++i)
        {
            files.push_back(make_memfd("file " + std::to_string(i)));
            XPROC_CHILD_REQUIRE(files.back());
            fds.push_back(files.back().get());
        }
        // Once with a payload, once fds only.
        ch.send(asio::buffer(std::string_view("300 files")), fds);
        ch.send(asio::const_buffer(), fds);
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    for (const char* expected : {"300 files", ""})
    {
        BOOST_TEST_CONTEXT("frame \"" << expected << "\"")
        {
            std::optional<error_code> result;
            raw_message msg;
            ch.async_receive([&](error_code ec, raw_message m) {
                result = ec;
                msg = std::move(m);
            });
            run_until(ioc, [&] { return result.has_value(); });
            BOOST_TEST_REQUIRE(!*result, result->message());
            BOOST_TEST(to_string(msg.bytes) == expected);
            BOOST_TEST_REQUIRE(msg.fds.size() == std::size_t(count));
            int wrong = 0;
            for (int i = 0; i < count; ++i)
                if (read_fd(msg.fds[i].get()) != "file " + std::to_string(i))
                    ++wrong;
            BOOST_TEST(wrong == 0);
        }
    }
    child.wait_success();
}

namespace {

std::vector<unsigned char> pattern(std::size_t size, std::uint32_t seed)
{
    std::vector<unsigned char> v(size);
    std::uint32_t x = seed * 2654435761u + 1;
    for (auto& c : v)
    {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<unsigned char>(x);
    }
    return v;
}

} // namespace

// 64 MiB each way, content checked on both sides.
BOOST_AUTO_TEST_CASE(payload_64_mib)
{
    fd_leak_checker leaks;
    constexpr std::size_t size = std::size_t(64) << 20;
    auto [mine, theirs] = socket_pair();

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        {
            const auto data = pattern(size, 1);
            ch.send(asio::buffer(data));
        }
        raw_message back = ch.receive();
        const auto expected = pattern(size, 2);
        XPROC_CHILD_REQUIRE(back.bytes.size() == size);
        XPROC_CHILD_REQUIRE(std::memcmp(back.bytes.data(), expected.data(), size) == 0);
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    std::optional<error_code> result;
    raw_message msg;
    ch.async_receive(msg, [&](error_code ec) { result = ec; });
    run_until(ioc, [&] { return result.has_value(); }, 15s);
    BOOST_TEST_REQUIRE(!*result, result->message());
    BOOST_TEST_REQUIRE(msg.bytes.size() == size);
    {
        const auto expected = pattern(size, 1);
        BOOST_TEST(std::memcmp(msg.bytes.data(), expected.data(), size) == 0);
    }
    msg = raw_message();

    const auto data = pattern(size, 2);
    std::optional<error_code> sent;
    ch.async_send(asio::buffer(data), [&](error_code ec) { sent = ec; });
    run_until(ioc, [&] { return sent.has_value(); }, 15s);
    BOOST_TEST(!*sent, sent->message());
    child.wait_success(15s);
}

// Zero-length frames and frames that carry fds but no payload, mixed with
// ordinary ones, in both directions.
BOOST_AUTO_TEST_CASE(zero_length_and_fd_only_frames)
{
    fd_leak_checker leaks;
    auto [mine, theirs] = socket_pair();

    // (payload, number of fds) in sending order; fd k of a frame holds "<frame>.<k>".
    static const std::vector<std::pair<std::string, int>> frames = {
        {"", 0}, {"", 1}, {"x", 0}, {"", 0}, {"", 3}, {"", 0}, {"", 0}, {"", 253}, {"", 254}, {"end", 1}};

    const auto send_all = [](raw_channel& ch) {
        for (std::size_t f = 0; f < frames.size(); ++f)
        {
            std::vector<unique_fd> files;
            std::vector<int> fds;
            for (int k = 0; k < frames[f].second; ++k)
            {
                files.push_back(make_memfd(std::to_string(f) + "." + std::to_string(k)));
                fds.push_back(files.back().get());
            }
            ch.send(asio::buffer(frames[f].first), fds);
        }
    };
    // Returns an empty string or what was wrong.
    const auto check = [](std::size_t f, const raw_message& m) -> std::string {
        if (to_string(m.bytes) != frames[f].first)
            return "payload of frame " + std::to_string(f);
        if (m.fds.size() != std::size_t(frames[f].second))
            return "fd count of frame " + std::to_string(f) + ": " + std::to_string(m.fds.size());
        for (std::size_t k = 0; k < m.fds.size(); ++k)
            if (read_fd(m.fds[k].get()) != std::to_string(f) + "." + std::to_string(k))
                return "fd " + std::to_string(k) + " of frame " + std::to_string(f);
        return {};
    };

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        send_all(ch);
        for (std::size_t f = 0; f < frames.size(); ++f)
        {
            raw_message m = ch.receive();
            const std::string what = check(f, m);
            if (!what.empty())
                std::fprintf(stderr, "child: %s\n", what.c_str());
            XPROC_CHILD_REQUIRE(what.empty());
        }
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    std::size_t received = 0;
    std::optional<error_code> failure;
    std::vector<std::string> problems;
    raw_message msg;
    std::function<void()> next = [&] {
        ch.async_receive(msg, [&](error_code ec) {
            if (ec)
                return void(failure = ec);
            std::string what = check(received, msg);
            if (!what.empty())
                problems.push_back(what);
            if (++received < frames.size())
                next();
        });
    };
    next();
    run_until(ioc, [&] { return received == frames.size() || failure.has_value(); });
    BOOST_TEST(!failure.has_value(), (failure ? failure->message() : ""));
    BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
    msg = raw_message();
    send_all(ch);
    child.wait_success();
}

// Eight coroutines in the child send concurrently on one channel (their sends
// queue); the parent checks every frame is whole and each sender's frames
// arrive in order.
BOOST_AUTO_TEST_CASE(eight_concurrent_senders)
{
    fd_leak_checker leaks;
    constexpr int senders = 8;
    constexpr int per_sender = 150;
    auto [mine, theirs] = socket_pair();

    // Frame (s, i): header "s i", then a pattern whose size varies from tiny
    // to larger than the socket buffer; every 5th frame carries a memfd
    // holding "s/i".
    const auto size_of = [](int s, int i) -> std::size_t {
        return (i % 10 == 9) ? std::size_t(300000) + s : std::size_t((s * 131 + i * 17) % 2000);
    };
    const auto body_of = [&](int s, int i) {
        std::string b = std::to_string(s) + " " + std::to_string(i) + " ";
        const auto p = pattern(size_of(s, i), static_cast<std::uint32_t>(s * 1000 + i));
        b.append(p.begin(), p.end());
        return b;
    };

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        int finished = 0;
        bool failed = false;
        // Plus a burst of callback sends started at once, all outstanding
        // together before the coroutines run.
        std::vector<std::string> burst;
        for (int i = 0; i < 50; ++i)
            burst.push_back("burst " + std::to_string(i));
        int burst_done = 0;
        for (auto& b : burst)
            ch.async_send(asio::buffer(b), [&](error_code ec) {
                if (ec)
                    failed = true;
                ++burst_done;
            });
        for (int s = 0; s < senders; ++s)
        {
            asio::spawn(ioc, [&, s](asio::yield_context yield) {
                for (int i = 0; i < per_sender; ++i)
                {
                    const std::string b = body_of(s, i);
                    error_code ec;
                    if (i % 5 == 0)
                    {
                        unique_fd f = make_memfd(std::to_string(s) + "/" + std::to_string(i));
                        const int fds[] = {f.get()};
                        ch.async_send(asio::buffer(b), fds, yield[ec]);
                    }
                    else
                        ch.async_send(asio::buffer(b), yield[ec]);
                    if (ec)
                    {
                        std::fprintf(stderr, "child: sender %d frame %d: %s\n", s, i, ec.message().c_str());
                        failed = true;
                        return;
                    }
                }
                ++finished;
            }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
        }
        ioc.run();
        XPROC_CHILD_REQUIRE(!failed);
        XPROC_CHILD_REQUIRE(finished == senders);
        XPROC_CHILD_REQUIRE(burst_done == 50);
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    std::array<int, senders> next_seq{};
    int bursts = 0;
    int total = 0;
    std::optional<error_code> failure;
    std::vector<std::string> problems;
    raw_message msg;
    std::function<void()> next = [&] {
        ch.async_receive(msg, [&](error_code ec) {
            if (ec)
                return void(failure = ec);
            ++total;
            const std::string text = to_string(msg.bytes);
            if (text.rfind("burst ", 0) == 0)
            {
                if (text != "burst " + std::to_string(bursts) || !msg.fds.empty())
                    problems.push_back("burst frame out of order: " + text);
                ++bursts;
            }
            else
            {
                int s = -1, i = -1;
                if (std::sscanf(text.c_str(), "%d %d", &s, &i) != 2 || s < 0 || s >= senders)
                    problems.push_back("unparsable frame of " + std::to_string(text.size()) + " bytes");
                else if (i != next_seq[s])
                    problems.push_back("sender " + std::to_string(s) + ": frame " + std::to_string(i) +
                                       " where " + std::to_string(next_seq[s]) + " was due");
                else
                {
                    ++next_seq[s];
                    if (text != body_of(s, i))
                        problems.push_back("content of frame " + std::to_string(s) + "/" + std::to_string(i));
                    const std::size_t want_fds = i % 5 == 0 ? 1 : 0;
                    if (msg.fds.size() != want_fds ||
                        (want_fds && read_fd(msg.fds[0].get()) != std::to_string(s) + "/" + std::to_string(i)))
                        problems.push_back("fds of frame " + std::to_string(s) + "/" + std::to_string(i));
                }
            }
            if (problems.empty() && total < senders * per_sender + 50)
                next();
        });
    };
    next();
    run_until(ioc, [&] { return total == senders * per_sender + 50 || failure || !problems.empty(); }, 20s);
    BOOST_TEST(!failure.has_value(), (failure ? failure->message() : ""));
    BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
    BOOST_TEST(bursts == 50);
    for (int s = 0; s < senders; ++s)
        BOOST_TEST(next_seq[s] == per_sender, "sender " << s);
    msg = raw_message();
    ch.close();
    child.wait_success(20s);
}

// Both processes send big frames to each other at the same time, with async
// sends and receives outstanding together: neither side may stall its reads
// behind its blocked writes.
BOOST_AUTO_TEST_CASE(full_duplex_big_frames)
{
    fd_leak_checker leaks;
    constexpr int frames = 4;
    constexpr std::size_t size = std::size_t(8) << 20;
    auto [mine, theirs] = socket_pair();

    // Sends `frames` frames of pattern(size, seed + i) and receives as many,
    // checking pattern(size, peer_seed + i); returns what went wrong, if anything.
    const auto duplex = [&](raw_channel& ch, asio::io_context& ioc, std::uint32_t seed, std::uint32_t peer_seed,
                            std::chrono::milliseconds timeout) -> std::string {
        std::vector<std::vector<unsigned char>> out;
        for (int i = 0; i < frames; ++i)
            out.push_back(pattern(size, seed + i));
        int sent = 0, received = 0;
        std::string problem;
        for (auto& o : out)
            ch.async_send(asio::buffer(o), [&](error_code ec) {
                if (ec)
                    problem = "send: " + ec.message();
                ++sent;
            });
        raw_message in;
        std::function<void()> next = [&] {
            ch.async_receive(in, [&](error_code ec) {
                if (ec)
                    return void(problem = "receive: " + ec.message());
                const auto expected = pattern(size, peer_seed + received);
                if (in.bytes.size() != size || std::memcmp(in.bytes.data(), expected.data(), size) != 0)
                    problem = "content of frame " + std::to_string(received);
                if (++received < frames)
                    next();
            });
        };
        next();
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while ((sent < frames || received < frames) && problem.empty() &&
               std::chrono::steady_clock::now() < deadline)
            ioc.run_one_for(100ms);
        if (problem.empty() && (sent < frames || received < frames))
            problem = "timed out: " + std::to_string(sent) + " sent, " + std::to_string(received) + " received";
        return problem;
    };

    child_process child = fork_child([&, &mine = mine, &theirs = theirs] {
        mine.reset();
        asio::io_context ioc;
        raw_channel ch(ioc, std::move(theirs));
        const std::string problem = duplex(ch, ioc, 100, 200, 15s);
        if (!problem.empty())
            std::fprintf(stderr, "child: %s\n", problem.c_str());
        XPROC_CHILD_REQUIRE(problem.empty());
        return 0;
    });
    theirs.reset();

    asio::io_context ioc;
    raw_channel ch(ioc, std::move(mine));
    const std::string problem = duplex(ch, ioc, 200, 100, 15s);
    BOOST_TEST(problem.empty(), problem);
    child.wait_success(15s);
}

BOOST_AUTO_TEST_SUITE_END()
