//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// completion_styles: one request/response with a spawned worker (it doubles
// a number), written in each completion style Asio offers: a callback, a
// deferred operation, futures, a C++20 coroutine, a stackful coroutine
// (yield_context), and the synchronous twins.
//
//   ./completion_styles     runs the parent (the worker is `./completion_styles worker`)

#include <boost/unix_ipc.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/use_future.hpp>

#if defined(__cpp_impl_coroutine)
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include <exception>
#include <iostream>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using endpoint = unix_ipc::endpoint<long, long>; // sends a long, receives a long

int worker()
{
    asio::io_context ioc;
    auto ep = unix_ipc::inherited_endpoint<long, long>(ioc);
    for (;;)
    {
        error_code ec;
        long x = ep.receive(ec);
        if (ec)
            return ec == unix_ipc::error::eof ? 0 : 1;
        ep.send(2 * x);
    }
}

// tag::callbacks[]
void with_callbacks(asio::io_context& ioc, endpoint& ep)
{
    ep.async_send(1, [](error_code ec) {
        if (ec)
            std::cerr << "send: " << ec.message() << '\n';
    });
    ep.async_receive([](error_code ec, long answer) {
        if (!ec)
            std::cout << "callbacks: 1 -> " << answer << '\n';
    });
    ioc.run();
    ioc.restart();
}
// end::callbacks[]

// tag::deferred[]
void with_deferred(asio::io_context& ioc, endpoint& ep)
{
    // A deferred operation starts when it is invoked with a token.
    auto request = ep.async_send(2, asio::deferred);
    auto response = ep.async_receive(asio::deferred);
    std::move(request)([](error_code) {});
    std::move(response)([](error_code ec, long answer) {
        if (!ec)
            std::cout << "deferred: 2 -> " << answer << '\n';
    });
    ioc.run();
    ioc.restart();
}
// end::deferred[]

// tag::futures[]
void with_futures(asio::io_context& ioc, endpoint& ep)
{
    // Start both operations, then run the context on another thread while
    // this one blocks on the futures (an error arrives as an exception).
    std::future<void> sent = ep.async_send(3, asio::use_future);
    std::future<long> answer = ep.async_receive(asio::use_future);
    std::thread runner([&] { ioc.run(); });
    sent.get();
    std::cout << "futures: 3 -> " << answer.get() << '\n';
    runner.join();
    ioc.restart();
}
// end::futures[]

#if defined(__cpp_impl_coroutine)
// tag::coroutine[]
asio::awaitable<void> ask(endpoint& ep)
{
    co_await ep.async_send(4, asio::use_awaitable);
    long answer = co_await ep.async_receive(asio::use_awaitable);
    std::cout << "C++20 coroutine: 4 -> " << answer << '\n';
}

void with_coroutine(asio::io_context& ioc, endpoint& ep)
{
    asio::co_spawn(ioc, ask(ep), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    ioc.run();
    ioc.restart();
}
// end::coroutine[]
#endif

// tag::yield[]
void with_yield_context(asio::io_context& ioc, endpoint& ep)
{
    asio::spawn(
        ioc,
        [&](asio::yield_context yield) {
            ep.async_send(5, yield);
            error_code ec; // with yield[ec], errors come back here instead of as exceptions
            long answer = ep.async_receive(yield[ec]);
            if (!ec)
                std::cout << "yield_context: 5 -> " << answer << '\n';
        },
        [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
    ioc.run();
    ioc.restart();
}
// end::yield[]

// tag::sync[]
void with_sync(endpoint& ep)
{
    ep.send(6);                 // throws system::system_error on failure
    error_code ec;
    long answer = ep.receive(ec); // or reports it in ec
    if (!ec)
        std::cout << "sync: 6 -> " << answer << '\n';
}
// end::sync[]

int parent()
{
    asio::io_context ioc;
    unix_ipc::child worker = unix_ipc::spawn(ioc, "/proc/self/exe", {"worker"});
    endpoint ep(worker.release_channel());

    with_callbacks(ioc, ep);
    with_deferred(ioc, ep);
    with_futures(ioc, ep);
#if defined(__cpp_impl_coroutine)
    with_coroutine(ioc, ep);
#else
    std::cout << "C++20 coroutine: 4 -> 8 (not built: needs C++20)\n";
#endif
    with_yield_context(ioc, ep);
    with_sync(ep);

    ep.close();
    return worker.wait();
}

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
