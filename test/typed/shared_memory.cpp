//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// shared_memory across processes: a 64 MiB region to a child and back inside
// typed messages (content checked on both sides, fds counted on both sides),
// a read-only handover (the child's mapping is read-only, nobody can write),
// a region through a raw channel, and hostile senders: an unsealed memfd, a
// shrinkable one that the sender then shrinks, a pipe, a regular file, a
// sealed memfd whose size differs from the size in the message: each is
// bad_message with its fd closed, never SIGBUS, and the channel goes on.
//
// Every child is forked before the parent creates its region, so a child
// sees the region only through what it receives.

#include <boost/unix_ipc/shared_memory.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "xproc_helpers.hpp"

namespace {

using namespace typed_xproc;
namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::handle;
using unix_ipc::shared_memory;
using unix_ipc::unique_fd;
using unix_ipc_test::count_open_fds;
using unix_ipc_test::io_context_fixture;
using access = shared_memory::access;

struct region_msg
{
    std::string name;
    handle<shared_memory> region;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & region;
    }
};

// What a hostile sender writes: the same bytes as region_msg (a name, an fd
// index, a size), with any fd and any size.
struct forged_msg
{
    std::string name;
    handle<unique_fd> fd;
    std::uint64_t size = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & fd & size;
    }
};

struct reply
{
    std::string text;
    std::uint64_t sum = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & text & sum;
    }
};

// Byte i of the test pattern.
inline unsigned char pattern(std::size_t i) { return static_cast<unsigned char>((i * 2654435761u) >> 13); }

std::uint64_t sum_of(const std::byte* p, std::size_t n)
{
    std::uint64_t s = 0;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<unsigned char>(p[i]) * (i % 251 + 1);
    return s;
}

unique_fd raw_memfd(unsigned flags, std::size_t size, int seals)
{
    unique_fd fd(::memfd_create("hostile", flags));
    if (!fd || ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
        return unique_fd();
    if (seals && ::fcntl(fd.get(), F_ADD_SEALS, seals) != 0)
        return unique_fd();
    return fd;
}

// Whether writing one byte at p faults (in a forked process).
bool write_faults(const void* p)
{
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return false;
    if (pid == 0)
    {
        std::signal(SIGSEGV, SIG_DFL);
        const_cast<volatile char*>(static_cast<const volatile char*>(p))[0] = 'x';
        std::_Exit(0);
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

constexpr std::size_t mib64 = std::size_t(64) << 20;

} // namespace

BOOST_AUTO_TEST_SUITE(typed_shared_memory)

// 64 MiB to a child: it checks every byte, writes its answer into the region,
// and replies; the parent sees the child's writes. Neither side leaks an fd.
BOOST_FIXTURE_TEST_CASE(round_trip_64MiB, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<reply, region_msg> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        const std::size_t fds_before = count_open_fds();
        {
            region_msg in = ep.receive();
            CHILD_CHECK(in.name == "64 MiB");
            CHILD_CHECK(in.region.has_value());
            shared_memory& m = *in.region;
            CHILD_CHECK(m.size() == mib64);
            CHILD_CHECK(m.writable());
            CHILD_CHECK(m.sealed());
            CHILD_CHECK(count_open_fds() == fds_before + 1);
            const std::byte* p = m.data();
            for (std::size_t i = 0; i < mib64; ++i)
                if (static_cast<unsigned char>(p[i]) != pattern(i))
                {
                    std::fprintf(stderr, "child: byte %zu differs\n", i);
                    return 4;
                }
            const std::uint64_t sum = sum_of(p, mib64);
            // The answer: the second half inverted, in place.
            for (std::size_t i = mib64 / 2; i < mib64; ++i)
                m.writable_data()[i] = static_cast<std::byte>(~pattern(i));
            ep.send(reply{"checked", sum});
        }
        // The region is gone with the message: no fd left behind.
        CHILD_CHECK(count_open_fds() == fds_before);
        return 0;
    });
    sp.second.reset();
    unix_ipc::endpoint<region_msg, reply> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    shared_memory m = shared_memory::create(mib64);
    for (std::size_t i = 0; i < mib64; ++i)
        m.writable_data()[i] = static_cast<std::byte>(pattern(i));
    const std::uint64_t sum = sum_of(m.data(), mib64);
    {
        region_msg out;
        out.name = "64 MiB";
        out.region = handle<shared_memory>(std::move(m));
        ep.send(out);
        BOOST_TEST(out.region->sealed()); // sending sealed it
        m = out.region.release();
    }
    const reply r = receive_ok<reply>(ctx, ep);
    BOOST_TEST(r.text == "checked");
    BOOST_TEST(r.sum == sum);
    bool first_half = true, second_half = true;
    for (std::size_t i = 0; i < mib64 / 2; ++i)
        first_half = first_half && static_cast<unsigned char>(m.data()[i]) == pattern(i);
    for (std::size_t i = mib64 / 2; i < mib64; ++i)
        second_half = second_half && static_cast<unsigned char>(m.data()[i]) == static_cast<unsigned char>(~pattern(i));
    BOOST_TEST(first_half);
    BOOST_TEST(second_half);
    wait_success(pid);
    expect_eof<reply>(ctx, ep);
}

