//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// tokio-unix-ipc's own scenarios, across fork: a file handle each way,
// asymmetric request/response endpoints, a sender sent to a child that sends
// a file back through it, two senders and two receivers in one message, and
// "bootstrap style" (a value and a sender to a child).
//
// The child builds its channels after the fork, on an io_context of its own,
// from its end of a socketpair, and uses the blocking operations only. The
// parent counts its own fds before and after (io_context_fixture).

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "xproc_helpers.hpp"

namespace {

using namespace typed_xproc;
namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::handle;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

struct file_msg
{
    std::string name;
    handle<unique_fd> file;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & file;
    }
};

struct request
{
    std::string op;
    std::vector<std::int64_t> args;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & op & args;
    }
};

struct response
{
    bool ok = false;
    std::int64_t result = 0;
    std::string text;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & ok & result & text;
    }
};

// Two senders and two receivers in one message (Boost.Serialization 1.81
// has no std::tuple support: a struct).
struct quad
{
    unix_ipc::sender<std::int32_t> s1;
    unix_ipc::sender<std::string> s2;
    unix_ipc::receiver<std::int32_t> r1;
    unix_ipc::receiver<std::string> r2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & s1 & s2 & r1 & r2;
    }
};

struct bootstrap
{
    std::string greeting;
    std::int32_t count = 0;
    unix_ipc::sender<std::string> back;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & greeting & count & back;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(typed_xproc_scenarios)

// The child sends an open file; the parent reads it and sends one back,
// which the child writes into; the parent sees the write.
BOOST_FIXTURE_TEST_CASE(file_handles_both_ways, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<file_msg, file_msg> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        file_msg out;
        out.name = "child's file";
        out.file = handle<unique_fd>(make_memfd("written by the child"));
        CHILD_CHECK(out.file.has_value());
        ep.send(out);
        file_msg in = ep.receive();
        CHILD_CHECK(in.name == "parent's file");
        CHILD_CHECK(in.file.has_value());
        CHILD_CHECK(read_fd(in.file->get()) == "parent's text");
        const std::string more = " + the child's";
        CHILD_CHECK(::pwrite(in.file->get(), more.data(), more.size(), 13) == static_cast<ssize_t>(more.size()));
        ep.send(file_msg{"done", {}});
        return 0;
    });
    sp.second.reset();
    unix_ipc::endpoint<file_msg, file_msg> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    {
        file_msg in = receive_ok<file_msg>(ctx, ep);
        BOOST_TEST(in.name == "child's file");
        BOOST_TEST_REQUIRE(in.file.has_value());
        BOOST_TEST(read_fd(in.file->get()) == "written by the child");
    }
    unique_fd mine = make_memfd("parent's text");
    {
        file_msg out;
        out.name = "parent's file";
        out.file = handle<unique_fd>(unique_fd(::dup(mine.get())));
        ep.send(out);
    }
    file_msg done = receive_ok<file_msg>(ctx, ep);
    BOOST_TEST(done.name == "done");
    BOOST_TEST(!done.file.has_value());
    BOOST_TEST(read_fd(mine.get()) == "parent's text + the child's");
    wait_success(pid);
    expect_eof<file_msg>(ctx, ep);
}

// endpoint<request, response> in the parent, endpoint<response, request> in
// the child: several requests outstanding, answers in order, then eof.
BOOST_FIXTURE_TEST_CASE(asymmetric_request_response, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<response, request> server(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        for (;;)
        {
            request q = server.receive();
            if (q.op == "quit")
                return 0;
            response a;
            if (q.op == "sum")
            {
                a.ok = true;
                for (auto v : q.args)
                    a.result += v;
            }
            else if (q.op == "product")
            {
                a.ok = true;
                a.result = 1;
                for (auto v : q.args)
                    a.result *= v;
            }
            else
                a.text = "unknown op " + q.op;
            server.send(a);
        }
    });
    sp.second.reset();
    unix_ipc::endpoint<request, response> client(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    int sent = 0;
    for (const request& q : {request{"sum", {1, 2, 3, 4}}, request{"product", {2, 3, 7}}, request{"divide", {1}}})
        client.async_send(q, [&](error_code ec) {
            BOOST_TEST(!ec);
            ++sent;
        });
    response a = receive_ok<response>(ctx, client);
    BOOST_TEST(a.ok);
    BOOST_TEST(a.result == 10);
    a = receive_ok<response>(ctx, client);
    BOOST_TEST(a.result == 42);
    a = receive_ok<response>(ctx, client);
    BOOST_TEST(!a.ok);
    BOOST_TEST(a.text == "unknown op divide");
    BOOST_TEST(sent == 3);
    client.send(request{"quit", {}});
    wait_success(pid);
    expect_eof<response>(ctx, client);
}

