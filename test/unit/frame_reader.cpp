//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The sans-io receive side (detail::frame_reader) fed by hand: no socket.

// BUG (reported): detail/frame_reader.hpp uses error:: and make_error_code in
// is_fatal() without including error.hpp, so it does not compile alone.
// Include error.hpp first until the header is fixed.
#include <boost/unix_ipc/error.hpp>

#include <boost/unix_ipc/detail/frame_reader.hpp>

#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/fd_utils.hpp"
#include "unix_ipc_test/wire.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::error;
using unix_ipc::raw_message;
using unix_ipc::unique_fd;
using unix_ipc::detail::frame_reader;
using namespace unix_ipc_test;

namespace {

// What one sendmsg would bring: bytes, and fds riding on the first of them.
struct segment
{
    bytes data;
    std::vector<int> fds; // handed to the reader (owned by it from then on)
};

struct outcome
{
    error_code ec; // empty for a frame
    raw_message msg;
};

int dup_fd(int fd)
{
    int d = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    BOOST_TEST_REQUIRE(d >= 0);
    return d;
}

// n duplicates of fd.
std::vector<int> dups(int fd, std::size_t n)
{
    std::vector<int> v;
    for (std::size_t i = 0; i < n; ++i)
        v.push_back(dup_fd(fd));
    return v;
}

// Drives the reader as read_frames + the channel do: next() until need_more,
// then one read of at most `chunk` bytes into prepare()'s target. A read never
// crosses a segment boundary (the kernel never glues reads across fd-carrying
// segments; not gluing others is allowed too). Stops at a fatal error.
struct driver
{
    explicit driver(frame_reader& reader, std::size_t max_read = std::numeric_limits<std::size_t>::max())
        : r(reader), chunk(max_read)
    {
    }

    frame_reader& r;
    std::size_t chunk;
    std::size_t reads = 0;
    std::vector<outcome> out;
    bool fatal = false;

    // next() until need_more; false after a fatal error.
    bool drain()
    {
        for (;;)
        {
            outcome o;
            switch (r.next(o.msg, o.ec))
            {
            case frame_reader::result::need_more: return true;
            case frame_reader::result::frame:
                BOOST_TEST(!o.ec);
                out.push_back(std::move(o));
                break;
            case frame_reader::result::error:
                BOOST_TEST(o.ec.failed());
                fatal = frame_reader::is_fatal(o.ec);
                out.push_back(std::move(o));
                if (fatal)
                    return false;
                break;
            }
        }
    }

    void feed(const segment& s)
    {
        std::size_t off = 0;
        while (off < s.data.size())
        {
            if (!drain())
            {
                // Fatal: the rest is not read; close the fds it would have brought.
                if (off == 0)
                    for (int fd : s.fds)
                        ::close(fd);
                return;
            }
            frame_reader::target t = r.prepare();
            BOOST_TEST_REQUIRE(t.size != 0u, "prepare() returned an empty target");
            std::size_t n = std::min({chunk, t.size + t.size2, s.data.size() - off});
            const std::size_t n1 = std::min(n, t.size);
            if (n1 != 0)
                std::memcpy(t.data, s.data.data() + off, n1);
            if (n > n1)
                std::memcpy(t.data2, s.data.data() + off + n1, n - n1);
            if (off == 0)
                for (int fd : s.fds)
                    r.add_fd(fd);
            r.commit(n);
            off += n;
            ++reads;
        }
    }

    std::vector<outcome>& run(const std::vector<segment>& segs)
    {
        for (const segment& s : segs)
        {
            if (fatal)
            {
                for (int fd : s.fds)
                    ::close(fd);
                continue;
            }
            feed(s);
        }
        if (!fatal)
            drain();
        return out;
    }
};

bytes str(const std::string& s)
{
    return bytes(s.begin(), s.end());
}

bool is_frame(const outcome& o, const bytes& payload, std::size_t nfds)
{
    BOOST_TEST(!o.ec, "expected a frame, got " << o.ec.message());
    if (o.ec)
        return false;
    BOOST_TEST(o.msg.fds.size() == nfds);
    const bool same = o.msg.bytes.size() == payload.size() &&
                      (payload.empty() || std::memcmp(o.msg.bytes.data(), payload.data(), payload.size()) == 0);
    BOOST_TEST(same, "payload of " << o.msg.bytes.size() << " bytes differs from the " << payload.size()
                                   << " expected");
    return same && o.msg.fds.size() == nfds;
}

} // namespace

BOOST_AUTO_TEST_SUITE(frame_reader_tests)

BOOST_AUTO_TEST_CASE(one_frame)
{
    frame_reader r;
    driver d{r};
    auto& out = d.run({{frame_bytes(std::string("hello")), {}}});
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(is_frame(out[0], str("hello"), 0));
    BOOST_TEST(!r.mid_frame());
}

