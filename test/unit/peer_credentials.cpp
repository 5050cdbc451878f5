//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/raw_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

BOOST_AUTO_TEST_SUITE(peer_credentials)

BOOST_AUTO_TEST_CASE(socketpair_peer_is_this_process)
{
    asio::io_context ioc;
    auto [a, b] = unix_ipc::make_raw_channel_pair(ioc);
    unix_ipc::credentials c = a.peer_credentials();
    BOOST_TEST(c.pid == ::getpid());
    BOOST_TEST(c.uid == ::getuid());
    BOOST_TEST(c.gid == ::getgid());
}

BOOST_AUTO_TEST_CASE(closed_channel_is_not_connected)
{
    asio::io_context ioc;
    unix_ipc::raw_channel ch(ioc);
    boost::system::error_code ec;
    ch.peer_credentials(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
    BOOST_CHECK_THROW(ch.peer_credentials(), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(bad_fd_is_a_system_error)
{
    boost::system::error_code ec;
    unix_ipc::peer_credentials(-1, ec);
    BOOST_TEST(ec == boost::system::error_code(EBADF, boost::system::system_category()));
}

// The accepted channel sees the pid of the process that connected.
BOOST_AUTO_TEST_CASE(accepted_peer_is_the_connecting_process)
{
    char dir[] = "/tmp/unix_ipc_cred_XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string path = std::string(dir) + "/sock";
    asio::io_context ioc;
    unix_ipc::raw_acceptor acceptor(ioc, path);

    pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0)
    {
        // A fresh context: nothing of the parent's reactor is touched.
        asio::io_context child_ioc;
        unix_ipc::raw_channel ch(child_ioc);
        boost::system::error_code ec;
        ch.connect(path, ec);
        if (ec)
            std::_Exit(2);
        unix_ipc::credentials c = ch.peer_credentials(ec); // the listener's creator: our parent
        std::_Exit(!ec && c.pid == ::getppid() ? 0 : 3);
    }
    unix_ipc::raw_channel ch = acceptor.accept();
    unix_ipc::credentials c = ch.peer_credentials();
    BOOST_TEST(c.pid == pid);
    BOOST_TEST(c.uid == ::getuid());
    int status = 0;
    BOOST_TEST(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    acceptor.close();
    ::unlink(path.c_str());
    ::rmdir(dir);
}

BOOST_AUTO_TEST_SUITE_END()
