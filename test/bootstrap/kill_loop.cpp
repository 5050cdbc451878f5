//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A streaming child SIGKILLed mid-stream, 50 times: the parent's receive ends
// with condition::peer_gone (never a hang: each run is bounded), every frame
// before it is whole and in order, the child is reaped (no zombie of ours in
// /proc) and no fd is left behind.

#include <boost/unix_ipc/bootstrap.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_message.hpp>

#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;
using bootstrap_test::child_binary;

namespace {

// The pids of this process's children that are zombies (state Z in /proc).
std::vector<pid_t> our_zombies()
{
    std::vector<pid_t> out;
    DIR* d = ::opendir("/proc");
    if (!d)
        return out;
    const pid_t self = ::getpid();
    while (dirent* e = ::readdir(d))
    {
        const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid <= 0)
            continue;
        std::ifstream f("/proc/" + std::string(e->d_name) + "/stat");
        std::string line;
        if (!std::getline(f, line))
            continue;
        // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
        const auto close = line.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream rest(line.substr(close + 1));
        char state = 0;
        pid_t ppid = 0;
        rest >> state >> ppid;
        if (ppid == self && state == 'Z')
            out.push_back(pid);
    }
    ::closedir(d);
    return out;
}

// The sequence number a stream frame starts with ("<i>:"), or -1.
long sequence_of(const std::vector<std::byte>& bytes)
{
    long v = 0;
    std::size_t i = 0;
    for (; i < bytes.size() && static_cast<char>(bytes[i]) != ':'; ++i)
    {
        const char c = static_cast<char>(bytes[i]);
        if (c < '0' || c > '9' || i > 18)
            return -1;
        v = v * 10 + (c - '0');
    }
    return i == 0 || i == bytes.size() ? -1 : v;
}

// What a memfd holds, read from offset 0.
std::string file_text(int fd)
{
    char buf[64];
    const ssize_t n = ::pread(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

} // namespace

BOOST_AUTO_TEST_SUITE(kill_loop)

BOOST_FIXTURE_TEST_CASE(sigkill_mid_stream_50_times, io_context_fixture)
{
    constexpr int rounds = 50;
    const std::size_t fds_before = count_open_fds();
    int mid_frame = 0;
    long frames_total = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round)
    {
        BOOST_TEST_CONTEXT("round " << round)
        {
            auto child = unix_ipc::spawn(ctx, child_binary(), {"stream"});
            const pid_t pid = child.id();
            BOOST_TEST_REQUIRE(pid > 0);
            // Kill after a number of frames that varies with the round.
            const long kill_after = 1 + (round * 7) % 23;
            long next = 0;
            bool killed = false;
            std::optional<error_code> end;
            std::string bad;
            unix_ipc::raw_message msg;
            std::function<void()> receive = [&] {
                child.channel().async_receive(msg, [&](error_code ec) {
                    if (ec)
                    {
                        end = ec;
                        return;
                    }
                    if (sequence_of(msg.bytes) != next)
                        bad = "frame " + std::to_string(next) + " out of order or damaged";
                    else if (next % 8 == 0 && (msg.fds.size() != 1 ||
                                               file_text(msg.fds[0].get()) != std::to_string(next)))
                        bad = "frame " + std::to_string(next) + " without its memfd";
                    else if (next % 8 != 0 && !msg.fds.empty())
                        bad = "frame " + std::to_string(next) + " with fds";
                    ++next;
                    if (!killed && next == kill_after)
                    {
                        // Mid-stream: the child is blocked in a send, or about to be.
                        killed = ::kill(pid, SIGKILL) == 0;
                    }
                    if (bad.empty())
                        receive();
                });
            };
            receive();
            run_until(ctx, [&] { return end.has_value() || !bad.empty(); }, std::chrono::seconds(10));
            BOOST_TEST_REQUIRE(bad.empty(), bad);
            BOOST_TEST(killed);
            BOOST_TEST((*end == unix_ipc::condition::peer_gone), end->message());
            if (*end == unix_ipc::error::unexpected_eof)
                ++mid_frame;
            frames_total += next;
            // The child died of the signal, and is reaped.
            BOOST_TEST(child.wait() == 128 + SIGKILL);
            BOOST_TEST(::waitpid(pid, nullptr, WNOHANG) == -1);
            BOOST_TEST(our_zombies().empty());
        }
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(our_zombies().empty());
    BOOST_TEST(count_open_fds() == fds_before);
    BOOST_TEST_MESSAGE(rounds << " children killed mid-stream in " << ms << " ms; " << frames_total
                              << " frames received, " << mid_frame << " streams ended inside a frame");
}

BOOST_AUTO_TEST_SUITE_END()
