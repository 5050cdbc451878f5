//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// spawn(): the child gets its channel and nothing else, its environment and
// working directory, its exit code; its death is eof; no zombie, no leak.

#include <boost/unix_ipc/bootstrap.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;
using bootstrap_test::child_binary;

namespace {

using report = std::vector<std::string>;

report child_report(asio::io_context& ctx, unix_ipc::child& c)
{
    unix_ipc::receiver<report> rx(c.release_channel());
    std::optional<report> r;
    rx.async_receive([&](error_code ec, report v) {
        BOOST_TEST(!ec, ec.message());
        r = std::move(v);
    });
    run_until(ctx, [&] { return r.has_value(); });
    rx.close(); // the child exits on eof
    return r.value_or(report{});
}

bool has(const report& r, const std::string& line)
{
    return std::find(r.begin(), r.end(), line) != r.end();
}

std::vector<std::string> with_prefix(const report& r, const std::string& prefix)
{
    std::vector<std::string> out;
    for (const auto& l : r)
        if (l.compare(0, prefix.size(), prefix) == 0)
            out.push_back(l.substr(prefix.size()));
    return out;
}

bool reaped(pid_t pid)
{
    // ECHILD: no such child left, not even a zombie.
    return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

} // namespace

BOOST_AUTO_TEST_SUITE(spawn_child)

BOOST_FIXTURE_TEST_CASE(echo_round_trips_and_exit_code, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"echo"});
    BOOST_TEST(c.id() > 0);
    BOOST_TEST(c.running());
    unix_ipc::endpoint<std::string, std::string> ep(c.release_channel());
    for (const char* s : {"one", "two", "three"})
    {
        ep.send(s);
        BOOST_TEST(ep.receive() == std::string("echo:") + s);
    }
    ep.close();
    std::optional<int> code;
    c.async_wait([&](error_code ec, int exit_code) {
        BOOST_TEST(!ec, ec.message());
        code = exit_code;
    });
    run_until(ctx, [&] { return code.has_value(); });
    BOOST_TEST(*code == 0);
    BOOST_TEST(!c.running());
    BOOST_TEST(reaped(c.id()));
}

BOOST_FIXTURE_TEST_CASE(child_has_only_its_fds, io_context_fixture)
{
    // A descriptor of the parent that is NOT close-on-exec, and one that is:
    // neither may reach the child.
    int plain[2];
    BOOST_TEST_REQUIRE(::pipe(plain) == 0);
    auto [r, w] = make_pipe();
    BOOST_TEST(is_cloexec(w.get()));
    auto c = unix_ipc::spawn(ctx, child_binary(), {"report"});
    report rep = child_report(ctx, c);
    ::close(plain[0]);
    ::close(plain[1]);
    BOOST_TEST(with_prefix(rep, "fd:") == (std::vector<std::string>{"0", "1", "2", "3"}),
               boost::test_tools::per_element());
    BOOST_TEST(has(rep, "var:3"));
    BOOST_TEST(has(rep, "cloexec:1"));       // taken: not inherited further
    BOOST_TEST(has(rep, "bootstrapped:0"));  // taken once
    BOOST_TEST(c.wait() == 0);
}

BOOST_FIXTURE_TEST_CASE(other_child_fd_number, io_context_fixture)
{
    unix_ipc::spawn_options o;
    o.child_fd = 9;
    auto c = unix_ipc::spawn(ctx, child_binary(), {"report"}, o);
    report rep = child_report(ctx, c);
    BOOST_TEST(with_prefix(rep, "fd:") == (std::vector<std::string>{"0", "1", "2", "9"}),
               boost::test_tools::per_element());
    BOOST_TEST(has(rep, "var:9"));
    BOOST_TEST(c.wait() == 0);
}

BOOST_FIXTURE_TEST_CASE(environment_and_working_directory, io_context_fixture)
{
    ::setenv("UNIX_IPC_TEST_INHERITED", "yes", 1);
    ::setenv("BOOST_UNIX_IPC_PATH", "/nonexistent/leaked", 1); // never passed on
    unix_ipc::spawn_options o;
    o.environment = {"UNIX_IPC_TEST_EXTRA=1", "UNIX_IPC_TEST_INHERITED=replaced"};
    o.working_directory = "/";
    auto c = unix_ipc::spawn(ctx, child_binary(), {"report"}, o);
    report rep = child_report(ctx, c);
    BOOST_TEST(has(rep, "env:UNIX_IPC_TEST_EXTRA=1"));
    BOOST_TEST(has(rep, "env:UNIX_IPC_TEST_INHERITED=replaced"));
    BOOST_TEST(!has(rep, "env:UNIX_IPC_TEST_INHERITED=yes"));
    BOOST_TEST(with_prefix(rep, "env:BOOST_UNIX_IPC_PATH").empty());
    BOOST_TEST(has(rep, "cwd:/"));
    BOOST_TEST(c.wait() == 0);

    o.inherit_environment = false;
    o.working_directory.clear();
    auto c2 = unix_ipc::spawn(ctx, child_binary(), {"report"}, o);
    rep = child_report(ctx, c2);
    // Only the given entries (the child took and removed BOOST_UNIX_IPC_FD).
    BOOST_TEST(with_prefix(rep, "env:") ==
                   (std::vector<std::string>{"UNIX_IPC_TEST_EXTRA=1", "UNIX_IPC_TEST_INHERITED=replaced"}),
               boost::test_tools::per_element());
    BOOST_TEST(c2.wait() == 0);
    ::unsetenv("UNIX_IPC_TEST_INHERITED");
    ::unsetenv("BOOST_UNIX_IPC_PATH");
}

