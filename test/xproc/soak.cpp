//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Soak: 100,000 frames from 4 sender processes at once, each with its own
// channel (one writer per socket end), each keeping several async_sends
// outstanding; every 10th frame carries two fds: the sender's identity memfd
// (the same file every time) and a new memfd holding "<sender>:<seq>". One
// receiver drives the 4 channels on one io_context and checks each sender's
// order, every payload byte, the identity of every fd and the content of
// every new one, and that no fd is left open.

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_channel.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;
using unix_ipc_test::file_id;
using unix_ipc_test::file_identity;

namespace {

constexpr int senders = 4;
constexpr int frames_per_sender = 25000;
constexpr int window = 16; // async_sends outstanding per sender

// Frame i of sender s: "<s>:<i>:" then a filler whose length and bytes depend on both.
std::string payload(int s, int i)
{
    std::string p = std::to_string(s) + ":" + std::to_string(i) + ":";
    p.append(static_cast<std::size_t>((i * 37 + s * 11) % 300), static_cast<char>('a' + (i + s) % 26));
    return p;
}

bool carries_fds(int i) { return i % 10 == 0; }

int run_sender(int s, unique_fd socket)
{
    asio::io_context ioc;
    raw_channel ch(ioc, std::move(socket));
    const unique_fd identity = make_memfd("sender " + std::to_string(s));
    XPROC_CHILD_REQUIRE(identity);
    std::vector<std::string> payloads(frames_per_sender);
    int sent = 0;
    int done = 0;
    bool failed = false;
    std::function<void()> pump = [&] {
        while (!failed && sent < frames_per_sender && sent - done < window)
        {
            const int i = sent++;
            payloads[i] = payload(s, i);
            auto on_sent = [&, i](error_code ec) {
                if (ec)
                {
                    std::fprintf(stderr, "sender %d: frame %d: %s\n", s, i, ec.message().c_str());
                    failed = true;
                }
                std::string().swap(payloads[i]);
                ++done;
                pump();
            };
            if (carries_fds(i))
            {
                // The channel copies the fds when the send starts: the new
                // memfd can be closed at once.
                const unique_fd fresh = make_memfd(std::to_string(s) + ":" + std::to_string(i));
                XPROC_CHILD_REQUIRE(fresh);
                const int fds[] = {identity.get(), fresh.get()};
                ch.async_send(asio::buffer(payloads[i]), fds, on_sent);
            }
            else
                ch.async_send(asio::buffer(payloads[i]), on_sent);
        }
    };
    pump();
    ioc.run();
    XPROC_CHILD_REQUIRE(!failed);
    XPROC_CHILD_REQUIRE(done == frames_per_sender);
    return 0; // the channel closes: the receiver sees eof after the last frame
}

struct sender_state
{
    int next = 0;
    std::optional<file_identity> identity;
    std::optional<error_code> end;
    std::string bad;
};

} // namespace

BOOST_AUTO_TEST_SUITE(xproc_soak)

BOOST_AUTO_TEST_CASE(four_senders_100000_frames_with_fds)
{
    fd_leak_checker leaks;
    const auto start = std::chrono::steady_clock::now();
    std::array<std::pair<unique_fd, unique_fd>, senders> pairs;
    for (auto& p : pairs)
        p = socket_pair();
    std::vector<child_process> children;
    for (int s = 0; s < senders; ++s)
    {
        children.push_back(fork_child(
            [&, s] {
                unique_fd mine = std::move(pairs[s].second);
                for (auto& p : pairs)
                {
                    p.first.reset();
                    p.second.reset();
                }
                return run_sender(s, std::move(mine));
            },
            60));
    }
    for (auto& p : pairs)
        p.second.reset();

    asio::io_context ioc;
    std::vector<raw_channel> channels;
    for (auto& p : pairs)
        channels.emplace_back(ioc, std::move(p.first));
    std::array<sender_state, senders> state;
    std::array<raw_message, senders> msgs;
    std::function<void(int)> receive = [&](int s) {
        channels[s].async_receive(msgs[s], [&, s](error_code ec) {
            sender_state& st = state[s];
            raw_message& m = msgs[s];
            if (ec)
            {
                st.end = ec;
                return;
            }
            const int i = st.next++;
            if (to_string(m.bytes) != payload(s, i))
                st.bad = "frame " + std::to_string(i) + ": payload out of order or damaged";
            else if (!carries_fds(i) && !m.fds.empty())
                st.bad = "frame " + std::to_string(i) + ": fds on a frame sent without";
            else if (carries_fds(i))
            {
                if (m.fds.size() != 2)
                    st.bad = "frame " + std::to_string(i) + ": " + std::to_string(m.fds.size()) + " fds, not 2";
                else
                {
                    const file_identity id = file_id(m.fds[0].get());
                    if (!st.identity)
                        st.identity = id;
                    if (id != *st.identity)
                        st.bad = "frame " + std::to_string(i) + ": another file as the sender's identity";
                    else if (read_fd(m.fds[1].get()) != std::to_string(s) + ":" + std::to_string(i))
                        st.bad = "frame " + std::to_string(i) + ": the new memfd is another sender's or frame's";
                }
            }
            m.fds.clear(); // closes them
            if (st.bad.empty())
                receive(s);
        });
    };
    for (int s = 0; s < senders; ++s)
        receive(s);
    auto finished = [&] {
        for (const auto& st : state)
            if (!st.end && st.bad.empty())
                return false;
        return true;
    };
    run_until(ioc, finished, std::chrono::seconds(60));
    for (int s = 0; s < senders; ++s)
    {
        BOOST_TEST_CONTEXT("sender " << s)
        {
            const sender_state& st = state[s];
            BOOST_TEST(st.bad.empty(), st.bad);
            BOOST_TEST(st.next == frames_per_sender);
            BOOST_TEST_REQUIRE(st.end.has_value());
            BOOST_TEST((*st.end == unix_ipc::error::eof), st.end->message());
            BOOST_TEST_REQUIRE(st.identity.has_value());
            for (int t = 0; t < s; ++t)
                BOOST_TEST((state[t].identity != st.identity), "senders " << t << " and " << s << " share a file");
        }
    }
    for (auto& c : children)
        c.wait_success(std::chrono::seconds(30));
    channels.clear();
    msgs = {};
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE(senders * frames_per_sender << " frames from " << senders << " processes in " << ms << " ms");
}

BOOST_AUTO_TEST_SUITE_END()
