//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The channel engine's contracts that no single operation shows: operations
// allocate through their handler's associated allocator; an allocation that
// fails fails only the operation that needed it; the synchronous operations
// still work on a socket someone made non-blocking.

#include <boost/unix_ipc/raw_channel.hpp>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstddef>
#include <functional>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::raw_message;
using namespace unix_ipc_test;

namespace {

struct allocation_log
{
    int allocations = 0;
    int deallocations = 0;
    bool fail = false; // the next allocations throw bad_alloc
};

// Counts what it allocates; throws bad_alloc while log.fail is set.
template <class T>
struct counting_allocator
{
    using value_type = T;
    allocation_log* log;

    explicit counting_allocator(allocation_log& l) noexcept : log(&l) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& o) noexcept : log(o.log)
    {
    }

    T* allocate(std::size_t n)
    {
        if (log->fail)
            throw std::bad_alloc();
        ++log->allocations;
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t) noexcept
    {
        ++log->deallocations;
        ::operator delete(p);
    }
    template <class U>
    bool operator==(const counting_allocator<U>& o) const noexcept
    {
        return log == o.log;
    }
    template <class U>
    bool operator!=(const counting_allocator<U>& o) const noexcept
    {
        return log != o.log;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(engine_tests, io_context_fixture)

// A send and a receive whose handlers have an associated allocator: each
// operation is allocated through it, and freed before its handler runs.
BOOST_AUTO_TEST_CASE(operations_allocate_through_the_handlers_allocator)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    allocation_log log;
    const std::string text = "counted";
    int done = 0;
    std::string got;
    b.async_receive(asio::bind_allocator(counting_allocator<void>(log), [&](error_code ec, raw_message m) {
        BOOST_TEST(!ec);
        got = to_string(m);
        // Freed before the handler runs (Asio's rule), so that a handler
        // starting the next operation reuses the memory.
        BOOST_TEST(log.deallocations == log.allocations - (done == 0 ? 1 : 0));
        ++done;
    }));
    a.async_send(asio::buffer(text), asio::bind_allocator(counting_allocator<void>(log), [&](error_code ec) {
        BOOST_TEST(!ec);
        ++done;
    }));
    BOOST_TEST(log.allocations == 2);
    run_until(ctx, [&] { return done == 2; });
    BOOST_TEST(got == text);
    BOOST_TEST(log.deallocations == 2);
}

// The allocator of a send throws: the send fails in its initiating function
// (bad_alloc, nothing written, its handler never called); the receive
// already waiting and the sends around it are not affected.
BOOST_AUTO_TEST_CASE(allocation_failure_fails_only_its_operation)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    allocation_log log;
    std::vector<std::string> got;
    std::function<void()> receive_next = [&] {
        b.async_receive([&](error_code ec, raw_message m) {
            if (ec)
                return;
            got.push_back(to_string(m));
            receive_next();
        });
    };
    receive_next();
    const std::string one = "one", two = "two", three = "three";
    int sent = 0;
    a.async_send(asio::buffer(one), [&](error_code ec) { sent += !ec; });
    log.fail = true;
    bool called = false;
    BOOST_CHECK_THROW(a.async_send(asio::buffer(two), asio::bind_allocator(counting_allocator<void>(log),
                                                                           [&](error_code) { called = true; })),
                      std::bad_alloc);
    a.async_send(asio::buffer(three), [&](error_code ec) { sent += !ec; });
    run_until(ctx, [&] { return got.size() == 2 && sent == 2; });
    BOOST_TEST(got == (std::vector<std::string>{"one", "three"}));
    BOOST_TEST(!called);
    BOOST_TEST(log.allocations == 0);
    b.close();
    poll();
}

// The channel's socket is blocking and the synchronous operations block in
// the kernel. If someone makes its file description non-blocking, they wait
// in poll instead: a receive before the peer wrote, a send of a frame larger
// than the socket holds, both complete.
BOOST_AUTO_TEST_CASE(synchronous_operations_on_a_non_blocking_socket)
{
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    BOOST_TEST((::fcntl(a.native_handle(), F_GETFL) & O_NONBLOCK) == 0);
    for (int fd : {a.native_handle(), b.native_handle()})
        BOOST_TEST_REQUIRE(::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
    const std::string big(8 * 1024 * 1024, 'b');
    std::thread peer([&b, &big] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        raw_message m = b.receive();
        BOOST_TEST(m.bytes.size() == big.size());
        // Long enough for the other side to be waiting in its receive.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        b.send(asio::buffer(std::string("late")));
    });
    a.send(asio::buffer(big)); // more than the socket holds: waits for the peer
    raw_message m = a.receive(); // before the peer wrote
    peer.join();
    BOOST_TEST(to_string(m) == "late");
}

