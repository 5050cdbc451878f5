//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Larger cross-process cases: 100 fds in one object graph (each checked by
// st_dev/st_ino), a receiver passed through three processes in a row, and
// 4 x 1,000 messages from four concurrent sender processes to four receivers
// on one io_context (order per sender and content checked).

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
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

struct identity
{
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & dev & ino;
    }
    friend bool operator==(const identity& a, const identity& b) { return a.dev == b.dev && a.ino == b.ino; }
};

identity identify(int fd)
{
    struct stat st{};
    if (::fstat(fd, &st) != 0)
        return {};
    return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

struct many_files
{
    std::vector<handle<unique_fd>> files;
    std::vector<identity> ids; // what each file should be
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & files & ids;
    }
};

struct hop
{
    unix_ipc::receiver<std::string> in;
    unix_ipc::sender<std::string> reply;
    std::string path;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & in & reply & path;
    }
};

struct item
{
    std::int32_t sender = 0;
    std::int32_t seq = 0;
    std::string text;
    std::vector<std::int32_t> numbers;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & sender & seq & text & numbers;
    }
};

item make_item(std::int32_t sender, std::int32_t seq)
{
    item it;
    it.sender = sender;
    it.seq = seq;
    it.text = "sender " + std::to_string(sender) + " message " + std::to_string(seq) +
              std::string(static_cast<std::size_t>(seq % 97), static_cast<char>('a' + sender));
    it.numbers.assign(static_cast<std::size_t>(seq % 13), sender * 100000 + seq);
    return it;
}

bool same_item(const item& a, const item& b)
{
    return a.sender == b.sender && a.seq == b.seq && a.text == b.text && a.numbers == b.numbers;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_xproc_stress)

// 100 files in one message, in-process: each arrives as the right file.
BOOST_FIXTURE_TEST_CASE(hundred_fds_in_one_object_graph_in_process, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<many_files>(ctx);
    std::vector<std::pair<unique_fd, unique_fd>> pipes;
    {
        many_files m;
        for (int i = 0; i < 100; ++i)
        {
            pipes.push_back(unix_ipc_test::make_pipe());
            // Alternate read and write ends, so a mix-up shows.
            const int fd = i % 2 ? pipes.back().first.get() : pipes.back().second.get();
            m.ids.push_back(identify(fd));
            m.files.emplace_back(unique_fd(::dup(fd)));
        }
        s.send(m);
    }
    many_files in = receive_ok<many_files>(ctx, r);
    BOOST_TEST_REQUIRE(in.files.size() == 100u);
    BOOST_TEST_REQUIRE(in.ids.size() == 100u);
    for (std::size_t i = 0; i < 100; ++i)
    {
        BOOST_TEST_REQUIRE(in.files[i].has_value());
        BOOST_TEST((identify(in.files[i]->get()) == in.ids[i]), "file " << i);
        const int want = i % 2 ? O_RDONLY : O_WRONLY;
        BOOST_TEST(unix_ipc_test::access_mode(in.files[i]->get()) == want, "file " << i);
    }
    // Write through a received write end, read from the original read end.
    BOOST_TEST(::write(in.files[0]->get(), "z", 1) == 1);
    char c = 0;
    BOOST_TEST(::read(pipes[0].first.get(), &c, 1) == 1);
    BOOST_TEST(c == 'z');
}

// 100 memfds made by a child, sent in one message; the parent checks each
// by st_dev/st_ino and content, then sends them all back and the child
// checks it got its own files again.
BOOST_FIXTURE_TEST_CASE(hundred_fds_across_fork_and_back, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<many_files, many_files> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        many_files m;
        for (int i = 0; i < 100; ++i)
        {
            unique_fd f = make_memfd("file number " + std::to_string(i));
            CHILD_CHECK(f);
            m.ids.push_back(identify(f.get()));
            m.files.emplace_back(std::move(f));
        }
        ep.send(m);
        many_files back = ep.receive();
        CHILD_CHECK(back.files.size() == 100);
        for (std::size_t i = 0; i < 100; ++i)
        {
            CHILD_CHECK(back.files[i].has_value());
            CHILD_CHECK(identify(back.files[i]->get()) == m.ids[i]);
        }
        return 0;
    });
    sp.second.reset();
    unix_ipc::endpoint<many_files, many_files> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    {
        many_files in = receive_ok<many_files>(ctx, ep);
        BOOST_TEST_REQUIRE(in.files.size() == 100u);
        for (std::size_t i = 0; i < 100; ++i)
        {
            BOOST_TEST_REQUIRE(in.files[i].has_value());
            BOOST_TEST((identify(in.files[i]->get()) == in.ids[i]), "file " << i);
            BOOST_TEST(read_fd(in.files[i]->get()) == "file number " + std::to_string(i));
        }
        ep.send(in);
    } // the 100 received fds close here
    wait_success(pid);
    expect_eof<many_files>(ctx, ep);
}

