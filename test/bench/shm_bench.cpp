//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Handing a large buffer to another process: a sealed shared_memory region
// sent as its fd over a raw channel and mapped by the receiver, against the
// same number of bytes copied through the raw channel. Two processes (fork),
// synchronous calls, one region or buffer filled once and handed over `runs`
// times. Prints one line per scenario:
//   scenario=shm_handover_S impl=unix_ipc median_us=.. min_us=.. max_us=.. runs=..
//     (send start in the parent to the region mapped in the child, read from
//      CLOCK_MONOTONIC on both sides; the child also reads the region's first
//      and last byte, after the clock)
//   scenario=shm_touch_S ...  (in the child: reading the first and the last byte after mapping)
//   scenario=shm_roundtrip_S ...  (send start to the child's answer received by the parent)
//   scenario=raw_copy_S impl=unix_ipc median_us=.. GiB_s=..
//     (send start to the whole payload received by the child)
//   scenario=shm_create_S ...  (shared_memory::create + seal: memfd, ftruncate, seals, mmap)
// Usage: shm_bench [--runs N] [--filter TEXT]...

#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/shared_memory.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;

namespace {

std::uint64_t now_ns()
{
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}

[[noreturn]] void fail(const char* what, const error_code& ec = {})
{
    std::fprintf(stderr, "shm_bench: %s: %s\n", what, ec.message().c_str());
    std::exit(1);
}

struct options
{
    int runs = 11;
    std::vector<std::string> filters;

