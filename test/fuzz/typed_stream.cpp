//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target: typed receiving end to end, short of the socket. A
// hostile stream (frames with fuzzer-controlled headers and fds, see
// fuzz_stream.hpp) goes through detail::frame_reader in reads of
// fuzzer-chosen sizes, and every frame it delivers is decoded as a typed
// channel's receive decodes it (serialization_codec over ipc_iarchive, with
// the frame's fds), as one of the five types of fuzz_types.hpp. Nothing may
// crash, the reader must deliver what the model finds, and every fd ends up
// closed.
//
// Input: a 1-byte choice of the type to decode, then a stream input of
// fuzz_stream.hpp. `typed_stream_fuzz -seeds DIR` writes streams of
// well-formed messages of each type into DIR (see run.sh).

#include <boost/unix_ipc/src.hpp>

#include "fuzz_stream.hpp"
#include "fuzz_types.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    const unsigned type = data[0];
    fuzz::run(data + 1, size - 1, [type](boost::unix_ipc::raw_message& msg) {
        fuzz_types::decode_as(type, msg.bytes.data(), msg.bytes.size(), msg.fds);
    });
    return 0;
}

// Streams of well-formed messages, for a seed corpus: typed_stream_fuzz
// -seeds DIR writes them (see run.sh): each message alone, twice in a row,
// and after an empty frame, in reads of several sizes.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    if (*argc < 3 || std::string((*argv)[1]) != "-seeds")
        return 0;
    const std::string dir = (*argv)[2];
    fuzz_types::well_formed_messages(
        [&](const std::string& name, unsigned nfds, unsigned type, const std::vector<std::byte>& payload) {
            // Operation 7 of fuzz_stream.hpp: a frame of nfds fds and this payload.
            std::vector<unsigned char> message = {7, static_cast<unsigned char>(nfds),
                                                  static_cast<unsigned char>(payload.size() & 0xFF),
                                                  static_cast<unsigned char>(payload.size() >> 8)};
            for (std::byte b : payload)
                message.push_back(static_cast<unsigned char>(b));
            const std::vector<unsigned char> empty_frame = {1, 0, 0, 0, 0};
            // Type, read-size seed, limits (16384 bytes, 253 fds), then operations.
            std::vector<unsigned char> once = {static_cast<unsigned char>(type), 0, 3};
            once.insert(once.end(), message.begin(), message.end());
            fuzz::write_seed(dir + "/" + name, once);
            std::vector<unsigned char> twice = {static_cast<unsigned char>(type), 77, 3};
            twice.insert(twice.end(), message.begin(), message.end());
            twice.insert(twice.end(), message.begin(), message.end());
            fuzz::write_seed(dir + "/" + name + "_twice", twice);
            std::vector<unsigned char> after = {static_cast<unsigned char>(type), 200, 3};
            after.insert(after.end(), empty_frame.begin(), empty_frame.end());
            after.insert(after.end(), message.begin(), message.end());
            fuzz::write_seed(dir + "/" + name + "_after_empty", after);
        });
    std::exit(0);
}
