//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Helpers of the typed suite's cross-process tests (xproc_scenarios.cpp,
// xproc_stress.cpp): forking children that exit instead of returning into the
// framework, waiting for them, memfds, typed receives with a timeout.

#ifndef UNIX_IPC_TYPED_XPROC_HELPERS_HPP
#define UNIX_IPC_TYPED_XPROC_HELPERS_HPP

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace typed_xproc {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::handle;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

// In a child: a failed check prints and exits with status 3 (Boost.Test's
// records in a child are lost).
#define CHILD_CHECK(cond)                                                                                      \
    do                                                                                                         \
    {                                                                                                          \
        if (!(cond))                                                                                           \
        {                                                                                                      \
            std::fprintf(stderr, "child %d: %s:%d: check failed: %s\n", static_cast<int>(::getpid()), __FILE__, \
                         __LINE__, #cond);                                                                     \
            std::_Exit(3);                                                                                     \
        }                                                                                                      \
    } while (false)

// Forks; the child runs body() and leaves with std::_Exit(its result) (5 on
// an exception, SIGALRM after 20 s), never returning into the framework.
template <class Body>
pid_t fork_child(Body&& body)
{
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0)
    {
        for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM})
            std::signal(sig, SIG_DFL);
        ::alarm(20);
        int code = 5;
        try
        {
            code = body();
        }
        catch (const std::exception& e)
        {
            std::fprintf(stderr, "child %d: exception: %s\n", static_cast<int>(::getpid()), e.what());
        }
        std::fflush(stderr);
        std::_Exit(code);
    }
    return pid;
}

// Reaps the child (killing it after `timeout`) and checks it exited with 0.
inline void wait_success(pid_t pid, std::chrono::seconds timeout = std::chrono::seconds(15))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int st = 0;
    for (;;)
    {
        const pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
        {
            BOOST_TEST_ERROR("waitpid failed");
            return;
        }
        if (std::chrono::steady_clock::now() > deadline)
        {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &st, 0);
            BOOST_TEST_ERROR("child " << pid << " did not exit in time; killed");
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    BOOST_TEST((WIFEXITED(st) && WEXITSTATUS(st) == 0),
               "child " << pid << (WIFEXITED(st) ? " exited " + std::to_string(WEXITSTATUS(st))
                                                 : " killed by signal " + std::to_string(WTERMSIG(st))));
}

inline unique_fd make_memfd(const std::string& text)
{
    unique_fd fd(::memfd_create("typed", MFD_CLOEXEC));
    if (fd && !text.empty() && ::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        fd.reset();
    return fd;
}

inline std::string read_fd(int fd)
{
    std::string out;
    char buf[4096];
    off_t off = 0;
    for (;;)
    {
        const ssize_t n = ::pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        off += n;
    }
    return out;
}

// One async receive in the parent, run to completion.
template <class T, class Channel>
T receive_as(asio::io_context& ctx, Channel& ch, error_code& ec)
{
    std::optional<error_code> result;
    T out{};
    ch.async_receive([&](error_code e, T v) {
        result = e;
        out = std::move(v);
    });
    run_until(ctx, [&] { return result.has_value(); }, std::chrono::seconds(10));
    ec = *result;
    return out;
}

template <class T, class Channel>
T receive_ok(asio::io_context& ctx, Channel& ch)
{
    error_code ec;
    T v = receive_as<T>(ctx, ch, ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    return v;
}

template <class T, class Channel>
void expect_eof(asio::io_context& ctx, Channel& ch)
{
    error_code ec;
    receive_as<T>(ctx, ch, ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
}

} // namespace typed_xproc

#endif
