//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_FRAME_HPP
#define BOOST_UNIX_IPC_DETAIL_FRAME_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace boost {
namespace unix_ipc {
namespace detail {

// Wire format version 1 (doc/modules/ROOT/pages/wire_format.adoc): a 16-byte
// header in host byte order, then the payload.
constexpr std::uint32_t frame_magic = 0x554950u; // "UIP"
constexpr std::uint32_t frame_version = 1;
constexpr std::uint32_t frame_magic_and_version = (frame_magic << 8) | frame_version;
constexpr std::size_t frame_header_size = 16;

struct frame_header
{
    std::uint32_t magic_and_version;
    std::uint32_t fd_count;
    std::uint64_t payload_size;
};

inline void encode_header(unsigned char* out, std::uint32_t fd_count, std::uint64_t payload_size) noexcept
{
    const std::uint32_t mv = frame_magic_and_version;
    std::memcpy(out, &mv, 4);
    std::memcpy(out + 4, &fd_count, 4);
    std::memcpy(out + 8, &payload_size, 8);
}

inline frame_header decode_header(const unsigned char* in) noexcept
{
    frame_header h;
    std::memcpy(&h.magic_and_version, in, 4);
    std::memcpy(&h.fd_count, in + 4, 4);
    std::memcpy(&h.payload_size, in + 8, 8);
    return h;
}

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
