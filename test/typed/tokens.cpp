//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Every completion token on sender::async_send and receiver::async_receive,
// cancellation of a pending typed receive, the peer closing.

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::recorder;
using unix_ipc_test::run_until;

struct msg
{
    int n = 0;
    std::string text;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & n & text;
    }
};

// A move-only message (it carries an fd).
struct fd_msg
{
    unix_ipc::handle<unique_fd> h;
    int n = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & h & n;
    }
};

// A value whose save throws: the send fails with bad_message.
struct throws_on_save
{
    template <class Archive>
    void serialize(Archive&, unsigned)
    {
        if constexpr (Archive::is_saving::value)
            throw std::runtime_error("cannot save");
    }
};

using sender_t = unix_ipc::sender<msg>;
using receiver_t = unix_ipc::receiver<msg>;

// Return types of the lazy and future tokens.
static_assert(std::is_same<decltype(std::declval<receiver_t&>().async_receive(asio::use_future)),
                           std::future<msg>>::value);
static_assert(std::is_same<decltype(std::declval<sender_t&>().async_send(msg{}, asio::use_future)),
                           std::future<void>>::value);
#ifdef BOOST_ASIO_HAS_CO_AWAIT
static_assert(std::is_same<decltype(std::declval<receiver_t&>().async_receive(asio::use_awaitable)),
                           asio::awaitable<msg>>::value);
static_assert(std::is_same<decltype(std::declval<sender_t&>().async_send(msg{}, asio::use_awaitable)),
                           asio::awaitable<void>>::value);
static_assert(std::is_same<decltype(std::declval<unix_ipc::receiver<fd_msg>&>().async_receive(asio::use_awaitable)),
                           asio::awaitable<fd_msg>>::value);
#endif

} // namespace

BOOST_AUTO_TEST_SUITE(typed_tokens)

BOOST_FIXTURE_TEST_CASE(callback_runs_once_not_inline_on_bound_executor, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    auto strand = asio::make_strand(ctx);
    recorder<void(error_code, msg)> got(strand);
    recorder<void(error_code)> sent(strand);
    got.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
    sent.initiate([&, &s = s](auto h) { s.async_send(msg{1, "one"}, std::move(h)); });
    run_until(ctx, [&] { return got.called() && sent.called(); });
    BOOST_TEST(!sent.checked_ec());
    BOOST_TEST_REQUIRE(!got.checked_ec());
    BOOST_TEST(got.get<1>().n == 1);
    BOOST_TEST(got.get<1>().text == "one");
}

BOOST_FIXTURE_TEST_CASE(use_future_with_context_on_another_thread, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    std::future<msg> got = r.async_receive(asio::use_future);
    std::future<void> sent = s.async_send(msg{2, "two"}, asio::use_future);
    {
        unix_ipc_test::context_thread t(ctx);
        unix_ipc_test::wait_future(sent);
        msg m = unix_ipc_test::wait_future(got);
        BOOST_TEST(m.n == 2);
        BOOST_TEST(m.text == "two");
        t.join();
    }
    // An error arrives as an exception from the future.
    s.close();
    std::future<msg> eof = r.async_receive(asio::use_future);
    {
        unix_ipc_test::context_thread t(ctx);
        BOOST_TEST_REQUIRE((eof.wait_for(std::chrono::seconds(5)) == std::future_status::ready));
        try
        {
            eof.get();
            BOOST_TEST_FAIL("no exception");
        }
        catch (const boost::system::system_error& e)
        {
            BOOST_TEST(e.code() == make_error_code(unix_ipc::error::eof));
        }
        t.join();
    }
}

