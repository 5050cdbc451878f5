//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_HANDLER_RECORDER_HPP
#define BOOST_UNIX_IPC_TEST_HANDLER_RECORDER_HPP

// A recording completion handler: it stores its arguments and checks it ran
// exactly once, never inside the initiating call, and on the expected executor.
//
//     recorder<void(error_code, raw_message)> r(ctx.get_executor());
//     r.initiate([&](auto h) { ch.async_receive(std::move(h)); }); // flags a call from inside
//     run_until(ctx, r.done());
//     r.check();                                  // once, not inline, on the executor
//     raw_message m = r.take<1>();
//
// The handler's associated executor is the one given to the recorder (strands
// work: the check is strand.running_in_this_thread()).

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace unix_ipc_test {

namespace detail {

template <class E, class = void>
struct has_running_in_this_thread : std::false_type
{
};

template <class E>
struct has_running_in_this_thread<E, std::void_t<decltype(std::declval<const E&>().running_in_this_thread())>>
    : std::true_type
{
};

} // namespace detail

template <class Signature>
class recorder;

template <class... Args>
class recorder<void(Args...)>
{
public:
    using result_type = std::tuple<std::decay_t<Args>...>;

private:
    struct state
    {
        int calls = 0;
        bool initiating = false;
        bool called_while_initiating = false;
        bool on_expected_executor = true;
        std::function<bool()> running_on_expected;
        std::thread::id thread;
        std::optional<result_type> result;
    };

public:
    /// The completion handler. Copyable; every copy records into the same place.
    class handler
    {
    public:
        using executor_type = boost::asio::any_io_executor;

        executor_type get_executor() const noexcept { return ex_; }

        void operator()(Args... args)
        {
            state& s = *st_;
            ++s.calls;
            if (s.initiating)
                s.called_while_initiating = true;
            if (s.running_on_expected && !s.running_on_expected())
                s.on_expected_executor = false;
            s.thread = std::this_thread::get_id();
            s.result.emplace(std::move(args)...);
        }

    private:
        friend class recorder;
        handler(std::shared_ptr<state> st, executor_type ex) : st_(std::move(st)), ex_(std::move(ex)) {}

        std::shared_ptr<state> st_;
        executor_type ex_;
    };

    /// A recorder whose handler is associated with `ex`; when `ex` has
    /// running_in_this_thread() (io_context executors, strands) every
    /// invocation checks it.
    template <class Executor>
    explicit recorder(const Executor& ex) : st_(std::make_shared<state>()), ex_(ex)
    {
        if constexpr (detail::has_running_in_this_thread<Executor>::value)
            st_->running_on_expected = [ex] { return ex.running_in_this_thread(); };
    }

    /// A new handler (each call returns one; all record here).
    handler h() const { return handler(st_, ex_); }

    /// Calls f(h()) and flags any invocation that happens before f returns.
    /// Returns what f returns (a deferred operation, a future...).
    template <class F>
    decltype(auto) initiate(F&& f)
    {
        struct guard
        {
            state& s;
            ~guard() { s.initiating = false; }
        } g{*st_};
        st_->initiating = true;
        return std::forward<F>(f)(h());
    }

    /// Marks a region as "inside an initiating call" (for deferred launches and
    /// similar, where the token is not the handler itself).
    template <class F>
    decltype(auto) inside_initiation(F&& f)
    {
        struct guard
        {
            state& s;
            ~guard() { s.initiating = false; }
        } g{*st_};
        st_->initiating = true;
        return std::forward<F>(f)();
    }

    bool called() const noexcept { return st_->calls > 0; }
    int calls() const noexcept { return st_->calls; }
    bool called_while_initiating() const noexcept { return st_->called_while_initiating; }
    bool on_expected_executor() const noexcept { return st_->on_expected_executor; }
    std::thread::id thread() const noexcept { return st_->thread; }

    /// A predicate for run_until: the handler has run.
    std::function<bool()> done() const
    {
        return [st = st_] { return st->calls > 0; };
    }

    /// BOOST_TESTs: called exactly once, never inside the initiating call, on
    /// the expected executor.
    void check() const
    {
        BOOST_TEST(st_->calls == 1, "the handler ran " << st_->calls << " times, expected once");
        BOOST_TEST(!st_->called_while_initiating, "the handler ran inside the initiating function");
        BOOST_TEST(st_->on_expected_executor, "the handler ran outside its associated executor");
    }

    /// The recorded arguments; REQUIREs that the handler ran.
    result_type& result()
    {
        BOOST_TEST_REQUIRE(st_->result.has_value(), "the handler has not run");
        return *st_->result;
    }

    template <std::size_t I>
    auto& get()
    {
        return std::get<I>(result());
    }

    /// Moves the I-th argument out.
    template <std::size_t I>
    auto take()
    {
        return std::move(std::get<I>(result()));
    }

    /// The first argument, when it is an error_code.
    boost::system::error_code ec()
    {
        return std::get<0>(result());
    }

    /// check(), then the first argument (an error_code).
    boost::system::error_code checked_ec()
    {
        check();
        return ec();
    }

private:
    std::shared_ptr<state> st_;
    boost::asio::any_io_executor ex_;
};

} // namespace unix_ipc_test

#endif
