//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IMPL_FRAME_READER_IPP
#define BOOST_UNIX_IPC_DETAIL_IMPL_FRAME_READER_IPP

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/detail/frame_reader.hpp>

#include <boost/assert.hpp>

#include <algorithm>
#include <cstring>
#include <new>

namespace boost {
namespace unix_ipc {
namespace detail {

frame_reader::frame_reader(std::size_t buffer_size)
    : buf_size_(std::max<std::size_t>(buffer_size, 256)), buf_(buf_size_)
{
}

frame_reader::target frame_reader::prepare()
{
    // Room for the fds one read can bring (at most max_fds_per_sendmsg), so
    // that add_fd() never allocates once the bytes are read.
    if (fds_.capacity() - fds_.size() < max_fds_per_sendmsg)
        fds_.reserve(fds_.size() + max_fds_per_sendmsg);
    if (state_ == state::direct)
    {
        // Entering direct mode consumed the buffer (see next()).
        head_ = tail_ = 0;
        if (big_filled_ == big_.size())
        {
            // Grow with what arrived: to twice what was read, at most the
            // declared size (next() completes the frame once it is all here).
            const std::size_t to = std::min(big_size_, std::max(2 * big_filled_, direct_chunk));
            // Exactly that much room: resize() alone would double the
            // capacity, up to twice the declared size for the last bytes.
            if (to > big_.capacity())
                big_.reserve(to);
            big_.resize(to);
        }
        // Only a read that can finish the payload may also take the next
        // frame's header.
        if (big_.size() < big_size_)
            return {big_.data() + big_filled_, big_.size() - big_filled_};
        return {big_.data() + big_filled_, big_.size() - big_filled_, buf_.data(), frame_header_size};
    }
    if (head_ == tail_)
    {
        head_ = tail_ = 0;
        if (buf_.size() != buf_size_)
        {
            // Restored input made the buffer larger: back to its size.
            buf_.resize(buf_size_);
            buf_.shrink_to_fit();
        }
    }
    else if (tail_ == buf_.size() || (head_ > 0 && buf_.size() - tail_ < frame_header_size))
    {
        // Keep the partial frame at the front; frames parsed from the buffer
        // are at most direct_threshold() + header bytes long, so they fit.
        std::memmove(buf_.data(), buf_.data() + head_, tail_ - head_);
        tail_ -= head_;
        head_ = 0;
    }
    return {buf_.data() + tail_, buf_.size() - tail_};
}

void frame_reader::add_fd(int fd)
{
    unique_fd owned(fd);
    // Drop the consumed prefix: at once when nothing is left, otherwise once
    // it is both 64 entries or more and at least half the storage (each erase
    // then moves no more entries than were consumed since the last one). A
    // stream whose FIFO never empties (the next frame's fds arriving before
    // the current frame completes) would otherwise grow it without bound.
    const std::size_t left = fds_.size() - fd_head_;
    if (left == 0)
    {
        fds_.clear();
        fd_head_ = 0;
    }
    else if (fd_head_ >= 64 && fd_head_ >= left)
    {
        fds_.erase(fds_.begin(), fds_.begin() + static_cast<std::ptrdiff_t>(fd_head_));
        fd_head_ = 0;
    }
    fds_.push_back(std::move(owned));
}

void frame_reader::note_credentials() noexcept
{
    // A frame takes the credentials of its header's first byte, which is at
    // or after the oldest byte not yet parsed (a big payload's bytes and
    // those being skipped are parsed as they come): the runs that end before
    // it are never looked up again.
    const std::uint64_t oldest = stream_pos_ - (tail_ - head_);
    while (creds_count_ > 1 && creds_at(1).start <= oldest)
    {
        creds_head_ = (creds_head_ + 1) % max_creds_runs;
        --creds_count_;
    }
    if (creds_count_ == max_creds_runs)
    {
        // Writers take turns within what is not parsed yet, which is less
        // than a frame: next() reports it.
        creds_overflow_ = true;
        return;
    }
    ++creds_count_;
    creds_at(creds_count_ - 1) = creds_run{stream_pos_, read_creds_};
}

const std::optional<credentials>& frame_reader::credentials_at(std::uint64_t pos) noexcept
{
    // Positions asked for only move forward: skip the runs that end before.
    while (creds_count_ > 1 && creds_at(1).start <= pos)
    {
        creds_head_ = (creds_head_ + 1) % max_creds_runs;
        --creds_count_;
    }
    return creds_at(0).creds;
}

bool frame_reader::take_fds(std::size_t n, std::vector<unique_fd>& out)
{
    if (buffered_fds() < n)
        return false;
    out.clear();
    out.reserve(n); // may throw: then no fd has moved
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(std::move(fds_[fd_head_++]));
    restored_fds_ -= std::min(restored_fds_, n);
    return true;
}

void frame_reader::drop_fds(std::size_t n) noexcept
{
    for (std::size_t i = 0; i < n; ++i)
        fds_[fd_head_++].reset();
    restored_fds_ -= std::min(restored_fds_, n);
}

bool frame_reader::buffered_input(std::vector<std::byte>& bytes, std::vector<int>& fds) const
{
    bytes.clear();
    fds.clear();
    if (state_ == state::discard)
        return false;
    if (state_ == state::direct)
    {
        unsigned char h[frame_header_size];
        encode_header(h, big_fds_, big_size_);
        const auto* hb = reinterpret_cast<const std::byte*>(h);
        bytes.insert(bytes.end(), hb, hb + frame_header_size);
        bytes.insert(bytes.end(), big_.begin(), big_.begin() + static_cast<std::ptrdiff_t>(big_filled_));
    }
    const auto* b = reinterpret_cast<const std::byte*>(buf_.data());
    bytes.insert(bytes.end(), b + head_, b + tail_);
    for (std::size_t i = fd_head_; i < fds_.size(); ++i)
        fds.push_back(fds_[i].get());
    return true;
}

void frame_reader::restore(const std::byte* data, std::size_t size, std::vector<unique_fd>&& fds)
{
    BOOST_ASSERT(state_ == state::header && head_ == tail_);
    head_ = tail_ = 0;
    if (buf_.size() < size)
        buf_.resize(size);
    if (size != 0)
        std::memcpy(buf_.data(), data, size);
    read_creds_.reset();
    if (creds_back().creds)
        note_credentials(); // the restored bytes start a run without credentials
    tail_ = size;
    stream_pos_ += size;
    for (unique_fd& fd : fds)
        fds_.push_back(std::move(fd));
    restored_fds_ += fds.size();
}

frame_reader::result frame_reader::next(raw_message& msg, system::error_code& ec)
{
    if (creds_overflow_)
    {
        ec = make_error_code(error::protocol_error);
        return result::error;
    }
    for (;;)
    {
        switch (state_)
        {
        case state::header: {
            const std::size_t avail = tail_ - head_;
            if (avail < frame_header_size)
            {
                // Each byte of a header may carry a batch of fds (and one
                // more read may bring the next batch): more is a peer
                // sending fds that no frame will claim.
                if (buffered_fds() > (frame_header_size + 1) * max_fds_per_sendmsg + restored_fds_)
                {
                    ec = make_error_code(error::protocol_error);
                    return result::error;
                }
                return result::need_more;
            }
            const frame_header h = decode_header(buf_.data() + head_);
            if (h.magic_and_version != frame_magic_and_version)
            {
                ec = make_error_code(error::protocol_error);
                return result::error;
            }
            if (h.payload_size > limits_.max_payload_size || h.fd_count > limits_.max_fds)
            {
                ec = make_error_code(h.payload_size > limits_.max_payload_size ? error::message_too_large
                                                                                : error::too_many_fds);
                head_ += frame_header_size;
                state_ = state::discard;
                discard_bytes_ = h.payload_size;
                discard_fds_ = h.fd_count;
                // Discard what is already here, so the caller's next read
                // continues the skipping.
                const std::size_t n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(discard_bytes_, tail_ - head_));
                head_ += n;
                discard_bytes_ -= n;
                const std::size_t nf = static_cast<std::size_t>(
                    std::min<std::uint64_t>(discard_fds_, buffered_fds()));
                drop_fds(nf);
                discard_fds_ -= nf;
                if (discard_bytes_ == 0)
                {
                    if (discard_fds_ != 0)
                    {
                        state_ = state::header;
                        ec = make_error_code(error::protocol_error);
                        return result::error;
                    }
                    state_ = state::header;
                }
                return result::error;
            }
            if (buffered_fds() > h.fd_count + unclaimed_fd_limit())
            {
                ec = make_error_code(error::protocol_error); // fds no frame claims
                return result::error;
            }
            const std::size_t size = static_cast<std::size_t>(h.payload_size);
            // The header's first byte is at this position of the stream.
            const std::uint64_t header_pos = stream_pos_ - (tail_ - head_);
            if (size > direct_threshold())
            {
                // Memory for what is here, and for what the vector already
                // holds (the caller's previous message: it was committed for
                // an earlier frame) or one chunk; prepare() grows it as the
                // payload arrives.
                const std::size_t have = std::min(avail - frame_header_size, size);
                std::size_t hold = std::min(size, std::max({have, big_.size(), direct_chunk}));
                // Address space (no page of it is touched before its bytes
                // arrive) for as much as the last big payload took, which
                // arrived in full: a stream of big frames received into fresh
                // messages then allocates once a frame, the size the caller
                // frees. Without that much address space (RLIMIT_AS, strict
                // overcommit), the vector grows as the bytes come instead.
                const std::size_t room = std::min(size, std::max(hold, last_big_size_));
                if (big_.capacity() < room)
                {
                    std::vector<std::byte> v;
                    try
                    {
                        v.reserve(room);
                    }
                    catch (const std::bad_alloc&)
                    {
                    }
                    if (v.capacity() != 0 || big_.capacity() < hold)
                    {
                        // The old vector is not needed, nor is its size.
                        big_.swap(v);
                        big_.clear();
                        hold = std::min(size, std::max(have, direct_chunk));
                    }
                }
                big_.resize(hold);
                std::memcpy(big_.data(), buf_.data() + head_ + frame_header_size, have);
                head_ += frame_header_size + have;
                big_size_ = size;
                big_filled_ = have;
                big_fds_ = h.fd_count;
                big_creds_ = credentials_at(header_pos);
                state_ = state::direct;
                continue;
            }
            if (avail < frame_header_size + size)
                return result::need_more;
            if (buffered_fds() < h.fd_count)
            {
                ec = make_error_code(error::protocol_error);
                return result::error;
            }
            const unsigned char* p = buf_.data() + head_ + frame_header_size;
            msg.bytes.resize(size);
            if (size != 0)
                std::memcpy(msg.bytes.data(), p, size);
            take_fds(h.fd_count, msg.fds);
            msg.sender = credentials_at(header_pos);
            head_ += frame_header_size + size;
            return result::frame;
        }

        case state::direct:
            if (buffered_fds() > big_fds_ + unclaimed_fd_limit())
            {
                ec = make_error_code(error::protocol_error); // fds no frame claims
                return result::error;
            }
            if (big_filled_ < big_size_)
                return result::need_more;
            if (!take_fds(big_fds_, msg.fds))
            {
                ec = make_error_code(error::protocol_error);
                return result::error;
            }
            // Hand over the vector; the caller's old vector becomes ours, so
            // its memory is reused by the next big frame (resize() zero-fills
            // only what it adds).
            std::swap(msg.bytes, big_);
            msg.sender = big_creds_;
            last_big_size_ = big_size_;
            big_filled_ = 0;
            state_ = state::header;
            return result::frame;

        case state::discard: {
            // Bound the fds held while skipping, as in the other states.
            if (buffered_fds() > discard_fds_ + unclaimed_fd_limit())
            {
                ec = make_error_code(error::protocol_error); // fds no frame claims
                return result::error;
            }
            const std::size_t n = static_cast<std::size_t>(
                std::min<std::uint64_t>(discard_bytes_, tail_ - head_));
            head_ += n;
            discard_bytes_ -= n;
            const std::size_t nf =
                static_cast<std::size_t>(std::min<std::uint64_t>(discard_fds_, buffered_fds()));
            drop_fds(nf);
            discard_fds_ -= nf;
            if (discard_bytes_ != 0)
                return result::need_more;
            state_ = state::header;
            if (discard_fds_ != 0)
            {
                ec = make_error_code(error::protocol_error);
                return result::error;
            }
            continue;
        }
        }
    }
}

void frame_reader::reset() noexcept
{
    head_ = tail_ = 0;
    fds_.clear();
    fd_head_ = 0;
    restored_fds_ = 0;
    state_ = state::header;
    big_.clear();
    big_.shrink_to_fit();
    big_filled_ = 0;
    big_fds_ = 0;
    discard_bytes_ = 0;
    discard_fds_ = 0;
    read_creds_.reset();
    creds_head_ = 0;
    creds_count_ = 1;
    creds_runs_[0] = creds_run{stream_pos_, std::nullopt};
    creds_overflow_ = false;
    last_big_size_ = 0;
    big_creds_.reset();
    big_size_ = 0;
}

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