BOOST_FIXTURE_TEST_CASE(deferred_starts_nothing_until_launched, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    auto send_op = s.async_send(msg{3, "three"}, asio::deferred);
    auto recv_op = r.async_receive(asio::deferred);
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(20));
    // Nothing was sent: the socket has nothing to read.
    BOOST_TEST(unix_ipc_test::socket_drained(r.raw().native_handle()));

    std::optional<error_code> send_ec;
    std::optional<msg> got;
    std::move(recv_op)([&](error_code ec, msg m) {
        BOOST_TEST(!ec);
        got = std::move(m);
    });
    std::move(send_op)([&](error_code ec) { send_ec = ec; });
    run_until(ctx, [&] { return send_ec && got; });
    BOOST_TEST(!*send_ec);
    BOOST_TEST(got->n == 3);

    // Composed with deferred: receive, then send back.
    auto [s2, r2] = unix_ipc::make_channel<msg>(ctx);
    std::optional<error_code> chained;
    auto op = r.async_receive(asio::deferred([&, &s2 = s2](error_code ec, msg m) {
        BOOST_TEST(!ec);
        m.n += 1;
        return s2.async_send(m, asio::deferred);
    }));
    s.async_send(msg{4, "four"}, [](error_code ec) { BOOST_TEST(!ec); });
    std::move(op)([&](error_code ec) { chained = ec; });
    std::optional<msg> back;
    r2.async_receive([&](error_code ec, msg m) {
        BOOST_TEST(!ec);
        back = std::move(m);
    });
    run_until(ctx, [&] { return chained && back; });
    BOOST_TEST(!*chained);
    BOOST_TEST(back->n == 5);
}

#ifdef BOOST_ASIO_HAS_CO_AWAIT
BOOST_FIXTURE_TEST_CASE(use_awaitable_with_co_spawn, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    auto [fs, fr] = unix_ipc::make_channel<fd_msg>(ctx);
    auto pipe = unix_ipc_test::make_pipe();
    const auto pipe_id = unix_ipc_test::file_id(pipe.first.get());
    bool done = false;
    asio::co_spawn(
        ctx,
        [&, &s = s, &r = r, &fs = fs, &fr = fr]() -> asio::awaitable<void> {
            // (A named value: GCC 12 mishandles aggregate temporaries inside co_await.)
            const msg five{5, "five"};
            co_await s.async_send(five, asio::use_awaitable);
            msg m = co_await r.async_receive(asio::use_awaitable);
            BOOST_TEST(m.n == 5);
            BOOST_TEST(m.text == "five");

            // A move-only message, both ways by co_await: the operation owns it.
            fd_msg out;
            out.h = unix_ipc::handle<unique_fd>(std::move(pipe.first));
            out.n = 6;
            co_await fs.async_send(std::move(out), asio::use_awaitable);
            fd_msg in = co_await fr.async_receive(asio::use_awaitable);
            BOOST_TEST(in.n == 6);
            BOOST_TEST_REQUIRE(in.h.has_value());
            BOOST_TEST(unix_ipc_test::file_id(in.h->get()) == pipe_id);

            // as_tuple and redirect_error on an awaitable.
            s.close();
            auto [ec, m2] = co_await r.async_receive(asio::as_tuple(asio::use_awaitable));
            BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
            error_code ec2;
            co_await r.async_receive(asio::redirect_error(asio::use_awaitable, ec2));
            BOOST_TEST(ec2 == make_error_code(unix_ipc::error::eof));
            // An error otherwise throws.
            try
            {
                co_await r.async_receive(asio::use_awaitable);
                BOOST_TEST_FAIL("no exception");
            }
            catch (const boost::system::system_error& e)
            {
                BOOST_TEST(e.code() == make_error_code(unix_ipc::error::eof));
            }
            done = true;
        },
        [](std::exception_ptr e) { BOOST_TEST(!e); });
    run_until(ctx, [&] { return done; });
}
#endif

BOOST_FIXTURE_TEST_CASE(yield_context_with_spawn, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    auto [fs, fr] = unix_ipc::make_channel<fd_msg>(ctx);
    auto pipe = unix_ipc_test::make_pipe();
    const auto pipe_id = unix_ipc_test::file_id(pipe.first.get());
    bool done = false;
    asio::spawn(
        ctx,
        [&, &s = s, &r = r, &fs = fs, &fr = fr](asio::yield_context yield) {
            s.async_send(msg{7, "seven"}, yield);
            msg m = r.async_receive(yield);
            BOOST_TEST(m.n == 7);
            // Move-only messages both ways.
            fd_msg out;
            out.h = unix_ipc::handle<unique_fd>(std::move(pipe.first));
            out.n = 8;
            fs.async_send(std::move(out), yield);
            fd_msg in = fr.async_receive(yield);
            BOOST_TEST_REQUIRE(in.h.has_value());
            BOOST_TEST(unix_ipc_test::file_id(in.h->get()) == pipe_id);
            // error_code through yield[ec], redirect_error and as_tuple.
            s.close();
            error_code ec;
            r.async_receive(yield[ec]);
            BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
            error_code ec2;
            r.async_receive(asio::redirect_error(yield, ec2));
            BOOST_TEST(ec2 == make_error_code(unix_ipc::error::eof));
            auto [ec3, m3] = r.async_receive(asio::as_tuple(yield));
            BOOST_TEST(ec3 == make_error_code(unix_ipc::error::eof));
            done = true;
        },
        [](std::exception_ptr e) { BOOST_TEST(!e); });
    run_until(ctx, [&] { return done; });
}