// O_NONBLOCK belongs to the file description, which a duplicate of the
// descriptor shares: a plain Asio socket on the same description set it (its
// first asynchronous operation does) and relies on it. Assigning a duplicate
// to a channel must not clear it (the review of the blocking-socket change
// found Asio's next speculative recv then blocked its thread for good).
BOOST_AUTO_TEST_CASE(assigning_leaves_the_blocking_mode_of_a_shared_socket)
{
    auto [x, y] = make_stream_socketpair();
    const int shared = x.get();
    BOOST_TEST_REQUIRE(::fcntl(shared, F_SETFL, ::fcntl(shared, F_GETFL) | O_NONBLOCK) == 0);
    unix_ipc::raw_channel ch(ctx, unix_ipc::unique_fd(::fcntl(shared, F_DUPFD_CLOEXEC, 0)));
    BOOST_TEST((::fcntl(shared, F_GETFL) & O_NONBLOCK) != 0, "the channel changed the shared description");
    // And the channel works on it, synchronously too (poll on a non-blocking socket).
    ch.send(asio::buffer(std::string("x")));
    char c = 0;
    BOOST_TEST(::recv(y.get(), &c, 1, MSG_DONTWAIT) == 1); // the header's first byte
    ch.close();
}

// The receive buffer of a big frame cannot grow (the address space is
// limited): the receive fails with not_enough_memory, nothing is lost, and
// once memory is there again the next receive gets the whole frame. The
// receiver is a forked child under RLIMIT_AS; the parent sends. (Not under a
// sanitizer: their allocators abort at RLIMIT_AS instead of failing.)
BOOST_AUTO_TEST_CASE(allocation_failure_in_a_receive_loses_nothing)
{
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    BOOST_TEST_MESSAGE("skipped under a sanitizer");
#else
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    constexpr std::size_t size = 96u << 20;
    std::vector<char> payload(size);
    for (std::size_t i = 0; i < size; i += 4096)
        payload[i] = static_cast<char>(i >> 12);
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0)
    {
        a.close();
        int status = 0;
        auto check = [&status](bool ok, int code) {
            if (!ok && status == 0)
                status = code;
        };
        unix_ipc::receive_limits l = b.limits();
        l.max_payload_size = 256u << 20;
        b.set_limits(l);
        raw_message m;
        m.bytes.reserve(1); // nothing big yet
        rlimit old{};
        ::getrlimit(RLIMIT_AS, &old);
        // Room for 32 MiB more than this process maps now.
        std::size_t vm = 0;
        {
            std::FILE* f = std::fopen("/proc/self/statm", "r");
            unsigned long pages = 0;
            if (f && std::fscanf(f, "%lu", &pages) == 1)
                vm = pages * 4096u;
            if (f)
                std::fclose(f);
        }
        rlimit tight = old;
        tight.rlim_cur = vm + (32u << 20);
        check(vm != 0 && ::setrlimit(RLIMIT_AS, &tight) == 0, 10);
        error_code ec;
        b.receive(m, ec);
        check(ec == boost::system::errc::not_enough_memory, 11);
        check(::setrlimit(RLIMIT_AS, &old) == 0, 12);
        b.receive(m, ec);
        check(!ec, 13);
        check(m.bytes.size() == size, 14);
        for (std::size_t i = 0; i < m.bytes.size() && status == 0; i += 4096)
            check(m.bytes[i] == static_cast<std::byte>(i >> 12), 15);
        b.send(asio::buffer("ok", 2), {}, ec); // the channel goes on
        check(!ec, 16);
        std::_Exit(status);
    }
    b.close();
    error_code ec;
    a.send(asio::buffer(payload), {}, ec);
    BOOST_TEST(!ec, "send: " << ec.message());
    raw_message reply = a.receive(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(to_string(reply) == "ok");
    int status = 0;
    BOOST_TEST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0, "the child failed check " << WEXITSTATUS(status));
#endif
}

BOOST_AUTO_TEST_SUITE_END()
