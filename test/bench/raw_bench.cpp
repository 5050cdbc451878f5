//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Raw channel benchmark, two processes (fork), one single-threaded io_context
// each. Prints one line per scenario in the format of ../shared/bench, so its
// compare.awk and summarize.awk read both:
//   scenario=S impl=unix_ipc median_us=.. p99_us=.. ops_per_s=..   (round trips)
//   scenario=S impl=unix_ipc ops_per_s=.. GiB_s=..                  (streaming)
// and, for the ping-pong scenarios, impl=unix_ipc_sync: the synchronous calls.
// Usage: raw_bench [--scale X] [--filter TEXT]...

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>

#include <fcntl.h>
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
    std::fprintf(stderr, "raw_bench: %s: %s\n", what, ec.message().c_str());
    std::exit(1);
}

struct options
{
    double scale = 1.0;
    std::vector<std::string> filters;

    long n(long base, long min = 1) const { return std::max(min, long(double(base) * scale)); }

    bool want(const std::string& scenario, const std::string& impl) const
    {
        const std::string line = "scenario=" + scenario + " impl=" + impl + " ";
        return std::all_of(filters.begin(), filters.end(),
                           [&](const std::string& f) { return line.find(f) != std::string::npos; });
    }
};

std::string size_label(std::size_t n)
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        return std::to_string(n >> 20) + "MiB";
    if (n >= 1024 && n % 1024 == 0)
        return std::to_string(n >> 10) + "KiB";
    return std::to_string(n) + "B";
}

// Runs parent(channel) here and child(channel) in a forked process, each with
// its own io_context and its own end of a fresh channel pair.
void run_pair(const std::function<void(unix_ipc::raw_channel&, asio::io_context&)>& parent,
              const std::function<void(unix_ipc::raw_channel&, asio::io_context&)>& child)
{
    unix_ipc::unique_fd a, b;
    {
        asio::io_context tmp;
        auto p = unix_ipc::make_raw_channel_pair(tmp);
        a = p.first.release();
        b = p.second.release();
    }
    std::fflush(stdout);
    pid_t pid = ::fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0)
    {
        a.reset();
        asio::io_context ioc;
        unix_ipc::raw_channel ch(ioc, std::move(b));
        child(ch, ioc);
        std::fflush(stdout);
        std::_Exit(0);
    }
    b.reset();
    {
        asio::io_context ioc;
        unix_ipc::raw_channel ch(ioc, std::move(a));
        parent(ch, ioc);
    }
    int st = 0;
    if (::waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail("child failed");
}

void report_latency(const std::string& scen, const std::string& impl, std::vector<std::uint64_t>& ns,
                    std::uint64_t total)
{
    auto pct = [&](double p) {
        auto k = ns.begin() + long(p * double(ns.size() - 1));
        std::nth_element(ns.begin(), k, ns.end());
        return double(*k) / 1e3;
    };
    double med = pct(0.5), p99 = pct(0.99);
    std::printf("scenario=%s impl=%s median_us=%.2f p99_us=%.2f ops_per_s=%.0f\n", scen.c_str(), impl.c_str(),
                med, p99, double(ns.size()) * 1e9 / double(total));
    std::fflush(stdout);
}

// Ping-pong: the parent sends a frame (with nfds fds), the child echoes it back
// with the same number of fds; each received fd is closed when the next frame
// is received into the same raw_message.
void pingpong(const options& o, const std::string& scen, std::size_t payload, int nfds, long iters)
{
    const std::string impl = "unix_ipc";
    if (!o.want(scen, impl))
        return;
    const long warm = std::max(iters / 10, 1000L);
    auto endpoint = [&](unix_ipc::raw_channel& ch, asio::io_context& ioc, bool client) {
        std::vector<char> tx(payload, 'x');
        unix_ipc::unique_fd null_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        std::vector<int> fds(std::size_t(nfds), null_fd.get());
        unix_ipc::raw_message rx;
        std::vector<std::uint64_t> ns;
        ns.reserve(std::size_t(iters));
        long i = 0;
        std::uint64_t start = 0, t = 0;
        std::function<void()> step;
        auto on_sent = [](error_code ec) {
            if (ec)
                fail("send", ec);
        };
        std::function<void(error_code)> on_received = [&](error_code ec) {
            if (ec)
                fail("receive", ec);
            if (rx.bytes.size() != payload || rx.fds.size() != std::size_t(nfds))
                fail("wrong frame");
            if (client)
            {
                if (i >= warm)
                    ns.push_back(now_ns() - t);
                if (++i == warm + iters)
                    return;
                if (i == warm)
                    start = now_ns();
                t = now_ns();
                ch.async_send(asio::buffer(tx), fds, on_sent);
                ch.async_receive(rx, on_received);
            }
            else
            {
                ch.async_send(asio::buffer(tx), fds, on_sent);
                if (++i < warm + iters)
                    ch.async_receive(rx, on_received);
            }
        };
        if (client)
        {
            if (warm == 0)
                start = now_ns();
            t = now_ns();
            ch.async_send(asio::buffer(tx), fds, on_sent);
        }
        ch.async_receive(rx, on_received);
        ioc.run();
        if (client)
            report_latency(scen, impl, ns, now_ns() - start);
    };
    run_pair([&](unix_ipc::raw_channel& ch, asio::io_context& ioc) { endpoint(ch, ioc, true); },
             [&](unix_ipc::raw_channel& ch, asio::io_context& ioc) { endpoint(ch, ioc, false); });
}