BOOST_AUTO_TEST_CASE(header_alone_is_not_a_frame)
{
    frame_reader r;
    driver d{r};
    bytes f = frame_bytes(std::string("abc"));
    f.pop_back();
    auto& out = d.run({{f, {}}});
    BOOST_TEST(out.empty());
    BOOST_TEST(r.mid_frame());
    d.run({{bytes{'c'}, {}}});
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(is_frame(out[0], str("abc"), 0));
}

BOOST_AUTO_TEST_CASE(many_frames_in_one_read)
{
    frame_reader r;
    bytes all;
    std::vector<bytes> payloads;
    for (std::uint32_t i = 0; i < 200; ++i)
    {
        payloads.push_back(pattern(i % 97, i));
        append(all, frame_bytes(payloads.back()));
    }
    BOOST_TEST_REQUIRE(all.size() < 64 * 1024u);
    driver d{r};
    auto& out = d.run({{all, {}}});
    BOOST_TEST(d.reads == 1u);
    BOOST_TEST_REQUIRE(out.size() == payloads.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        BOOST_TEST_CONTEXT("frame " << i) BOOST_TEST(is_frame(out[i], payloads[i], 0));
}

BOOST_AUTO_TEST_CASE(frames_split_byte_by_byte)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    {
        frame_reader r(4096); // direct_threshold() 1024
        BOOST_TEST(r.direct_threshold() == 1024u);
        const bytes small = pattern(100, 1), big = pattern(3000, 2);
        std::vector<segment> segs;
        segs.push_back({frame_bytes(small, 2), dups(p.first.get(), 2)});
        segs.push_back({frame_bytes(bytes()), {}});
        segs.push_back({frame_bytes(big, 1), dups(p.second.get(), 1)});
        segs.push_back({frame_bytes(std::string("tail")), {}});
        driver d{r, 1};
        auto& out = d.run(segs);
        BOOST_TEST_REQUIRE(out.size() == 4u);
        BOOST_TEST(is_frame(out[0], small, 2));
        BOOST_TEST(is_frame(out[1], bytes(), 0));
        BOOST_TEST(is_frame(out[2], big, 1));
        BOOST_TEST(is_frame(out[3], str("tail"), 0));
        BOOST_TEST(file_id(out[0].msg.fds[0].get()) == file_id(p.first.get()));
        BOOST_TEST(access_mode(out[2].msg.fds[0].get()) == O_WRONLY);
        BOOST_TEST(r.buffered_fds() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(zero_length_payload)
{
    frame_reader r;
    driver d{r};
    auto& out = d.run({{frame_bytes(bytes()), {}}, {frame_bytes(bytes()), {}}});
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(is_frame(out[0], bytes(), 0));
    BOOST_TEST(is_frame(out[1], bytes(), 0));
}

BOOST_AUTO_TEST_CASE(fd_only_frame)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    frame_reader r;
    driver d{r};
    auto& out = d.run({{frame_header(0, 2), {dup_fd(p.second.get()), dup_fd(p.first.get())}}});
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST_REQUIRE(is_frame(out[0], bytes(), 2));
    // In order: the write end first.
    BOOST_TEST(access_mode(out[0].msg.fds[0].get()) == O_WRONLY);
    BOOST_TEST(access_mode(out[0].msg.fds[1].get()) == O_RDONLY);
    BOOST_TEST(file_id(out[0].msg.fds[0].get()) == file_id(p.first.get()));
    BOOST_TEST(::write(out[0].msg.fds[0].get(), "z", 1) == 1);
    char c = 0;
    BOOST_TEST(::read(p.first.get(), &c, 1) == 1);
    BOOST_TEST(c == 'z');
}

BOOST_AUTO_TEST_CASE(large_payload_in_pieces)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    frame_reader r(4096);
    const bytes big1 = pattern(100000, 11), big2 = pattern(5000, 12);
    bytes stream = frame_bytes(big1);
    append(stream, frame_bytes(std::string("after")));
    append(stream, frame_bytes(big2, 3));
    // The 3 fds ride on the third frame's header: split the stream there.
    const std::size_t third = stream.size() - (16 + big2.size());
    std::vector<segment> segs{{bytes(stream.begin(), stream.begin() + third), {}},
                              {bytes(stream.begin() + third, stream.end()), dups(p.second.get(), 3)}};
    for (std::size_t chunk : {std::size_t(777), std::size_t(1) << 20})
    {
        BOOST_TEST_CONTEXT("chunk " << chunk)
        {
            std::vector<segment> s = segs;
            if (chunk != 777) // fresh fds for the second round
                s[1].fds = dups(p.second.get(), 3);
            driver d{r, chunk};
            auto& out = d.run(s);
            BOOST_TEST_REQUIRE(out.size() == 3u);
            BOOST_TEST(is_frame(out[0], big1, 0));
            BOOST_TEST(is_frame(out[1], str("after"), 0));
            BOOST_TEST(is_frame(out[2], big2, 3));
            BOOST_TEST(!r.mid_frame());
        }
    }
}

BOOST_AUTO_TEST_CASE(direct_read_takes_no_more_than_payload_and_one_header)
{
    frame_reader r(4096);
    const bytes big = pattern(10000, 3);
    bytes f = frame_bytes(big);
    // Header + 100 bytes of payload.
    frame_reader::target t = r.prepare();
    BOOST_TEST_REQUIRE(t.size >= 116u);
    std::memcpy(t.data, f.data(), 116);
    r.commit(116);
    raw_message m;
    error_code ec;
    BOOST_TEST((r.next(m, ec) == frame_reader::result::need_more));
    t = r.prepare();
    BOOST_TEST(t.size == big.size() - 100);
    BOOST_TEST(t.size2 == 16u, "a read finishing a big payload may take one header, no more");
    // Finish the payload and give exactly one following header.
    bytes next = frame_bytes(std::string("xy"));
    std::memcpy(t.data, f.data() + 116, t.size);
    std::memcpy(t.data2, next.data(), 16);
    r.commit(t.size + 16);
    BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::frame));
    BOOST_TEST((m.bytes.size() == big.size() && std::memcmp(m.bytes.data(), big.data(), big.size()) == 0));
    BOOST_TEST((r.next(m, ec) == frame_reader::result::need_more));
    t = r.prepare();
    BOOST_TEST_REQUIRE(t.size >= 2u);
    std::memcpy(t.data, next.data() + 16, 2);
    r.commit(2);
    BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::frame));
    BOOST_TEST(to_string(m) == "xy");
}

