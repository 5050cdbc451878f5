//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target: the frame reader (the raw layer's parser) fed a hostile
// byte stream in reads of fuzzer-chosen sizes, some with fds attached, under
// small limits. It must never crash, never hold more fds than the protocol
// allows, and close every fd it was given.
//
// Input: a 1-byte read-size seed, then the stream. Each read takes
// 1 + (seed-driven) bytes; a read whose first byte is 0xFD also brings one
// fd (a duplicate of /dev/null), as SCM_RIGHTS would.

#include <boost/unix_ipc/src.hpp>

#include <boost/unix_ipc/detail/frame_reader.hpp>
#include <boost/unix_ipc/detail/socket_ops.hpp>

#include "fuzz_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void check(bool ok, const char* what)
{
    if (!ok)
    {
        std::fprintf(stderr, "frame_reader fuzz: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace detail = boost::unix_ipc::detail;
    if (size < 1)
        return 0;
    fuzz::null_fd();
    const int fds_before = fuzz::open_fds();
    unsigned seed = data[0];
    data += 1;
    size -= 1;
    {
        detail::frame_reader reader(256);
        boost::unix_ipc::receive_limits limits;
        limits.max_payload_size = 4096;
        limits.max_fds = 8;
        reader.set_limits(limits);
        boost::unix_ipc::raw_message msg;
        std::size_t at = 0;
        bool fatal = false;
        while (at < size && !fatal)
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
                if (r == detail::frame_reader::result::frame)
                {
                    check(msg.bytes.size() <= limits.max_payload_size, "payload over the limit");
                    check(msg.fds.size() <= limits.max_fds, "fds over the limit");
                }
            }
            if (fatal)
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
            std::size_t n = 1 + (seed >> 16) % 97;
            if (n > room)
                n = room;
            if (n > size - at)
                n = size - at;
            const bool with_fd = data[at] == 0xFD;
            const std::size_t first = n < t.size ? n : t.size;
            std::memcpy(t.data, data + at, first);
            if (n > first)
                std::memcpy(t.data2, data + at + first, n - first);
            reader.commit(n);
            if (with_fd)
                reader.add_fd(fuzz::new_fd());
            at += n;
        }
        reader.reset();
        check(reader.buffered_fds() == 0, "fds left after reset");
    }
    // msg's fds are closed with it.
    check(fuzz::open_fds() == fds_before, "fd leaked");
    return 0;
}

// A few well-formed streams, for a seed corpus: frame_reader_fuzz -seeds DIR
// writes them (see run.sh).
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    namespace detail = boost::unix_ipc::detail;
    if (*argc < 3 || std::string((*argv)[1]) != "-seeds")
        return 0;
    const std::string dir = (*argv)[2];
    auto frame = [](std::vector<unsigned char>& out, std::uint32_t fds, std::size_t size) {
        unsigned char h[detail::frame_header_size];
        detail::encode_header(h, fds, size);
        out.insert(out.end(), h, h + sizeof h);
        for (std::size_t i = 0; i < size; ++i)
            out.push_back(static_cast<unsigned char>(i == 0 && fds ? 0xFD : 'a' + i % 26));
    };
    const std::size_t sizes[][3] = {{0, 5, 64}, {100, 300, 1}, {3000, 0, 17}};
    int k = 0;
    for (const auto& set : sizes)
    {
        std::vector<unsigned char> s{static_cast<unsigned char>(k * 37)};
        for (std::size_t n : set)
            frame(s, n == 5 ? 1 : 0, n);
        std::FILE* f = std::fopen((dir + "/stream" + std::to_string(k++)).c_str(), "wb");
        if (!f)
            std::exit(1);
        std::fwrite(s.data(), 1, s.size(), f);
        std::fclose(f);
    }
    std::exit(0);
}