// A sender<handle<unique_fd>> travels to the child; the child sends a file
// back through it.
BOOST_FIXTURE_TEST_CASE(sender_to_child_brings_a_file_back, io_context_fixture)
{
    using file_sender = unix_ipc::sender<handle<unique_fd>>;
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::receiver<file_sender> control(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        file_sender s = control.receive();
        CHILD_CHECK(s.is_open());
        s.send(handle<unique_fd>(make_memfd("a file through a sent sender")));
        return 0;
    });
    sp.second.reset();
    unix_ipc::sender<file_sender> control(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    auto [fs, fr] = unix_ipc::make_channel<handle<unique_fd>>(ctx);
    control.send(fs);
    fs.close(); // only the child's copy is left
    handle<unique_fd> f = receive_ok<handle<unique_fd>>(ctx, fr);
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(read_fd(f->get()) == "a file through a sent sender");
    wait_success(pid);
    expect_eof<handle<unique_fd>>(ctx, fr);
}

// Two senders and two receivers in one message; the child uses all four.
BOOST_FIXTURE_TEST_CASE(two_senders_two_receivers_in_one_message, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::receiver<quad> control(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        quad q = control.receive();
        CHILD_CHECK(q.s1.is_open() && q.s2.is_open() && q.r1.is_open() && q.r2.is_open());
        const std::int32_t n = q.r1.receive();
        CHILD_CHECK(n == 41);
        q.s1.send(n + 1);
        const std::string s = q.r2.receive();
        CHILD_CHECK(s == "ping");
        q.s2.send("pong");
        return 0;
    });
    sp.second.reset();
    unix_ipc::sender<quad> control(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    auto [a_s, a_r] = unix_ipc::make_channel<std::int32_t>(ctx); // parent -> child
    auto [b_s, b_r] = unix_ipc::make_channel<std::string>(ctx);  // parent -> child
    auto [c_s, c_r] = unix_ipc::make_channel<std::int32_t>(ctx); // child -> parent
    auto [d_s, d_r] = unix_ipc::make_channel<std::string>(ctx);  // child -> parent
    {
        quad q{std::move(c_s), std::move(d_s), std::move(a_r), std::move(b_r)};
        std::vector<std::byte> bytes;
        std::vector<int> fds;
        unix_ipc::serialization_codec::encode(q, bytes, fds);
        BOOST_TEST(fds.size() == 4u);
        control.send(q);
    } // the parent's copies of the four ends close
    a_s.send(41);
    b_s.send("ping");
    BOOST_TEST(receive_ok<std::int32_t>(ctx, c_r) == 42);
    BOOST_TEST(receive_ok<std::string>(ctx, d_r) == "pong");
    wait_success(pid);
    expect_eof<std::int32_t>(ctx, c_r);
    expect_eof<std::string>(ctx, d_r);
}

// Bootstrap style: a value and a sender to a child, which answers through it.
BOOST_FIXTURE_TEST_CASE(value_and_sender_to_a_child, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::receiver<bootstrap> boot(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        bootstrap b = boot.receive();
        CHILD_CHECK(b.back.is_open());
        for (std::int32_t i = 0; i < b.count; ++i)
            b.back.send(b.greeting + " #" + std::to_string(i) + " from " + std::to_string(::getpid()));
        return 0;
    });
    sp.second.reset();
    unix_ipc::sender<bootstrap> boot(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    auto [s, r] = unix_ipc::make_channel<std::string>(ctx);
    boot.send(bootstrap{"hello", 5, std::move(s)});
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(receive_ok<std::string>(ctx, r) == "hello #" + std::to_string(i) + " from " + std::to_string(pid));
    // The peer of the answers is the child.
    error_code ec;
    const unix_ipc::credentials c = r.peer_credentials(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(c.uid == ::getuid());
    wait_success(pid);
    expect_eof<std::string>(ctx, r);
}

// Peer credentials across the fork: the child's pid.
BOOST_FIXTURE_TEST_CASE(peer_credentials_across_fork, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        // The child connects its end into a typed channel and reports what it sees.
        unix_ipc::sender<std::int32_t> s(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        error_code ec;
        const unix_ipc::credentials c = s.peer_credentials(ec);
        CHILD_CHECK(!ec);
        s.send(static_cast<std::int32_t>(c.pid));
        return 0;
    });
    sp.second.reset();
    unix_ipc::receiver<std::int32_t> r(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    // A socketpair's credentials are those of its creator (this process) on both ends.
    BOOST_TEST(receive_ok<std::int32_t>(ctx, r) == ::getpid());
    wait_success(pid);
}

BOOST_AUTO_TEST_SUITE_END()
