//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// frame_writer, the write side of the protocol without a socket: what each
// sendmsg carries (iovecs, the fds' control message), and how the frames
// advance with what the kernel took. The socket tests (socket_ops.cpp) check
// the same through real sockets.

#include <boost/unix_ipc/detail/frame_writer.hpp>

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <vector>

namespace unix_ipc = boost::unix_ipc;
using unix_ipc::detail::frame_out;
using unix_ipc::detail::frame_writer;
using unix_ipc::detail::frame_header_size;
using unix_ipc::detail::max_fds_per_sendmsg;
using unix_ipc::detail::max_gather_bytes;
using unix_ipc::detail::max_iov_per_sendmsg;

namespace {

// Frames linked front to back, each with a payload of `size` bytes and
// `fds` fd numbers (not real descriptors: nothing here touches them).
struct queue
{
    std::vector<std::unique_ptr<frame_out>> frames;
    std::vector<std::vector<char>> payloads;

    frame_out& add(std::size_t size, std::size_t fds = 0)
    {
        payloads.emplace_back(size, 'x');
        frames.push_back(std::make_unique<frame_out>());
        frame_out& f = *frames.back();
        f.add_buffer(payloads.back().data(), size);
        for (std::size_t i = 0; i < fds; ++i)
            f.fds.push_back(static_cast<int>(100 + i));
        f.finish();
        if (frames.size() > 1)
            frames[frames.size() - 2]->next = &f;
        return f;
    }
    frame_out& front() { return *frames.front(); }
};

std::size_t iov_bytes(const frame_writer::plan& p)
{
    std::size_t n = 0;
    for (int i = 0; i < p.iov_count; ++i)
        n += p.iov[i].iov_len;
    return n;
}

// The fds of p's control message.
std::vector<int> control_fds(const frame_writer::plan& p)
{
    std::vector<int> fds;
    if (p.control_size == 0)
        return fds;
    msghdr m{};
    m.msg_control = const_cast<unsigned char*>(p.control);
    m.msg_controllen = p.control_size;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
    {
        BOOST_TEST(c->cmsg_level == SOL_SOCKET);
        BOOST_TEST(c->cmsg_type == SCM_RIGHTS);
        const std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const std::size_t at = fds.size();
        fds.resize(at + n);
        std::memcpy(fds.data() + at, CMSG_DATA(c), n * sizeof(int));
    }
    return fds;
}

} // namespace

BOOST_AUTO_TEST_SUITE(frame_writer_tests)

// One frame: its header, then its payload, no control message; written
// whole, it is done.
BOOST_AUTO_TEST_CASE(one_frame)
{
    queue q;
    q.add(100);
    frame_writer::plan p;
    frame_writer::prepare(q.front(), p);
    BOOST_TEST(p.iov_count == 2);
    BOOST_TEST(p.iov[0].iov_len == frame_header_size);
    BOOST_TEST(p.iov[0].iov_base == static_cast<void*>(q.front().header));
    BOOST_TEST(p.iov[1].iov_len == 100u);
    BOOST_TEST(p.bytes == frame_header_size + 100);
    BOOST_TEST(p.control_size == 0u);
    frame_writer::commit(q.front(), p, p.bytes);
    BOOST_TEST(q.front().done());
}

// Frames without fds leave together; a short write leaves the next sendmsg
// starting at the first byte not written, in the middle of a frame.
BOOST_AUTO_TEST_CASE(frames_gathered_and_a_short_write)
{
    queue q;
    q.add(10);
    q.add(20);
    q.add(30);
    frame_writer::plan p;
    frame_writer::prepare(q.front(), p);
    BOOST_TEST(p.iov_count == 6);
    BOOST_TEST(p.bytes == 3 * frame_header_size + 60);
    BOOST_TEST(iov_bytes(p) == p.bytes);
    // The kernel takes the first frame and 5 bytes of the second's header.
    frame_writer::commit(q.front(), p, frame_header_size + 10 + 5);
    BOOST_TEST(q.frames[0]->done());
    BOOST_TEST(q.frames[1]->sent == 5u);
    BOOST_TEST(q.frames[2]->sent == 0u);
    frame_writer::prepare(*q.frames[1], p);
    BOOST_TEST(p.bytes == 2 * frame_header_size - 5 + 50);
    BOOST_TEST(p.iov[0].iov_base == static_cast<void*>(q.frames[1]->header + 5));
    BOOST_TEST(p.iov[0].iov_len == frame_header_size - 5);
    frame_writer::commit(*q.frames[1], p, p.bytes);
    BOOST_TEST(q.frames[1]->done());
    BOOST_TEST(q.frames[2]->done());
}

