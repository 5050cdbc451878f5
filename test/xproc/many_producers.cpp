//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Collecting from many producers the right way: each producer connects to the
// consumer's acceptor and writes on its own connection, so every socket end
// has one writer. Big frames (which the kernel splits) and small ones, sent
// by all producers at once, arrive whole, in each producer's order, named by
// the producer's pid. (raw_channel.adoc, "One writer per socket end",
// includes the consumer's loop from this file.)

#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/raw_channel.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <list>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_acceptor;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;

namespace {

constexpr std::uint32_t producer_count = 4;
constexpr std::uint32_t frames_per_producer = 48;

// Every other frame is big: 200 KiB does not fit one write of the socket, so
// the kernel splits it (the case that interleaves on a shared end).
std::size_t frame_size(std::uint32_t producer, std::uint32_t seq)
{
    if (seq % 2 == 0)
        return 200 * 1024 + seq;
    return 8 + (seq * 37 + producer * 11) % 300;
}

unsigned char pattern(std::uint32_t producer, std::uint32_t seq, std::size_t i)
{
    return static_cast<unsigned char>((i * 7 + seq * 13 + producer * 101) % 251);
}

// A frame: the producer's number and the sequence number, then the pattern.
void fill(std::vector<unsigned char>& frame, std::uint32_t producer, std::uint32_t seq)
{
    frame.resize(frame_size(producer, seq));
    std::memcpy(frame.data(), &producer, 4);
    std::memcpy(frame.data() + 4, &seq, 4);
    for (std::size_t i = 8; i < frame.size(); ++i)
        frame[i] = pattern(producer, seq, i);
}

// A private directory for the socket, removed at scope exit.
struct temp_dir
{
    std::string path;
    temp_dir()
    {
        char tmpl[] = "/tmp/unix_ipc_many_producers_XXXXXX";
        BOOST_TEST_REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~temp_dir()
    {
        ::unlink((path + "/sock").c_str());
        ::rmdir(path.c_str());
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(xproc_many_producers)

// Four forked producers connect to one acceptor and, all at once, each send
// 48 frames (24 of 200 KiB, 24 small) with sequence numbers. The consumer
// receives on all connections on one io_context: every frame is whole, each
// producer's frames come in order on its own connection, that connection's
// peer_credentials() and every frame's sender name the producer's pid, and
// no fd is left open.
BOOST_AUTO_TEST_CASE(producers_on_own_connections_deliver_whole_ordered_frames_named_by_pid)
{
    fd_leak_checker leaks;
    temp_dir dir;
    const std::string path = dir.path + "/sock";

    asio::io_context ioc;
    raw_acceptor acceptor(ioc, path);

    // The producers start writing together, when the parent closes the write
    // end of this pipe (their reads see end of file).
    auto [go_r, go_w] = unix_ipc_test::make_pipe();
    std::map<pid_t, std::uint32_t> producer_of_pid;
    std::vector<child_process> children;
    for (std::uint32_t p = 0; p < producer_count; ++p)
    {
        children.push_back(fork_child([&, p, &go_r = go_r, &go_w = go_w] {
            go_w.reset();
            asio::io_context cioc; // our own: the parent's belongs to the parent
            raw_channel ch(cioc);
            ch.connect(path); // its own connection: one writer on this end
            char c;
            XPROC_CHILD_REQUIRE(::read(go_r.get(), &c, 1) == 0);
            std::vector<unsigned char> frame;
            for (std::uint32_t seq = 0; seq < frames_per_producer; ++seq)
            {
                fill(frame, p, seq);
                ch.send(asio::buffer(frame));
            }
            return 0;
        }));
        producer_of_pid[children.back().pid()] = p;
    }
    go_r.reset();

    // What the consumer checks of each frame and of each producer's end.
    std::vector<std::string> problems;
    std::map<pid_t, std::uint32_t> next_seq;
    std::set<pid_t> finished;
    std::size_t frames = 0;
    auto consume = [&](pid_t producer, const raw_message& m) {
        auto it = producer_of_pid.find(producer);
        if (it == producer_of_pid.end())
            return problems.push_back("frame from unknown pid " + std::to_string(producer));
        const std::uint32_t p = it->second;
        const std::uint32_t seq = next_seq[producer]++;
        const std::string who = "producer " + std::to_string(p) + " frame " + std::to_string(seq);
        if (!m.sender || m.sender->pid != producer)
            problems.push_back(who + ": sender is not the producer");
        if (m.bytes.size() != frame_size(p, seq))
            return problems.push_back(who + ": " + std::to_string(m.bytes.size()) + " bytes, expected " +
                                      std::to_string(frame_size(p, seq)));
        std::uint32_t p_in, seq_in;
        std::memcpy(&p_in, m.bytes.data(), 4);
        std::memcpy(&seq_in, m.bytes.data() + 4, 4);
        if (p_in != p || seq_in != seq)
            return problems.push_back(who + ": holds producer " + std::to_string(p_in) + " frame " +
                                      std::to_string(seq_in));
        for (std::size_t i = 8; i < m.bytes.size(); ++i)
            if (static_cast<unsigned char>(m.bytes[i]) != pattern(p, seq, i))
                return problems.push_back(who + ": wrong byte at " + std::to_string(i));
        ++frames;
    };
    auto producer_done = [&](pid_t producer, error_code ec) {
        if (ec != code(unix_ipc::error::eof))
            problems.push_back("pid " + std::to_string(producer) + " ended with " + ec.message());
        finished.insert(producer);
    };

    // tag::many_producers[]
    // One connection per producer: each socket end has one writer.
    std::list<raw_channel> producers; // a list keeps each channel where it is
    std::function<void(raw_channel&, pid_t)> receive_next = [&](raw_channel& ch, pid_t producer) {
        ch.async_receive([&, producer](error_code ec, raw_message m) {
            if (ec) // error::eof once the producer has closed its end
                return producer_done(producer, ec);
            consume(producer, m); // a whole frame, from this producer
            receive_next(ch, producer);
        });
    };
    std::function<void()> accept_next = [&] {
        acceptor.async_accept([&](error_code ec, raw_channel ch) {
            if (ec) // operation_aborted once the acceptor is closed
                return;
            raw_channel& mine = producers.emplace_back(std::move(ch));
            receive_next(mine, mine.peer_credentials().pid); // the process that connected
            accept_next();
        });
    };
    accept_next();
    // end::many_producers[]

    run_until(ioc, [&] { return producers.size() == producer_count; });
    std::set<pid_t> connected;
    for (raw_channel& ch : producers)
    {
        connected.insert(ch.peer_credentials().pid);
        ch.set_pass_credentials(true); // before the producers write
    }
    std::set<pid_t> forked;
    for (auto& [pid, p] : producer_of_pid)
        forked.insert(pid);
    BOOST_TEST((connected == forked));
    acceptor.close();

    go_w.reset(); // go
    run_until(ioc, [&] { return finished.size() == producer_count || !problems.empty(); }, 20s);
    BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
    BOOST_TEST(frames == producer_count * frames_per_producer);
    for (auto& [pid, n] : next_seq)
        BOOST_TEST(n == frames_per_producer, "pid " << pid << ": " << n << " frames");
    for (auto& c : children)
        c.wait_success();

    producers.clear();
    ioc.restart();
    ioc.poll();
}

BOOST_AUTO_TEST_SUITE_END()
