//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target: the frame reader (the raw layer's parser) fed a hostile
// stream in reads of fuzzer-chosen sizes, with fds attached, under small
// limits. The input builds the stream from frames whose header fields the
// fuzzer controls (magic and version, fd_count, payload_size near and over
// the limits, huge), or is the raw stream itself: see fuzz_stream.hpp for
// the format. The reader must never crash, never hold more fds than the
// protocol allows, deliver exactly the frames a model of the format finds
// (payload, fd count; every one of them when the fds are where a sender puts
// them), and close every fd it was given.

#include <boost/unix_ipc/src.hpp>

#include "fuzz_stream.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using bytes = std::vector<unsigned char>;

template <class... B>
bytes cat(const B&... parts)
{
    bytes out;
    (out.insert(out.end(), parts.begin(), parts.end()), ...);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    fuzz::run(data, size, [](boost::unix_ipc::raw_message&) {});
    return 0;
}

// Streams for a seed corpus: frame_reader_fuzz -seeds DIR writes them (see
// run.sh): whole frames around each limit, skipped frames, bad and cut
// headers, stray fds, and raw streams.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    if (*argc < 3 || std::string((*argv)[1]) != "-seeds")
        return 0;
    const std::string dir = (*argv)[2];
    // Operations (fuzz_stream.hpp): frame F S A N, message F N16 ...
    const bytes frame_small = {1, 0, 2, 5, 0, 5, 'h', 'e', 'l', 'l', 'o'};
    const bytes frame_fd = {1, 1, 6, 1, 0, 0};
    const bytes frame_at_limit = {1, 4, 4, 0, 0};
    const bytes frame_over_limit = {1, 2, 1, 5, 0, 0};
    const bytes frame_huge = {1, 0, 10, 0, 0};
    const bytes fds_over_limit = {1, 5, 1, 0, 0};
    const bytes message = {7, 2, 3, 0, 'a', 'b', 'c'};
    const bytes bad_magic = {2, 2, 0x10};
    const bytes cut_header = {6, 9};
    const bytes stray_fds = {5, 2};
    const bytes filler = {4, 0x00, 0x01};
    const std::vector<std::pair<std::string, bytes>> seeds = {
        {"frames", cat(bytes{0, 0}, frame_small, frame_fd, message, frame_small)},
        {"limits_4096", cat(bytes{1, 0}, frame_at_limit, frame_over_limit, frame_small, fds_over_limit, message)},
        {"limits_0", cat(bytes{2, 1}, frame_small, frame_fd, message)},
        {"limits_64", cat(bytes{3, 2}, frame_at_limit, frame_over_limit, frame_fd, message)},
        {"limits_16384", cat(bytes{4, 3}, frame_at_limit, frame_small, frame_huge)},
        {"bad_magic", cat(bytes{5, 0}, frame_small, bad_magic, frame_small)},
        {"cut_header", cat(bytes{6, 0}, message, cut_header)},
        {"stray_fds", cat(bytes{7, 0}, frame_small, stray_fds, frame_fd, filler)},
    };
    for (const auto& [name, content] : seeds)
        fuzz::write_seed(dir + "/" + name, content);
    // Raw streams (bit 7 of byte 1): whole frames, a read on 0xFD brings an fd.
    namespace detail = boost::unix_ipc::detail;
    auto frame = [](bytes& out, std::uint32_t fds, std::size_t size) {
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
        bytes s{static_cast<unsigned char>(k * 37), 0x80};
        for (std::size_t n : set)
            frame(s, n == 5 ? 1 : 0, n);
        fuzz::write_seed(dir + "/raw" + std::to_string(k++), s);
    }
    std::exit(0);
}
