//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_FRAME_READER_HPP
#define BOOST_UNIX_IPC_DETAIL_FRAME_READER_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/unique_fd.hpp>
#include <boost/unix_ipc/detail/frame.hpp>

#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace boost {
namespace unix_ipc {
namespace detail {

// The receive side of the wire format, without I/O (sans-io): the caller reads
// bytes into prepare()'s target, reports them with commit(), hands over the fds
// that came with them with add_fd(), and asks next() for frames.
//
// Small frames are parsed from one reused buffer, so one read can bring many of
// them. A payload larger than direct_threshold() gets its own vector and the
// reads go straight into it; no byte beyond that payload is read meanwhile.
//
// Memory follows the bytes that arrived, not the sizes a header declares: the
// vector of a big payload holds what it held before (the vector of the
// caller's message of an earlier receive) or direct_chunk bytes, and grows to
// at most twice what has been read of the payload. Its capacity, address
// space that is not touched before bytes arrive, may be set aside up to the
// size of the last big payload delivered. A peer that sends a header
// declaring max_payload_size and stalls costs direct_chunk bytes.
class frame_reader
{
public:
    enum class result
    {
        need_more, // read more, then call next() again
        frame,     // msg holds the next frame
        error      // ec says why; see is_fatal()
    };

    // Where to read: data/size, then (when size2 != 0) data2/size2. The
    // second part lets a read that finishes a big payload also take the next
    // frame's header, and no more.
    struct target
    {
        void* data;
        std::size_t size;
        void* data2 = nullptr;
        std::size_t size2 = 0;
    };

    BOOST_UNIX_IPC_DECL explicit frame_reader(std::size_t buffer_size = 64 * 1024);

    const receive_limits& limits() const noexcept { return limits_; }
    void set_limits(const receive_limits& l) noexcept { limits_ = l; }

    // Where the next read should store its bytes; call it after next()
    // returned need_more (the size is then never 0).
    // May throw bad_alloc (growing a buffer), with nothing changed; once it
    // returned, add_fd() and commit() for the read into its target do not
    // allocate.
    BOOST_UNIX_IPC_DECL target prepare();

    // n bytes were read into the last prepare()'s target, with the
    // credentials last given to set_read_credentials().
    void commit(std::size_t n) noexcept
    {
        if (n == 0)
            return;
        if (read_creds_ != creds_back().creds)
            note_credentials();
        stream_pos_ += n;
        if (state_ == state::direct)
        {
            const std::size_t take = n < big_.size() - big_filled_ ? n : big_.size() - big_filled_;
            big_filled_ += take;
            n -= take;
        }
        tail_ += n;
    }

    // An fd received with the bytes: the reader owns it from now on.
    BOOST_UNIX_IPC_DECL void add_fd(int fd);

    // The writer's credentials (SCM_CREDENTIALS) of the bytes of the next
    // commit(), or none. Linux never returns bytes of two writers in one
    // read, so a frame carries those of the read that brought the first byte
    // of its header, whatever its size.
    void set_read_credentials(const std::optional<credentials>& c) noexcept { read_creds_ = c; }

    // Completes the next frame into msg (msg.fds' old fds are closed). On error,
    // msg is untouched.
    BOOST_UNIX_IPC_DECL result next(raw_message& msg, system::error_code& ec);

    // Errors after which the stream cannot be trusted: the caller should reset().
    static bool is_fatal(const system::error_code& ec) noexcept
    {
        return ec != make_error_code(error::message_too_large) && ec != make_error_code(error::too_many_fds);
    }

    // True when part of a frame has been read.
    bool mid_frame() const noexcept
    {
        return state_ != state::header || tail_ != head_;
    }

    std::size_t buffered_fds() const noexcept { return fds_.size() - fd_head_; }

    // Entries of the fd FIFO's storage, consumed ones included (for tests:
    // it stays bounded however many fds pass through).
    std::size_t fd_storage_size() const noexcept { return fds_.size(); }

    // Drops every buffered byte and closes every buffered fd.
    BOOST_UNIX_IPC_DECL void reset() noexcept;

