//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// async_send / async_receive with every kind of completion token, and the
// handler contract: invoked once, never inside the initiating call (even when
// the operation finished at once), on its associated executor.

#include <boost/unix_ipc/raw_channel.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#ifdef BOOST_ASIO_HAS_CO_AWAIT
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <exception>
#include <future>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::error;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;
using namespace unix_ipc_test;

// Return types of the initiating functions per token (never called).
namespace token_types {

raw_channel& ch();
raw_message& msg();
const std::string& text();

using send_future_t = decltype(ch().async_send(asio::buffer(text()), asio::use_future));
using recv_future_t = decltype(ch().async_receive(asio::use_future));
using recv_into_future_t = decltype(ch().async_receive(msg(), asio::use_future));
using send_deferred_t = decltype(ch().async_send(asio::buffer(text()), asio::deferred));
using recv_deferred_t = decltype(ch().async_receive(asio::deferred));
struct send_callback
{
    void operator()(error_code) {}
};
struct recv_callback
{
    void operator()(error_code, raw_message) {}
};
using send_callback_t = decltype(ch().async_send(asio::buffer(text()), send_callback{}));
using recv_callback_t = decltype(ch().async_receive(recv_callback{}));

static_assert(std::is_same<send_future_t, std::future<void>>::value, "");
static_assert(std::is_same<recv_future_t, std::future<raw_message>>::value, "");
static_assert(std::is_same<recv_into_future_t, std::future<void>>::value, "");
static_assert(asio::is_deferred<send_deferred_t>::value, "");
static_assert(asio::is_deferred<recv_deferred_t>::value, "");
static_assert(std::is_void<send_callback_t>::value, "");
static_assert(std::is_void<recv_callback_t>::value, "");

#ifdef BOOST_ASIO_HAS_CO_AWAIT
static_assert(std::is_same<decltype(ch().async_send(asio::buffer(text()), asio::use_awaitable)),
                           asio::awaitable<void>>::value,
              "");
static_assert(std::is_same<decltype(ch().async_receive(asio::use_awaitable)), asio::awaitable<raw_message>>::value,
              "");
static_assert(std::is_same<decltype(ch().async_receive(asio::as_tuple(asio::use_awaitable))),
                           asio::awaitable<std::tuple<error_code, raw_message>>>::value,
              "");

// A channel whose executor carries use_awaitable as its default token.
using awaitable_channel = asio::use_awaitable_t<>::as_default_on_t<raw_channel>;
awaitable_channel& ach();
static_assert(std::is_same<decltype(ach().async_receive()), asio::awaitable<raw_message>>::value, "");
static_assert(std::is_same<decltype(ach().async_send(asio::buffer(text()))), asio::awaitable<void>>::value, "");
#endif

} // namespace token_types

namespace {

using recv_rec = recorder<void(error_code, raw_message)>;
using send_rec = recorder<void(error_code)>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(raw_channel_tokens, io_context_fixture)

BOOST_AUTO_TEST_CASE(callback_is_never_invoked_inside_the_initiating_call)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    // A send that is written at once (the socket has room).
    send_rec s1(ctx.get_executor()), s2(ctx.get_executor());
    s1.initiate([&](auto h) { a.async_send(asio::buffer(std::string_view("one")), std::move(h)); });
    s2.initiate([&](auto h) { a.async_send(asio::buffer(std::string_view("two")), std::move(h)); });
    BOOST_TEST(socket_drained(a.native_handle()));
    BOOST_TEST(!s1.called());
    run_until(ctx, [&] { return s1.called() && s2.called(); });
    BOOST_TEST(!s1.checked_ec());
    BOOST_TEST(!s2.checked_ec());
    // Both frames now wait in b's socket: the first receive reads both, the
    // second completes from the channel's buffer inside async_receive.
    recv_rec r1(ctx.get_executor()), r2(ctx.get_executor());
    r1.initiate([&](auto h) { b.async_receive(std::move(h)); });
    r2.initiate([&](auto h) { b.async_receive(std::move(h)); });
    BOOST_TEST(!r1.called());
    BOOST_TEST(!r2.called());
    run_until(ctx, [&] { return r1.called() && r2.called(); });
    BOOST_TEST(!r1.checked_ec());
    BOOST_TEST(!r2.checked_ec());
    BOOST_TEST(to_string(r1.get<1>()) == "one");
    BOOST_TEST(to_string(r2.get<1>()) == "two");
}