BOOST_AUTO_TEST_CASE(bad_magic_is_a_fatal_protocol_error)
{
    for (std::uint32_t mv : {0u, 0xdeadbeefu, (0x554950u << 8) | 2u /* version 2 */, (0x554951u << 8) | 1u})
    {
        BOOST_TEST_CONTEXT("magic_and_version " << std::hex << mv)
        {
            frame_reader r;
            driver d{r};
            bytes f = frame_header(3, 0, mv);
            append(f, str("abc"));
            auto& out = d.run({{f, {}}});
            BOOST_TEST_REQUIRE(out.size() == 1u);
            BOOST_TEST((out[0].ec == error::protocol_error));
            BOOST_TEST(frame_reader::is_fatal(out[0].ec));
        }
    }
}

BOOST_AUTO_TEST_CASE(error_leaves_the_message_untouched)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    frame_reader r;
    raw_message m;
    m.bytes = {std::byte{1}, std::byte{2}};
    m.fds.emplace_back(dup_fd(p.first.get()));
    const int held = m.fds[0].get();
    auto t = r.prepare();
    bytes f = frame_header(1, 0, 12345);
    std::memcpy(t.data, f.data(), 16);
    r.commit(16);
    error_code ec;
    BOOST_TEST((r.next(m, ec) == frame_reader::result::error));
    BOOST_TEST(m.bytes.size() == 2u);
    BOOST_TEST_REQUIRE(m.fds.size() == 1u);
    BOOST_TEST(m.fds[0].get() == held);
    BOOST_TEST(is_open_fd(held));
}

BOOST_AUTO_TEST_CASE(receiving_into_a_message_closes_its_old_fds)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    frame_reader r;
    raw_message m;
    m.fds.emplace_back(dup_fd(p.first.get()));
    m.fds.emplace_back(dup_fd(p.first.get()));
    const std::size_t with_old = count_open_fds();
    auto t = r.prepare();
    bytes f = frame_bytes(std::string("new"));
    std::memcpy(t.data, f.data(), f.size());
    r.commit(f.size());
    error_code ec;
    BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::frame));
    BOOST_TEST(m.fds.empty());
    BOOST_TEST(count_open_fds() == with_old - 2);
    BOOST_TEST(to_string(m) == "new");
}

BOOST_AUTO_TEST_CASE(oversized_payload_is_skipped_without_allocating)
{
    frame_reader r;
    r.set_limits({1024, 16});
    // 1 TiB declared: rejected from the header alone; allocating it would throw.
    driver d{r};
    auto& out = d.run({{frame_header(std::uint64_t(1) << 40, 0), {}}, {pattern(200000, 5), {}}});
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST((out[0].ec == error::message_too_large));
    BOOST_TEST(!frame_reader::is_fatal(out[0].ec));
    BOOST_TEST(r.mid_frame(), "still skipping the declared bytes");
}

