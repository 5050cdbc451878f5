//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/unix_ipc/raw_acceptor.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/errc.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <unistd.h>

#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::error;
using unix_ipc::raw_acceptor;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;
using namespace unix_ipc_test;

namespace {

using accept_rec = recorder<void(error_code, raw_channel)>;

raw_channel accept_one(asio::io_context& ctx, raw_acceptor& acc)
{
    accept_rec r(ctx.get_executor());
    r.initiate([&](auto h) { acc.async_accept(std::move(h)); });
    run_until(ctx, r.done(), default_timeout, "async_accept completes");
    BOOST_TEST_REQUIRE(!r.checked_ec(), r.ec().message());
    return r.take<1>();
}

std::string receive_text(asio::io_context& ctx, raw_channel& ch)
{
    recorder<void(error_code, raw_message)> r(ctx.get_executor());
    r.initiate([&](auto h) { ch.async_receive(std::move(h)); });
    run_until(ctx, r.done());
    BOOST_TEST_REQUIRE(!r.checked_ec(), r.ec().message());
    return to_string(r.get<1>());
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(raw_acceptor_tests, io_context_fixture)

BOOST_AUTO_TEST_CASE(three_clients_connect_and_exchange_a_frame)
{
    temp_dir dir;
    const std::string path = dir.file("sock");
    raw_acceptor acc(ctx, path);
    BOOST_TEST(acc.is_open());
    BOOST_TEST(acc.local_path() == path);
    std::vector<raw_channel> clients;
    for (int i = 0; i < 3; ++i)
    {
        clients.emplace_back(ctx);
        clients.back().connect(path);
        BOOST_TEST(clients.back().is_open());
        BOOST_TEST(is_cloexec(clients.back().native_handle()));
    }
    for (int i = 0; i < 3; ++i)
    {
        BOOST_TEST_CONTEXT("client " << i)
        {
            raw_channel server = accept_one(ctx, acc);
            BOOST_TEST_REQUIRE(server.is_open());
            BOOST_TEST(is_cloexec(server.native_handle()), "accepted sockets are close-on-exec");
            // Accepted in connection order: server i talks to client i.
            server.send(asio::buffer("to " + std::to_string(i)));
            BOOST_TEST(receive_text(ctx, clients[i]) == "to " + std::to_string(i));
            clients[i].send(asio::buffer("from " + std::to_string(i)));
            BOOST_TEST(receive_text(ctx, server) == "from " + std::to_string(i));
        }
    }
    acc.close();
    BOOST_TEST(!acc.is_open());
    BOOST_TEST(acc.local_path().empty());
}

BOOST_AUTO_TEST_CASE(sync_accept)
{
    temp_dir dir;
    raw_acceptor acc(ctx);
    acc.listen(dir.file("s"));
    raw_channel client(ctx);
    error_code ec;
    client.connect(dir.file("s"), ec);
    BOOST_TEST_REQUIRE(!ec);
    raw_channel server = acc.accept(ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(is_cloexec(server.native_handle()));
    client.send(asio::buffer(std::string("sync")));
    BOOST_TEST(to_string(server.receive()) == "sync");
    acc.close();
    raw_channel none = acc.accept(ec);
    BOOST_TEST(ec.failed(), "accept on a closed acceptor fails at once");
    BOOST_TEST(!none.is_open());
}

BOOST_AUTO_TEST_CASE(listening_twice_on_a_path_is_address_in_use)
{
    temp_dir dir;
    const std::string path = dir.file("sock");
    raw_acceptor first(ctx, path);
    raw_acceptor second(ctx);
    error_code ec;
    second.listen(path, ec);
    BOOST_TEST((ec == boost::system::errc::address_in_use), ec.message());
    BOOST_TEST(!second.is_open());
    BOOST_CHECK_EXCEPTION(raw_acceptor(ctx, path), boost::system::system_error,
                          [](const boost::system::system_error& e) {
                              return e.code() == boost::system::errc::address_in_use;
                          });
    first.listen(dir.file("other"), ec);
    BOOST_TEST((ec == asio::error::already_open));
}

BOOST_AUTO_TEST_CASE(connecting_to_a_missing_path_is_a_system_error)
{
    temp_dir dir;
    raw_channel ch(ctx);
    error_code ec;
    ch.connect(dir.file("nobody"), ec);
    BOOST_TEST((ec == boost::system::errc::no_such_file_or_directory), ec.message());
    BOOST_TEST(&ec.category() == &boost::system::system_category());
    BOOST_TEST(!ch.is_open());
    BOOST_CHECK_THROW(ch.connect(dir.file("nobody")), boost::system::system_error);
    ch.connect(std::string(200, 'x'), ec);
    BOOST_TEST(ec.failed(), "a path longer than sun_path");
    ch.connect("", ec);
    BOOST_TEST(ec.failed());
}

BOOST_AUTO_TEST_CASE(abstract_names)
{
    const std::string name = std::string(1, '\0') + "unix_ipc_test_" + std::to_string(::getpid());
    raw_acceptor acc(ctx, name);
    BOOST_TEST(acc.local_path() == name);
    raw_channel client(ctx);
    client.connect(name);
    raw_channel server = accept_one(ctx, acc);
    server.send(asio::buffer(std::string("abstract")));
    BOOST_TEST(receive_text(ctx, client) == "abstract");
}

BOOST_AUTO_TEST_CASE(cancel_and_close_abort_a_pending_accept)
{
    temp_dir dir;
    raw_acceptor acc(ctx, dir.file("s"));
    {
        accept_rec r(ctx.get_executor());
        r.initiate([&](auto h) { acc.async_accept(std::move(h)); });
        poll();
        BOOST_TEST(!r.called());
        acc.cancel();
        run_until(ctx, r.done());
        BOOST_TEST((r.checked_ec() == asio::error::operation_aborted));
        BOOST_TEST(!r.get<1>().is_open());
    }
    {
        asio::cancellation_signal sig;
        accept_rec r(ctx.get_executor());
        r.initiate([&](auto h) { acc.async_accept(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
        poll();
        sig.emit(asio::cancellation_type::terminal);
        run_until(ctx, r.done());
        BOOST_TEST((r.checked_ec() == asio::error::operation_aborted));
    }
    {
        // Still listening after cancellations.
        raw_channel client(ctx);
        client.connect(dir.file("s"));
        raw_channel server = accept_one(ctx, acc);
        BOOST_TEST(server.is_open());
    }
    {
        accept_rec r(ctx.get_executor());
        r.initiate([&](auto h) { acc.async_accept(std::move(h)); });
        poll();
        acc.close();
        run_until(ctx, r.done());
        BOOST_TEST((r.checked_ec() == asio::error::operation_aborted));
    }
}

// raw_acceptor.hpp documents async_accept's per-operation cancellation as
// "terminal, partial and total (as Asio's async_accept)"; async_compose's
// default filter passes terminal cancellation only, so the op must widen it.
BOOST_AUTO_TEST_CASE(partial_and_total_cancellation_of_async_accept)
{
    temp_dir dir;
    raw_acceptor acc(ctx, dir.file("s"));
    for (auto type : {asio::cancellation_type::partial, asio::cancellation_type::total})
    {
        BOOST_TEST_CONTEXT("cancellation type " << static_cast<int>(type))
        {
            asio::cancellation_signal sig;
            accept_rec r(ctx.get_executor());
            r.initiate([&](auto h) { acc.async_accept(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
            poll();
            sig.emit(type);
            run_for(ctx, std::chrono::milliseconds(100));
            BOOST_TEST(r.called(), "async_accept ignored the cancellation");
            if (!r.called())
            {
                acc.cancel(); // clean up for the next round
                run_until(ctx, r.done());
            }
            else
                BOOST_TEST((r.ec() == asio::error::operation_aborted));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
