//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the stream fuzz targets share: a fuzzer input read as a program that
// builds a byte stream of frames whose header fields (magic and version,
// fd_count, payload_size) the fuzzer chooses among the values that matter
// (0, 1, the receiver's limits and their neighbours, the direct-read
// threshold, 2^32, 2^63, 2^64 - 1, any value), with fds attached where a
// sender would attach them or anywhere else; a model of what a correct
// reader delivers from it; and the loop that feeds it to a
// detail::frame_reader in reads of fuzzer-chosen sizes, checking every
// frame against the model.
//
// Input: byte 0 seeds the read sizes; byte 1 picks the receiver's limits
// (bits 0-1) and, with bit 7 set, a raw stream: the rest of the input is the
// stream, and a read whose first byte is 0xFD brings one fd. Otherwise the
// rest is a sequence of operations, each an opcode byte then its arguments
// (a missing argument byte reads as 0):
//
//   0 raw L bytes[L]           L bytes as they are
//   1 frame F S A N            a header with fd_count pick(F) and payload_size
//                              pick(S), fds attached by mode A (0 as a sender
//                              does; 1 one fewer; 2 one more; 3 all on the
//                              frame's last byte), payload: N bytes of the
//                              input, then filler; a payload larger than the
//                              stream's budget is cut and ends the stream
//   2 bad_header W V           a valid empty frame's header with byte W % 4
//                              of its magic and version xor-ed with V (or V
//                              itself when that would keep it valid)
//   3 raw_header [16 bytes]    a header whose fields are the input's bytes
//   4 filler N16               N16 filler bytes
//   5 stray_fds K              K % 5 fds on the next byte
//   6 cut_header K             the first K % 16 bytes of a valid header; ends
//                              the stream
//   7 message F N16 bytes[N]   a frame of F % 8 fds, attached as a sender
//                              does, whose payload is the next N16 bytes of
//                              the input (a typed message, say)

#ifndef BOOST_UNIX_IPC_TEST_FUZZ_STREAM_HPP
#define BOOST_UNIX_IPC_TEST_FUZZ_STREAM_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/detail/frame.hpp>
#include <boost/unix_ipc/detail/frame_reader.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/receive_limits.hpp>

#include "fuzz_fds.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace fuzz {

inline void check(bool ok, const char* what)
{
    if (!ok)
    {
        std::fprintf(stderr, "frame stream fuzz: %s\n", what);
        std::abort();
    }
}

// The fuzzer's input, read from the front; reads past its end give zeros.
struct input
{
    const std::uint8_t* p;
    std::size_t n;

    bool empty() const { return n == 0; }
    std::uint8_t byte()
    {
        if (n == 0)
            return 0;
        --n;
        return *p++;
    }
    std::uint64_t bytes(unsigned count)
    {
        std::uint64_t v = 0;
        for (unsigned i = 0; i < count; ++i)
            v |= std::uint64_t(byte()) << (8 * i);
        return v;
    }
};

// The receiver's buffer: payloads above a quarter of it are read directly.
constexpr std::size_t reader_buffer = 256;
constexpr std::size_t direct_threshold = reader_buffer / 4;
// The longest stream an input builds, and the most fds it attaches.
constexpr std::size_t max_stream = 64 * 1024;
constexpr std::size_t max_fds_per_input = 100;

inline boost::unix_ipc::receive_limits pick_limits(unsigned choice)
{
    static const std::size_t table[4][2] = {{4096, 8}, {0, 0}, {64, 1}, {16384, 253}};
    boost::unix_ipc::receive_limits l;
    l.max_payload_size = table[choice % 4][0];
    l.max_fds = table[choice % 4][1];
    return l;
}

inline std::uint64_t pick_payload_size(input& in, std::uint64_t limit)
{
    switch (in.byte() % 12)
    {
    case 0: return 0;
    case 1: return 1;
    case 2: return in.byte();
    case 3: return limit - 1; // 2^64 - 1 for a limit of 0
    case 4: return limit;
    case 5: return limit + 1;
    case 6: return direct_threshold - 1 + in.byte() % 3;
    case 7: return in.bytes(2);
    case 8: return std::uint64_t(1) << 32;
    case 9: return std::uint64_t(1) << 63;
    case 10: return std::numeric_limits<std::uint64_t>::max();
    default: return in.bytes(8);
    }
}

