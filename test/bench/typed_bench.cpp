//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Typed channel ping-pong between two processes (fork), one single-threaded
// io_context each, in the output format of ../shared/bench:
//   scenario=S impl=unix_ipc_typed median_us=.. p99_us=.. ops_per_s=..
// pingpong_{8B,64B,4KiB}: a std::vector<char> of that size each way;
// fdpass_1fd: a struct with 8 bytes and one handle<unique_fd> each way;
// stream_{64B,4KiB,64KiB,1MiB,16MiB}: std::vector<char> values sent back to
// back (at most 64 outstanding, and 64 MiB), then a 1-element ack.
// Usage: typed_bench [--scale X] [--filter TEXT]...

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/vector.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;

namespace {

struct with_fd
{
    std::vector<char> bytes;
    unix_ipc::handle<unix_ipc::unique_fd> fd;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & bytes & fd;
    }
};

std::uint64_t now_ns()
{
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}

[[noreturn]] void fail(const char* what, const error_code& ec = {})
{
    std::fprintf(stderr, "typed_bench: %s: %s\n", what, ec.message().c_str());
    std::exit(1);
}

struct options
{
    double scale = 1.0;
    std::vector<std::string> filters;
    bool want(const std::string& line) const
    {
        return std::all_of(filters.begin(), filters.end(),
                           [&](const std::string& f) { return line.find(f) != std::string::npos; });
    }
};

// Runs parent(fd) here and child(fd) in a forked process, each with its own
// end of a fresh channel pair (and its own io_context, made by the callee).
void run_pair(const std::function<void(unix_ipc::unique_fd)>& parent,
              const std::function<void(unix_ipc::unique_fd)>& child)
{
    unix_ipc::unique_fd fa, fb;
    {
        asio::io_context tmp;
        auto p = unix_ipc::make_raw_channel_pair(tmp);
        fa = p.first.release();
        fb = p.second.release();
    }
    std::fflush(stdout);
    pid_t pid = ::fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0)
    {
        fa.reset();
        child(std::move(fb));
        std::fflush(stdout);
        std::_Exit(0);
    }
    fb.reset();
    parent(std::move(fa));
    int st = 0;
    if (::waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail("child failed");
}

template <class Msg, class Make>
void pingpong(const options& o, const std::string& scen, long iters, Make make)
{
    const std::string impl = "unix_ipc_typed";
    if (!o.want("scenario=" + scen + " impl=" + impl + " "))
        return;
    const long warm = std::max(iters / 10, 1000L);
    auto endpoint = [&](unix_ipc::unique_fd fd, bool client) {
        asio::io_context ioc;
        unix_ipc::endpoint<Msg, Msg> ep(unix_ipc::raw_channel(ioc, std::move(fd)));
        std::vector<std::uint64_t> ns;
        ns.reserve(std::size_t(iters));
        long i = 0;
        std::uint64_t start = 0, t = 0;
        std::function<void(error_code, Msg)> on_received = [&](error_code ec, Msg) {
            if (ec)
                fail("receive", ec);
            if (client)
            {
                if (i >= warm)
                    ns.push_back(now_ns() - t);
                if (++i == warm + iters)
                    return;
                if (i == warm)
                    start = now_ns();
                t = now_ns();
            }
            else if (++i == warm + iters)
            {
                ep.async_send(make(), [](error_code ec2) {
                    if (ec2)
                        fail("send", ec2);
                });
                return;
            }
            ep.async_send(make(), [](error_code ec2) {
                if (ec2)
                    fail("send", ec2);
            });
            ep.async_receive(on_received);
        };
        if (client)
        {
            t = now_ns();
            ep.async_send(make(), [](error_code ec) {
                if (ec)
                    fail("send", ec);
            });
        }
        ep.async_receive(on_received);
        ioc.run();
        if (client)
        {
            const std::uint64_t total = now_ns() - start;
            auto pct = [&](double p) {
                auto k = ns.begin() + long(p * double(ns.size() - 1));
                std::nth_element(ns.begin(), k, ns.end());
                return double(*k) / 1e3;
            };
            double med = pct(0.5), p99 = pct(0.99);
            std::printf("scenario=%s impl=%s median_us=%.2f p99_us=%.2f ops_per_s=%.0f\n", scen.c_str(),
                        impl.c_str(), med, p99, double(ns.size()) * 1e9 / double(total));
            std::fflush(stdout);
        }
    };
    run_pair([&](unix_ipc::unique_fd fd) { endpoint(std::move(fd), true); },
             [&](unix_ipc::unique_fd fd) { endpoint(std::move(fd), false); });
}

