//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// hello: the parent spawns a second copy of this program as a worker, sends
// it tasks that each carry the sender for their answer, prints the answers,
// then tells the worker to shut down and collects its exit code.
//
//   ./hello          runs the parent (the worker is `./hello worker`)

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/vector.hpp>

#include <unistd.h>

#include <exception>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

// tag::task[]
// A task for the worker: add up `values` and answer on `reply`, or stop.
struct task
{
    enum class kind { sum, shutdown };

    kind what = kind::shutdown;
    std::vector<long> values;
    unix_ipc::sender<long> reply; // a channel end travels inside the task

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & what & values & reply;
    }
};
// end::task[]

// tag::worker[]
int worker()
{
    asio::io_context ioc;
    // The channel the parent made for us: fd and environment variable set by spawn().
    auto tasks = unix_ipc::inherited_receiver<task>(ioc);
    for (;;)
    {
        task t = tasks.receive();
        if (t.what == task::kind::shutdown)
            return 0;
        t.reply.send(std::accumulate(t.values.begin(), t.values.end(), 0L));
    }
}
// end::worker[]

// tag::parent[]
int parent()
{
    asio::io_context ioc;
    unix_ipc::child worker = unix_ipc::spawn(ioc, "/proc/self/exe", {"worker"});
    unix_ipc::sender<task> tasks(worker.release_channel());
    std::cout << "spawned worker " << worker.id() << '\n';

    for (long i = 0; i < 5; ++i)
    {
        auto [reply_tx, reply_rx] = unix_ipc::make_channel<long>(ioc);
        tasks.send(task{task::kind::sum, {23, 42, i}, std::move(reply_tx)});
        // Our copy of reply_tx is gone with the task: if the worker died, this
        // receive would fail with error::eof instead of waiting forever.
        std::cout << "sum of 23, 42 and " << i << ": " << reply_rx.receive() << '\n';
    }
    tasks.send(task{}); // kind::shutdown
    int code = worker.wait();
    std::cout << "worker exited with " << code << '\n';
    return code;
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