    bool want(const std::string& scenario) const
    {
        const std::string line = "scenario=" + scenario + " ";
        return std::all_of(filters.begin(), filters.end(),
                           [&](const std::string& f) { return line.find(f) != std::string::npos; });
    }
};

std::string size_label(std::size_t n)
{
    if (n >= (std::size_t(1) << 30) && n % (std::size_t(1) << 30) == 0)
        return std::to_string(n >> 30) + "GiB";
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        return std::to_string(n >> 20) + "MiB";
    return std::to_string(n) + "B";
}

// Runs parent(channel) here and child(channel) in a forked process.
void run_pair(const std::function<void(unix_ipc::raw_channel&)>& parent,
              const std::function<void(unix_ipc::raw_channel&)>& child)
{
    unix_ipc::unique_fd a, b;
    {
        asio::io_context tmp;
        auto p = unix_ipc::make_raw_channel_pair(tmp);
        a = p.first.release();
        b = p.second.release();
    }
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0)
    {
        a.reset();
        asio::io_context ioc;
        unix_ipc::raw_channel ch(ioc, std::move(b));
        child(ch);
        std::fflush(stdout);
        std::_Exit(0);
    }
    b.reset();
    {
        asio::io_context ioc;
        unix_ipc::raw_channel ch(ioc, std::move(a));
        parent(ch);
    }
    int st = 0;
    if (::waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail("child failed");
}

void report(const std::string& scen, std::vector<double> us, std::size_t bytes = 0)
{
    std::sort(us.begin(), us.end());
    const double med = us[us.size() / 2];
    std::printf("scenario=%s impl=unix_ipc median_us=%.1f min_us=%.1f max_us=%.1f runs=%zu", scen.c_str(), med,
                us.front(), us.back(), us.size());
    if (bytes)
        std::printf(" GiB_s=%.3f", double(bytes) / (med / 1e6) / double(std::size_t(1) << 30));
    std::printf("\n");
    std::fflush(stdout);
}

// The child's answer: when it had the region mapped, and a byte it read.
struct answer
{
    std::uint64_t mapped_ns;
    std::uint64_t read_ns; // after reading the first and the last byte
    std::uint64_t checked;
};

void shm_handover(const options& o, std::size_t size)
{
    const std::string label = size_label(size);
    if (!o.want("shm_handover_" + label) && !o.want("shm_roundtrip_" + label) && !o.want("shm_create_" + label) &&
        !o.want("shm_touch_" + label))
        return;
    std::vector<double> one_way, round_trip, create, touch;
    run_pair(
        [&](unix_ipc::raw_channel& ch) {
            for (int i = 0; i < o.runs; ++i)
            {
                std::uint64_t t = now_ns();
                unix_ipc::shared_memory m = unix_ipc::shared_memory::create(size);
                m.seal(unix_ipc::shared_memory::access::read_write);
                create.push_back(double(now_ns() - t) / 1e3);
                m.writable_data()[0] = std::byte{1};
                m.writable_data()[size - 1] = std::byte{2};
                const int fd = m.native_handle();
                const std::uint64_t s64 = size;
                t = now_ns();
                ch.send(asio::buffer(&s64, sizeof s64), boost::span<const int>(&fd, 1));
                unix_ipc::raw_message r = ch.receive();
                const std::uint64_t back = now_ns();
                answer a{};
                if (r.bytes.size() != sizeof a)
                    fail("answer");
                std::memcpy(&a, r.bytes.data(), sizeof a);
                if (a.checked != 3)
                    fail("content");
                one_way.push_back(double(a.mapped_ns - t) / 1e3);
                touch.push_back(double(a.read_ns - a.mapped_ns) / 1e3);
                round_trip.push_back(double(back - t) / 1e3);
            }
        },
        [&](unix_ipc::raw_channel& ch) {
            for (int i = 0; i < o.runs; ++i)
            {
                unix_ipc::raw_message msg = ch.receive();
                if (msg.fds.size() != 1)
                    fail("no fd");
                unix_ipc::shared_memory m(std::move(msg.fds[0]));
                answer a{now_ns(), 0, 0};
                a.checked = std::to_integer<std::uint64_t>(m.data()[0]) + std::to_integer<std::uint64_t>(m.data()[m.size() - 1]);
                a.read_ns = now_ns();
                ch.send(asio::buffer(&a, sizeof a));
            }
        });
    if (o.want("shm_create_" + label))
        report("shm_create_" + label, create);
    if (o.want("shm_handover_" + label))
        report("shm_handover_" + label, one_way);
    if (o.want("shm_touch_" + label))
        report("shm_touch_" + label, touch);
    if (o.want("shm_roundtrip_" + label))
        report("shm_roundtrip_" + label, round_trip);
}

void raw_copy(const options& o, std::size_t size)
{
    const std::string scen = "raw_copy_" + size_label(size);
    if (!o.want(scen))
        return;
    unix_ipc::receive_limits limits;
    limits.max_payload_size = size;
    std::vector<double> us;
    run_pair(
        [&](unix_ipc::raw_channel& ch) {
            std::vector<char> tx(size, 'x');
            for (int i = 0; i < o.runs; ++i)
            {
                const std::uint64_t t = now_ns();
                ch.send(asio::buffer(tx));
                unix_ipc::raw_message r = ch.receive();
                std::uint64_t got;
                if (r.bytes.size() != sizeof got)
                    fail("answer");
                std::memcpy(&got, r.bytes.data(), sizeof got);
                us.push_back(double(got - t) / 1e3);
            }
        },
        [&](unix_ipc::raw_channel& ch) {
            ch.set_limits(limits);
            unix_ipc::raw_message msg; // reused: its buffer is warm after the first run
            for (int i = 0; i < o.runs; ++i)
            {
                error_code ec;
                ch.receive(msg, ec);
                if (ec)
                    fail("receive", ec);
                const std::uint64_t t = now_ns();
                if (msg.bytes.size() != size)
                    fail("size");
                ch.send(asio::buffer(&t, sizeof t));
            }
        });
    report(scen, us, size);
}

} // namespace

int main(int argc, char** argv)
{
    options o;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        const std::string k = argv[i];
        if (k == "--runs")
            o.runs = std::max(1, std::atoi(argv[i + 1]));
        else if (k == "--filter")
            o.filters.push_back(argv[i + 1]);
        else
        {
            std::fprintf(stderr, "usage: %s [--runs N] [--filter TEXT]...\n", argv[0]);
            return 2;
        }
    }
    for (std::size_t size : {std::size_t(1) << 20, std::size_t(64) << 20, std::size_t(1) << 30})
        shm_handover(o, size);
    raw_copy(o, std::size_t(1) << 30);
}
