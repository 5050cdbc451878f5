//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The shared test helpers must themselves be able to fail: these tests check
// that they notice what they are meant to notice.

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace asio = boost::asio;
using namespace unix_ipc_test;

BOOST_AUTO_TEST_SUITE(test_helpers)

BOOST_AUTO_TEST_CASE(count_open_fds_sees_new_fds)
{
    const std::size_t before = count_open_fds();
    {
        auto p = make_pipe();
        BOOST_TEST(count_open_fds() == before + 2);
        BOOST_TEST(is_cloexec(p.first.get()));
        BOOST_TEST(access_mode(p.first.get()) == O_RDONLY);
        BOOST_TEST(access_mode(p.second.get()) == O_WRONLY);
        BOOST_TEST(file_id(p.first.get()) == file_id(p.second.get()));
        auto s = make_stream_socketpair();
        BOOST_TEST(count_open_fds() == before + 4);
        BOOST_TEST(file_id(s.first.get()) != file_id(s.second.get()));
    }
    BOOST_TEST(count_open_fds() == before);
}

BOOST_AUTO_TEST_CASE(fd_leak_checker_detects_a_leak)
{
    int leaked = -1;
    {
        fd_leak_checker outer("outer");
        {
            fd_leak_checker inner("inner");
            leaked = ::dup(0 <= ::fcntl(0, F_GETFD) ? 0 : 2);
            BOOST_TEST_REQUIRE(leaked >= 0);
            std::string diff;
            BOOST_TEST(!inner.unchanged(&diff));
            BOOST_TEST(diff.find("+" + std::to_string(leaked)) != std::string::npos);
            inner.rebase(); // accept it, so the scope ends clean
        }
        ::close(leaked);
        BOOST_TEST(outer.check());
    }
}

BOOST_AUTO_TEST_CASE(run_until_runs_handlers)
{
    asio::io_context ctx;
    int n = 0;
    for (int i = 0; i < 3; ++i)
        asio::post(ctx, [&] { ++n; });
    run_until(ctx, [&] { return n == 3; });
    BOOST_TEST(n == 3);
    std::packaged_task<int()> t([] { return 42; });
    auto f = t.get_future();
    asio::post(ctx, std::move(t));
    BOOST_TEST(run_until(ctx, f) == 42);
}

BOOST_AUTO_TEST_CASE(recorder_flags_inline_and_foreign_executor_calls)
{
    asio::io_context ctx;
    auto strand = asio::make_strand(ctx);

    // Invoked inside the initiating call: flagged.
    recorder<void(int)> inline_r(ctx.get_executor());
    inline_r.initiate([](auto h) { h(1); });
    BOOST_TEST(inline_r.called_while_initiating());

    // Posted to the io_context while the strand is expected: flagged.
    recorder<void(int)> foreign(strand);
    foreign.initiate([&](auto h) { asio::post(ctx, [h]() mutable { h(2); }); });
    run_until(ctx, foreign.done());
    BOOST_TEST(!foreign.on_expected_executor());

    // Posted through its associated executor: clean.
    recorder<void(int)> good(strand);
    good.initiate([&](auto h) { asio::post(asio::bind_executor(h.get_executor(), [h]() mutable { h(3); })); });
    run_until(ctx, good.done());
    good.check();
    BOOST_TEST(good.get<0>() == 3);
    BOOST_TEST(good.thread() == std::this_thread::get_id());
}

BOOST_AUTO_TEST_CASE(pattern_detects_changes)
{
    bytes b = pattern(1000, 7);
    BOOST_TEST(b == pattern(1000, 7));
    BOOST_TEST(b != pattern(1000, 8));
    b[500] ^= 1;
    BOOST_TEST(b != pattern(1000, 7));
}

BOOST_AUTO_TEST_CASE(frame_bytes_layout)
{
    bytes f = frame_bytes(std::string("abc"), 2);
    BOOST_TEST_REQUIRE(f.size() == 19u);
    std::uint32_t mv, n;
    std::uint64_t size;
    std::memcpy(&mv, f.data(), 4);
    std::memcpy(&n, f.data() + 4, 4);
    std::memcpy(&size, f.data() + 8, 8);
    BOOST_TEST(mv == 0x55495001u);
    BOOST_TEST(n == 2u);
    BOOST_TEST(size == 3u);
    BOOST_TEST(f[16] == 'a');
}

BOOST_AUTO_TEST_CASE(temp_dir_is_private_and_removed)
{
    std::string p;
    {
        temp_dir d;
        p = d.path();
        struct stat st;
        BOOST_TEST_REQUIRE(::stat(p.c_str(), &st) == 0);
        BOOST_TEST((st.st_mode & 0777) == 0700u);
        BOOST_TEST(p.size() < 80u);
    }
    struct stat st;
    BOOST_TEST(::stat(p.c_str(), &st) != 0);
}

BOOST_AUTO_TEST_SUITE_END()