inline std::uint32_t pick_fd_count(input& in, std::uint32_t limit)
{
    switch (in.byte() % 10)
    {
    case 0: return 0;
    case 1: return 1;
    case 2: return in.byte() % 8;
    case 3: return limit - 1;
    case 4: return limit;
    case 5: return limit + 1;
    case 6: return boost::unix_ipc::detail::max_fds_per_sendmsg;
    case 7: return boost::unix_ipc::detail::max_fds_per_sendmsg + 1;
    case 8: return std::numeric_limits<std::uint32_t>::max();
    default: return static_cast<std::uint32_t>(in.bytes(4));
    }
}

// A stream as a sender would write it: bytes, and fds attached to some of
// them (each attachment arrives with the read that takes its byte).
struct stream
{
    std::vector<unsigned char> bytes;
    struct attachment
    {
        std::size_t at;
        unsigned count;
    };
    std::vector<attachment> fds; // by position
    std::size_t fd_total = 0;
    // Every fd is where a correct sender puts it, the fds of a frame on its
    // header's first bytes: a correct reader must then deliver every frame
    // the model finds, with its fds.
    bool clean = true;

    void attach(std::size_t at, unsigned count)
    {
        if (count == 0)
            return;
        if (!fds.empty() && fds.back().at == at)
            fds.back().count += count;
        else
            fds.push_back({at, count});
        fd_total += count;
    }
    // Raw bytes and headers may pass max_stream by a little: room is then 0.
    std::size_t room() const { return bytes.size() < max_stream ? max_stream - bytes.size() : 0; }
    void filler(std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i)
            bytes.push_back(static_cast<unsigned char>('a' + (bytes.size() * 7) % 26));
    }
    void header(std::uint32_t fd_count, std::uint64_t size)
    {
        unsigned char h[boost::unix_ipc::detail::frame_header_size];
        boost::unix_ipc::detail::encode_header(h, fd_count, size);
        bytes.insert(bytes.end(), h, h + sizeof h);
    }
    // fd_count fds for the frame starting at `start`, as the sender does:
    // full batches on one byte each, the last batch on the next byte.
    void attach_as_sender(std::size_t start, std::uint64_t fd_count)
    {
        const unsigned batch = boost::unix_ipc::detail::max_fds_per_sendmsg;
        for (std::size_t at = start; fd_count != 0; ++at)
        {
            const unsigned n = fd_count < batch ? static_cast<unsigned>(fd_count) : batch;
            attach(at, n);
            fd_count -= n;
        }
    }
    std::size_t fds_left() const { return max_fds_per_input - fd_total; }
};