    // Handing the channel over: the bytes and fds read from the socket and
    // not yet delivered, as a stream of frames (a partly read big payload is
    // given back with its header) that restore() on another reader continues
    // from. The fds stay owned by this reader. False while skipping an
    // oversized frame: the rest of it is still in the socket.
    BOOST_UNIX_IPC_DECL bool buffered_input(std::vector<std::byte>& bytes, std::vector<int>& fds) const;

    // True when buffered_input() would give anything.
    bool has_buffered_input() const noexcept
    {
        return state_ != state::header || tail_ != head_ || buffered_fds() != 0;
    }

    // Before the first read: takes what buffered_input() gave on the other
    // side, as if read from the socket (without credentials). The fds may be
    // more than a read could bring: the limit on unclaimed fds allows them.
    BOOST_UNIX_IPC_DECL void restore(const std::byte* data, std::size_t size, std::vector<unique_fd>&& fds);

    std::size_t direct_threshold() const noexcept { return buf_size_ / 4; }

    // What the vector of a big payload holds at least before its bytes
    // arrive (when the payload is that big).
    static constexpr std::size_t direct_chunk = 64 * 1024;

    // Bytes of memory held for the payload being read (for tests: it stays
    // within twice what arrived, or direct_chunk, or what was reused).
    std::size_t payload_size() const noexcept { return big_.size(); }

    // Address space set aside for the payload being read: at most its
    // declared size, and no more than direct_chunk, what was reused, or the
    // size of the last big payload this reader delivered (for tests).
    std::size_t payload_capacity() const noexcept { return big_.capacity(); }

    // How many runs of credentials may cover the bytes not yet parsed (a
    // header, or a payload parsed from the buffer). An honest stream has one
    // writer per frame, so one or two; more is a protocol_error. The runs
    // within a big or skipped payload are dropped as they come.
    static constexpr std::size_t max_creds_runs = 64;

    // Runs of credentials held (for tests: at most max_creds_runs).
    std::size_t creds_runs() const noexcept { return creds_count_; }

private:
    enum class state
    {
        header,
        direct,
        discard
    };

    bool take_fds(std::size_t n, std::vector<unique_fd>& out);
    void drop_fds(std::size_t n) noexcept;
    void note_credentials() noexcept;
    // The limit on fds that no frame claims yet, beyond the frame's own.
    std::size_t unclaimed_fd_limit() const noexcept { return 2 * max_fds_per_sendmsg + restored_fds_; }
    const std::optional<credentials>& credentials_at(std::uint64_t pos) noexcept;

    std::size_t buf_size_;           // the buffer's size, but while it holds restored input
    std::vector<unsigned char> buf_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;

    std::vector<unique_fd> fds_; // FIFO: [fd_head_, size())
    std::size_t fd_head_ = 0;
    std::size_t restored_fds_ = 0; // of the FIFO's fds, those restore() added and no frame took yet

    receive_limits limits_;
    state state_ = state::header;

    // Credentials by position in the stream: each run starts where a read
    // brought other credentials than the read before it (none while
    // SO_PASSCRED is off, so then there is only the first run). A ring of
    // fixed size: commit() allocates nothing, and the runs that end before
    // the oldest byte not yet parsed are dropped as new ones come.
    struct creds_run
    {
        std::uint64_t start;
        std::optional<credentials> creds;
    };
    creds_run& creds_at(std::size_t i) noexcept { return creds_runs_[(creds_head_ + i) % max_creds_runs]; }
    const creds_run& creds_back() const noexcept
    {
        return creds_runs_[(creds_head_ + creds_count_ - 1) % max_creds_runs];
    }
    std::optional<credentials> read_creds_;
    std::array<creds_run, max_creds_runs> creds_runs_{{creds_run{0, std::nullopt}}};
    std::size_t creds_head_ = 0;
    std::size_t creds_count_ = 1;
    bool creds_overflow_ = false;  // more runs than the ring holds: protocol_error
    std::uint64_t stream_pos_ = 0; // bytes committed so far

    // state::direct
    std::optional<credentials> big_creds_;
    std::vector<std::byte> big_;    // big_.size() <= big_size_
    std::size_t big_size_ = 0;      // the payload's declared size
    std::size_t big_filled_ = 0;
    std::uint32_t big_fds_ = 0;
    std::size_t last_big_size_ = 0; // of the last big payload delivered

    // state::discard
    std::uint64_t discard_bytes_ = 0;
    std::uint64_t discard_fds_ = 0;
};

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
