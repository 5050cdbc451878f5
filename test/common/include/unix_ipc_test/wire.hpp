//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_WIRE_HPP
#define BOOST_UNIX_IPC_TEST_WIRE_HPP

// Hand-written peers: wire-format version 1 frames built byte by byte (from the
// format as documented, not from the library's encoder), raw sendmsg/recvmsg
// with SCM_RIGHTS, payload patterns, and temporary directories.

#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace unix_ipc_test {

using bytes = std::vector<unsigned char>;

/// The documented first header word: magic "UIP" (0x554950) << 8 | version 1.
constexpr std::uint32_t wire_magic_and_version = (0x554950u << 8) | 1u;

/// A 16-byte header: u32 magic_and_version, u32 fd_count, u64 payload_size,
/// host byte order.
bytes frame_header(std::uint64_t payload_size, std::uint32_t fd_count,
                   std::uint32_t magic_and_version = wire_magic_and_version);

/// Header followed by payload.
bytes frame_bytes(const bytes& payload, std::uint32_t fd_count = 0);
bytes frame_bytes(const std::string& payload, std::uint32_t fd_count = 0);

/// Appends b to a.
void append(bytes& a, const bytes& b);

/// `size` bytes of a pattern that depends on `seed` and the position, so a
/// lost, duplicated or misplaced byte is detected.
bytes pattern(std::size_t size, std::uint32_t seed);

/// Fills [data, data+size) with pattern(size, seed) without allocating twice.
void fill_pattern(void* data, std::size_t size, std::uint32_t seed);

/// True when [data, data+size) holds pattern(size, seed); BOOST_TESTs the first mismatch.
bool check_pattern(const void* data, std::size_t size, std::uint32_t seed);

/// The payload of a message as a string.
std::string to_string(const boost::unix_ipc::raw_message& m);

/// Writes all of data to a blocking fd (send with MSG_NOSIGNAL). The fds, if
/// any, ride on the first sendmsg. REQUIREs success.
void send_raw(int fd, const void* data, std::size_t size, const std::vector<int>& fds = {});
inline void send_raw(int fd, const bytes& b, const std::vector<int>& fds = {})
{
    send_raw(fd, b.data(), b.size(), fds);
}

/// One recvmsg (MSG_CMSG_CLOEXEC) of at most max_bytes on a blocking fd; the
/// received fds are appended to *fds (owned). Returns the bytes read (0: EOF).
std::size_t recv_raw(int fd, bytes& out, std::size_t max_bytes, std::vector<boost::unix_ipc::unique_fd>* fds,
                     int flags = 0);

/// True when the socket has no unread byte (recv with MSG_PEEK | MSG_DONTWAIT
/// would block): the other side has read everything.
bool socket_drained(int fd);

/// A fresh 0700 directory (mkdtemp under $TMPDIR or /tmp), removed with its
/// contents on destruction.
class temp_dir
{
public:
    temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir();

    const std::string& path() const noexcept { return path_; }

    /// path() + "/" + name.
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

} // namespace unix_ipc_test

#endif