BOOST_FIXTURE_TEST_CASE(exit_codes, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"exit", "7"});
    BOOST_TEST(c.wait() == 7);

    // A child that never takes its channel still closes it by exiting.
    auto c2 = unix_ipc::spawn(ctx, child_binary(), {"exit", "0"});
    auto msg = c2.channel().async_receive(asio::use_future);
    run_until(ctx, [&] { return msg.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    try
    {
        msg.get();
        BOOST_ERROR("a receive from an exited child succeeded");
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST(e.code() == unix_ipc::error::eof);
    }
    BOOST_TEST(c2.wait() == 0);
}

BOOST_FIXTURE_TEST_CASE(killed_child_is_eof_within_a_second, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
    unix_ipc::endpoint<std::string, std::string> ep(c.release_channel());
    ep.send("work");
    BOOST_TEST(ep.receive() == "got");

    // The child is mid-request: the parent waits for an answer that will
    // never come, and the child is killed from outside.
    std::optional<error_code> result;
    ep.async_receive([&](error_code ec, std::string) { result = ec; });
    const auto killed_at = std::chrono::steady_clock::now();
    BOOST_TEST_REQUIRE(::kill(c.id(), SIGKILL) == 0);
    run_until(ctx, [&] { return result.has_value(); }, std::chrono::seconds(1));
    const auto latency = std::chrono::steady_clock::now() - killed_at;
    BOOST_TEST(*result == unix_ipc::error::eof);
    BOOST_TEST(latency < std::chrono::seconds(1));

    // Sends fail the same way.
    error_code ec;
    ep.send("more", ec);
    BOOST_TEST(ec == unix_ipc::error::eof);

    std::optional<int> code;
    c.async_wait([&](error_code e, int exit_code) {
        BOOST_TEST(!e);
        code = exit_code;
    });
    run_until(ctx, [&] { return code.has_value(); });
    BOOST_TEST(*code == 128 + SIGKILL);
    BOOST_TEST(reaped(c.id()));
}

BOOST_FIXTURE_TEST_CASE(terminate_and_destructor_leave_no_zombie, io_context_fixture)
{
    pid_t pid;
    {
        auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
        c.terminate();
        BOOST_TEST(!c.running());
        pid = c.id();
        BOOST_TEST(c.wait() == 128 + SIGKILL);
    }
    BOOST_TEST(reaped(pid));
    {
        // Destroyed while running: killed and reaped.
        auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
        pid = c.id();
    }
    BOOST_TEST(reaped(pid));
    {
        // Exited, never waited for: the destructor reaps it.
        auto c = unix_ipc::spawn(ctx, child_binary(), {"exit", "3"});
        pid = c.id();
        auto r = c.channel().async_receive(asio::use_future); // eof once it exited
        run_until(ctx, [&] { return r.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    }
    BOOST_TEST(reaped(pid));
}

BOOST_FIXTURE_TEST_CASE(async_wait_with_deferred_and_future, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"exit", "5"});
    auto op = c.async_wait(asio::deferred);
    auto f = std::move(op)(asio::use_future);
    run_until(ctx, [&] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    BOOST_TEST(f.get() == 5);
}

BOOST_FIXTURE_TEST_CASE(spawn_errors, io_context_fixture)
{
    error_code ec;
    auto c = unix_ipc::spawn(ctx.get_executor(), "/nonexistent/program", {}, {}, ec);
    BOOST_TEST(ec == boost::system::errc::no_such_file_or_directory, ec.message());
    BOOST_TEST(!c.channel().is_open());

    c = unix_ipc::spawn(ctx.get_executor(), "no-such-program-in-path-xyz", {}, {}, ec);
    BOOST_TEST(ec == boost::system::errc::no_such_file_or_directory, ec.message());

    // Exists, not executable: exec fails in the child and is reported here.
    char dir[] = "/tmp/unix-ipc-test-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(dir) != nullptr);
    std::string file = std::string(dir) + "/not-executable";
    int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    BOOST_TEST_REQUIRE(fd >= 0);
    ::close(fd);
    if (::geteuid() != 0) // root may exec anything with any x bit; 0644 has none
    {
        c = unix_ipc::spawn(ctx.get_executor(), file, {}, {}, ec);
        BOOST_TEST(ec == boost::system::errc::permission_denied, ec.message());
    }
    else
    {
        c = unix_ipc::spawn(ctx.get_executor(), file, {}, {}, ec);
        BOOST_TEST(ec.failed(), "exec of a file without any x bit succeeded");
    }
    ::unlink(file.c_str());
    ::rmdir(dir);

    unix_ipc::spawn_options o;
    o.child_fd = 2;
    c = unix_ipc::spawn(ctx.get_executor(), child_binary(), {"echo"}, o, ec);
    BOOST_TEST(ec == boost::system::errc::invalid_argument);

    BOOST_CHECK_THROW(unix_ipc::spawn(ctx, "/nonexistent/program"), boost::system::system_error);
}

BOOST_FIXTURE_TEST_CASE(failed_exec_leaves_no_zombie, io_context_fixture)
{
    error_code ec;
    unix_ipc::spawn_options o;
    o.working_directory = "/nonexistent/dir"; // chdir fails in the child, before exec
    auto c = unix_ipc::spawn(ctx.get_executor(), child_binary(), {"echo"}, o, ec);
    BOOST_TEST(ec == boost::system::errc::no_such_file_or_directory, ec.message());
    BOOST_TEST(c.id() == -1);
    // The forked child that failed was reaped: no child of ours is left.
    BOOST_TEST(::waitpid(-1, nullptr, WNOHANG) == -1);
    BOOST_TEST(errno == ECHILD);
}

BOOST_FIXTURE_TEST_CASE(move_assignment_kills_the_old_process, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
    const pid_t old = c.id();
    c = unix_ipc::spawn(ctx, child_binary(), {"exit", "4"});
    BOOST_TEST(reaped(old));
    BOOST_TEST(c.id() != old);
    BOOST_TEST(c.wait() == 4);

    unix_ipc::child moved(std::move(c));
    BOOST_TEST(c.id() == -1);
    BOOST_TEST(moved.wait() == 4); // reaped already: the code is kept
}

BOOST_FIXTURE_TEST_CASE(wait_without_a_process, io_context_fixture)
{
    unix_ipc::child none(ctx.get_executor());
    error_code ec;
    BOOST_TEST(none.wait(ec) == -1);
    BOOST_TEST(ec == boost::system::errc::no_child_process);
    BOOST_TEST(!none.running());
    none.terminate(ec);
    BOOST_TEST(!ec);
    std::optional<error_code> result;
    none.async_wait([&](error_code e, int) { result = e; });
    BOOST_TEST(!result.has_value()); // never from inside async_wait
    run_until(ctx, [&] { return result.has_value(); });
    BOOST_TEST(*result == boost::system::errc::no_child_process);

    // async_wait once reaped: the same code again.
    auto c = unix_ipc::spawn(ctx, child_binary(), {"exit", "6"});
    BOOST_TEST(c.wait() == 6);
    std::optional<int> code;
    c.async_wait([&](error_code e, int exit_code) {
        BOOST_TEST(!e);
        code = exit_code;
    });
    run_until(ctx, [&] { return code.has_value(); });
    BOOST_TEST(*code == 6);
}

BOOST_FIXTURE_TEST_CASE(the_fd_variable_is_not_the_callers, io_context_fixture)
{
    unix_ipc::spawn_options o;
    o.environment = {"BOOST_UNIX_IPC_FD=42"}; // ignored: spawn names the fd
    auto c = unix_ipc::spawn(ctx, child_binary(), {"report"}, o);
    report rep = child_report(ctx, c);
    BOOST_TEST(has(rep, "var:3"));
    BOOST_TEST(c.wait() == 0);
}

BOOST_FIXTURE_TEST_CASE(typed_inherited_on_an_executor, io_context_fixture)
{
    // The child side functions take an executor too, with error_code overloads.
    ::unsetenv("BOOST_UNIX_IPC_FD");
    ::unsetenv("BOOST_UNIX_IPC_PATH");
    error_code ec;
    auto rx = unix_ipc::inherited_receiver<int>(ctx.get_executor(), ec);
    BOOST_TEST(ec == unix_ipc::error::not_bootstrapped);
    BOOST_TEST(!rx.is_open());
    auto tx = unix_ipc::inherited_sender<int>(ctx.get_executor(), ec);
    BOOST_TEST(ec == unix_ipc::error::not_bootstrapped);
    auto ep = unix_ipc::inherited_endpoint<int, long>(ctx.get_executor(), ec);
    BOOST_TEST(ec == unix_ipc::error::not_bootstrapped);
    BOOST_CHECK_THROW((unix_ipc::inherited_endpoint<int, long>(ctx.get_executor())), boost::system::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
