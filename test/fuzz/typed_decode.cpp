//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target: a typed channel's decoding (serialization_codec over
// ipc_iarchive) fed a hostile payload and a few fds, as one of five types. Decoding must succeed or
// throw (the channel turns that into error::bad_message): never crash, never
// read out of bounds, never allocate beyond what the payload can justify,
// and every fd ends up closed, claimed or not.
//
// Input: a 1-byte fd count (0-3, of /dev/null duplicates), a 1-byte choice
// of the type to decode, then the payload. `typed_decode_fuzz -seeds DIR`
// writes a well-formed message of each type into DIR (see run.sh).

#include <boost/unix_ipc/src.hpp>

#include "fuzz_fds.hpp"
#include "fuzz_types.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace unix_ipc = boost::unix_ipc;
    if (size < 2)
        return 0;
    fuzz::null_fd();
    const int before = fuzz::open_fds();
    {
        std::vector<unix_ipc::unique_fd> fds;
        for (unsigned i = 0; i < (data[0] & 3u); ++i)
            fds.emplace_back(fuzz::new_fd());
        fuzz_types::decode_as(data[1], reinterpret_cast<const std::byte*>(data + 2), size - 2, fds);
    }
    if (fuzz::open_fds() != before)
    {
        std::fprintf(stderr, "typed_decode fuzz: fd leaked\n");
        std::abort();
    }
    return 0;
}

// Well-formed messages of each type, for a seed corpus:
// typed_decode_fuzz -seeds DIR writes them (see test/fuzz/run.sh).
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    if (*argc < 3 || std::string((*argv)[1]) != "-seeds")
        return 0;
    const std::string dir = (*argv)[2];
    fuzz_types::well_formed_messages(
        [&](const std::string& name, unsigned nfds, unsigned type, const std::vector<std::byte>& bytes) {
            std::FILE* f = std::fopen((dir + "/" + name).c_str(), "wb");
            if (!f)
                std::exit(1);
            const unsigned char head[2] = {static_cast<unsigned char>(nfds), static_cast<unsigned char>(type)};
            std::fwrite(head, 1, 2, f);
            std::fwrite(bytes.data(), 1, bytes.size(), f);
            std::fclose(f);
        });
    std::exit(0);
}