BOOST_FIXTURE_TEST_CASE(as_tuple_and_redirect_error_with_callbacks, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    std::optional<std::tuple<error_code>> sent;
    std::optional<std::tuple<error_code, msg>> got;
    r.async_receive(asio::as_tuple([&](std::tuple<error_code, msg> t) { got = std::move(t); }));
    s.async_send(msg{9, "nine"}, asio::as_tuple([&](std::tuple<error_code> t) { sent = t; }));
    run_until(ctx, [&] { return sent && got; });
    BOOST_TEST(!std::get<0>(*sent));
    BOOST_TEST(!std::get<0>(*got));
    BOOST_TEST(std::get<1>(*got).n == 9);

    s.close();
    error_code ec;
    bool called = false;
    r.async_receive(asio::redirect_error(
        [&](msg m) {
            called = true;
            BOOST_TEST(m.n == 0);
        },
        ec));
    run_until(ctx, [&] { return called; });
    BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
}

// A pending typed receive cancelled through its slot ends with
// operation_aborted; the next receive gets the next message. (When the
// cancellation is ignored the receive is closed instead, so that the test
// fails without leaving an operation behind.)
void check_cancel_pending_receive(asio::io_context& ctx, asio::cancellation_type type)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    asio::cancellation_signal sig;
    recorder<void(error_code, msg)> got(ctx.get_executor());
    got.initiate([&, &r = r](auto h) { r.async_receive(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(5));
    BOOST_TEST_REQUIRE(!got.called());
    sig.emit(type);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    while (!got.called() && std::chrono::steady_clock::now() < deadline)
    {
        ctx.restart();
        ctx.run_one_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST(got.called(), "the receive ignored cancellation type " << static_cast<int>(type));
    if (!got.called())
    {
        r.close();
        run_until(ctx, got.done());
        return;
    }
    BOOST_TEST(got.checked_ec() == asio::error::operation_aborted);
    s.send(msg{10, "after cancel"});
    msg m = r.receive();
    BOOST_TEST(m.n == 10);
}

BOOST_FIXTURE_TEST_CASE(cancel_pending_receive_terminal, io_context_fixture)
{
    check_cancel_pending_receive(ctx, asio::cancellation_type::terminal);
}

// Partial and total cancellation reach the raw receive too (async_compose's
// default filter passes on only terminal: the op widens it).
BOOST_FIXTURE_TEST_CASE(cancel_pending_receive_partial_and_total, io_context_fixture)
{
    check_cancel_pending_receive(ctx, asio::cancellation_type::partial);
    check_cancel_pending_receive(ctx, asio::cancellation_type::total);
}

// A pending send cannot be observed here (a small frame leaves at once), but
// a terminal cancellation emitted after completion is harmless.
BOOST_FIXTURE_TEST_CASE(cancel_after_send_completed, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    asio::cancellation_signal sig;
    recorder<void(error_code)> sent(ctx.get_executor());
    sent.initiate([&, &s = s](auto h) { s.async_send(msg{1, "x"}, asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    run_until(ctx, sent.done());
    BOOST_TEST(!sent.checked_ec());
    sig.emit(asio::cancellation_type::terminal);
    BOOST_TEST(r.receive().n == 1);
}

// A cancelled receive loses nothing: half a frame already read stays
// buffered, and the next receive completes it.
BOOST_FIXTURE_TEST_CASE(cancel_with_half_a_frame_read, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    unix_ipc::receiver<msg> r(unix_ipc::raw_channel(ctx, std::move(sp.second)));
    std::vector<std::byte> payload;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(msg{11, std::string(3000, 'h')}, payload, fds);
    const unix_ipc_test::bytes frame = unix_ipc_test::frame_bytes(
        unix_ipc_test::bytes(reinterpret_cast<const unsigned char*>(payload.data()),
                             reinterpret_cast<const unsigned char*>(payload.data()) + payload.size()));
    const std::size_t half = frame.size() / 2;
    unix_ipc_test::send_raw(sp.first.get(), frame.data(), half);

    asio::cancellation_signal sig;
    recorder<void(error_code, msg)> got(ctx.get_executor());
    got.initiate([&](auto h) { r.async_receive(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    run_until(ctx, [&] { return unix_ipc_test::socket_drained(r.raw().native_handle()); });
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(5));
    BOOST_TEST_REQUIRE(!got.called());
    sig.emit(asio::cancellation_type::terminal);
    run_until(ctx, got.done());
    BOOST_TEST(got.checked_ec() == asio::error::operation_aborted);

    unix_ipc_test::send_raw(sp.first.get(), frame.data() + half, frame.size() - half);
    recorder<void(error_code, msg)> next(ctx.get_executor());
    next.initiate([&](auto h) { r.async_receive(std::move(h)); });
    run_until(ctx, next.done());
    BOOST_TEST_REQUIRE(!next.checked_ec(), next.ec().message());
    BOOST_TEST(next.get<1>().n == 11);
    BOOST_TEST(next.get<1>().text == std::string(3000, 'h'));
}

BOOST_FIXTURE_TEST_CASE(peer_closed_gives_eof, io_context_fixture)
{
    {
        auto [s, r] = unix_ipc::make_channel<msg>(ctx);
        s.send(msg{12, "last"});
        s = unix_ipc::sender<msg>(); // destroyed: the socket closes
        BOOST_TEST(!s.is_open());
        recorder<void(error_code, msg)> first(ctx.get_executor());
        first.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
        run_until(ctx, first.done());
        BOOST_TEST(!first.checked_ec());
        BOOST_TEST(first.get<1>().text == "last"); // what was sent before the close still arrives
        recorder<void(error_code, msg)> second(ctx.get_executor());
        second.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
        run_until(ctx, second.done());
        BOOST_TEST(second.checked_ec() == make_error_code(unix_ipc::error::eof));
        error_code ec;
        r.receive(ec);
        BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
        BOOST_CHECK_THROW(r.receive(), boost::system::system_error);
    }
    {
        // Sending to a closed receiver: eof, no SIGPIPE.
        auto [s, r] = unix_ipc::make_channel<msg>(ctx);
        r.close();
        recorder<void(error_code)> sent(ctx.get_executor());
        sent.initiate([&, &s = s](auto h) { s.async_send(msg{13, "nobody"}, std::move(h)); });
        run_until(ctx, sent.done());
        BOOST_TEST(sent.checked_ec() == make_error_code(unix_ipc::error::eof));
        error_code ec;
        s.send(msg{14, "nobody"}, ec);
        BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
    }
}

// Closing the receiver while a receive is pending: operation_aborted.
BOOST_FIXTURE_TEST_CASE(close_with_pending_receive, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<msg>(ctx);
    recorder<void(error_code, msg)> got(ctx.get_executor());
    got.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(5));
    r.close();
    run_until(ctx, got.done());
    BOOST_TEST(got.checked_ec() == asio::error::operation_aborted);
}

// Encoding that throws: bad_message, reported from the executor, nothing sent.
BOOST_FIXTURE_TEST_CASE(send_of_a_value_that_fails_to_encode, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<throws_on_save>(ctx);
    recorder<void(error_code)> sent(ctx.get_executor());
    sent.initiate([&, &s = s](auto h) { s.async_send(throws_on_save{}, std::move(h)); });
    run_until(ctx, sent.done());
    BOOST_TEST(sent.checked_ec() == make_error_code(unix_ipc::error::bad_message));
    error_code ec;
    s.send(throws_on_save{}, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::bad_message));
    BOOST_TEST(unix_ipc_test::socket_drained(r.raw().native_handle()));
}

// Empty (default-constructed) channels: not_connected, synchronously.
BOOST_FIXTURE_TEST_CASE(empty_channels, io_context_fixture)
{
    unix_ipc::sender<msg> s;
    unix_ipc::receiver<msg> r;
    BOOST_TEST(!s.is_open());
    BOOST_TEST(!r.is_open());
    error_code ec;
    s.send(msg{}, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
    r.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
    BOOST_CHECK_THROW(s.async_send(msg{}, [](error_code) {}), boost::system::system_error);
    BOOST_CHECK_THROW(r.async_receive([](error_code, msg) {}), boost::system::system_error);
    r.peer_credentials(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
}

BOOST_AUTO_TEST_SUITE_END()
