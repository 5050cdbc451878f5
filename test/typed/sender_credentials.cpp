//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Typed channels and per-message credentials: receive_from and
// async_receive_from tell which process wrote each message.

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;

BOOST_AUTO_TEST_SUITE(typed_sender_credentials)

BOOST_FIXTURE_TEST_CASE(receive_from_names_each_writer, io_context_fixture)
{
    auto [tx, rx] = unix_ipc::make_channel<std::string>(ctx);
    std::optional<unix_ipc::credentials> who;

    // Off: no credentials.
    tx.send("off");
    BOOST_TEST(rx.receive_from(who) == "off");
    BOOST_TEST(!who.has_value());

    rx.set_pass_credentials(true);
    tx.send("parent");

    // A forked child writes through its own copy of the sending end.
    ctx.notify_fork(asio::execution_context::fork_prepare);
    pid_t pid = ::fork();
    if (pid == 0)
    {
        asio::io_context c2;
        unix_ipc::sender<std::string> mine(
            unix_ipc::raw_channel(c2, unix_ipc::unique_fd(::dup(tx.raw().native_handle()))));
        error_code ec;
        mine.send("child", ec);
        std::_Exit(ec ? 1 : 0);
    }
    ctx.notify_fork(asio::execution_context::fork_parent);
    int status = 0;
    BOOST_TEST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));

    BOOST_TEST(rx.receive_from(who) == "parent");
    BOOST_TEST_REQUIRE(who.has_value());
    BOOST_TEST(who->pid == ::getpid());
    BOOST_TEST(who->uid == ::getuid());

    std::optional<std::string> got;
    rx.async_receive_from(who, [&](error_code ec, std::string s) {
        BOOST_TEST(!ec);
        got = std::move(s);
    });
    run_until(ctx, [&] { return got.has_value(); });
    BOOST_TEST(*got == "child");
    BOOST_TEST_REQUIRE(who.has_value());
    BOOST_TEST(who->pid == pid);
}

BOOST_FIXTURE_TEST_CASE(endpoints_too, io_context_fixture)
{
    auto [a, b] = unix_ipc::make_endpoint_pair<std::string, int>(ctx);
    b.set_pass_credentials(true);
    a.send("x");
    std::optional<unix_ipc::credentials> who;
    BOOST_TEST(b.receive_from(who) == "x");
    BOOST_TEST_REQUIRE(who.has_value());
    BOOST_TEST(who->pid == ::getpid());
}

BOOST_FIXTURE_TEST_CASE(empty_channel_is_not_connected, io_context_fixture)
{
    unix_ipc::receiver<int> rx;
    error_code ec;
    rx.set_pass_credentials(true, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
    BOOST_CHECK_THROW(rx.set_pass_credentials(true), boost::system::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
