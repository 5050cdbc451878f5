//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A first typed channel: the parent sends a C++ object holding numbers, an
// open file and a sender for the answer; a forked child adds the numbers,
// appends the sum to the file through the fd it received, and answers.

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

// tag::message[]
struct sum_request
{
    std::vector<long> values;
    unix_ipc::handle<unix_ipc::unique_fd> log;   // an open file travels with the object
    unix_ipc::sender<long> reply;                 // and so does a channel

    template <class Archive>
    void serialize(Archive& ar, unsigned)         // ordinary Boost.Serialization
    {
        ar & values & log & reply;
    }
};
// end::message[]

// tag::worker[]
int worker(unix_ipc::receiver<sum_request> requests)
{
    sum_request req = requests.receive();                  // blocking twin of async_receive
    long sum = std::accumulate(req.values.begin(), req.values.end(), 0L);
    std::string line = "sum computed by pid " + std::to_string(::getpid()) + "\n";
    if (::write(req.log->get(), line.data(), line.size()) < 0)
        return 1;
    req.reply.send(sum);
    return 0;
}
// end::worker[]

int main()
{
    asio::io_context ioc;
    // tag::setup[]
    auto [requests_tx, requests_rx] = unix_ipc::make_channel<sum_request>(ioc);
    auto [reply_tx, reply_rx] = unix_ipc::make_channel<long>(ioc);
    // end::setup[]

    ioc.notify_fork(asio::execution_context::fork_prepare);
    pid_t pid = ::fork();
    if (pid < 0)
        return 1;
    if (pid == 0)
    {
        ioc.notify_fork(asio::execution_context::fork_child);
        requests_tx.close();
        reply_rx.close();
        std::_Exit(worker(std::move(requests_rx)));
    }
    ioc.notify_fork(asio::execution_context::fork_parent);
    requests_rx.close();

    char path[] = "/tmp/unix_ipc_typed_XXXXXX";
    unix_ipc::unique_fd log(::mkstemp(path));
    ::unlink(path);

    // tag::exchange[]
    boost::system::error_code ec;
    sum_request req{{1, 2, 3, 4}, unix_ipc::duplicate_fd(log.get(), ec), std::move(reply_tx)};
    // The operation takes the request: once it is sent, our copies of the log
    // fd and of the reply sender close, so the worker holds the only sender
    // and its exit would show here as error::eof.
    requests_tx.async_send(std::move(req), [](boost::system::error_code send_ec) {
        if (send_ec)
            std::cerr << "send: " << send_ec.message() << '\n';
    });

    long sum = -1;
    reply_rx.async_receive([&](boost::system::error_code receive_ec, long value) {
        if (!receive_ec)
            sum = value;
    });
    ioc.run();
    // end::exchange[]

    int status = 0;
    ::waitpid(pid, &status, 0);
    char buf[128] = {};
    ssize_t n = ::pread(log.get(), buf, sizeof(buf) - 1, 0);
    std::cout << "sum: " << sum << "\nlog: " << std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    return sum == 10 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