// More fds than one sendmsg carries: every batch but the last rides on
// exactly one byte of the frame; the last one takes the rest, and frames
// behind without fds join it. A frame with fds behind the front is never
// gathered: its fds must ride on its own first byte.
BOOST_AUTO_TEST_CASE(fd_batches)
{
    queue q;
    frame_out& f = q.add(4, 300);
    q.add(8);
    q.add(8, 1);
    frame_writer::plan p;
    frame_writer::prepare(f, p);
    BOOST_TEST(p.fd_batch == max_fds_per_sendmsg);
    BOOST_TEST(p.bytes == 1u);
    const std::vector<int> first = control_fds(p);
    BOOST_TEST_REQUIRE(first.size() == max_fds_per_sendmsg);
    BOOST_TEST(first.front() == 100);
    BOOST_TEST(first.back() == static_cast<int>(100 + max_fds_per_sendmsg - 1));
    frame_writer::commit(f, p, 1);
    BOOST_TEST(f.fds_sent == max_fds_per_sendmsg);
    BOOST_TEST(f.sent == 1u);

    frame_writer::prepare(f, p);
    BOOST_TEST(p.fd_batch == 300 - max_fds_per_sendmsg);
    BOOST_TEST(control_fds(p).front() == static_cast<int>(100 + max_fds_per_sendmsg));
    // The rest of the front frame, the next frame, not the one with an fd.
    BOOST_TEST(p.bytes == (frame_header_size + 4 - 1) + (frame_header_size + 8));
    frame_writer::commit(f, p, p.bytes);
    BOOST_TEST(f.done());
    BOOST_TEST(f.fds_sent == 300u);
    BOOST_TEST(q.frames[1]->done());
    BOOST_TEST(!q.frames[2]->started());

    // A short write of a batch still sends the batch: its fds are out.
    frame_writer::prepare(*q.frames[2], p);
    BOOST_TEST(p.fd_batch == 1u);
    frame_writer::commit(*q.frames[2], p, 3);
    BOOST_TEST(q.frames[2]->fds_sent == 1u);
    frame_writer::prepare(*q.frames[2], p);
    BOOST_TEST(p.fd_batch == 0u);
    BOOST_TEST(p.control_size == 0u);
    BOOST_TEST(p.bytes == frame_header_size + 8 - 3);
}

// Gathering stops at the iovec limit and once max_gather_bytes are planned.
BOOST_AUTO_TEST_CASE(gathering_limits)
{
    {
        queue q;
        for (int i = 0; i < 300; ++i)
            q.add(8);
        frame_writer::plan p;
        frame_writer::prepare(q.front(), p);
        BOOST_TEST(p.iov_count == max_iov_per_sendmsg);
        BOOST_TEST(p.bytes == std::size_t(max_iov_per_sendmsg / 2) * (frame_header_size + 8));
    }
    {
        queue q;
        for (int i = 0; i < 10; ++i)
            q.add(100 * 1024);
        frame_writer::plan p;
        frame_writer::prepare(q.front(), p);
        // Frames are added while less than max_gather_bytes is planned.
        const std::size_t frame = frame_header_size + 100 * 1024;
        const std::size_t frames = (max_gather_bytes + frame - 1) / frame;
        BOOST_TEST(p.bytes == frames * frame);
        BOOST_TEST(p.bytes >= max_gather_bytes);
    }
    {
        // Empty payloads: the header alone.
        queue q;
        q.add(0);
        q.add(0);
        frame_writer::plan p;
        frame_writer::prepare(q.front(), p);
        BOOST_TEST(p.iov_count == 2);
        BOOST_TEST(p.bytes == 2 * frame_header_size);
    }
}

BOOST_AUTO_TEST_SUITE_END()
