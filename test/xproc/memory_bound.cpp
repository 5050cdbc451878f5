//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Memory follows the bytes that arrived: a receiver holding many connections
// whose peers sent a header declaring the largest payload the limits allow,
// and then stalled, stays within a few tens of MiB of its baseline.

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/detail/frame.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/ioctl.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;

namespace {

// A field of /proc/self/status, in KiB (VmRSS, VmSize, ...).
std::size_t status_kib(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.compare(0, key.size(), key) == 0)
            return std::stoul(line.substr(key.size()));
    return 0;
}

std::size_t unread_bytes(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
}


// In the receiver child: a channel on each fd, a receive outstanding on each.
struct stalled_receivers
{
    asio::io_context ctx;
    std::vector<std::unique_ptr<raw_channel>> channels;
    std::vector<int> fds;
    std::vector<raw_message> msgs;
    std::size_t completed = 0, unexpected_eof = 0;
    std::chrono::steady_clock::time_point deadline;

    explicit stalled_receivers(std::vector<unique_fd>& theirs)
    {
        for (auto& fd : theirs)
        {
            fds.push_back(fd.get());
            channels.push_back(std::make_unique<raw_channel>(ctx, std::move(fd)));
        }
    }

    void start_receives()
    {
        msgs.resize(channels.size());
        for (std::size_t i = 0; i < channels.size(); ++i)
            channels[i]->async_receive(msgs[i], [this](error_code ec) {
                ++completed;
                if (ec == code(unix_ipc::error::unexpected_eof))
                    ++unexpected_eof;
            });
        deadline = std::chrono::steady_clock::now() + 15s;
    }

    // Runs until every byte the peers sent is read: the receives must still
    // wait for more.
    void run_until_all_read()
    {
        for (;;)
        {
            ctx.run_for(10ms);
            bool all_read = true;
            for (int fd : fds)
                all_read = all_read && unread_bytes(fd) == 0;
            if (all_read)
                break;
            XPROC_CHILD_REQUIRE(std::chrono::steady_clock::now() < deadline);
        }
        ctx.run_for(50ms);
        XPROC_CHILD_REQUIRE(completed == 0);
    }

