//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Path mode: the private listener's directory, its peer policy, many forked
// clients, and the removal of the path.

#include <boost/unix_ipc/bootstrap.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;

namespace {

bool exists(const std::string& path)
{
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

std::string parent_dir(const std::string& path)
{
    return path.substr(0, path.rfind('/'));
}

// A forked client: connects through BOOST_UNIX_IPC_PATH, sends its pid, waits
// for "bye" and exits 0 (1 on any failure; 2 when it saw eof instead, on its
// send or its receive: a refused client).
pid_t fork_client(const std::string& path)
{
    pid_t pid = ::fork();
    if (pid != 0)
        return pid;
    int status = 1;
    try
    {
        asio::io_context ctx;
        ::setenv("BOOST_UNIX_IPC_PATH", path.c_str(), 1);
        auto ep = unix_ipc::inherited_endpoint<std::string, std::string>(ctx);
        error_code ec;
        ep.send(std::to_string(::getpid()), ec); // a refused client may already see eof here
        std::string reply;
        if (!ec)
            reply = ep.receive(ec);
        status = ec == unix_ipc::error::eof ? 2 : (!ec && reply == "bye") ? 0 : 1;
    }
    catch (...)
    {
    }
    std::_Exit(status);
}

int wait_status(pid_t pid)
{
    int st = 0;
    if (::waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

} // namespace

BOOST_AUTO_TEST_SUITE(private_listener)

BOOST_FIXTURE_TEST_CASE(private_directory_and_cleanup, io_context_fixture)
{
    std::string path;
    {
        unix_ipc::private_listener l(ctx);
        BOOST_TEST(l.is_open());
        path = l.path();
        BOOST_TEST(l.environment_entry() == "BOOST_UNIX_IPC_PATH=" + path);
        struct stat st;
        BOOST_TEST_REQUIRE(::stat(parent_dir(path).c_str(), &st) == 0);
        BOOST_TEST((st.st_mode & 0777) == 0700u);
        BOOST_TEST(st.st_uid == ::geteuid());
        BOOST_TEST_REQUIRE(::lstat(path.c_str(), &st) == 0);
        BOOST_TEST(S_ISSOCK(st.st_mode));

        // A forked copy that closes its listener leaves the path alone.
        pid_t pid = ::fork();
        if (pid == 0)
        {
            l.close();
            std::_Exit(0);
        }
        BOOST_TEST(wait_status(pid) == 0);
        BOOST_TEST(exists(path));
    }
    BOOST_TEST(!exists(path));
    BOOST_TEST(!exists(parent_dir(path)));

    unix_ipc::private_listener l(ctx);
    path = l.path();
    l.close();
    BOOST_TEST(!l.is_open());
    BOOST_TEST(l.path().empty());
    BOOST_TEST(!exists(parent_dir(path)));
    error_code ec;
    l.accept(ec);
    BOOST_TEST(ec.failed());
}

BOOST_FIXTURE_TEST_CASE(serves_many_clients, io_context_fixture)
{
    unix_ipc::private_listener l(ctx);
    const int n = 4;
    std::set<pid_t> pids;
    for (int i = 0; i < n; ++i)
        pids.insert(fork_client(l.path()));

    std::vector<unix_ipc::endpoint<std::string, std::string>> peers;
    std::set<pid_t> seen;
    std::function<void()> next = [&] {
        l.async_accept([&](error_code ec, unix_ipc::raw_channel ch) {
            BOOST_TEST_REQUIRE(!ec, ec.message());
            peers.emplace_back(std::move(ch));
            auto& ep = peers.back();
            BOOST_TEST(pids.count(ep.peer_credentials().pid) == 1u);
            seen.insert(static_cast<pid_t>(std::stol(ep.receive())));
            if (static_cast<int>(peers.size()) < n)
                next();
        });
    };
    next();
    run_until(ctx, [&] { return static_cast<int>(peers.size()) == n; });
    BOOST_TEST(seen == pids);
    for (auto& p : peers)
        p.send("bye");
    for (pid_t pid : pids)
        BOOST_TEST(wait_status(pid) == 0);
}

BOOST_FIXTURE_TEST_CASE(policy_refuses_peers, io_context_fixture)
{
    // Refuse clients by pid; one client at a time, so the order is known.
    std::set<pid_t> refused;
    unix_ipc::private_listener l(ctx, [&](const unix_ipc::credentials& c) { return refused.count(c.pid) == 0; });
    std::optional<unix_ipc::raw_channel> accepted;
    l.async_accept([&](error_code ec, unix_ipc::raw_channel ch) {
        BOOST_TEST(!ec, ec.message());
        accepted.emplace(std::move(ch));
    });
    // The accept refuses this one (the client sees eof) and keeps waiting.
    pid_t bad = fork_client(l.path());
    refused.insert(bad);
    int status = -1;
    run_until(ctx, [&] {
        int st = 0;
        if (::waitpid(bad, &st, WNOHANG) != bad)
            return false;
        status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return true;
    });
    BOOST_TEST(status == 2);
    BOOST_TEST(!accepted.has_value());

    pid_t good = fork_client(l.path());
    run_until(ctx, [&] { return accepted.has_value(); });
    unix_ipc::endpoint<std::string, std::string> ep(std::move(*accepted));
    BOOST_TEST(ep.peer_credentials().pid == good);
    BOOST_TEST(ep.receive() == std::to_string(good));
    ep.send("bye");
    BOOST_TEST(wait_status(good) == 0);

}

BOOST_FIXTURE_TEST_CASE(blocking_accept_skips_refused_peers, io_context_fixture)
{
    // The policy runs on the accepting thread only: refuse the first peer.
    int calls = 0;
    unix_ipc::private_listener l(ctx, [&](const unix_ipc::credentials&) { return ++calls > 1; });
    std::optional<unix_ipc::raw_channel> accepted;
    std::thread t([&] { accepted.emplace(l.accept()); });
    pid_t bad = fork_client(l.path());
    BOOST_TEST(wait_status(bad) == 2); // refused: eof
    pid_t good = fork_client(l.path());
    t.join();
    BOOST_TEST_REQUIRE(accepted.has_value());
    unix_ipc::endpoint<std::string, std::string> ep(std::move(*accepted));
    BOOST_TEST(ep.receive() == std::to_string(good));
    ep.send("bye");
    BOOST_TEST(wait_status(good) == 0);
    BOOST_TEST(calls == 2);
}

BOOST_FIXTURE_TEST_CASE(cancel_accept, io_context_fixture)
{
    unix_ipc::private_listener l(ctx);
    std::optional<error_code> result;
    l.async_accept([&](error_code ec, unix_ipc::raw_channel) { result = ec; });
    l.cancel();
    run_until(ctx, [&] { return result.has_value(); });
    BOOST_TEST(*result == asio::error::operation_aborted);
    // Closing (or destroying) the listener aborts an accept too.
    result.reset();
    l.async_accept([&](error_code ec, unix_ipc::raw_channel) { result = ec; });
    l.close();
    run_until(ctx, [&] { return result.has_value(); });
    BOOST_TEST(*result == asio::error::operation_aborted);
}

BOOST_FIXTURE_TEST_CASE(other_users_cannot_connect, io_context_fixture)
{
    if (::geteuid() != 0)
    {
        BOOST_TEST_MESSAGE("not root: cannot run a client under another uid; skipped");
        return;
    }
    // The default policy (same uid) and the 0700 directory both stop another
    // user; root bypasses the directory's mode, so drop to nobody.
    unix_ipc::private_listener l(ctx);
    const std::string path = l.path();
    pid_t pid = ::fork();
    if (pid == 0)
    {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            std::_Exit(3);
        asio::io_context c2;
        unix_ipc::raw_channel ch(c2);
        error_code ec;
        ch.connect(path, ec);
        std::_Exit(ec == boost::system::errc::permission_denied ? 0 : 1);
    }
    BOOST_TEST(wait_status(pid) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