BOOST_AUTO_TEST_CASE(oversized_payload_then_a_good_frame)
{
    for (std::size_t chunk : {std::size_t(1), std::size_t(100), std::size_t(5000), std::size_t(1) << 20})
    {
        BOOST_TEST_CONTEXT("chunk " << chunk)
        {
            frame_reader r;
            r.set_limits({1024, 16});
            bytes s = frame_bytes(pattern(5000, 6));
            append(s, frame_bytes(std::string("good")));
            append(s, frame_bytes(pattern(1024, 7))); // exactly the limit: accepted
            driver d{r, chunk};
            auto& out = d.run({{s, {}}});
            BOOST_TEST_REQUIRE(out.size() == 3u);
            BOOST_TEST((out[0].ec == error::message_too_large));
            BOOST_TEST(is_frame(out[1], str("good"), 0));
            BOOST_TEST(is_frame(out[2], pattern(1024, 7), 0));
        }
    }
}

BOOST_AUTO_TEST_CASE(too_many_fds_closes_them_and_continues)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const std::size_t base = count_open_fds();
    frame_reader r;
    r.set_limits({1024, 2});
    std::vector<segment> segs{{frame_bytes(std::string("x"), 5), dups(p.first.get(), 5)},
                              {frame_bytes(std::string("ok"), 2), dups(p.second.get(), 2)}};
    BOOST_TEST(count_open_fds() == base + 7);
    driver d{r, 3};
    auto& out = d.run(segs);
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST((out[0].ec == error::too_many_fds));
    BOOST_TEST(!frame_reader::is_fatal(out[0].ec));
    BOOST_TEST(is_frame(out[1], str("ok"), 2));
    BOOST_TEST(access_mode(out[1].msg.fds[0].get()) == O_WRONLY);
    // The 5 rejected fds are closed; the 2 accepted ones live in the message.
    BOOST_TEST(count_open_fds() == base + 2);
    out.clear();
    BOOST_TEST(count_open_fds() == base);
}

BOOST_AUTO_TEST_CASE(oversized_frame_with_fds_closes_them)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const std::size_t base = count_open_fds();
    frame_reader r;
    r.set_limits({100, 16});
    driver d{r, 64};
    auto& out = d.run({{frame_bytes(pattern(1000, 1), 4), dups(p.first.get(), 4)},
                       {frame_bytes(std::string("fine"), 1), dups(p.first.get(), 1)}});
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST((out[0].ec == error::message_too_large));
    BOOST_TEST(is_frame(out[1], str("fine"), 1));
    BOOST_TEST(count_open_fds() == base + 1);
}

BOOST_AUTO_TEST_CASE(fewer_fds_than_declared_is_a_protocol_error)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    {
        frame_reader r;
        driver d{r};
        auto& out = d.run({{frame_bytes(std::string("abc"), 3), dups(p.first.get(), 1)}});
        BOOST_TEST_REQUIRE(out.size() == 1u);
        BOOST_TEST((out[0].ec == error::protocol_error));
        BOOST_TEST(frame_reader::is_fatal(out[0].ec));
        r.reset();
        BOOST_TEST(r.buffered_fds() == 0u);
    }
    {
        // The same for a big frame read directly into its own vector.
        frame_reader r(4096);
        driver d{r, 500};
        auto& out = d.run({{frame_bytes(pattern(5000, 1), 2), dups(p.first.get(), 1)}});
        BOOST_TEST_REQUIRE(out.size() == 1u);
        BOOST_TEST((out[0].ec == error::protocol_error));
        r.reset();
    }
    {
        // And for a skipped frame: its missing fds are still a protocol error.
        frame_reader r;
        r.set_limits({10, 16});
        driver d{r};
        auto& out = d.run({{frame_bytes(pattern(20, 1), 5), dups(p.first.get(), 2)}});
        BOOST_TEST_REQUIRE(!out.empty());
        BOOST_TEST((out.back().ec == error::protocol_error));
        r.reset();
    }
}