BOOST_AUTO_TEST_CASE(handlers_started_from_a_handler_are_not_invoked_inline)
{
    // Inside the channel's own completion, a new receive with a frame already
    // buffered must still not complete inside its initiating call.
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    for (const char* t : {"1", "2", "3"})
        a.send(asio::buffer(std::string(t)));
    recv_rec inner(ctx.get_executor());
    recv_rec outer(ctx.get_executor());
    std::string first;
    b.async_receive([&](error_code ec, raw_message m) {
        first = ec ? "error" : to_string(m);
        inner.initiate([&](auto h) { b.async_receive(std::move(h)); });
    });
    run_until(ctx, inner.done());
    BOOST_TEST(first == "1");
    BOOST_TEST(!inner.checked_ec());
    BOOST_TEST(to_string(inner.get<1>()) == "2");
    outer.initiate([&](auto h) { b.async_receive(std::move(h)); });
    run_until(ctx, outer.done());
    BOOST_TEST(to_string(outer.get<1>()) == "3");
    outer.check();
}

BOOST_AUTO_TEST_CASE(use_future_with_the_context_on_another_thread)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    const std::string text = "future";
    // Initiated before the thread runs the context: the channel is never used
    // from two threads at once.
    std::future<void> sent = a.async_send(asio::buffer(text), asio::use_future);
    std::future<raw_message> received = b.async_receive(asio::use_future);
    raw_message into;
    {
        context_thread t(ctx);
        wait_future(sent);
        raw_message m = wait_future(received);
        BOOST_TEST(to_string(m) == text);
    }
    // Errors arrive as system_error from get().
    a.close();
    std::future<raw_message> failed = b.async_receive(asio::use_future);
    std::future<void> failed_into = b.async_receive(into, asio::use_future);
    {
        context_thread t(ctx);
        BOOST_CHECK_EXCEPTION(wait_future(failed), boost::system::system_error,
                              [](const boost::system::system_error& e) { return e.code() == error::eof; });
        BOOST_CHECK_EXCEPTION(wait_future(failed_into), boost::system::system_error,
                              [](const boost::system::system_error& e) { return e.code() == error::eof; });
    }
}

BOOST_AUTO_TEST_CASE(deferred_starts_only_when_launched)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    const std::string text = "deferred";
    auto send_op = a.async_send(asio::buffer(text), asio::deferred);
    auto recv_op = b.async_receive(asio::deferred);
    poll();
    BOOST_TEST(socket_drained(b.native_handle()), "nothing was sent before the launch");

    send_rec s(ctx.get_executor());
    s.inside_initiation([&] { std::move(send_op)(s.h()); });
    run_until(ctx, s.done());
    BOOST_TEST(!s.checked_ec());
    poll();
    BOOST_TEST(!socket_drained(b.native_handle()), "nothing was received before the launch");

    recv_rec r(ctx.get_executor());
    r.inside_initiation([&] { std::move(recv_op)(r.h()); });
    run_until(ctx, r.done());
    BOOST_TEST(!r.checked_ec());
    BOOST_TEST(to_string(r.get<1>()) == text);

    // A deferred receive composed with a continuation.
    a.send(asio::buffer(std::string("then")));
    std::string got;
    b.async_receive(asio::deferred([](error_code ec, raw_message m) {
        return asio::deferred.values(ec, ec ? std::string() : to_string(m));
    }))([&](error_code ec, std::string s2) { got = ec ? "error" : s2; });
    run_until(ctx, [&] { return !got.empty(); });
    BOOST_TEST(got == "then");
}

BOOST_AUTO_TEST_CASE(yield_context_with_spawn)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    recorder<void(std::exception_ptr)> done(ctx.get_executor());
    std::string got, got_after_error;
    error_code eof_ec;
    asio::spawn(
        ctx,
        [&](asio::yield_context y) {
            const std::string text = "yield";
            a.async_send(asio::buffer(text), y);
            raw_message m = b.async_receive(y);
            got = to_string(m);
            raw_message into;
            a.async_send(asio::buffer(std::string("into")), y);
            b.async_receive(into, y);
            got += "+" + to_string(into);
            a.close();
            b.async_receive(y[eof_ec]);
            try
            {
                b.async_receive(y);
            }
            catch (const boost::system::system_error& e)
            {
                got_after_error = e.code() == error::eof ? "eof" : e.code().message();
            }
        },
        done.h());
    run_until(ctx, done.done());
    done.check();
    BOOST_TEST(!done.get<0>());
    BOOST_TEST(got == "yield+into");
    BOOST_TEST((eof_ec == error::eof));
    BOOST_TEST(got_after_error == "eof");
}