// A region sealed read-only: the child's mapping is read-only, it cannot
// write by any means, and the parent cannot write any more either.
BOOST_FIXTURE_TEST_CASE(read_only_handover, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<reply, region_msg> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        region_msg in = ep.receive();
        CHILD_CHECK(in.region.has_value());
        shared_memory& m = *in.region;
        CHILD_CHECK(m.size() == 3 * 4096u);
        CHILD_CHECK(std::memcmp(m.data() + 4096, "read only", 9) == 0);
        CHILD_CHECK(m.write_sealed());
        CHILD_CHECK(!m.writable());
        CHILD_CHECK(m.writable_data() == nullptr);
        error_code ec;
        CHILD_CHECK(m.view<char>(ec).empty() && ec == boost::system::errc::permission_denied);
        CHILD_CHECK(m.view<const char>().size() == m.size());
        CHILD_CHECK(::pwrite(m.native_handle(), "x", 1, 0) == -1 && errno == EPERM);
        CHILD_CHECK(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.native_handle(), 0) == MAP_FAILED);
        CHILD_CHECK(::mprotect(const_cast<std::byte*>(m.data()), 4096, PROT_READ | PROT_WRITE) == -1);
        CHILD_CHECK(write_faults(m.data() + 4096));
        // A private writable mapping writes a copy only.
        void* priv = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, m.native_handle(), 0);
        CHILD_CHECK(priv != MAP_FAILED);
        static_cast<char*>(priv)[0] = 'p';
        ::munmap(priv, 4096);
        CHILD_CHECK(m.data()[0] == std::byte{0});
        ep.send(reply{"read only", 0});
        return 0;
    });
    sp.second.reset();
    unix_ipc::endpoint<region_msg, reply> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    shared_memory m = shared_memory::create(3 * 4096);
    std::memcpy(m.writable_data() + 4096, "read only", 9);
    m.seal(access::read_only);
    {
        region_msg out{"ro", handle<shared_memory>(std::move(m))};
        ep.send(out);
        m = out.region.release();
    }
    BOOST_TEST(receive_ok<reply>(ctx, ep).text == "read only");
    // The sender is bound too.
    BOOST_TEST(!m.writable());
    BOOST_TEST(::pwrite(m.native_handle(), "x", 1, 4096) == -1);
    BOOST_TEST(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.native_handle(), 0) == MAP_FAILED);
    BOOST_TEST(write_faults(m.data() + 4096));
    BOOST_TEST(std::memcmp(m.data() + 4096, "read only", 9) == 0);
    wait_success(pid);
    expect_eof<reply>(ctx, ep);
}