BOOST_AUTO_TEST_CASE(too_many_unclaimed_fds_is_a_protocol_error)
{
    raise_fd_limit(16384);
    fd_leak_checker leaks;
    auto p = make_pipe();
    raw_message m;
    error_code ec;
    {
        // Fds with no frame at all: far more than any header can claim.
        frame_reader r;
        for (int fd : dups(p.first.get(), 5000))
            r.add_fd(fd);
        BOOST_TEST((r.next(m, ec) == frame_reader::result::error));
        BOOST_TEST((ec == error::protocol_error));
        BOOST_TEST(frame_reader::is_fatal(ec));
        r.reset();
        BOOST_TEST(r.buffered_fds() == 0u);
    }
    {
        // A complete frame declaring no fds, with 600 fds waiting: more than
        // one following batch (253) can explain.
        frame_reader r;
        driver d{r};
        auto& out = d.run({{frame_bytes(std::string("abc"), 0), dups(p.first.get(), 600)}});
        BOOST_TEST_REQUIRE(out.size() == 1u);
        BOOST_TEST((out[0].ec == error::protocol_error));
        r.reset();
    }
    {
        // One batch of the next frame's fds beside a frame is legitimate.
        frame_reader r;
        driver d{r};
        auto& out = d.run({{frame_bytes(std::string("abc"), 1), dups(p.first.get(), 1 + 253)}});
        BOOST_TEST_REQUIRE(out.size() == 1u);
        BOOST_TEST(is_frame(out[0], str("abc"), 1));
        BOOST_TEST(r.buffered_fds() == 253u);
        r.reset();
    }
}

BOOST_AUTO_TEST_CASE(reset_closes_every_buffered_fd)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const std::size_t base = count_open_fds();
    frame_reader r(4096);
    // A partial big frame with fds, then unclaimed fds after it.
    bytes f = frame_bytes(pattern(3000, 1), 3);
    auto t = r.prepare();
    std::memcpy(t.data, f.data(), 1000);
    for (int fd : dups(p.first.get(), 3))
        r.add_fd(fd);
    r.commit(1000);
    raw_message m;
    error_code ec;
    BOOST_TEST((r.next(m, ec) == frame_reader::result::need_more));
    for (int fd : dups(p.second.get(), 4))
        r.add_fd(fd);
    BOOST_TEST(r.buffered_fds() == 7u);
    BOOST_TEST(r.mid_frame());
    BOOST_TEST(count_open_fds() == base + 7);
    r.reset();
    BOOST_TEST(count_open_fds() == base);
    BOOST_TEST(r.buffered_fds() == 0u);
    BOOST_TEST(!r.mid_frame());
    // Usable afterwards.
    driver d{r};
    auto& out = d.run({{frame_bytes(std::string("again")), {}}});
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(is_frame(out[0], str("again"), 0));
}

BOOST_AUTO_TEST_CASE(destructor_closes_buffered_fds)
{
    fd_leak_checker leaks;
    auto p = make_pipe();
    const std::size_t base = count_open_fds();
    {
        frame_reader r;
        for (int fd : dups(p.first.get(), 5))
            r.add_fd(fd);
        BOOST_TEST(count_open_fds() == base + 5);
    }
    BOOST_TEST(count_open_fds() == base);
}

BOOST_AUTO_TEST_CASE(fds_are_matched_in_fifo_order_across_frames)
{
    fd_leak_checker leaks;
    // Three pipes; frame i carries write ends of pipes per its index.
    std::vector<std::pair<unique_fd, unique_fd>> pipes;
    for (int i = 0; i < 3; ++i)
        pipes.push_back(make_pipe());
    frame_reader r;
    bytes all = frame_bytes(std::string("a"), 1);
    append(all, frame_bytes(std::string("b"), 0));
    append(all, frame_bytes(std::string("c"), 2));
    driver d{r};
    auto& out = d.run({{all, {dup_fd(pipes[0].second.get()), dup_fd(pipes[1].second.get()),
                              dup_fd(pipes[2].second.get())}}});
    BOOST_TEST_REQUIRE(out.size() == 3u);
    BOOST_TEST_REQUIRE(out[0].msg.fds.size() == 1u);
    BOOST_TEST(out[1].msg.fds.empty());
    BOOST_TEST_REQUIRE(out[2].msg.fds.size() == 2u);
    BOOST_TEST(file_id(out[0].msg.fds[0].get()) == file_id(pipes[0].first.get()));
    BOOST_TEST(file_id(out[2].msg.fds[0].get()) == file_id(pipes[1].first.get()));
    BOOST_TEST(file_id(out[2].msg.fds[1].get()) == file_id(pipes[2].first.get()));
}

// The next frame's fd always arrives before the current frame is complete,
// so the FIFO never empties: its storage must still stay bounded.
BOOST_AUTO_TEST_CASE(fd_fifo_storage_stays_bounded_when_never_empty)
{
    fd_leak_checker leaks;
    auto pipe = make_pipe();
    const std::size_t n = 2000;
    {
        frame_reader r;
        std::vector<segment> segs;
        const bytes payload(100, 0x42);
        for (std::size_t i = 0; i < n; ++i)
            segs.push_back({frame_bytes(payload, 1), dups(pipe.second.get(), i == 0 ? 2 : 1)});
        driver d{r};
        std::size_t largest = 0;
        for (const segment& s : segs)
        {
            d.feed(s);
            largest = std::max(largest, r.fd_storage_size());
        }
        d.drain();
        BOOST_TEST_REQUIRE(d.out.size() == n);
        BOOST_TEST(is_frame(d.out.back(), payload, 1));
        BOOST_TEST(r.buffered_fds() == 1u); // the one no frame claimed
        BOOST_TEST(largest <= 130u, "fd FIFO storage grew to " << largest);
        d.out.clear();
    }
}