// The same ping-pong with the synchronous calls (impl=unix_ipc_sync): send(),
// then receive() into the same raw_message, as a program without an event
// loop does.
void pingpong_sync(const options& o, const std::string& scen, std::size_t payload, long iters)
{
    const std::string impl = "unix_ipc_sync";
    if (!o.want(scen, impl))
        return;
    const long warm = std::max(iters / 10, 1000L);
    auto endpoint = [&](unix_ipc::raw_channel& ch, bool client) {
        std::vector<char> tx(payload, 'x');
        unix_ipc::raw_message rx;
        std::vector<std::uint64_t> ns;
        ns.reserve(std::size_t(iters));
        error_code ec;
        std::uint64_t start = 0;
        for (long i = 0; i < warm + iters; ++i)
        {
            if (client && i == warm)
                start = now_ns();
            const std::uint64_t t = now_ns();
            if (client)
                ch.send(asio::buffer(tx), {}, ec);
            if (!ec)
                ch.receive(rx, ec);
            if (!ec && !client)
                ch.send(asio::buffer(tx), {}, ec);
            if (ec)
                fail("sync ping-pong", ec);
            if (rx.bytes.size() != payload)
                fail("wrong frame");
            if (client && i >= warm)
                ns.push_back(now_ns() - t);
        }
        if (client)
            report_latency(scen, impl, ns, now_ns() - start);
    };
    run_pair([&](unix_ipc::raw_channel& ch, asio::io_context&) { endpoint(ch, true); },
             [&](unix_ipc::raw_channel& ch, asio::io_context&) { endpoint(ch, false); });
}

// Streaming: the parent sends `count` frames back to back, at most `window`
// outstanding, and waits for a 1-byte frame the child sends after the last.
void stream(const options& o, std::size_t size, long count)
{
    const std::string scen = "stream_" + size_label(size);
    const std::string impl = "unix_ipc";
    if (!o.want(scen, impl))
        return;
    const long warm = std::max(count / 10, 2L);
    const long window = 64;
    auto sender = [&](unix_ipc::raw_channel& ch, asio::io_context& ioc) {
        std::vector<char> tx(size, 'x');
        auto burst = [&](long n) {
            long started = 0;
            std::function<void(error_code)> on_sent = [&](error_code ec) {
                if (ec)
                    fail("send", ec);
                if (started < n)
                {
                    ++started;
                    ch.async_send(asio::buffer(tx), on_sent);
                }
            };
            for (; started < std::min(n, window); ++started)
                ch.async_send(asio::buffer(tx), on_sent);
            unix_ipc::raw_message ack;
            ch.async_receive(ack, [](error_code ec) {
                if (ec)
                    fail("ack", ec);
            });
            ioc.restart();
            ioc.run();
        };
        burst(warm);
        std::uint64_t t = now_ns();
        burst(count);
        double s = double(now_ns() - t) / 1e9;
        std::printf("scenario=%s impl=%s ops_per_s=%.0f GiB_s=%.3f\n", scen.c_str(), impl.c_str(),
                    double(count) / s, double(count) * double(size) / s / double(1u << 30));
        std::fflush(stdout);
    };
    auto receiver = [&](unix_ipc::raw_channel& ch, asio::io_context& ioc) {
        unix_ipc::raw_message rx;
        for (long n : {warm, count})
        {
            long got = 0;
            std::function<void(error_code)> on_received = [&](error_code ec) {
                if (ec)
                    fail("receive", ec);
                if (rx.bytes.size() != size)
                    fail("wrong size");
                if (++got < n)
                    return ch.async_receive(rx, on_received);
                const char ack = 'a';
                ch.async_send(asio::buffer(&ack, 1), [](error_code ec) {
                    if (ec)
                        fail("ack", ec);
                });
            };
            ch.async_receive(rx, on_received);
            ioc.restart();
            ioc.run();
        }
    };
    run_pair(sender, receiver);
}

} // namespace

int main(int argc, char** argv)
{
    options o;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string k = argv[i];
        if (k == "--scale")
            o.scale = std::atof(argv[i + 1]);
        else if (k == "--filter")
            o.filters.push_back(argv[i + 1]);
        else
        {
            std::fprintf(stderr, "usage: %s [--scale X] [--filter TEXT]...\n", argv[0]);
            return 2;
        }
    }
    const long rt = o.n(50000);
    for (std::size_t payload : {std::size_t(8), std::size_t(64), std::size_t(4096)})
    {
        pingpong(o, "pingpong_" + size_label(payload), payload, 0, rt);
        pingpong_sync(o, "pingpong_" + size_label(payload), payload, rt);
    }
    for (int nfds : {1, 16})
        pingpong(o, "fdpass_" + std::to_string(nfds) + "fd", 8, nfds, rt / 2);
    for (std::size_t size : {std::size_t(64), std::size_t(4) << 10, std::size_t(64) << 10, std::size_t(1) << 20,
                             std::size_t(16) << 20})
        stream(o, size, o.n(std::clamp(long((std::size_t(1) << 30) / size), 64L, 200000L), 8));
}
