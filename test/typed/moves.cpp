//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Operations of a typed channel belong to its socket, not to the C++ object:
// they follow the channel when the sender, receiver or endpoint is moved or
// gives up its raw channel (release_raw()) while they are outstanding, or
// before a deferred one is launched. Closing or destroying the object that
// owns the socket fails them (operation_aborted, or not_connected for an
// operation launched afterwards).

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

struct fd_msg
{
    unix_ipc::handle<unique_fd> h;
    std::string text;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & h & text;
    }
};

fd_msg make_msg(const std::string& text)
{
    auto p = unix_ipc_test::make_pipe();
    return fd_msg{unix_ipc::handle<unique_fd>(std::move(p.first)), text};
}

struct result
{
    std::optional<error_code> ec;
    fd_msg value;
};

template <class Receiver>
void start_receive(Receiver& r, result& out)
{
    r.async_receive([&out](error_code ec, fd_msg m) {
        out.ec = ec;
        out.value = std::move(m);
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_moves)

// The receiver is moved (and the old object destroyed) while a receive is
// outstanding: the receive completes with the value sent afterwards.
BOOST_FIXTURE_TEST_CASE(receiver_moved_with_receive_outstanding, io_context_fixture)
{
    auto [s, r0] = unix_ipc::make_channel<fd_msg>(ctx);
    auto r = std::make_unique<unix_ipc::receiver<fd_msg>>(std::move(r0));
    result got;
    start_receive(*r, got);
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(5));
    BOOST_TEST(!got.ec);

    unix_ipc::receiver<fd_msg> moved(std::move(*r));
    r.reset();
    s.send(make_msg("after the move"));
    run_until(ctx, [&] { return got.ec.has_value(); });
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.value.text == "after the move");
    BOOST_TEST(static_cast<bool>(got.value.h.get()));

    // Move-assignment too, and the channel keeps working.
    unix_ipc::receiver<fd_msg> assigned;
    result again;
    start_receive(moved, again);
    assigned = std::move(moved);
    s.send(make_msg("after the assignment"));
    run_until(ctx, [&] { return again.ec.has_value(); });
    BOOST_TEST(!*again.ec);
    BOOST_TEST(again.value.text == "after the assignment");
}

// release_raw() while a receive is outstanding: the receive stays with the
// raw channel and completes with the next value.
BOOST_FIXTURE_TEST_CASE(release_raw_with_receive_outstanding, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<fd_msg>(ctx);
    result got;
    start_receive(r, got);
    unix_ipc_test::run_for(ctx, std::chrono::milliseconds(5));
    auto raw = r.release_raw();
    BOOST_TEST(!r.is_open());
    s.send(make_msg("to the raw channel"));
    run_until(ctx, [&] { return got.ec.has_value(); });
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.value.text == "to the raw channel");

    // Closing the released raw channel aborts the next one.
    result aborted;
    unix_ipc::receiver<fd_msg> back(std::move(raw));
    start_receive(back, aborted);
    back.release_raw().close();
    run_until(ctx, [&] { return aborted.ec.has_value(); });
    BOOST_TEST(*aborted.ec == asio::error::operation_aborted);
}

// The receiver is destroyed while a receive is outstanding: operation_aborted.
BOOST_FIXTURE_TEST_CASE(receiver_destroyed_with_receive_outstanding, io_context_fixture)
{
    auto [s, r0] = unix_ipc::make_channel<fd_msg>(ctx);
    result got;
    {
        unix_ipc::receiver<fd_msg> r(std::move(r0));
        start_receive(r, got);
    }
    run_until(ctx, [&] { return got.ec.has_value(); });
    BOOST_TEST(*got.ec == asio::error::operation_aborted);
}

// A deferred send launched after the sender moved goes out on the channel.
BOOST_FIXTURE_TEST_CASE(deferred_send_after_the_sender_moved, io_context_fixture)
{
    auto [s0, r] = unix_ipc::make_channel<fd_msg>(ctx);
    auto s = std::make_unique<unix_ipc::sender<fd_msg>>(std::move(s0));
    auto op = s->async_send(make_msg("deferred"), asio::deferred);
    unix_ipc::sender<fd_msg> moved(std::move(*s));
    s.reset();

    std::optional<error_code> sent;
    std::move(op)([&](error_code ec) { sent = ec; });
    result got;
    start_receive(r, got);
    run_until(ctx, [&] { return sent && got.ec; });
    BOOST_TEST(!*sent);
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.value.text == "deferred");

    // Launched after the channel was closed: not_connected, the value's fd closed.
    auto late = moved.async_send(make_msg("too late"), asio::deferred);
    moved.close();
    std::optional<error_code> late_ec;
    std::move(late)([&](error_code ec) { late_ec = ec; });
    run_until(ctx, [&] { return late_ec.has_value(); });
    BOOST_TEST(*late_ec == make_error_code(unix_ipc::error::not_connected));
}

// A deferred receive launched after the receiver moved receives on the channel.
BOOST_FIXTURE_TEST_CASE(deferred_receive_after_the_receiver_moved, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<fd_msg>(ctx);
    auto op = r.async_receive(asio::deferred);
    unix_ipc::receiver<fd_msg> moved(std::move(r));
    result got;
    std::move(op)([&](error_code ec, fd_msg m) {
        got.ec = ec;
        got.value = std::move(m);
    });
    s.send(make_msg("deferred receive"));
    run_until(ctx, [&] { return got.ec.has_value(); });
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.value.text == "deferred receive");
}

// Endpoints: both directions outstanding, then both objects move.
BOOST_FIXTURE_TEST_CASE(endpoint_moved_with_operations_outstanding, io_context_fixture)
{
    auto [a0, b] = unix_ipc::make_endpoint_pair<fd_msg, fd_msg>(ctx);
    auto a = std::make_unique<unix_ipc::endpoint<fd_msg, fd_msg>>(std::move(a0));
    result at_a;
    start_receive(*a, at_a);
    auto send_op = a->async_send(make_msg("from a"), asio::deferred);
    unix_ipc::endpoint<fd_msg, fd_msg> moved(std::move(*a));
    a.reset();
    std::optional<error_code> sent;
    std::move(send_op)([&](error_code ec) { sent = ec; });
    result at_b;
    start_receive(b, at_b);
    b.send(make_msg("from b"));
    run_until(ctx, [&] { return sent && at_a.ec && at_b.ec; });
    BOOST_TEST(!*sent);
    BOOST_TEST(!*at_a.ec);
    BOOST_TEST(at_a.value.text == "from b");
    BOOST_TEST(!*at_b.ec);
    BOOST_TEST(at_b.value.text == "from a");
}

BOOST_AUTO_TEST_SUITE_END()