// A header declaring a huge payload commits no memory for it: the reader
// holds one chunk, and grows to at most twice what arrived as the bytes come.
BOOST_AUTO_TEST_CASE(memory_follows_the_bytes_not_the_declared_size)
{
    frame_reader r;
    unix_ipc::receive_limits l;
    l.max_payload_size = std::size_t(1) << 30;
    r.set_limits(l);
    raw_message m;
    error_code ec;
    // A header declaring 1 GiB, and nothing after it.
    {
        bytes h = frame_header(std::size_t(1) << 30, 0);
        frame_reader::target t = r.prepare();
        std::memcpy(t.data, h.data(), h.size());
        r.commit(h.size());
    }
    BOOST_TEST((r.next(m, ec) == frame_reader::result::need_more));
    BOOST_TEST(r.payload_capacity() <= frame_reader::direct_chunk);
    frame_reader::target t = r.prepare();
    BOOST_TEST(t.size <= frame_reader::direct_chunk);
    BOOST_TEST(t.size2 == 0u, "no header may be read while the payload goes on");
    BOOST_TEST(r.payload_capacity() <= frame_reader::direct_chunk);

    // 3 MiB arrive in reads of 4 KiB: the memory held stays within twice that.
    std::size_t arrived = 0;
    while (arrived < 3 * 1024 * 1024)
    {
        t = r.prepare();
        const std::size_t n = std::min<std::size_t>(4096, t.size);
        std::memset(t.data, 'x', n);
        r.commit(n);
        arrived += n;
        BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::need_more));
        BOOST_TEST_REQUIRE(r.payload_capacity() <= std::max<std::size_t>(2 * arrived, frame_reader::direct_chunk));
    }
}

BOOST_AUTO_TEST_CASE(a_growing_payload_arrives_intact)
{
    // Reads of odd sizes through every growth of the payload's vector, then
    // a small frame right behind it.
    frame_reader r;
    driver d{r, 7000};
    const bytes big = pattern(5 * 1024 * 1024 + 3, 11);
    bytes f = frame_bytes(big);
    append(f, frame_bytes(std::string("next")));
    auto& out = d.run({{f, {}}});
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(is_frame(out[0], big, 0));
    BOOST_TEST(is_frame(out[1], str("next"), 0));
}

// Reads a whole frame f into m: the header alone first, then as much as each
// target takes. Returns the size of the target the payload's first read got.
static std::size_t read_big_frame(frame_reader& r, raw_message& m, const bytes& f)
{
    error_code ec;
    std::size_t off = 0, first_target = 0;
    for (;;)
    {
        const frame_reader::result res = r.next(m, ec);
        BOOST_TEST_REQUIRE((res != frame_reader::result::error));
        if (res == frame_reader::result::frame)
            return first_target;
        frame_reader::target t = r.prepare();
        if (off == 16)
            first_target = t.size;
        const std::size_t n = std::min(off == 0 ? std::size_t(16) : t.size, f.size() - off);
        std::memcpy(t.data, f.data() + off, n);
        r.commit(n);
        off += n;
    }
}

BOOST_AUTO_TEST_CASE(big_frames_into_one_message_allocate_nothing_from_the_third)
{
    // The vector of the caller's previous message is what the next big frame
    // is read into: the reader and the message swap two vectors, the whole
    // payload is read at once, and no vector is allocated after the second
    // frame.
    frame_reader r;
    const bytes big = pattern(3 * 1024 * 1024, 5);
    const bytes f = frame_bytes(big);
    raw_message m;
    std::vector<const std::byte*> where;
    for (int i = 0; i < 5; ++i)
    {
        const std::size_t first_target = read_big_frame(r, m, f);
        if (i >= 2)
            BOOST_TEST(first_target == big.size(), "frame " << i << ": the whole payload is read at once");
        BOOST_TEST_REQUIRE(m.bytes.size() == big.size());
        BOOST_TEST(std::memcmp(m.bytes.data(), big.data(), big.size()) == 0);
        where.push_back(m.bytes.data());
    }
    BOOST_TEST(where[2] == where[0]);
    BOOST_TEST(where[3] == where[1]);
    BOOST_TEST(where[4] == where[0]);
}

