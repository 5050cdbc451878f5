//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// worker_pool: N spawned workers count the primes of a range between them.
// The parent fans the jobs out over one endpoint per worker (every send is
// queued at once: the channel keeps them in order), gathers the answers with
// asynchronous receives on one io_context, and prints the total and the time.
//
//   ./worker_pool [workers]     runs the parent (a worker is `./worker_pool worker`)

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;

struct job
{
    long from = 0, to = 0; // count the primes in [from, to)

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & from & to;
    }
};

struct result
{
    long from = 0;
    long primes = 0;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & from & primes;
    }
};

bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; ++d)
        if (n % d == 0)
            return false;
    return true;
}

int worker()
{
    asio::io_context ioc;
    auto ep = unix_ipc::inherited_endpoint<result, job>(ioc);
    for (;;)
    {
        error_code ec;
        job j = ep.receive(ec);
        if (ec == unix_ipc::error::eof) // the parent closed: no more jobs
            return 0;
        if (ec)
            return 1;
        result r{j.from, 0};
        for (long n = j.from; n < j.to; ++n)
            r.primes += is_prime(n);
        ep.send(r);
    }
}

int parent(int workers)
{
    constexpr long limit = 1000000;
    constexpr long jobs = 100;
    const auto start = std::chrono::steady_clock::now();
    asio::io_context ioc;

    // tag::fan_out[]
    std::vector<unix_ipc::child> children;
    std::vector<unix_ipc::endpoint<job, result>> endpoints;
    for (int w = 0; w < workers; ++w)
    {
        children.push_back(unix_ipc::spawn(ioc, "/proc/self/exe", {"worker"}));
        endpoints.emplace_back(children.back().release_channel());
    }
    std::vector<long> expected(static_cast<std::size_t>(workers), 0);
    for (long i = 0; i < jobs; ++i)
    {
        auto w = static_cast<std::size_t>(i % workers);
        endpoints[w].async_send(job{i * limit / jobs, (i + 1) * limit / jobs}, [](error_code ec) {
            if (ec)
                std::cerr << "send: " << ec.message() << '\n';
        });
        ++expected[w];
    }
    // end::fan_out[]

    // tag::gather[]
    long total = 0, answers = 0;
    bool failed = false;
    std::function<void(std::size_t)> receive_next = [&](std::size_t w) {
        endpoints[w].async_receive([&, w](error_code ec, result r) {
            if (ec) // e.g. error::eof: that worker died
            {
                std::cerr << "worker " << w << ": " << ec.message() << '\n';
                failed = true;
                return;
            }
            total += r.primes;
            ++answers;
            if (--expected[w] > 0)
                receive_next(w);
        });
    };
    for (std::size_t w = 0; w < endpoints.size(); ++w)
        receive_next(w);
    ioc.run();
    // end::gather[]

    for (auto& ep : endpoints)
        ep.close(); // eof: the workers return
    int codes = 0;
    for (auto& c : children)
        codes |= c.wait();

    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::cout << "primes below " << limit << ": " << total << " (" << answers << " jobs on " << workers
              << " workers, " << ms << " ms)\n";
    return failed || codes != 0 || answers != jobs ? 1 : 0;
}

int main(int argc, char** argv)
{
    try
    {
        if (argc > 1 && std::string(argv[1]) == "worker")
            return worker();
        int workers = argc > 1 ? std::atoi(argv[1]) : 4;
        return parent(workers > 0 ? workers : 4);
    }
    catch (const std::exception& e)
    {
        std::cerr << argv[0] << ": " << e.what() << '\n';
        return 1;
    }
}
