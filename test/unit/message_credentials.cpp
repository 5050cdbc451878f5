//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Per-message credentials (SO_PASSCRED / SCM_CREDENTIALS): each received
// frame names the process that wrote it.

#include <boost/unix_ipc/raw_channel.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;

namespace {

unix_ipc::credentials self()
{
    return unix_ipc::credentials{::getpid(), ::getuid(), ::getgid()};
}

std::string text(const unix_ipc::raw_message& m)
{
    return std::string(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
}

} // namespace

BOOST_AUTO_TEST_SUITE(message_credentials)

BOOST_FIXTURE_TEST_CASE(off_by_default_then_on_then_off, io_context_fixture)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    a.send(asio::buffer(std::string("before")));
    unix_ipc::raw_message m = b.receive();
    BOOST_TEST(!m.sender.has_value());

    b.set_pass_credentials(true);
    a.send(asio::buffer(std::string("small")));
    m = b.receive();
    BOOST_TEST_REQUIRE(m.sender.has_value());
    BOOST_TEST((*m.sender == self()));

    // A frame big enough to be read straight into its own buffer.
    std::string big(200 * 1024, 'x');
    std::optional<error_code> sent;
    a.async_send(asio::buffer(big), [&](error_code ec) { sent = ec; });
    std::optional<unix_ipc::raw_message> got;
    b.async_receive([&](error_code ec, unix_ipc::raw_message msg) {
        BOOST_TEST(!ec);
        got = std::move(msg);
    });
    run_until(ctx, [&] { return sent && got; });
    BOOST_TEST(got->bytes.size() == big.size());
    BOOST_TEST_REQUIRE(got->sender.has_value());
    BOOST_TEST((*got->sender == self()));

    b.set_pass_credentials(false);
    a.send(asio::buffer(std::string("after")));
    m = b.receive();
    BOOST_TEST(!m.sender.has_value());
}

BOOST_FIXTURE_TEST_CASE(names_each_writer_of_one_end_when_writers_take_turns, io_context_fixture)
{
    // Three frames on one socket end, written in turn (never at the same time:
    // an end has one writer at a time): this process, a forked child holding a
    // copy of the same end (the parent waits for it to exit), this process
    // again. Each frame names its own writer.
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    b.set_pass_credentials(true);
    a.send(asio::buffer(std::string("parent 1")));

    ctx.notify_fork(asio::execution_context::fork_prepare);
    pid_t pid = ::fork();
    if (pid == 0)
    {
        // Its own channel on a duplicate of the same end: one complete frame.
        asio::io_context c2;
        unix_ipc::raw_channel mine(c2, unix_ipc::unique_fd(::dup(a.native_handle())));
        error_code ec;
        mine.send(asio::buffer(std::string("child")), {}, ec);
        std::_Exit(ec ? 1 : 0);
    }
    ctx.notify_fork(asio::execution_context::fork_parent);
    int status = 0;
    BOOST_TEST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    a.send(asio::buffer(std::string("parent 2")));

    std::vector<std::pair<std::string, pid_t>> seen;
    for (int i = 0; i < 3; ++i)
    {
        unix_ipc::raw_message m = b.receive();
        BOOST_TEST_REQUIRE(m.sender.has_value());
        seen.emplace_back(text(m), m.sender->pid);
    }
    BOOST_TEST(seen[0].first == "parent 1");
    BOOST_TEST(seen[0].second == ::getpid());
    BOOST_TEST(seen[1].first == "child");
    BOOST_TEST(seen[1].second == pid);
    BOOST_TEST(seen[2].first == "parent 2");
    BOOST_TEST(seen[2].second == ::getpid());
}

BOOST_AUTO_TEST_CASE(closed_channel_is_not_connected)
{
    asio::io_context ioc;
    unix_ipc::raw_channel ch(ioc);
    error_code ec;
    ch.set_pass_credentials(true, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
    BOOST_CHECK_THROW(ch.set_pass_credentials(true), boost::system::system_error);
    unix_ipc::set_pass_credentials(-1, true, ec);
    BOOST_TEST(ec == boost::system::error_code(EBADF, boost::system::system_category()));
}

BOOST_AUTO_TEST_SUITE_END()
