//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// basic_child while an async_wait is outstanding (terminate, move, destroy,
// cancel), spawn details (PATH lookup, a child_fd already open here), the
// private directory's location and a throwing peer policy.

#include <boost/unix_ipc/bootstrap.hpp>
#include <boost/unix_ipc/remote_error.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;
using bootstrap_test::child_binary;

namespace {

struct wait_result
{
    std::optional<error_code> ec;
    int code = -2;
};

auto record(wait_result& r)
{
    return [&r](error_code ec, int code) {
        r.ec = ec;
        r.code = code;
    };
}

bool reaped(pid_t pid)
{
    return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

struct scoped_env
{
    std::string name;
    std::optional<std::string> old;

    scoped_env(std::string n, const std::string& value) : name(std::move(n))
    {
        if (const char* v = std::getenv(name.c_str()))
            old = v;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~scoped_env()
    {
        if (old)
            ::setenv(name.c_str(), old->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(child_lifecycle)

BOOST_FIXTURE_TEST_CASE(terminate_during_async_wait, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
    wait_result r;
    c.async_wait(record(r));
    c.terminate(); // reaps the process under the pending wait
    run_until(ctx, [&] { return r.ec.has_value(); });
    BOOST_TEST(!*r.ec, r.ec->message());
    BOOST_TEST(r.code == 128 + SIGKILL);
    BOOST_TEST(c.wait() == 128 + SIGKILL);
}

BOOST_FIXTURE_TEST_CASE(wait_during_async_wait, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"exit", "9"});
    wait_result r;
    c.async_wait(record(r));
    BOOST_TEST(c.wait() == 9); // reaps first
    run_until(ctx, [&] { return r.ec.has_value(); });
    BOOST_TEST(!*r.ec, r.ec->message());
    BOOST_TEST(r.code == 9);
}

BOOST_FIXTURE_TEST_CASE(move_during_async_wait, io_context_fixture)
{
    std::optional<unix_ipc::child> first(unix_ipc::spawn(ctx, child_binary(), {"exit", "12"}));
    wait_result r;
    first->async_wait(record(r));
    unix_ipc::child moved(std::move(*first));
    first.reset(); // the moved-from object goes away
    run_until(ctx, [&] { return r.ec.has_value(); });
    BOOST_TEST(!*r.ec, r.ec->message());
    BOOST_TEST(r.code == 12);
    BOOST_TEST(moved.wait() == 12); // the status reached the object that has the process
}

BOOST_FIXTURE_TEST_CASE(destroy_during_async_wait, io_context_fixture)
{
    wait_result r;
    pid_t pid;
    {
        auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
        pid = c.id();
        c.async_wait(record(r));
    } // killed and reaped here
    BOOST_TEST(reaped(pid));
    run_until(ctx, [&] { return r.ec.has_value(); });
    BOOST_TEST(!*r.ec, r.ec->message());
    BOOST_TEST(r.code == 128 + SIGKILL);
}

BOOST_FIXTURE_TEST_CASE(cancel_async_wait, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, child_binary(), {"hang"});
    asio::cancellation_signal sig;
    wait_result r;
    c.async_wait(asio::bind_cancellation_slot(sig.slot(), record(r)));
    run_for(ctx, std::chrono::milliseconds(20));
    BOOST_TEST(!r.ec.has_value());
    sig.emit(asio::cancellation_type::terminal);
    run_until(ctx, [&] { return r.ec.has_value(); });
    BOOST_TEST(*r.ec == asio::error::operation_aborted);
    BOOST_TEST(c.running()); // the process is not affected
    c.terminate();
    BOOST_TEST(c.wait() == 128 + SIGKILL);
}

BOOST_FIXTURE_TEST_CASE(name_found_in_path, io_context_fixture)
{
    scoped_env path("PATH", "/nonexistent:/usr/bin:/bin");
    auto c = unix_ipc::spawn(ctx, "true");
    BOOST_TEST(c.wait() == 0);
    auto f = unix_ipc::spawn(ctx, "false");
    BOOST_TEST(f.wait() == 1);
}

BOOST_FIXTURE_TEST_CASE(child_fd_open_in_the_parent, io_context_fixture)
{
    // Our fd n is a pipe; the child's fd n is its channel; ours stays ours.
    const int n = highest_open_fd() + 3;
    auto [r, w] = make_pipe();
    BOOST_TEST_REQUIRE(::dup2(r.get(), n) == n);
    unix_ipc::unique_fd held(n);
    const auto before = file_id(n);
    unix_ipc::spawn_options o;
    o.child_fd = n;
    auto c = unix_ipc::spawn(ctx, child_binary(), {"echo"}, o);
    unix_ipc::endpoint<std::string, std::string> ep(c.release_channel());
    ep.send("ten");
    BOOST_TEST(ep.receive() == "echo:ten");
    BOOST_TEST((file_id(n) == before));
    ep.close();
    BOOST_TEST(c.wait() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(private_directory)

BOOST_FIXTURE_TEST_CASE(xdg_runtime_dir_only_when_private, io_context_fixture)
{
    char base[] = "/tmp/unix-ipc-xdg-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(base) != nullptr);
    const std::string dir = base;
    {
        BOOST_TEST_REQUIRE(::chmod(dir.c_str(), 0700) == 0);
        scoped_env xdg("XDG_RUNTIME_DIR", dir);
        unix_ipc::private_listener l(ctx);
        BOOST_TEST(l.path().compare(0, dir.size() + 1, dir + "/") == 0, l.path());
    }
    {
        BOOST_TEST_REQUIRE(::chmod(dir.c_str(), 0755) == 0); // others may enter: not used
        scoped_env xdg("XDG_RUNTIME_DIR", dir);
        unix_ipc::private_listener l(ctx);
        BOOST_TEST(l.path().compare(0, 5, "/tmp/") == 0, l.path());
        BOOST_TEST(l.path().compare(0, dir.size() + 1, dir + "/") != 0, l.path());
    }
    {
        scoped_env xdg("XDG_RUNTIME_DIR", "relative/dir");
        unix_ipc::private_listener l(ctx);
        BOOST_TEST(l.path().compare(0, 5, "/tmp/") == 0, l.path());
    }
    {
        // Too long for sun_path once the listener's names are appended.
        std::string deep = dir + "/" + std::string(90, 'd');
        BOOST_TEST_REQUIRE(::mkdir(deep.c_str(), 0700) == 0);
        BOOST_TEST_REQUIRE(::chmod(dir.c_str(), 0700) == 0);
        scoped_env xdg("XDG_RUNTIME_DIR", deep);
        unix_ipc::private_listener l(ctx);
        BOOST_TEST(l.path().compare(0, 5, "/tmp/") == 0, l.path());
        ::rmdir(deep.c_str());
    }
    ::rmdir(dir.c_str());
}

BOOST_FIXTURE_TEST_CASE(throwing_policy_refuses, io_context_fixture)
{
    int calls = 0;
    unix_ipc::private_listener l(ctx, [&](const unix_ipc::credentials&) -> bool {
        if (++calls == 1)
            throw std::runtime_error("policy failed");
        return true;
    });
    std::optional<unix_ipc::raw_channel> accepted;
    l.async_accept([&](error_code ec, unix_ipc::raw_channel ch) {
        BOOST_TEST(!ec, ec.message());
        accepted.emplace(std::move(ch));
    });
    // First client: refused (eof). Second: accepted.
    unix_ipc::raw_channel first(ctx);
    first.connect(l.path());
    std::optional<error_code> first_result;
    first.async_receive([&](error_code ec, unix_ipc::raw_message) { first_result = ec; });
    run_until(ctx, [&] { return first_result.has_value(); });
    BOOST_TEST(*first_result == unix_ipc::error::eof);
    BOOST_TEST(!accepted.has_value());
    unix_ipc::raw_channel second(ctx);
    second.connect(l.path());
    run_until(ctx, [&] { return accepted.has_value(); });
    BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(remote_result_details)

BOOST_AUTO_TEST_CASE(reference_results_and_wrapped_exceptions)
{
    static const std::string stored = "kept";
    auto r = unix_ipc::capture_result([]() -> const std::string& { return stored; });
    static_assert(std::is_same<decltype(r), unix_ipc::remote_result<std::string>>::value, "a copy");
    BOOST_TEST(r.value() == "kept");

    // boost::throw_exception wraps what it throws; the name is the thrown type's.
    auto w = unix_ipc::capture_result([]() -> int { boost::throw_exception(std::logic_error("wrapped")); });
    BOOST_TEST_REQUIRE(!w.has_value());
    BOOST_TEST(w.error().type_name() == "std::logic_error");
    BOOST_TEST(w.error().message() == "wrapped");
}

BOOST_AUTO_TEST_SUITE_END()
