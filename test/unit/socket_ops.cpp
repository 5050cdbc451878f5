//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// detail::write_frames / read_frames on a real socketpair: fd batches, gathering
// several frames into one sendmsg, partial writes, EPIPE, MSG_CTRUNC.

#include <boost/unix_ipc/detail/socket_ops.hpp>

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/detail/frame_reader.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/fd_utils.hpp"
#include "unix_ipc_test/wire.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::error;
using unix_ipc::raw_message;
using unix_ipc::unique_fd;
using unix_ipc::detail::frame_out;
using unix_ipc::detail::frame_reader;
using unix_ipc::detail::max_fds_per_sendmsg;
using namespace unix_ipc_test;

namespace {

// n open files, each with an identity of its own (memfds).
std::vector<unique_fd> distinct_files(std::size_t n)
{
    std::vector<unique_fd> v;
    for (std::size_t i = 0; i < n; ++i)
    {
        int fd = ::memfd_create("unix_ipc_test", MFD_CLOEXEC);
        BOOST_TEST_REQUIRE(fd >= 0);
        v.emplace_back(fd);
    }
    return v;
}

std::vector<int> raw_fds(const std::vector<unique_fd>& v)
{
    std::vector<int> r;
    for (const auto& f : v)
        r.push_back(f.get());
    return r;
}

void make_frame(frame_out& f, const bytes& payload, const std::vector<int>& fds)
{
    f.add_buffer(payload.data(), payload.size());
    f.fds.assign(fds.begin(), fds.end());
    f.finish();
}

void set_nonblocking(int fd)
{
    BOOST_TEST_REQUIRE(::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
}

// Reads with read_frames until r yields one frame; REQUIREs no error.
raw_message read_one_frame(int fd, frame_reader& r)
{
    raw_message m;
    for (int i = 0; i < 10000; ++i)
    {
        error_code ec;
        switch (r.next(m, ec))
        {
        case frame_reader::result::frame: return m;
        case frame_reader::result::error: BOOST_TEST_REQUIRE(!ec, "frame_reader: " << ec.message()); break;
        case frame_reader::result::need_more: break;
        }
        std::size_t wanted = 0;
        const std::size_t n = unix_ipc::detail::read_frames(fd, r, &wanted, ec);
        BOOST_TEST_REQUIRE(!ec, "read_frames: " << ec.message());
        BOOST_TEST_REQUIRE(n != 0u, "unexpected EOF");
    }
    BOOST_TEST_REQUIRE(false, "no frame after 10000 reads");
    return m;
}

} // namespace

BOOST_AUTO_TEST_SUITE(socket_ops_tests)

BOOST_AUTO_TEST_CASE(fds_beyond_one_batch_ride_on_successive_bytes)
{
    fd_leak_checker leaks;
    auto [tx, rx] = make_stream_socketpair();
    auto files = distinct_files(300);
    const bytes payload = pattern(10, 1);
    frame_out f;
    make_frame(f, payload, raw_fds(files));
    BOOST_TEST(f.fds_fit());

    error_code ec;
    // First sendmsg: one full batch on exactly one byte, so later batches still have bytes to ride on.
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f, ec) == 1u);
    BOOST_TEST(!ec);
    BOOST_TEST(f.fds_sent == max_fds_per_sendmsg);
    BOOST_TEST(f.sent == 1u);
    BOOST_TEST(!f.done());
    // Second: the last batch with every remaining byte.
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f, ec) == 16u + 10u - 1u);
    BOOST_TEST(!ec);
    BOOST_TEST(f.fds_sent == 300u);
    BOOST_TEST(f.done());

    // What the kernel delivers: 1 byte + 253 fds, then 25 bytes + 47 fds.
    bytes got;
    std::vector<unique_fd> fds;
    BOOST_TEST(recv_raw(rx.get(), got, 4096, &fds) == 1u);
    BOOST_TEST(fds.size() == 253u);
    BOOST_TEST(recv_raw(rx.get(), got, 4096, &fds) == 25u);
    BOOST_TEST_REQUIRE(fds.size() == 300u);
    bytes expected = frame_bytes(payload, 300);
    BOOST_TEST(got == expected);
    for (std::size_t i = 0; i < fds.size(); ++i)
        BOOST_TEST_CONTEXT("fd " << i) BOOST_TEST(file_id(fds[i].get()) == file_id(files[i].get()));
}