// A receiver travels parent -> child -> grandchild; the parent's sender then
// reaches the grandchild, which replies through a sender that made the same
// trip.
BOOST_FIXTURE_TEST_CASE(receiver_through_three_processes, io_context_fixture)
{
    auto a = unix_ipc_test::make_stream_socketpair(); // parent <-> child
    const pid_t pid = fork_child([&] {
        a.first.reset();
        auto b = unix_ipc_test::make_stream_socketpair(); // child <-> grandchild
        const pid_t grandchild = fork_child([&] {
            a.second.reset();
            b.first.reset();
            asio::io_context ioc;
            unix_ipc::receiver<hop> from_child(unix_ipc::raw_channel(ioc, std::move(b.second)));
            hop h = from_child.receive();
            CHILD_CHECK(h.in.is_open() && h.reply.is_open());
            hop empty = from_child.receive();
            CHILD_CHECK(!empty.in.is_open() && !empty.reply.is_open());
            h.path += " -> grandchild";
            for (;;)
            {
                const std::string m = h.in.receive();
                if (m == "stop")
                    break;
                h.reply.send("grandchild " + std::to_string(::getpid()) + " got '" + m + "' via " + h.path);
            }
            error_code ec;
            h.in.receive(ec); // the parent closed its sender after "stop"
            CHILD_CHECK(ec == make_error_code(unix_ipc::error::eof));
            return 0;
        });
        b.second.reset();
        asio::io_context ioc;
        unix_ipc::receiver<hop> from_parent(unix_ipc::raw_channel(ioc, std::move(a.second)));
        unix_ipc::sender<hop> to_grandchild(unix_ipc::raw_channel(ioc, std::move(b.first)));
        {
            hop h = from_parent.receive();
            CHILD_CHECK(h.in.is_open() && h.reply.is_open());
            h.path += " -> child";
            to_grandchild.send(h);
        } // the child's copies close: only the grandchild holds them now
        to_grandchild.send(hop{}); // empty channels travel as empty
        int st = 0;
        while (::waitpid(grandchild, &st, 0) < 0 && errno == EINTR)
        {
        }
        CHILD_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        // The grandchild's pid, for the parent to compare.
        return 0;
    });
    a.second.reset();
    unix_ipc::sender<hop> to_child(unix_ipc::raw_channel(ctx, std::move(a.first)));
    auto [s, r] = unix_ipc::make_channel<std::string>(ctx);
    auto [reply_s, reply_r] = unix_ipc::make_channel<std::string>(ctx);
    to_child.send(hop{std::move(r), std::move(reply_s), "parent"});
    s.send("one");
    s.send("two");
    const std::string first = receive_ok<std::string>(ctx, reply_r);
    BOOST_TEST(first.find("got 'one' via parent -> child -> grandchild") != std::string::npos, first);
    const std::string second = receive_ok<std::string>(ctx, reply_r);
    BOOST_TEST(second.find("got 'two' via parent -> child -> grandchild") != std::string::npos, second);
    // The reply came from neither this process nor the child.
    const std::string gpid = first.substr(11, first.find(' ', 11) - 11);
    BOOST_TEST(gpid != std::to_string(::getpid()));
    BOOST_TEST(gpid != std::to_string(pid));
    s.send("stop");
    s.close();
    wait_success(pid);
    expect_eof<std::string>(ctx, reply_r);
}

// Four processes, each with its own sender, 1,000 messages each, to four
// receivers handled on one io_context: per-sender order and content.
BOOST_FIXTURE_TEST_CASE(four_concurrent_sender_processes, io_context_fixture)
{
    constexpr int senders = 4;
    constexpr int per_sender = 1000;
    std::vector<std::pair<unique_fd, unique_fd>> pairs;
    for (int i = 0; i < senders; ++i)
        pairs.push_back(unix_ipc_test::make_stream_socketpair());
    std::vector<pid_t> pids;
    for (int i = 0; i < senders; ++i)
        pids.push_back(fork_child([&, i] {
            // Keep only this child's own end.
            for (int j = 0; j < senders; ++j)
            {
                pairs[static_cast<std::size_t>(j)].first.reset();
                if (j != i)
                    pairs[static_cast<std::size_t>(j)].second.reset();
            }
            asio::io_context ioc;
            unix_ipc::sender<item> s(unix_ipc::raw_channel(ioc, std::move(pairs[static_cast<std::size_t>(i)].second)));
            for (int seq = 0; seq < per_sender; ++seq)
                s.send(make_item(i, seq));
            return 0;
        }));
    std::vector<unix_ipc::receiver<item>> receivers;
    for (auto& p : pairs)
    {
        p.second.reset();
        receivers.emplace_back(unix_ipc::raw_channel(ctx, std::move(p.first)));
    }
    std::array<int, senders> next{};
    std::array<bool, senders> ended{};
    int bad = 0;
    std::function<void(int)> loop = [&](int i) {
        receivers[static_cast<std::size_t>(i)].async_receive([&, i](error_code ec, item it) {
            if (ec)
            {
                BOOST_TEST(ec == make_error_code(unix_ipc::error::eof), "receiver " << i << ": " << ec.message());
                ended[static_cast<std::size_t>(i)] = true;
                return;
            }
            const int want = next[static_cast<std::size_t>(i)]++;
            if (!same_item(it, make_item(i, want)) && bad++ < 10)
                BOOST_TEST_ERROR("receiver " << i << ": expected message " << want << " of sender " << i << ", got "
                                             << it.seq << " of sender " << it.sender);
            loop(i);
        });
    };
    for (int i = 0; i < senders; ++i)
        loop(i);
    run_until(ctx, [&] { return ended[0] && ended[1] && ended[2] && ended[3]; }, std::chrono::seconds(20),
              "all four senders done");
    for (int i = 0; i < senders; ++i)
        BOOST_TEST(next[static_cast<std::size_t>(i)] == per_sender, "sender " << i);
    BOOST_TEST(bad == 0);
    for (pid_t p : pids)
        wait_success(p);
}

BOOST_AUTO_TEST_SUITE_END()
