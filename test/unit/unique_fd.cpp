//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/system/errc.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/fd_utils.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <type_traits>
#include <utility>

namespace unix_ipc = boost::unix_ipc;
using unix_ipc::unique_fd;
using namespace unix_ipc_test;

static_assert(!std::is_copy_constructible<unique_fd>::value, "unique_fd is move-only");
static_assert(!std::is_copy_assignable<unique_fd>::value, "unique_fd is move-only");
static_assert(std::is_nothrow_move_constructible<unique_fd>::value, "");
static_assert(std::is_nothrow_move_assignable<unique_fd>::value, "");
static_assert(!std::is_convertible<int, unique_fd>::value, "the int constructor is explicit");
static_assert(!std::is_convertible<unique_fd, bool>::value, "operator bool is explicit");

BOOST_AUTO_TEST_SUITE(unique_fd_tests)

BOOST_AUTO_TEST_CASE(default_is_empty)
{
    unique_fd e;
    BOOST_TEST(e.get() == -1);
    BOOST_TEST(!e);
    unique_fd m(-1);
    BOOST_TEST(!m);
}

BOOST_AUTO_TEST_CASE(destructor_closes)
{
    fd_leak_checker leaks;
    int raw;
    {
        auto p = make_pipe();
        raw = p.first.get();
        BOOST_TEST(is_open_fd(raw));
    }
    BOOST_TEST(!is_open_fd(raw));
}

BOOST_AUTO_TEST_CASE(move_transfers_ownership)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const int raw = p.first.get();
    unique_fd a(std::move(p.first));
    BOOST_TEST(p.first.get() == -1);
    BOOST_TEST(a.get() == raw);

    unique_fd b;
    b = std::move(a);
    BOOST_TEST(a.get() == -1);
    BOOST_TEST(b.get() == raw);
    BOOST_TEST(is_open_fd(raw));

    // Move-assigning over an owner closes its old fd.
    const int w = p.second.get();
    b = std::move(p.second);
    BOOST_TEST(!is_open_fd(raw));
    BOOST_TEST(b.get() == w);

    // Self move-assignment keeps the fd.
    unique_fd& alias = b;
    b = std::move(alias);
    BOOST_TEST(b.get() == w);
    BOOST_TEST(is_open_fd(w));
}

BOOST_AUTO_TEST_CASE(release_does_not_close)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const int raw = p.first.release();
    BOOST_TEST(!p.first);
    BOOST_TEST(is_open_fd(raw));
    ::close(raw);
}

BOOST_AUTO_TEST_CASE(reset_closes_the_old_fd)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const int r = p.first.get();
    const int w = p.second.release();
    p.first.reset(w);
    BOOST_TEST(!is_open_fd(r));
    BOOST_TEST(p.first.get() == w);
    p.first.reset();
    BOOST_TEST(!is_open_fd(w));
    BOOST_TEST(!p.first);
}

BOOST_AUTO_TEST_CASE(swap_exchanges)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const int r = p.first.get(), w = p.second.get();
    swap(p.first, p.second);
    BOOST_TEST(p.first.get() == w);
    BOOST_TEST(p.second.get() == r);
}

BOOST_AUTO_TEST_CASE(duplicate_fd_is_cloexec_and_same_file)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    // Clear FD_CLOEXEC on the source, so the dup's flag comes from duplicate_fd.
    BOOST_TEST_REQUIRE(::fcntl(p.second.get(), F_SETFD, 0) == 0);
    boost::system::error_code ec = boost::system::errc::make_error_code(boost::system::errc::io_error);
    unique_fd d = unix_ipc::duplicate_fd(p.second.get(), ec);
    BOOST_TEST(!ec);
    BOOST_TEST_REQUIRE(static_cast<bool>(d));
    BOOST_TEST(d.get() != p.second.get());
    BOOST_TEST(is_cloexec(d.get()));
    BOOST_TEST(file_id(d.get()) == file_id(p.second.get()));
    // Writing through the duplicate reaches the pipe.
    BOOST_TEST(::write(d.get(), "x", 1) == 1);
    char c = 0;
    BOOST_TEST(::read(p.first.get(), &c, 1) == 1);
    BOOST_TEST(c == 'x');
}

BOOST_AUTO_TEST_CASE(duplicate_fd_of_a_bad_fd_fails)
{
    fd_leak_checker leaks;
    int bad;
    {
        auto p = make_pipe();
        bad = p.first.get();
    }
    boost::system::error_code ec;
    unique_fd d = unix_ipc::duplicate_fd(bad, ec);
    BOOST_TEST(!d);
    BOOST_TEST((ec == boost::system::errc::bad_file_descriptor));
}

BOOST_AUTO_TEST_SUITE_END()