// Hostile senders. The child sends forged messages, each followed by a
// control step; the parent answers each with an ack. Every forged region is
// bad_message with its fd closed; the correctly sealed control passes, which
// shows the forged layout is the real one. The shrinkable memfd is shrunk to
// nothing once the parent has answered: had the parent mapped it, reading it
// would raise SIGBUS.
BOOST_FIXTURE_TEST_CASE(hostile_senders_are_refused, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<forged_msg, std::int32_t> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        const std::size_t size = 1 << 20;
        auto send = [&](const char* name, unique_fd fd, std::uint64_t claimed) {
            CHILD_CHECK(fd.get() >= 0);
            ep.send(forged_msg{name, handle<unique_fd>(std::move(fd)), claimed});
            CHILD_CHECK(ep.receive() == 1); // the parent has received it
        };
        // 1. Unsealed.
        send("unsealed", raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, 0), size);
        // 2. Sealed against growing only, then shrunk after the parent had it.
        {
            unique_fd fd = raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, F_SEAL_GROW | F_SEAL_SEAL);
            const int keep = ::dup(fd.get());
            send("shrinkable", std::move(fd), size);
            CHILD_CHECK(::ftruncate(keep, 0) == 0);
            ::close(keep);
            ep.send(forged_msg{"shrunk", {}, 0});
            CHILD_CHECK(ep.receive() == 1);
        }
        // 3. Sealed against shrinking and growing, seals still open.
        send("seals open", raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, F_SEAL_SHRINK | F_SEAL_GROW), size);
        // 4. A pipe.
        {
            int p[2];
            CHILD_CHECK(::pipe2(p, O_CLOEXEC) == 0);
            ::close(p[1]);
            send("pipe", unique_fd(p[0]), size);
        }
        // 5. A regular file.
        {
            char tmpl[] = "/tmp/unix_ipc_shm_XXXXXX";
            unique_fd f(::mkostemp(tmpl, O_CLOEXEC));
            CHILD_CHECK(f.get() >= 0);
            ::unlink(tmpl);
            CHILD_CHECK(::ftruncate(f.get(), static_cast<off_t>(size)) == 0);
            send("regular file", std::move(f), size);
        }
        // 6. Sealed, but the message claims twice its size; then half.
        const int good_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
        send("size lie", raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, good_seals), 2 * size);
        send("size lie", raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, good_seals), size / 2);
        // 7. The control: sealed, size told right.
        send("good", raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, size, good_seals), size);
        return 0;
    });
    sp.second.reset();
    unix_ipc::endpoint<std::int32_t, region_msg> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    const std::size_t fds_before = count_open_fds();
    const error_code bad_message = make_error_code(unix_ipc::error::bad_message);
    auto expect_refused = [&](const char* what) {
        BOOST_TEST_CONTEXT(what)
        {
            error_code ec;
            region_msg m = receive_as<region_msg>(ctx, ep, ec);
            BOOST_TEST(ec == bad_message, ec.message());
            BOOST_TEST(!m.region.has_value());
            BOOST_TEST(count_open_fds() == fds_before);
            ep.send(1);
            return m;
        }
        return region_msg{};
    };
    expect_refused("unsealed memfd");
    {
        region_msg m = expect_refused("shrinkable memfd");
        const region_msg shrunk = receive_ok<region_msg>(ctx, ep);
        BOOST_TEST(shrunk.name == "shrunk");
        // Had the region been accepted, this read beyond the new end would be SIGBUS.
        if (m.region.has_value())
            BOOST_TEST(sum_of(m.region->data(), m.region->size()) == 0u);
        ep.send(1);
    }
    expect_refused("memfd with open seals");
    expect_refused("pipe");
    expect_refused("regular file");
    expect_refused("sealed memfd, claimed size larger");
    expect_refused("sealed memfd, claimed size smaller");
    {
        region_msg m = receive_ok<region_msg>(ctx, ep);
        BOOST_TEST(m.name == "good");
        BOOST_TEST_REQUIRE(m.region.has_value());
        BOOST_TEST(m.region->size() == std::size_t(1) << 20);
        BOOST_TEST(count_open_fds() == fds_before + 1);
        ep.send(1);
    }
    BOOST_TEST(count_open_fds() == fds_before);
    wait_success(pid);
    expect_eof<region_msg>(ctx, ep);
}