// Streaming: the parent sends `count` vectors of `size` bytes back to back, at
// most `window` outstanding, and waits for the child's ack after the last.
void stream(const options& o, std::size_t size, long count)
{
    const std::string label = size >= (1u << 20)  ? std::to_string(size >> 20) + "MiB"
                              : size >= 1024       ? std::to_string(size >> 10) + "KiB"
                                                   : std::to_string(size) + "B";
    const std::string scen = "stream_" + label, impl = "unix_ipc_typed";
    if (!o.want("scenario=" + scen + " impl=" + impl + " "))
        return;
    using msg = std::vector<char>;
    const long warm = std::max(count / 10, 2L);
    // Each queued send owns a copy of the vector: at most 64 of them, and no
    // more than 64 MiB queued.
    const long window = std::clamp(long((std::size_t(64) << 20) / size), 2L, 64L);
    auto receiver = [&](unix_ipc::unique_fd fd) {
        asio::io_context ioc;
        unix_ipc::endpoint<msg, msg> ep(unix_ipc::raw_channel(ioc, std::move(fd)));
        for (long n : {warm, count})
        {
            long got = 0;
            std::function<void(error_code, msg)> on_received = [&](error_code ec, msg m) {
                if (ec)
                    fail("receive", ec);
                if (m.size() != size)
                    fail("wrong size");
                if (++got < n)
                    return ep.async_receive(on_received);
                ep.async_send(msg(1, 'a'), [](error_code ec2) {
                    if (ec2)
                        fail("ack", ec2);
                });
            };
            ep.async_receive(on_received);
            ioc.restart();
            ioc.run();
        }
    };
    auto sender = [&](unix_ipc::unique_fd fd) {
        asio::io_context ioc;
        unix_ipc::endpoint<msg, msg> ep(unix_ipc::raw_channel(ioc, std::move(fd)));
        const msg tx(size, 'x');
        auto burst = [&](long n) {
            long started = 0;
            std::function<void(error_code)> on_sent = [&](error_code ec) {
                if (ec)
                    fail("send", ec);
                if (started < n)
                {
                    ++started;
                    ep.async_send(tx, on_sent);
                }
            };
            for (; started < std::min(n, window); ++started)
                ep.async_send(tx, on_sent);
            ep.async_receive([](error_code ec, msg) {
                if (ec)
                    fail("ack", ec);
            });
            ioc.restart();
            ioc.run();
        };
        burst(warm);
        const std::uint64_t t = now_ns();
        burst(count);
        const double s = double(now_ns() - t) / 1e9;
        std::printf("scenario=%s impl=%s ops_per_s=%.0f GiB_s=%.3f\n", scen.c_str(), impl.c_str(),
                    double(count) / s, double(count) * double(size) / s / double(1u << 30));
        std::fflush(stdout);
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
    const long rt = std::max(1L, long(50000 * o.scale));
    for (std::size_t n : {std::size_t(8), std::size_t(64), std::size_t(4096)})
    {
        const std::string label = n == 4096 ? "4KiB" : std::to_string(n) + "B";
        pingpong<std::vector<char>>(o, "pingpong_" + label, rt, [n] { return std::vector<char>(n, 'x'); });
    }
    unix_ipc::unique_fd null_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    pingpong<with_fd>(o, "fdpass_1fd", rt / 2, [&] {
        boost::system::error_code ec;
        return with_fd{std::vector<char>(8, 'x'), unix_ipc::duplicate_fd(null_fd.get(), ec)};
    });
    for (std::size_t size : {std::size_t(64), std::size_t(4) << 10, std::size_t(64) << 10, std::size_t(1) << 20,
                             std::size_t(16) << 20})
    {
        const long base = std::clamp(long((std::size_t(1) << 30) / size), 64L, 200000L);
        stream(o, size, std::max(8L, long(double(base) * o.scale)));
    }
}