BOOST_AUTO_TEST_CASE(big_frames_into_fresh_messages_allocate_once_each)
{
    // Receiving by value hands the reader an empty vector each time: after
    // the first big frame, the next one's vector sets aside (without touching
    // it) the room the last one took, so it never reallocates while its bytes
    // arrive; the memory it commits still follows the bytes.
    frame_reader r;
    const bytes big = pattern(3 * 1024 * 1024, 6);
    const bytes f = frame_bytes(big);
    {
        raw_message m;
        read_big_frame(r, m, f);
        BOOST_TEST_REQUIRE(m.bytes.size() == big.size());
        // Grown by doubling to the declared size, and no further.
        BOOST_TEST(m.bytes.capacity() == big.size());
    }
    raw_message m;
    error_code ec;
    frame_reader::target t = r.prepare();
    std::memcpy(t.data, f.data(), 16);
    r.commit(16);
    BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::need_more));
    BOOST_TEST(r.payload_capacity() == big.size());
    BOOST_TEST(r.payload_size() <= frame_reader::direct_chunk);
    const std::size_t room = r.payload_capacity();
    std::size_t off = 16;
    for (;;)
    {
        const frame_reader::result res = r.next(m, ec);
        BOOST_TEST_REQUIRE((res != frame_reader::result::error));
        if (res == frame_reader::result::frame)
            break;
        BOOST_TEST_REQUIRE(r.payload_capacity() == room, "no reallocation");
        BOOST_TEST_REQUIRE(r.payload_size() <= std::max<std::size_t>(2 * (off - 16), frame_reader::direct_chunk));
        t = r.prepare();
        const std::size_t n = std::min<std::size_t>(std::min<std::size_t>(t.size, 100000), f.size() - off);
        std::memcpy(t.data, f.data() + off, n);
        r.commit(n);
        off += n;
    }
    BOOST_TEST(std::memcmp(m.bytes.data(), big.data(), big.size()) == 0);
    // A smaller frame next sets aside no more than its own size.
    const bytes small = pattern(100 * 1024, 7);
    raw_message m2;
    read_big_frame(r, m2, frame_bytes(small));
    BOOST_TEST(m2.bytes.capacity() == small.size());
}

// A vector kept from an earlier receive that is too small for the room the
// next payload sets aside is replaced, and the new one commits memory for
// what arrived (one chunk), not for the old vector's size.
BOOST_AUTO_TEST_CASE(a_replaced_vector_commits_only_what_arrived)
{
    frame_reader r;
    raw_message m;
    read_big_frame(r, m, frame_bytes(pattern(1024 * 1024, 1))); // m: vector X (1 MiB)
    read_big_frame(r, m, frame_bytes(pattern(4 * 1024 * 1024, 2))); // r keeps X, m: 4 MiB
    const bytes f = frame_bytes(pattern(4 * 1024 * 1024, 3));
    frame_reader::target t = r.prepare();
    std::memcpy(t.data, f.data(), 16 + 1000);
    r.commit(16 + 1000);
    error_code ec;
    BOOST_TEST_REQUIRE((r.next(m, ec) == frame_reader::result::need_more));
    BOOST_TEST(r.payload_capacity() == 4u * 1024 * 1024);
    BOOST_TEST(r.payload_size() <= frame_reader::direct_chunk);
}