// Through a raw channel: the region is sent as its fd, with its size in the
// bytes, and rebuilt with the checking constructor; an unsealed memfd sent the
// same way is refused with bad_message.
BOOST_FIXTURE_TEST_CASE(raw_channel_round_trip, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::raw_channel ch(ioc, std::move(sp.second));
        shared_memory m = shared_memory::create(1 << 20);
        std::memcpy(m.writable_data() + 1000, "raw", 3);
        m.seal(access::read_write);
        const int fd = m.native_handle();
        ch.send(asio::buffer("region", 6), boost::span<const int>(&fd, 1));
        unique_fd bad = raw_memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096, 0);
        const int bfd = bad.get();
        ch.send(asio::buffer("unsealed", 8), boost::span<const int>(&bfd, 1));
        unix_ipc::raw_message done = ch.receive();
        CHILD_CHECK(done.bytes.size() == 4);
        return 0;
    });
    sp.second.reset();
    unix_ipc::raw_channel ch(ctx, std::move(sp.first));
    const std::size_t fds_before = count_open_fds();
    {
        unix_ipc::raw_message msg = ch.receive();
        BOOST_TEST_REQUIRE(msg.fds.size() == 1u);
        shared_memory m(std::move(msg.fds[0]));
        BOOST_TEST(m.size() == std::size_t(1) << 20);
        BOOST_TEST(std::memcmp(m.data() + 1000, "raw", 3) == 0);
    }
    {
        unix_ipc::raw_message msg = ch.receive();
        BOOST_TEST_REQUIRE(msg.fds.size() == 1u);
        error_code ec;
        shared_memory m = shared_memory::adopt(std::move(msg.fds[0]), ec);
        BOOST_TEST(ec == make_error_code(unix_ipc::error::bad_message));
    }
    BOOST_TEST(count_open_fds() == fds_before);
    ch.send(asio::buffer("done", 4));
    wait_success(pid);
}

// In one process: an empty handle, and a handle holding an empty
// shared_memory, arrive empty; a region sent unsealed is sealed by the send
// and arrives whole.
BOOST_FIXTURE_TEST_CASE(empty_and_unsealed_regions, io_context_fixture)
{
    auto [tx, rx] = unix_ipc::make_channel<region_msg>(ctx);
    tx.send(region_msg{"empty handle", {}});
    tx.send(region_msg{"empty region", handle<shared_memory>(shared_memory())});
    shared_memory m = shared_memory::create(4096);
    m.writable_data()[7] = std::byte{7};
    BOOST_TEST(!m.sealed());
    {
        region_msg out{"unsealed", handle<shared_memory>(std::move(m))};
        tx.send(out);
        BOOST_TEST(out.region->sealed());
        BOOST_TEST(!out.region->write_sealed());
        m = out.region.release();
    }
    for (const char* name : {"empty handle", "empty region"})
    {
        region_msg in = receive_ok<region_msg>(ctx, rx);
        BOOST_TEST(in.name == name);
        BOOST_TEST(!in.region.has_value());
    }
    region_msg in = receive_ok<region_msg>(ctx, rx);
    BOOST_TEST_REQUIRE(in.region.has_value());
    BOOST_TEST(in.region->size() == 4096u);
    BOOST_TEST(std::to_integer<int>(in.region->data()[7]) == 7);
    in.region->writable_data()[8] = std::byte{8};
    BOOST_TEST(std::to_integer<int>(m.data()[8]) == 8);
}

BOOST_AUTO_TEST_SUITE_END()