BOOST_AUTO_TEST_CASE(as_tuple_with_a_callback)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    recorder<void(std::tuple<error_code>)> s(ctx.get_executor());
    s.initiate([&](auto h) { a.async_send(asio::buffer(std::string_view("tuple")), asio::as_tuple(std::move(h))); });
    recorder<void(std::tuple<error_code, raw_message>)> r(ctx.get_executor());
    r.initiate([&](auto h) { b.async_receive(asio::as_tuple(std::move(h))); });
    run_until(ctx, [&] { return s.called() && r.called(); });
    s.check();
    r.check();
    BOOST_TEST(!std::get<0>(s.get<0>()));
    auto& [ec, m] = r.get<0>();
    BOOST_TEST(!ec);
    BOOST_TEST(to_string(m) == "tuple");
}

BOOST_AUTO_TEST_CASE(redirect_error_with_a_callback)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    a.send(asio::buffer(std::string("redirected")));
    error_code ec = asio::error::fault;
    recorder<void(raw_message)> r(ctx.get_executor());
    r.initiate([&](auto h) { b.async_receive(asio::redirect_error(std::move(h), ec)); });
    run_until(ctx, r.done());
    r.check();
    BOOST_TEST(!ec);
    BOOST_TEST(to_string(r.get<0>()) == "redirected");
    a.close();
    recorder<void()> s(ctx.get_executor());
    s.initiate([&](auto h) { b.async_send(asio::buffer("x", 1), asio::redirect_error(std::move(h), ec)); });
    run_until(ctx, s.done());
    s.check();
    BOOST_TEST((ec == error::eof));
}

#ifdef BOOST_ASIO_HAS_CO_AWAIT

BOOST_AUTO_TEST_CASE(use_awaitable_with_co_spawn)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    recorder<void(std::exception_ptr)> done(ctx.get_executor());
    std::string log;
    auto body = [&]() -> asio::awaitable<void> {
        const std::string text = "awaited";
        co_await a.async_send(asio::buffer(text), asio::use_awaitable);
        raw_message m = co_await b.async_receive(asio::use_awaitable);
        log += to_string(m);

        raw_message into;
        co_await a.async_send(asio::buffer(std::string("into")), asio::use_awaitable);
        co_await b.async_receive(into, asio::use_awaitable);
        log += "," + to_string(into);

        co_await a.async_send(asio::buffer(std::string("tuple")), asio::use_awaitable);
        auto [ec, m2] = co_await b.async_receive(asio::as_tuple(asio::use_awaitable));
        log += "," + (ec ? ec.message() : to_string(m2));

        a.close();
        error_code eof_ec;
        co_await b.async_receive(asio::redirect_error(asio::use_awaitable, eof_ec));
        log += eof_ec == error::eof ? ",eof" : "," + eof_ec.message();
        try
        {
            co_await b.async_receive(asio::use_awaitable);
            log += ",no exception";
        }
        catch (const boost::system::system_error& e)
        {
            log += e.code() == error::eof ? ",thrown eof" : "," + e.code().message();
        }
    };
    asio::co_spawn(ctx, body, done.h());
    run_until(ctx, done.done());
    done.check();
    BOOST_TEST(!done.get<0>());
    BOOST_TEST(log == "awaited,into,tuple,eof,thrown eof");
}

BOOST_AUTO_TEST_CASE(use_awaitable_as_the_default_token)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(token_types::awaitable_channel::executor_type(ctx.get_executor()));
    static_assert(std::is_same<decltype(a), token_types::awaitable_channel>::value, "");
    recorder<void(std::exception_ptr)> done(ctx.get_executor());
    std::string got;
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
            co_await a.async_send(asio::buffer(std::string("default token")));
            raw_message m = co_await b.async_receive();
            got = to_string(m);
        },
        done.h());
    run_until(ctx, done.done());
    done.check();
    BOOST_TEST(!done.get<0>());
    BOOST_TEST(got == "default token");
}

#endif // BOOST_ASIO_HAS_CO_AWAIT

BOOST_AUTO_TEST_SUITE_END()
