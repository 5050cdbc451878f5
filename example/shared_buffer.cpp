//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// shared_buffer: the parent fills a 64 MiB buffer, seals it read-only and
// hands it to a worker (a second copy of this program) inside a typed
// message, with a second, writable region for the answer. The buffer is not
// copied: the worker maps the same pages. It adds up the values, writes the
// sum into the answer region, and says so.
//
//   ./shared_buffer          runs the parent (the worker is `./shared_buffer worker`)

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <numeric>
#include <string>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

// tag::job[]
// A job: the values to add up (read-only) and where to put the sum.
struct job
{
    unix_ipc::handle<unix_ipc::shared_memory> values;
    unix_ipc::handle<unix_ipc::shared_memory> result;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & values & result;
    }
};
// end::job[]

// tag::worker[]
int worker()
{
    asio::io_context ioc;
    auto jobs = unix_ipc::inherited_endpoint<bool, job>(ioc);
    job j = jobs.receive(); // the seals and sizes are checked here
    // The size comes from the region itself, not from the message.
    boost::span<const std::uint32_t> values = j.values->view<const std::uint32_t>();
    boost::span<std::uint64_t> result = j.result->view<std::uint64_t>();
    result[0] = std::accumulate(values.begin(), values.end(), std::uint64_t(0));
    result[1] = values.size();
    jobs.send(true);
    return 0;
}
// end::worker[]

// tag::parent[]
int parent()
{
    asio::io_context ioc;
    unix_ipc::child child = unix_ipc::spawn(ioc, "/proc/self/exe", {"worker"});
    unix_ipc::endpoint<job, bool> worker(child.release_channel());

    const std::size_t count = std::size_t(16) << 20; // 64 MiB of uint32
    unix_ipc::shared_memory values = unix_ipc::shared_memory::create(count * sizeof(std::uint32_t));
    boost::span<std::uint32_t> v = values.view<std::uint32_t>();
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<std::uint32_t>(i % 1000);
    // Nobody writes to it any more, the worker nor us: it can trust what it reads.
    values.seal(unix_ipc::shared_memory::access::read_only);

    unix_ipc::shared_memory result = unix_ipc::shared_memory::create(2 * sizeof(std::uint64_t));
    result.seal(unix_ipc::shared_memory::access::read_write);

    job j;
    j.values = unix_ipc::handle<unix_ipc::shared_memory>(std::move(values));
    j.result = unix_ipc::handle<unix_ipc::shared_memory>(std::move(result));
    worker.send(j); // the fds travel; our regions stay ours (j still holds them)
    worker.receive();

    boost::span<const std::uint64_t> r = j.result->view<const std::uint64_t>();
    const boost::span<const std::uint32_t> mine = j.values->view<const std::uint32_t>();
    const std::uint64_t expected = std::accumulate(mine.begin(), mine.end(), std::uint64_t(0));
    std::cout << "sum of " << r[1] << " values in a read-only region: " << r[0]
              << (r[0] == expected ? " (matches)" : " (WRONG)") << '\n';
    const int code = child.wait();
    std::cout << "worker exited with " << code << '\n';
    return r[0] == expected ? code : 1;
}
// end::parent[]

int main(int argc, char** argv)
{
    try
    {
        if (argc > 1 && std::string(argv[1]) == "worker")
            return worker();
        return parent();
    }
    catch (const std::exception& e)
    {
        std::cerr << argv[0] << ": " << e.what() << '\n';
        return 1;
    }
}
