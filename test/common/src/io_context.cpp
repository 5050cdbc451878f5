//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include "unix_ipc_test/io_context.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>

namespace unix_ipc_test {

namespace asio = boost::asio;

void run_until(asio::io_context& ctx, const std::function<bool()>& done, std::chrono::steady_clock::duration timeout,
               const std::string& what)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    bool idle = false;
    while (!done())
    {
        const auto now = clock::now();
        if (now >= deadline)
        {
            BOOST_TEST_REQUIRE(done(), "run_until: \"" << what << "\" still false after "
                                                       << std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()
                                                       << " ms" << (idle ? " (the io_context had no work left)" : ""));
            return;
        }
        if (ctx.stopped())
            ctx.restart();
        const auto slice = std::min<clock::duration>(deadline - now, std::chrono::milliseconds(20));
        if (ctx.run_one_for(slice) == 0 && ctx.stopped())
        {
            // Out of work: only another thread can make progress now.
            idle = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

std::size_t run_for(asio::io_context& ctx, std::chrono::steady_clock::duration d)
{
    if (ctx.stopped())
        ctx.restart();
    std::size_t n = ctx.run_for(d);
    if (ctx.stopped())
        ctx.restart();
    return n;
}

void warm_up_reactor(asio::io_context& ctx)
{
    // A timer makes the scheduler create the epoll reactor (epoll fd, eventfd,
    // timerfd), which otherwise appears with the first I/O object.
    asio::steady_timer t(ctx);
    (void)t;
}

void require_ready(bool ready, const char* what)
{
    BOOST_TEST_REQUIRE(ready, what << ": not ready before the deadline");
}

io_context_fixture::io_context_fixture() = default;

std::size_t io_context_fixture::poll()
{
    std::size_t total = 0;
    for (;;)
    {
        if (ctx.stopped())
            ctx.restart();
        std::size_t n = ctx.poll();
        total += n;
        if (n == 0)
            return total;
    }
}

io_context_fixture::~io_context_fixture()
{
    namespace ut = boost::unit_test;
    const bool failed =
        std::uncaught_exceptions() > 0 ||
        !ut::results_collector.results(ut::framework::current_test_case().p_id).passed();
    if (failed)
        return; // handlers may refer to the test body's locals: do not run them
    poll();
    // poll() stops the context when no work is left (pending waits count as work).
    BOOST_TEST(ctx.stopped(), "io_context_fixture: the io_context still has outstanding work at the end of the test");
}

context_thread::context_thread(asio::io_context& ctx)
    : ctx_(ctx), work_(asio::make_work_guard(ctx)), thread_([this] {
          if (ctx_.stopped())
              ctx_.restart();
          ctx_.run();
      })
{
}

void context_thread::join()
{
    work_.reset();
    if (thread_.joinable())
        thread_.join();
}

context_thread::~context_thread()
{
    work_.reset();
    if (thread_.joinable())
    {
        ctx_.stop();
        thread_.join();
    }
}

} // namespace unix_ipc_test