// Writers taking turns one byte at a time: the credentials the reader keeps
// stay bounded. While a big payload or a skipped one is read, the runs of its
// bytes are dropped as new ones come; within what is not parsed yet (less
// than a frame), more runs than an honest stream has are a protocol_error.
BOOST_AUTO_TEST_CASE(credentials_of_writers_taking_turns_stay_bounded)
{
    const unix_ipc::credentials a{100, 1, 2};
    const unix_ipc::credentials b{200, 3, 4};
    for (int skipped = 0; skipped < 2; ++skipped)
    {
        BOOST_TEST_CONTEXT((skipped ? "a skipped payload" : "a big payload"))
        {
            frame_reader r;
            unix_ipc::receive_limits l;
            l.max_payload_size = skipped ? 1024 : std::size_t(1) << 30;
            r.set_limits(l);
            raw_message m;
            error_code ec;
            r.set_read_credentials(a);
            bytes h = frame_header(std::size_t(1) << 20, 0);
            frame_reader::target t = r.prepare();
            std::memcpy(t.data, h.data(), h.size());
            r.commit(h.size());
            const frame_reader::result first = r.next(m, ec);
            BOOST_TEST_REQUIRE((first == (skipped ? frame_reader::result::error : frame_reader::result::need_more)));
            for (std::size_t i = 0; i < (std::size_t(1) << 20); ++i)
            {
                r.set_read_credentials(i % 2 ? a : b);
                t = r.prepare();
                std::memset(t.data, 'x', 1);
                r.commit(1);
                const frame_reader::result res = r.next(m, ec);
                BOOST_TEST_REQUIRE(r.creds_runs() <= 2u);
                if (i + 1 < (std::size_t(1) << 20))
                    BOOST_TEST_REQUIRE((res == frame_reader::result::need_more));
                else if (!skipped)
                {
                    BOOST_TEST_REQUIRE((res == frame_reader::result::frame));
                    BOOST_TEST_REQUIRE(m.sender.has_value());
                    BOOST_TEST(m.sender->pid == a.pid, "the credentials of the header's read");
                }
            }
        }
    }
    // Within a small frame's header and payload: an error once the ring is full.
    frame_reader r;
    raw_message m;
    error_code ec;
    const bytes f = frame_bytes(pattern(1000, 1));
    std::size_t i = 0;
    frame_reader::result res = frame_reader::result::need_more;
    for (; i < f.size() && res == frame_reader::result::need_more; ++i)
    {
        r.set_read_credentials(i % 2 ? a : b);
        frame_reader::target t = r.prepare();
        std::memcpy(t.data, f.data() + i, 1);
        r.commit(1);
        BOOST_TEST_REQUIRE(r.creds_runs() <= frame_reader::max_creds_runs);
        res = r.next(m, ec);
    }
    BOOST_TEST((res == frame_reader::result::error));
    BOOST_TEST(ec == make_error_code(unix_ipc::error::protocol_error));
    BOOST_TEST(i == frame_reader::max_creds_runs + 1);
    // One writer per frame, taking turns frame by frame, is honest: no error.
    frame_reader r2;
    for (int k = 0; k < 1000; ++k)
    {
        r2.set_read_credentials(k % 2 ? a : b);
        for (std::size_t j = 0; j < f.size(); j += 7)
        {
            frame_reader::target t = r2.prepare();
            const std::size_t n = std::min<std::size_t>(7, f.size() - j);
            std::memcpy(t.data, f.data() + j, n);
            r2.commit(n);
            res = r2.next(m, ec);
            BOOST_TEST_REQUIRE((res != frame_reader::result::error));
        }
        BOOST_TEST_REQUIRE((res == frame_reader::result::frame));
        BOOST_TEST_REQUIRE(m.sender.has_value());
        BOOST_TEST_REQUIRE(m.sender->pid == (k % 2 ? a.pid : b.pid));
    }
}

// Each frame carries the credentials of the read that brought the first byte
// of its header, whatever its size, and whatever read completes it.
BOOST_AUTO_TEST_CASE(credentials_come_from_the_read_of_the_header)
{
    const unix_ipc::credentials a{100, 1, 2};
    const unix_ipc::credentials b{200, 3, 4};
    for (std::size_t size : {std::size_t(10), std::size_t(100 * 1024)})
    {
        BOOST_TEST_CONTEXT("payload size " << size)
        {
            frame_reader r;
            const bytes payload = pattern(size, 3);
            bytes f = frame_bytes(payload);
            append(f, frame_bytes(str("second")));
            // Read 1 (writer a): the header and 4 bytes. Read 2 (writer b):
            // the rest, and the whole second frame (in several reads of the
            // driver when the payload is big: each one of writer b).
            std::vector<raw_message> got;
            auto drain = [&] {
                for (;;)
                {
                    raw_message m;
                    error_code ec;
                    const frame_reader::result res = r.next(m, ec);
                    BOOST_TEST_REQUIRE((res != frame_reader::result::error));
                    if (res == frame_reader::result::need_more)
                        return;
                    got.push_back(std::move(m));
                }
            };
            auto read = [&](std::size_t off, std::size_t n, const unix_ipc::credentials& c) {
                std::size_t done = 0;
                while (done < n)
                {
                    drain();
                    r.set_read_credentials(c);
                    frame_reader::target t = r.prepare();
                    std::size_t k = std::min(n - done, t.size + t.size2);
                    const std::size_t k1 = std::min(k, t.size);
                    std::memcpy(t.data, f.data() + off + done, k1);
                    if (k > k1)
                        std::memcpy(t.data2, f.data() + off + done + k1, k - k1);
                    r.commit(k);
                    done += k;
                }
                drain();
            };
            read(0, 20, a);
            BOOST_TEST_REQUIRE(got.empty());
            read(20, f.size() - 20, b);
            BOOST_TEST_REQUIRE(got.size() == 2u);
            BOOST_TEST(got[0].bytes.size() == size);
            BOOST_TEST_REQUIRE(got[0].sender.has_value());
            BOOST_TEST(got[0].sender->pid == a.pid);
            BOOST_TEST(to_string(got[1]) == "second");
            BOOST_TEST_REQUIRE(got[1].sender.has_value());
            BOOST_TEST(got[1].sender->pid == b.pid);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