BOOST_AUTO_TEST_CASE(batches_on_an_empty_payload_and_read_frames_reassembles)
{
    fd_leak_checker leaks;
    auto [tx, rx] = make_stream_socketpair();
    set_nonblocking(rx.get());
    auto files = distinct_files(600);
    frame_out f;
    make_frame(f, bytes(), raw_fds(files));
    error_code ec;
    std::vector<std::size_t> writes;
    while (!f.done())
    {
        writes.push_back(unix_ipc::detail::write_frames(tx.get(), &f, ec));
        BOOST_TEST_REQUIRE(!ec);
        BOOST_TEST_REQUIRE(writes.size() < 10u);
    }
    BOOST_TEST(writes == (std::vector<std::size_t>{1, 1, 14}), "600 fds: batches of 253, 253, 94");
    frame_reader r;
    raw_message m = read_one_frame(rx.get(), r);
    BOOST_TEST(m.bytes.empty());
    BOOST_TEST_REQUIRE(m.fds.size() == 600u);
    for (std::size_t i = 0; i < m.fds.size(); ++i)
        BOOST_TEST_CONTEXT("fd " << i) BOOST_TEST(file_id(m.fds[i].get()) == file_id(files[i].get()));
    BOOST_TEST(r.buffered_fds() == 0u);
}

BOOST_AUTO_TEST_CASE(fds_fit_is_253_per_frame_byte)
{
    frame_out f;
    f.fds.assign(253 * 16, 0);
    f.finish();
    BOOST_TEST(f.fds_fit());
    f.fds.push_back(0);
    BOOST_TEST(!f.fds_fit());
    const char b[4] = {};
    f.add_buffer(b, sizeof(b));
    BOOST_TEST(f.fds_fit());
    f.fds.assign(253 * 20 + 1, 0);
    BOOST_TEST(!f.fds_fit());
}

BOOST_AUTO_TEST_CASE(several_frames_gathered_into_one_sendmsg)
{
    auto [tx, rx] = make_stream_socketpair();
    const bytes p1 = pattern(100, 1), p2 = pattern(0, 2), p3 = pattern(5000, 3);
    frame_out f1, f2, f3;
    make_frame(f1, p1, {});
    make_frame(f2, p2, {});
    make_frame(f3, p3, {});
    f1.next = &f2;
    f2.next = &f3;
    error_code ec;
    const std::size_t total = 3 * 16 + 100 + 5000;
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f1, ec) == total);
    BOOST_TEST(!ec);
    BOOST_TEST((f1.done() && f2.done() && f3.done()));
    bytes got;
    while (got.size() < total)
        BOOST_TEST_REQUIRE(recv_raw(rx.get(), got, total - got.size(), nullptr) > 0u);
    bytes expected = frame_bytes(p1);
    append(expected, frame_bytes(p2));
    append(expected, frame_bytes(p3));
    BOOST_TEST(got == expected);
}

BOOST_AUTO_TEST_CASE(gathering_stops_at_a_frame_with_fds)
{
    fd_leak_checker leaks;
    auto [tx, rx] = make_stream_socketpair();
    auto files = distinct_files(2);
    // frame_out refers to the payload memory: keep it alive.
    const bytes p1 = pattern(10, 1), p2 = pattern(20, 2), p3 = pattern(30, 3), p4 = pattern(40, 4);
    frame_out f1, f2, f3, f4;
    make_frame(f1, p1, {files[0].get()});
    make_frame(f2, p2, {});
    make_frame(f3, p3, {files[1].get()});
    make_frame(f4, p4, {});
    f1.next = &f2;
    f2.next = &f3;
    f3.next = &f4;
    error_code ec;
    // f1 (with its fd) gathers f2, but f3's fd must ride on f3's own bytes.
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f1, ec) == 26u + 36u);
    BOOST_TEST((f1.done() && f2.done() && !f3.started()));
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f3, ec) == 46u + 56u);
    BOOST_TEST((f3.done() && f4.done()));
    bytes got;
    std::vector<unique_fd> fds;
    BOOST_TEST(recv_raw(rx.get(), got, 4096, &fds) == 62u);
    BOOST_TEST_REQUIRE(fds.size() == 1u);
    BOOST_TEST(file_id(fds[0].get()) == file_id(files[0].get()));
    BOOST_TEST(recv_raw(rx.get(), got, 4096, &fds) == 102u);
    BOOST_TEST_REQUIRE(fds.size() == 2u);
    BOOST_TEST(file_id(fds[1].get()) == file_id(files[1].get()));
}