inline stream build(input& in, const boost::unix_ipc::receive_limits& limits)
{
    stream s;
    bool ended = false;
    while (!in.empty() && !ended && s.room() >= 64)
    {
        switch (in.byte() % 8)
        {
        case 0: { // raw
            const std::size_t n = in.byte();
            for (std::size_t i = 0; i < n && !in.empty(); ++i)
                s.bytes.push_back(in.byte());
            s.clean = false;
            break;
        }
        case 1: { // frame
            const std::uint32_t fd_count = pick_fd_count(in, static_cast<std::uint32_t>(limits.max_fds));
            const std::uint64_t size = pick_payload_size(in, limits.max_payload_size);
            const unsigned mode = in.byte() % 4;
            const std::size_t from_input = in.byte();
            const std::size_t start = s.bytes.size();
            s.header(fd_count, size);
            // fds: as many as declared, within the input's budget.
            std::uint64_t n = fd_count;
            if (mode == 1 && n != 0)
                --n;
            else if (mode == 2)
                ++n;
            if (n > s.fds_left())
                n = s.fds_left();
            if (n != fd_count || mode == 3)
                s.clean = false;
            if (size >= s.room())
            {
                // Cut: as much payload as the budget takes, then the end.
                s.clean = false;
                ended = true;
            }
            const std::size_t payload = static_cast<std::size_t>(size < s.room() ? size : s.room());
            for (std::size_t i = 0; i < payload && i < from_input && !in.empty(); ++i)
                s.bytes.push_back(in.byte());
            s.filler(start + boost::unix_ipc::detail::frame_header_size + payload - s.bytes.size());
            if (mode == 3)
                s.attach(s.bytes.size() - 1, static_cast<unsigned>(n));
            else
                s.attach_as_sender(start, n);
            break;
        }
        case 2: { // bad header
            const unsigned which = in.byte() % 4;
            const unsigned char v = in.byte();
            const std::size_t start = s.bytes.size();
            s.header(0, 0);
            s.bytes[start + which] ^= v;
            if (v == 0)
                s.bytes[start + which] = 0;
            if (s.bytes[start + which] == 0 && which == 0 && v == 0)
                s.bytes[start] = 2; // version 2
            break;
        }
        case 3: // raw header
            for (std::size_t i = 0; i < boost::unix_ipc::detail::frame_header_size; ++i)
                s.bytes.push_back(in.byte());
            s.clean = false;
            break;
        case 4: // filler
            s.filler(std::min<std::size_t>(in.bytes(2), s.room()));
            s.clean = false;
            break;
        case 5: { // stray fds
            std::size_t k = in.byte() % 5;
            if (k > s.fds_left())
                k = s.fds_left();
            s.attach(s.bytes.size(), static_cast<unsigned>(k));
            s.clean = false;
            break;
        }
        case 6: { // cut header
            const std::size_t k = in.byte() % 16;
            unsigned char h[boost::unix_ipc::detail::frame_header_size];
            boost::unix_ipc::detail::encode_header(h, 0, 0);
            s.bytes.insert(s.bytes.end(), h, h + k);
            s.clean = false;
            ended = true;
            break;
        }
        default: { // message
            std::size_t fd_count = in.byte() % 8;
            std::size_t n = static_cast<std::size_t>(in.bytes(2));
            if (n > in.n)
                n = in.n;
            if (n > s.room() - boost::unix_ipc::detail::frame_header_size)
                n = s.room() - boost::unix_ipc::detail::frame_header_size;
            if (fd_count > s.fds_left())
                fd_count = s.fds_left();
            const std::size_t start = s.bytes.size();
            s.header(static_cast<std::uint32_t>(fd_count), n);
            for (std::size_t i = 0; i < n; ++i)
                s.bytes.push_back(in.byte());
            s.attach_as_sender(start, fd_count);
            break;
        }
        }
    }
    // An attachment past the last byte rides on nothing: drop it.
    while (!s.fds.empty() && s.fds.back().at >= s.bytes.size())
    {
        s.fd_total -= s.fds.back().count;
        s.fds.pop_back();
        s.clean = false;
    }
    return s;
}

// The raw mode: the stream is the input, a read starting on 0xFD brings an fd
// (attached at that byte).
inline stream raw_stream(input& in)
{
    stream s;
    s.bytes.assign(in.p, in.p + in.n);
    s.clean = false;
    return s;
}

// What a correct reader delivers from a stream: frames (payload and fd
// count) and skipped frames (over a limit), in order, until a header that
// is not valid or the end.
struct model_event
{
    bool skipped;
    std::size_t offset; // of the payload in the stream
    std::size_t size;
    std::uint32_t fds;
};

struct model
{
    std::vector<model_event> events;
    bool bad_header = false; // ends with a header that is not valid
    bool cut = false;        // ends inside a frame
};

inline model run_model(const stream& s, const boost::unix_ipc::receive_limits& limits)
{
    namespace detail = boost::unix_ipc::detail;
    model m;
    std::size_t at = 0;
    while (at < s.bytes.size())
    {
        if (s.bytes.size() - at < detail::frame_header_size)
        {
            m.cut = true;
            break;
        }
        const detail::frame_header h = detail::decode_header(s.bytes.data() + at);
        if (h.magic_and_version != detail::frame_magic_and_version)
        {
            m.bad_header = true;
            break;
        }
        at += detail::frame_header_size;
        const bool skip = h.payload_size > limits.max_payload_size || h.fd_count > limits.max_fds;
        if (h.payload_size > s.bytes.size() - at)
        {
            if (skip)
                m.events.push_back({true, at, 0, h.fd_count});
            m.cut = true;
            break;
        }
        const std::size_t size = static_cast<std::size_t>(h.payload_size);
        m.events.push_back({skip, at, size, h.fd_count});
        at += size;
    }
    return m;
}