    // The peers close: each receive ends, mid frame.
    void run_until_peers_gone()
    {
        while (completed < channels.size() && std::chrono::steady_clock::now() < deadline)
            ctx.run_for(10ms);
        XPROC_CHILD_REQUIRE(unexpected_eof == channels.size());
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(xproc_memory_bound)

BOOST_AUTO_TEST_CASE(stalled_maximal_headers_cost_no_payload_memory)
{
    constexpr std::size_t connections = 200;
    constexpr std::size_t first_bytes = 1000; // of payload, after each header
    fd_leak_checker leaks;

    std::vector<unique_fd> ours, theirs;
    for (std::size_t i = 0; i < connections; ++i)
    {
        auto sp = socket_pair();
        ours.push_back(std::move(sp.first));
        theirs.push_back(std::move(sp.second));
    }
    // The receiver reports its RSS growth (KiB) on this pipe.
    int report[2];
    BOOST_TEST_REQUIRE(::pipe2(report, O_CLOEXEC) == 0);
    unique_fd report_r(report[0]), report_w(report[1]);

    child_process receiver = fork_child(
        [&] {
            ours.clear();
            report_r.reset();
            // Headroom for what the connections may legitimately hold; a
            // receiver that committed each declared size would run out of
            // address space here (bad_alloc) instead of taking the machine.
            const rlim_t as = (rlim_t(status_kib("VmSize")) << 10) + (rlim_t(2) << 30);
            const rlimit rl{as, as};
            XPROC_CHILD_REQUIRE(::setrlimit(RLIMIT_AS, &rl) == 0);

            const std::size_t baseline = status_kib("VmRSS");
            stalled_receivers r(theirs);
            r.start_receives();
            // Every header and its first bytes read: the receives wait for more.
            r.run_until_all_read();
            const long long grown = static_cast<long long>(status_kib("VmRSS")) - static_cast<long long>(baseline);
            XPROC_CHILD_REQUIRE(::write(report_w.get(), &grown, sizeof(grown)) == sizeof(grown));
            report_w.reset();
            r.run_until_peers_gone();
            return 0;
        },
        30);
    theirs.clear();
    report_w.reset();

    // Each connection: a header declaring the largest payload the receiver
    // accepts, a few bytes of it, and then nothing.
    const std::uint64_t declared = unix_ipc::receive_limits{}.max_payload_size;
    std::vector<unsigned char> frame(unix_ipc::detail::frame_header_size + first_bytes, 0x5a);
    unix_ipc::detail::encode_header(frame.data(), 0, declared);
    for (auto& fd : ours)
        BOOST_TEST_REQUIRE(send_raw(fd.get(), frame.data(), frame.size()));

    long long grown_kib = -1;
    const ssize_t n = ::read(report_r.get(), &grown_kib, sizeof(grown_kib));
    ours.clear(); // the peers go away
    receiver.wait_success(20s);
    BOOST_TEST_REQUIRE(n == static_cast<ssize_t>(sizeof(grown_kib)));
    BOOST_TEST_MESSAGE(connections << " stalled connections, each declaring " << declared
                                   << " bytes: receiver RSS grew by " << grown_kib / 1024 << " MiB");
    // Per connection: its 64 KiB read buffer and one 64 KiB chunk of the
    // payload (hostile_input.adoc states the bound), plus 8 MiB in all for the
    // channels, the reactor and the allocator's bookkeeping. Declared sizes
    // committed would be 200 x 128 MiB.
    const long long bound_kib = static_cast<long long>(connections) * (64 + 64) + 8 * 1024;
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    // A sanitizer's shadow memory adds a multiple of every byte the program
    // touches to RSS: the bound is checked by the uninstrumented builds.
    BOOST_TEST_MESSAGE("sanitizer build: RSS bound of " << bound_kib / 1024 << " MiB not checked");
#else
    BOOST_TEST(grown_kib < bound_kib);
#endif
}

// A channel that delivered a big payload sets aside room for the next one of
// that size before its bytes arrive (address space, not memory). Its peer can
// then declare that size and stall: under an address-space limit that leaves
// no room for every such channel, the receiver falls back to growing with the
// bytes instead of throwing std::bad_alloc out of the event loop.
BOOST_AUTO_TEST_CASE(stalled_headers_after_big_payloads_fit_an_address_space_limit)
{
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    // A sanitizer's allocator aborts when the address-space limit stops it,
    // where malloc returns null and operator new throws std::bad_alloc: the
    // uninstrumented builds run this case.
    BOOST_TEST_MESSAGE("sanitizer build: the address-space limit case is not run");
    return;
#endif
    constexpr std::size_t connections = 8;
    constexpr std::size_t big = 32 * 1024 * 1024;
    constexpr std::size_t first_bytes = 1000;
    fd_leak_checker leaks;

    std::vector<unique_fd> ours, theirs;
    for (std::size_t i = 0; i < connections; ++i)
    {
        auto sp = socket_pair();
        ours.push_back(std::move(sp.first));
        theirs.push_back(std::move(sp.second));
    }
    // The receiver says on this pipe when it has read every stalled header.
    int ready[2];
    BOOST_TEST_REQUIRE(::pipe2(ready, O_CLOEXEC) == 0);
    unique_fd ready_r(ready[0]), ready_w(ready[1]);
    child_process receiver = fork_child(
        [&] {
            ours.clear();
            ready_r.reset();
            stalled_receivers r(theirs);
            // One big payload on each, received by value and dropped.
            for (auto& ch : r.channels)
            {
                error_code ec;
                const raw_message m = ch->receive(ec);
                XPROC_CHILD_REQUIRE(!ec && m.bytes.size() == big);
            }
            // Room for two of them at most from here on.
            const rlim_t as = (rlim_t(status_kib("VmSize")) << 10) + 2 * big + (16u << 20);
            const rlimit rl{as, as};
            XPROC_CHILD_REQUIRE(::setrlimit(RLIMIT_AS, &rl) == 0);
            r.start_receives();
            r.run_until_all_read(); // a bad_alloc escaping from the loop fails the child
            const char one = 1;
            XPROC_CHILD_REQUIRE(::write(ready_w.get(), &one, 1) == 1);
            ready_w.reset();
            r.run_until_peers_gone();
            return 0;
        },
        30);
    theirs.clear();
    ready_w.reset();

    std::vector<unsigned char> frame(unix_ipc::detail::frame_header_size + big, 0x5a);
    unix_ipc::detail::encode_header(frame.data(), 0, big);
    for (auto& fd : ours)
        BOOST_TEST_REQUIRE(send_raw(fd.get(), frame.data(), frame.size()));
    // The same header again, a few bytes of its payload, and nothing more.
    for (auto& fd : ours)
        BOOST_TEST_REQUIRE(send_raw(fd.get(), frame.data(), unix_ipc::detail::frame_header_size + first_bytes));
    // The receiver has read them all (or failed): the peers go away.
    char one = 0;
    const ssize_t n = ::read(ready_r.get(), &one, 1);
    ours.clear();
    BOOST_TEST(n == 1);
    receiver.wait_success(20s);
}

BOOST_AUTO_TEST_SUITE_END()
