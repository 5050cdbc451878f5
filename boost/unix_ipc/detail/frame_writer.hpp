//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_FRAME_WRITER_HPP
#define BOOST_UNIX_IPC_DETAIL_FRAME_WRITER_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/detail/frame.hpp>

#include <boost/container/small_vector.hpp>
#include <boost/system/error_code.hpp>

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

namespace boost {
namespace unix_ipc {
namespace detail {

// Most iovecs one sendmsg gathers, and most payload bytes (a frame's own
// bytes beyond that are still sent whole: the limit only stops adding
// frames). The most fds one sendmsg carries is max_fds_per_sendmsg.
constexpr int max_iov_per_sendmsg = 256;
constexpr std::size_t max_gather_bytes = 256 * 1024;

// One frame to send: its header, the caller's buffers and fds, and how much
// of it is out. Queued frames are linked through `next`.
struct frame_out
{
    frame_out* next = nullptr;
    unsigned char header[frame_header_size];
    container::small_vector<iovec, 2> iov;
    container::small_vector<int, 2> fds;
    std::uint64_t total = frame_header_size; // header + payload bytes
    std::uint64_t sent = 0;
    std::size_t fds_sent = 0;
    std::size_t owned_from = static_cast<std::size_t>(-1); // fds[owned_from..] are our duplicates

    frame_out() = default;
    frame_out(const frame_out&) = delete;
    frame_out& operator=(const frame_out&) = delete;
    ~frame_out() { release_owned(); }

    // Replaces the unsent fds by duplicates the frame owns, so the caller may
    // close its own before the frame is written. Fails (EMFILE...) leaving
    // the frame as it was.
    BOOST_UNIX_IPC_DECL void own_unsent_fds(system::error_code& ec) noexcept;
    BOOST_UNIX_IPC_DECL void release_owned() noexcept;

    bool started() const noexcept { return sent != 0 || fds_sent != 0; }
    bool done() const noexcept { return sent == total; }

    // Most fds a frame of this size can carry: one batch per byte.
    bool fds_fit() const noexcept { return fds.size() <= total * max_fds_per_sendmsg; }

    void add_buffer(const void* data, std::size_t size)
    {
        if (size == 0)
            return;
        iov.push_back(iovec{const_cast<void*>(data), size});
        total += size;
    }

    void finish() noexcept
    {
        encode_header(header, static_cast<std::uint32_t>(fds.size()), total - frame_header_size);
    }
};

// Writes, with one sendmsg, as much as possible of the frames from `first` on:
// the first frame's unsent fds (one batch) and bytes, then following frames
// that carry no fds, bounded in iovecs and bytes. Marks what was written
// (fds_sent, sent) on the frames. Returns the number of bytes written; ec is
// asio::error::would_block when the socket is full.
// The write side of the protocol, without the socket (the counterpart of
// frame_reader): given the queue of frames (linked through frame_out::next,
// front first), prepare() says what the next sendmsg writes, and commit()
// takes what it wrote. Only the front frame may have been written in part;
// it carries the fds, in batches of at most max_fds_per_sendmsg, each batch
// riding on the first byte of its sendmsg (a batch that is not the frame's
// last rides on exactly one byte, so that every later batch still has bytes
// of the frame under it). A frame without fds behind a front whose fds are
// all out is gathered into the same sendmsg, up to max_iov_per_sendmsg
// buffers and max_gather_bytes.
class frame_writer
{
public:
    struct plan
    {
        iovec iov[max_iov_per_sendmsg];
        int iov_count = 0;
        std::size_t bytes = 0;    // what the iovecs hold
        std::size_t fd_batch = 0; // fds of the front frame in the control message
        alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(int) * max_fds_per_sendmsg)];
        std::size_t control_size = 0; // 0: no control message

        plan() = default;
        plan(const plan&) = delete;
        plan& operator=(const plan&) = delete;
    };

    // Fills p with the next sendmsg of the queue starting at first (not
    // done). Never fails.
    BOOST_UNIX_IPC_DECL static void prepare(const frame_out& first, plan& p) noexcept;

    // n bytes (at most p.bytes, more than 0) of the last prepare() went out,
    // with its fds: advances the frames' counts. The frames done are those at
    // the front whose done() is true.
    BOOST_UNIX_IPC_DECL static void commit(frame_out& first, const plan& p, std::size_t n) noexcept;
};

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