// Feeds the input's stream to a frame reader, checks each frame against the
// model, and hands it to on_frame(msg). Checks that no fd leaks.
template <class OnFrame>
void run(const std::uint8_t* data, std::size_t size, OnFrame on_frame)
{
    namespace detail = boost::unix_ipc::detail;
    if (size < 2)
        return;
    null_fd();
    const int fds_before = open_fds();
    input in{data + 2, size - 2};
    unsigned seed = data[0];
    const bool raw = (data[1] & 0x80) != 0;
    const boost::unix_ipc::receive_limits limits = pick_limits(data[1] & 3u);
    const stream s = raw ? raw_stream(in) : build(in, limits);
    const model m = run_model(s, limits);
    {
        detail::frame_reader reader(reader_buffer);
        reader.set_limits(limits);
        boost::unix_ipc::raw_message msg;
        std::size_t at = 0;
        std::size_t next_fds = 0; // the next attachment in s.fds
        std::size_t event = 0;    // the next model event
        bool fatal = false;
        for (;;)
        {
            // Drain complete frames first.
            for (;;)
            {
                boost::system::error_code ec;
                const auto r = reader.next(msg, ec);
                if (r == detail::frame_reader::result::need_more)
                    break;
                if (r == detail::frame_reader::result::error && detail::frame_reader::is_fatal(ec))
                {
                    fatal = true;
                    break;
                }
                check(event < m.events.size(), "a frame or a skip the model does not have");
                const model_event& e = m.events[event++];
                if (r == detail::frame_reader::result::frame)
                {
                    check(!e.skipped, "a frame the model skips");
                    check(msg.bytes.size() == e.size, "payload size differs from its header's");
                    check(e.size == 0 || std::memcmp(msg.bytes.data(), s.bytes.data() + e.offset, e.size) == 0,
                          "payload bytes differ from the stream's");
                    check(msg.fds.size() == e.fds, "fds differ from the header's fd_count");
                    check(msg.bytes.size() <= limits.max_payload_size, "payload over the limit");
                    check(msg.fds.size() <= limits.max_fds, "fds over the limit");
                    on_frame(msg);
                }
                else
                    check(e.skipped, "a skip of a frame within the limits");
            }
            if (fatal || at == s.bytes.size())
                break;
            // Never more fds held than a batch per header byte (and one
            // more) beyond what the current frame may claim.
            check(reader.buffered_fds() <=
                      limits.max_fds + (detail::frame_header_size + 1) * detail::max_fds_per_sendmsg,
                  "fds held");
            seed = seed * 1103515245u + 12345u;
            const detail::frame_reader::target t = reader.prepare();
            const std::size_t room = t.size + t.size2;
            check(room != 0, "prepare gave no room");
            std::size_t n = (seed >> 16) % 4 == 0 ? room : 1 + (seed >> 19) % 97;
            if (n > room)
                n = room;
            if (n > s.bytes.size() - at)
                n = s.bytes.size() - at;
            // One attachment per read, as recvmsg gives: stop before the next.
            unsigned attach = 0;
            if (raw)
                attach = s.bytes[at] == 0xFD ? 1 : 0;
            else if (next_fds < s.fds.size() && s.fds[next_fds].at < at + n)
            {
                if (s.fds[next_fds].at > at)
                    n = s.fds[next_fds].at - at; // a read up to the fds' byte
                else
                {
                    attach = s.fds[next_fds++].count;
                    if (next_fds < s.fds.size() && s.fds[next_fds].at < at + n)
                        n = s.fds[next_fds].at - at;
                }
            }
            const std::size_t first = n < t.size ? n : t.size;
            std::memcpy(t.data, s.bytes.data() + at, first);
            if (n > first)
                std::memcpy(t.data2, s.bytes.data() + at + first, n - first);
            reader.commit(n);
            for (unsigned i = 0; i < attach; ++i)
                reader.add_fd(new_fd());
            at += n;
        }
        if (s.clean)
        {
            // Every fd where it belongs: the reader delivers what the model
            // finds, and fails exactly at a header that is not valid.
            check(event == m.events.size(), "a frame of a well-formed stream was not delivered");
            check(fatal == m.bad_header, "a fatal error without a bad header, or none at one");
            if (!m.bad_header && !m.cut)
                check(!reader.mid_frame(), "mid-frame at the end of whole frames");
        }
        reader.reset();
        check(reader.buffered_fds() == 0, "fds left after reset");
    }
    // msg's fds are closed with it.
    check(open_fds() == fds_before, "fd leaked");
}

// Writes a seed of the operations' format into dir/name.
inline void write_seed(const std::string& path, const std::vector<unsigned char>& bytes)
{
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        std::exit(1);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
}

} // namespace fuzz

#endif
