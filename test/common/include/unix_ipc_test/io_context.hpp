//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_IO_CONTEXT_HPP
#define BOOST_UNIX_IPC_TEST_IO_CONTEXT_HPP

// Running an io_context in tests without hanging: run_until() fails the test
// (BOOST_TEST_REQUIRE) at a deadline; io_context_fixture checks at the end of
// a test that no work is left and no fd leaked; context_thread runs a context
// on another thread (use_future tests).

#include "unix_ipc_test/fd_utils.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>

namespace unix_ipc_test {

using namespace std::chrono_literals;

/// Default deadline of run_until.
constexpr std::chrono::steady_clock::duration default_timeout = std::chrono::seconds(5);

/// Runs ctx (one handler at a time, restarting it when it stopped) until
/// done() is true. Fails the test with BOOST_TEST_REQUIRE when `timeout`
/// passes first; `what` names the condition in the failure message. While ctx
/// has no work the loop sleeps briefly, so other threads may make done() true.
void run_until(boost::asio::io_context& ctx, const std::function<bool()>& done,
               std::chrono::steady_clock::duration timeout = default_timeout, const std::string& what = "condition");

/// Runs ctx until the future is ready (then returns its value: get()).
template <class T>
T run_until(boost::asio::io_context& ctx, std::future<T>& f,
            std::chrono::steady_clock::duration timeout = default_timeout, const std::string& what = "future")
{
    run_until(
        ctx, [&] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, timeout, what);
    return f.get();
}

/// Runs every handler that is ready now, repeatedly, for at most `d`, and
/// returns the number run. For "nothing must happen" checks.
std::size_t run_for(boost::asio::io_context& ctx, std::chrono::steady_clock::duration d);

/// Warms up ctx's reactor (epoll fd, eventfd, timerfd), so fds it opens later
/// do not count as leaks.
void warm_up_reactor(boost::asio::io_context& ctx);

/// A test fixture with an io_context.
///
/// Its destructor (end of the test body) polls the context, then
/// BOOST_TESTs that it has no work left and that the process has the same
/// open fds as when the fixture was built. Every operation whose handler
/// refers to a local of the test body must be completed (or the channel closed
/// and the context run) before the body ends; when the test already failed or
/// an exception is unwinding, the destructor does not run handlers.
struct io_context_fixture
{
    boost::asio::io_context ctx;

    io_context_fixture();
    ~io_context_fixture();

    // No run_until member: it would hide the free run_until(ctx, ...) in
    // test bodies, which are member functions of a class derived from this.

    io_context_fixture(const io_context_fixture&) = delete;
    io_context_fixture& operator=(const io_context_fixture&) = delete;

    /// Polls ctx until it is out of ready handlers (restarting it if stopped).
    std::size_t poll();

private:
    struct warm
    {
        explicit warm(boost::asio::io_context& c) { warm_up_reactor(c); }
    };
    warm warm_{ctx};
    fd_leak_checker fds_{"io_context_fixture"};
};

/// Runs an io_context on a thread of its own until destroyed (a work guard
/// keeps it running); the destructor stops the context and joins.
class context_thread
{
public:
    explicit context_thread(boost::asio::io_context& ctx);
    context_thread(const context_thread&) = delete;
    context_thread& operator=(const context_thread&) = delete;
    ~context_thread();

    /// Releases the work guard and joins once the context runs out of work.
    void join();

    std::thread::id id() const noexcept { return thread_.get_id(); }

private:
    boost::asio::io_context& ctx_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::thread thread_;
};

/// BOOST_TEST_REQUIREs ready, naming `what` when it is false.
void require_ready(bool ready, const char* what);

/// Waits for f (at most timeout), failing the test with BOOST_TEST_REQUIRE
/// when it is not ready by then; returns f.get().
template <class T>
T wait_future(std::future<T>& f, std::chrono::steady_clock::duration timeout = default_timeout)
{
    require_ready(f.wait_for(timeout) == std::future_status::ready, "wait_future");
    return f.get();
}

} // namespace unix_ipc_test

#endif