BOOST_AUTO_TEST_CASE(partial_writes_resume_at_the_right_byte)
{
    auto [tx, rx] = make_stream_socketpair();
    set_nonblocking(tx.get());
    set_nonblocking(rx.get());
    int small = 4096;
    ::setsockopt(tx.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    // Frames made of several buffers each, so resuming crosses iovec boundaries.
    std::vector<bytes> parts;
    for (std::uint32_t i = 0; i < 12; ++i)
        parts.push_back(pattern(1000 + i * 3777, i));
    frame_out frames[4];
    bytes expected;
    for (int k = 0; k < 4; ++k)
    {
        bytes payload;
        for (int j = 0; j < 3; ++j)
        {
            frames[k].add_buffer(parts[k * 3 + j].data(), parts[k * 3 + j].size());
            append(payload, parts[k * 3 + j]);
        }
        frames[k].finish();
        append(expected, frame_bytes(payload));
        if (k > 0)
            frames[k - 1].next = &frames[k];
    }
    bytes got;
    frame_out* head = &frames[0];
    int would_block = 0;
    while (head)
    {
        error_code ec;
        unix_ipc::detail::write_frames(tx.get(), head, ec);
        if (ec == boost::asio::error::would_block)
        {
            ++would_block;
            // Drain what the peer can read now.
            for (;;)
            {
                if (socket_drained(rx.get()))
                    break;
                recv_raw(rx.get(), got, 65536, nullptr, MSG_DONTWAIT);
            }
            continue;
        }
        BOOST_TEST_REQUIRE(!ec, ec.message());
        while (head && head->done())
            head = head->next;
    }
    while (!socket_drained(rx.get()))
        recv_raw(rx.get(), got, 65536, nullptr, MSG_DONTWAIT);
    BOOST_TEST(would_block > 0, "the socket never filled up: the test did not exercise partial writes");
    BOOST_TEST_REQUIRE(got.size() == expected.size());
    BOOST_TEST((got == expected));
}

BOOST_AUTO_TEST_CASE(closed_peer_is_eof)
{
    auto [tx, rx] = make_stream_socketpair();
    rx.reset();
    const bytes p = pattern(10, 1);
    frame_out f;
    make_frame(f, p, {});
    error_code ec;
    BOOST_TEST(unix_ipc::detail::write_frames(tx.get(), &f, ec) == 0u);
    BOOST_TEST((ec == error::eof), ec.message()); // EPIPE under MSG_NOSIGNAL (no SIGPIPE kills us)
    BOOST_TEST(!f.started());
}

BOOST_AUTO_TEST_CASE(read_frames_reports_eof_as_zero)
{
    auto [tx, rx] = make_stream_socketpair();
    tx.reset();
    frame_reader r;
    std::size_t wanted = 0;
    error_code ec;
    BOOST_TEST(unix_ipc::detail::read_frames(rx.get(), r, &wanted, ec) == 0u);
    BOOST_TEST(!ec);
    BOOST_TEST(wanted > 0u);
}

BOOST_AUTO_TEST_CASE(received_fds_are_cloexec)
{
    fd_leak_checker leaks;
    auto [tx, rx] = make_stream_socketpair();
    auto p = make_pipe();
    BOOST_TEST_REQUIRE(::fcntl(p.second.get(), F_SETFD, 0) == 0); // sent without FD_CLOEXEC
    send_raw(tx.get(), frame_bytes(std::string("x"), 1), {p.second.get()});
    frame_reader r;
    raw_message m = read_one_frame(rx.get(), r);
    BOOST_TEST_REQUIRE(m.fds.size() == 1u);
    BOOST_TEST(is_cloexec(m.fds[0].get()));
}

BOOST_AUTO_TEST_CASE(kernel_dropping_fds_is_fds_truncated)
{
    fd_leak_checker leaks;
    auto [tx, rx] = make_stream_socketpair();
    auto files = distinct_files(10);
    send_raw(tx.get(), frame_bytes(std::string("x"), 10), raw_fds(files));
    frame_reader r;
    std::size_t wanted = 0;
    error_code ec;
    std::size_t n;
    {
        // Room for two more fds only: the kernel installs 2 and drops 8 (MSG_CTRUNC).
        scoped_fd_limit limit(fd_limit_leaving(2));
        n = unix_ipc::detail::read_frames(rx.get(), r, &wanted, ec);
    }
    BOOST_TEST(n == 17u);
    BOOST_TEST((ec == error::fds_truncated), ec.message());
    BOOST_TEST(r.buffered_fds() == 2u, "the reader owns what was installed");
    r.reset();
}

BOOST_AUTO_TEST_CASE(prepare_socket_rejects_other_sockets)
{
    fd_leak_checker leaks;
    error_code ec;
    unique_fd dgram(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    unix_ipc::detail::prepare_socket(dgram.get(), ec);
    BOOST_TEST((ec == boost::system::errc::invalid_argument));
    auto p = make_pipe();
    unix_ipc::detail::prepare_socket(p.first.get(), ec);
    BOOST_TEST(ec.failed(), "a pipe is not a socket");
    auto [a, b] = make_stream_socketpair();
    BOOST_TEST_REQUIRE(::fcntl(a.get(), F_SETFD, 0) == 0);
    BOOST_TEST_REQUIRE(::fcntl(a.get(), F_SETFL, ::fcntl(a.get(), F_GETFL) | O_NONBLOCK) == 0);
    unix_ipc::detail::prepare_socket(a.get(), ec);
    BOOST_TEST(!ec);
    BOOST_TEST(is_cloexec(a.get()));
    // The blocking mode belongs to the shared file description: left alone.
    BOOST_TEST((::fcntl(a.get(), F_GETFL) & O_NONBLOCK) != 0);
}

// A connect blocked on a full backlog and interrupted by a signal (no
// SA_RESTART) tries again: it completes once the listener accepts, connected.
BOOST_AUTO_TEST_CASE(connect_interrupted_by_a_signal_retries)
{
    fd_leak_checker leaks;
    const std::string name = std::string(1, '\0') + "boost_unix_ipc_test_eintr_" + std::to_string(::getpid());
    unique_fd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    BOOST_TEST_REQUIRE(listener.get() >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    BOOST_TEST_REQUIRE(::bind(listener.get(), reinterpret_cast<const sockaddr*>(&addr), len) == 0);
    BOOST_TEST_REQUIRE(::listen(listener.get(), 0) == 0);

    // Backlog 0: the first connection fills it, the second blocks.
    error_code ec;
    unique_fd first = unix_ipc::detail::connect_path(name, ec);
    BOOST_TEST_REQUIRE(!ec);

    struct sigaction sa{}, old{};
    sa.sa_handler = [](int) {};
    ::sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: the blocked connect fails with EINTR
    BOOST_TEST_REQUIRE(::sigaction(SIGUSR1, &sa, &old) == 0);

    std::atomic<bool> done{false};
    error_code second_ec;
    unique_fd second;
    std::thread t([&] {
        second = unix_ipc::detail::connect_path(name, second_ec);
        done = true;
    });
    for (int i = 0; i < 5 && !done; ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        ::pthread_kill(t.native_handle(), SIGUSR1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    BOOST_TEST(!done, "connect returned while the backlog was full");
    // Make room: the blocked connect goes through.
    unique_fd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    BOOST_TEST(accepted.get() >= 0);
    t.join();
    ::sigaction(SIGUSR1, &old, nullptr);
    BOOST_TEST(!second_ec, second_ec.message());
    BOOST_TEST_REQUIRE(second.get() >= 0);
    sockaddr_un peer{};
    socklen_t plen = sizeof peer;
    BOOST_TEST(::getpeername(second.get(), reinterpret_cast<sockaddr*>(&peer), &plen) == 0, "not connected");
}

BOOST_AUTO_TEST_SUITE_END()
