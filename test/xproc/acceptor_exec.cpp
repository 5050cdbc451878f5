//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An acceptor serving forked clients that connect by path, and a child that
// exec()s and must see only the fds handed to it.

#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/raw_channel.hpp>

#include "xproc_helpers.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <climits>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace unix_ipc_xproc;
using boost::system::error_code;
using unix_ipc::raw_acceptor;
using unix_ipc::raw_channel;
using unix_ipc::raw_message;

namespace {

// A private directory removed with everything in it at scope exit.
struct temp_dir
{
    std::string path;
    temp_dir()
    {
        char tmpl[] = "/tmp/unix_ipc_xproc_XXXXXX";
        BOOST_TEST_REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~temp_dir()
    {
        ::unlink((path + "/sock").c_str());
        ::rmdir(path.c_str());
    }
};

// The child binary: argv[1] of the test module, else next to this executable.
std::string child_binary()
{
    auto& suite = boost::unit_test::framework::master_test_suite();
    if (suite.argc > 1 && suite.argv[1][0] != '-')
        return suite.argv[1];
    char self[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return {};
    std::string p(self, static_cast<std::size_t>(n));
    return p.substr(0, p.rfind('/') + 1) + "boost_unix_ipc_xproc_child";
}

} // namespace

BOOST_AUTO_TEST_SUITE(xproc_acceptor_exec)

// Several forked clients connect to the parent's acceptor by path; each sends
// its number and an fd, and gets an answer with another fd.
BOOST_AUTO_TEST_CASE(acceptor_serves_forked_clients)
{
    fd_leak_checker leaks;
    constexpr int clients = 5;
    temp_dir dir;
    const std::string path = dir.path + "/sock";

    asio::io_context ioc;
    raw_acceptor acceptor(ioc, path);
    BOOST_TEST(acceptor.local_path() == path);

    std::vector<child_process> children;
    for (int k = 0; k < clients; ++k)
    {
        children.push_back(fork_child([&, k] {
            asio::io_context cioc; // our own: the parent's belongs to the parent
            raw_channel ch(cioc);
            ch.connect(path);
            const std::string hello = "hello " + std::to_string(k);
            unique_fd f = make_memfd("from client " + std::to_string(k));
            const int fds[] = {f.get()};
            ch.send(asio::buffer(hello), fds);
            raw_message reply = ch.receive();
            XPROC_CHILD_REQUIRE(to_string(reply.bytes) == "welcome " + std::to_string(k));
            XPROC_CHILD_REQUIRE(reply.fds.size() == 1);
            XPROC_CHILD_REQUIRE(read_fd(reply.fds[0].get()) == "for client " + std::to_string(k));
            return 0;
        }));
    }

    struct connection
    {
        raw_channel ch;
        raw_message in;
        std::string reply;
        unique_fd file;
    };
    std::vector<std::unique_ptr<connection>> conns;
    std::set<int> served;
    std::vector<std::string> problems;
    int replies = 0;
    std::function<void()> accept_next = [&] {
        acceptor.async_accept([&](error_code ec, raw_channel ch) {
            if (ec)
                return problems.push_back("accept: " + ec.message());
            conns.push_back(std::make_unique<connection>(connection{std::move(ch), {}, {}, {}}));
            connection& c = *conns.back();
            c.ch.async_receive(c.in, [&](error_code ec2) {
                if (ec2)
                    return problems.push_back("receive: " + ec2.message());
                int k = -1;
                const std::string text = to_string(c.in.bytes);
                if (std::sscanf(text.c_str(), "hello %d", &k) != 1 || k < 0 || k >= clients)
                    return problems.push_back("bad hello: " + text);
                if (c.in.fds.size() != 1 || read_fd(c.in.fds[0].get()) != "from client " + std::to_string(k))
                    problems.push_back("bad fd from client " + std::to_string(k));
                if (!served.insert(k).second)
                    problems.push_back("client twice: " + std::to_string(k));
                c.reply = "welcome " + std::to_string(k);
                c.file = make_memfd("for client " + std::to_string(k));
                const int fds[] = {c.file.get()};
                c.ch.async_send(asio::buffer(c.reply), fds, [&](error_code ec3) {
                    if (ec3)
                        problems.push_back("send: " + ec3.message());
                    ++replies;
                });
            });
            if (conns.size() < std::size_t(clients))
                accept_next();
        });
    };
    accept_next();
    run_until(ioc, [&] { return replies == clients || !problems.empty(); }, 10s);
    BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
    BOOST_TEST(served.size() == std::size_t(clients));
    for (auto& c : children)
        c.wait_success();
    // The accepted channels see their clients go.
    int eofs = 0;
    for (auto& c : conns)
        c->ch.async_receive(c->in, [&](error_code ec) { eofs += ec == unix_ipc::error::eof; });
    run_until(ioc, [&] { return eofs == clients; });
    conns.clear();
    acceptor.close();
}

// A child that exec()s sees only stdin/out/err (and whatever this process
// itself inherited without close-on-exec) plus the socket it was handed: every
// socket, listener and received fd of the library is close-on-exec.
BOOST_AUTO_TEST_CASE(exec_child_sees_only_its_fds)
{
    fd_leak_checker leaks;
    const std::string child_path = child_binary();
    BOOST_TEST_REQUIRE(::access(child_path.c_str(), X_OK) == 0,
                       "child binary not found: '" << child_path << "' (pass it as the first argument after --)");

    asio::io_context ioc;
    // Library fds that must not cross the exec: a listener, a channel pair,
    // and an fd received over that pair.
    temp_dir dir;
    raw_acceptor acceptor(ioc, dir.path + "/sock");
    auto [a, b] = unix_ipc::make_raw_channel_pair(ioc);
    {
        unique_fd f = make_memfd("received");
        const int fds[] = {f.get()};
        a.send(asio::buffer(std::string_view("x")), fds);
    }
    raw_message received = b.receive();
    BOOST_TEST_REQUIRE(received.fds.size() == 1u);
    const std::vector<int> library_fds = {a.native_handle(), b.native_handle(), received.fds[0].get()};

    auto [mine, theirs] = socket_pair();
    // What an exec'd child may legitimately see: the fds this process holds
    // without FD_CLOEXEC (0, 1, 2 and whatever our own parent leaked to us),
    // plus the one we hand over.
    constexpr int handed_fd = 100;
    std::set<int> expected;
    for (int fd : list_open_fds())
    {
        BOOST_TEST_REQUIRE(fd != handed_fd, "fd " << handed_fd << " is taken; pick another");
        if (!(::fcntl(fd, F_GETFD) & FD_CLOEXEC))
            expected.insert(fd);
    }
    expected.insert(handed_fd);

    child_process child = fork_child([&, &theirs = theirs] {
        // dup2 gives the new fd no FD_CLOEXEC: it alone of ours survives exec.
        if (::dup2(theirs.get(), handed_fd) != handed_fd)
            return 126;
        const std::string fd_arg = std::to_string(handed_fd);
        char* const argv[] = {const_cast<char*>(child_path.c_str()), const_cast<char*>("fds"),
                              const_cast<char*>(fd_arg.c_str()), nullptr};
        ::execv(child_path.c_str(), argv);
        std::perror("execv");
        return 127;
    });
    theirs.reset();

    raw_channel ch(ioc, std::move(mine));
    raw_message msg;
    std::optional<error_code> r;
    ch.async_receive(msg, [&](error_code ec) { r = ec; });
    run_until(ioc, [&] { return r.has_value(); }, 10s);
    BOOST_TEST_REQUIRE(!*r, r->message());
    std::set<int> seen;
    {
        const std::string text = to_string(msg.bytes);
        std::size_t pos = 0;
        while (pos < text.size())
        {
            std::size_t end = text.find(' ', pos);
            if (end == std::string::npos)
                end = text.size();
            seen.insert(std::atoi(text.substr(pos, end - pos).c_str()));
            pos = end + 1;
        }
        BOOST_TEST_MESSAGE("exec'd child's fds: " << text);
    }
    BOOST_TEST(seen == expected, "exec'd child saw: " << to_string(msg.bytes));
    for (int fd : library_fds)
        BOOST_TEST(seen.count(fd) == 0u, "library fd " << fd << " crossed exec");
    BOOST_TEST(seen.count(handed_fd) == 1u);

    // The exec'd child uses the library on the inherited fd.
    unique_fd file = make_memfd("file contents");
    const int fds[] = {file.get()};
    r.reset();
    ch.async_send(asio::buffer(std::string_view("payload")), fds, [&](error_code ec) { r = ec; });
    run_until(ioc, [&] { return r.has_value(); });
    BOOST_TEST(!*r, r->message());
    r.reset();
    ch.async_receive(msg, [&](error_code ec) { r = ec; });
    run_until(ioc, [&] { return r.has_value(); }, 10s);
    BOOST_TEST_REQUIRE(!*r, r->message());
    BOOST_TEST(to_string(msg.bytes) == "echo:payload:file contents");
    BOOST_TEST_REQUIRE(msg.fds.size() == 1u);
    BOOST_TEST(same_file(msg.fds[0].get(), file.get()));
    ch.close();
    child.wait_success();
}

BOOST_AUTO_TEST_SUITE_END()
