//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The child side: inherited_channel and its errors, in this process (the
// variables are set by hand, as a broken parent might).

#include <boost/unix_ipc/bootstrap.hpp>

#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;

namespace {

struct clean_environment
{
    clean_environment() { clear(); }
    ~clean_environment() { clear(); }
    static void clear()
    {
        ::unsetenv("BOOST_UNIX_IPC_FD");
        ::unsetenv("BOOST_UNIX_IPC_PATH");
    }
};

error_code take_with(const std::string& value, boost::asio::io_context& ctx)
{
    ::setenv("BOOST_UNIX_IPC_FD", value.c_str(), 1);
    error_code ec;
    auto ch = unix_ipc::inherited_channel(ctx.get_executor(), ec);
    BOOST_TEST(!ch.is_open());
    BOOST_TEST(!unix_ipc::is_bootstrapped()); // a bad variable is dropped too
    return ec;
}

} // namespace

BOOST_AUTO_TEST_SUITE(inherited)

BOOST_FIXTURE_TEST_CASE(not_bootstrapped, io_context_fixture)
{
    clean_environment env;
    BOOST_TEST(!unix_ipc::is_bootstrapped());
    error_code ec;
    auto ch = unix_ipc::inherited_channel(ctx.get_executor(), ec);
    BOOST_TEST(ec == unix_ipc::error::not_bootstrapped);
    BOOST_TEST(!ec.message().empty());
    BOOST_TEST(!ch.is_open());
    BOOST_CHECK_THROW(unix_ipc::inherited_channel(ctx), boost::system::system_error);
    BOOST_CHECK_THROW(unix_ipc::inherited_receiver<int>(ctx), boost::system::system_error);
}

BOOST_FIXTURE_TEST_CASE(bad_variable_values, io_context_fixture)
{
    clean_environment env;
    for (const char* v : {"", "abc", "-1", "3x", " 3", "99999999999999", "+3"})
        BOOST_TEST(take_with(v, ctx) == unix_ipc::error::bad_bootstrap_environment, "value '" << v << "'");

    // A number that is not an open fd.
    BOOST_TEST(take_with("987", ctx) == unix_ipc::error::bad_bootstrap_environment);

    // Open, but a pipe: not taken, not closed.
    auto [r, w] = make_pipe();
    BOOST_TEST(take_with(std::to_string(r.get()), ctx) == unix_ipc::error::bad_bootstrap_environment);
    BOOST_TEST(is_open_fd(r.get()));

    // A socket, but not AF_UNIX, or not a stream.
    unix_ipc::unique_fd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    BOOST_TEST_REQUIRE(udp.get() >= 0);
    BOOST_TEST(take_with(std::to_string(udp.get()), ctx) == unix_ipc::error::bad_bootstrap_environment);
    int sv[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0);
    unix_ipc::unique_fd d0(sv[0]), d1(sv[1]);
    BOOST_TEST(take_with(std::to_string(d0.get()), ctx) == unix_ipc::error::bad_bootstrap_environment);
    BOOST_TEST(is_open_fd(d0.get()));
}

BOOST_FIXTURE_TEST_CASE(takes_a_good_fd_once, io_context_fixture)
{
    clean_environment env;
    int sv[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0); // as inherited: no CLOEXEC
    unix_ipc::unique_fd other(sv[1]);
    ::setenv("BOOST_UNIX_IPC_FD", std::to_string(sv[0]).c_str(), 1);
    BOOST_TEST(unix_ipc::is_bootstrapped());
    auto tx = unix_ipc::inherited_sender<std::string>(ctx);
    BOOST_TEST(tx.is_open());
    BOOST_TEST(tx.raw().native_handle() == sv[0]);
    BOOST_TEST(is_cloexec(sv[0]));
    BOOST_TEST(!unix_ipc::is_bootstrapped());
    BOOST_TEST(std::getenv("BOOST_UNIX_IPC_FD") == nullptr);

    unix_ipc::receiver<std::string> rx(unix_ipc::raw_channel(ctx, std::move(other)));
    tx.send("hello");
    BOOST_TEST(rx.receive() == "hello");

    // Taken once: a second call finds nothing.
    error_code ec;
    unix_ipc::inherited_channel(ctx.get_executor(), ec);
    BOOST_TEST(ec == unix_ipc::error::not_bootstrapped);
}

BOOST_FIXTURE_TEST_CASE(path_variable_connects, io_context_fixture)
{
    clean_environment env;
    unix_ipc::private_listener listener(ctx);
    ::setenv("BOOST_UNIX_IPC_PATH", listener.path().c_str(), 1);
    BOOST_TEST(unix_ipc::is_bootstrapped());
    auto ep = unix_ipc::inherited_endpoint<std::string, std::string>(ctx);
    BOOST_TEST(std::getenv("BOOST_UNIX_IPC_PATH") == nullptr);
    unix_ipc::endpoint<std::string, std::string> server(listener.accept());
    ep.send("ping");
    BOOST_TEST(server.receive() == "ping");

    // A path that does not exist: connect's error.
    ::setenv("BOOST_UNIX_IPC_PATH", "/nonexistent/dir/socket", 1);
    error_code ec;
    unix_ipc::inherited_channel(ctx.get_executor(), ec);
    BOOST_TEST(ec == boost::system::errc::no_such_file_or_directory, ec.message());
}

BOOST_AUTO_TEST_SUITE_END()
