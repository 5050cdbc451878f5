//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// spawn_bench: what starting a worker costs, against the bare system calls.
//
//   boost_unix_ipc_spawn_bench [--rounds N] [--per-round M]
//
// Each round times, interleaved, M starts of this program (in a child mode)
// until it is reaped, by four methods:
//   fork_exec      fork + execve + waitpid, nothing else
//   posix_spawn    posix_spawn + waitpid, nothing else (the floor)
//   process_v2     boost::process::v2::process with its default launcher, wait()
//   spawn          unix_ipc::spawn (channel at fd 3, every other fd closed), wait()
//   spawn_rtt      unix_ipc::spawn, then one int to the child and back, wait()
// and prints the median over rounds of each method's mean time per start, and
// its ratio to posix_spawn. --resident MiB first allocates and touches that
// much memory in the parent (fork copies its page tables; posix_spawn does
// not).

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>

#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

extern "C" {
extern char** environ;
}

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using clock_type = std::chrono::steady_clock;

namespace {

std::string self_path()
{
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && std::strcmp(argv[1], "--exit") == 0)
        return 0;
    if (argc > 1 && std::strcmp(argv[1], "--echo") == 0)
    {
        asio::io_context ctx;
        auto ep = unix_ipc::inherited_endpoint<int, int>(ctx);
        ep.send(ep.receive());
        return 0;
    }

    int rounds = 7, per_round = 50;
    std::size_t resident_mib = 0;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        if (std::strcmp(argv[i], "--rounds") == 0)
            rounds = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--per-round") == 0)
            per_round = std::atoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--resident") == 0)
            resident_mib = static_cast<std::size_t>(std::atol(argv[i + 1]));
    }
    std::vector<char> resident(resident_mib << 20);
    for (std::size_t i = 0; i < resident.size(); i += 4096)
        resident[i] = 1;
    const std::string exe = self_path();
    asio::io_context ctx;

    struct method
    {
        const char* name;
        std::function<void()> start_and_reap;
        std::vector<double> us;
    };
    std::vector<method> methods;
    methods.push_back({"posix_spawn", [&] {
                           const char* args[] = {exe.c_str(), "--exit", nullptr};
                           pid_t pid = -1;
                           if (::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, const_cast<char* const*>(args),
                                             environ) != 0)
                               std::abort();
                           ::waitpid(pid, nullptr, 0);
                       }, {}});
    methods.push_back({"fork_exec", [&] {
                           const char* args[] = {exe.c_str(), "--exit", nullptr};
                           pid_t pid = ::fork();
                           if (pid == 0)
                           {
                               ::execve(exe.c_str(), const_cast<char* const*>(args), environ);
                               ::_exit(127);
                           }
                           ::waitpid(pid, nullptr, 0);
                       }, {}});
    methods.push_back({"process_v2", [&] {
                           boost::process::v2::process p(ctx, exe, {"--exit"});
                           p.wait();
                       }, {}});
    methods.push_back({"spawn", [&] {
                           auto c = unix_ipc::spawn(ctx, exe, {"--exit"});
                           c.wait();
                       }, {}});
    methods.push_back({"spawn_rtt", [&] {
                           auto c = unix_ipc::spawn(ctx, exe, {"--echo"});
                           unix_ipc::endpoint<int, int> ep(c.release_channel());
                           ep.send(7);
                           if (ep.receive() != 7)
                               std::abort();
                           c.wait();
                       }, {}});

    for (int r = 0; r < rounds; ++r)
        for (auto& m : methods)
        {
            auto t0 = clock_type::now();
            for (int i = 0; i < per_round; ++i)
                m.start_and_reap();
            auto t1 = clock_type::now();
            m.us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / per_round);
        }

    const double floor = median(methods[0].us);
    std::printf("%-12s %12s %8s   (median of %d rounds of %d starts, %zu MiB resident)\n", "method", "us/start",
                "ratio", rounds, per_round, resident_mib);
    for (auto& m : methods)
        std::printf("%-12s %12.1f %8.2f\n", m.name, median(m.us), median(m.us) / floor);
    return 0;
}
