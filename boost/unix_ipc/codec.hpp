//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_CODEC_HPP
#define BOOST_UNIX_IPC_CODEC_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/core/span.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace boost {
namespace unix_ipc {

/// The default codec of typed channels: Boost.Serialization through
/// `ipc_oarchive` / `ipc_iarchive`.
///
/// A codec is a type with two static member function templates:
///
/// - `encode(const T& value, std::vector<std::byte>& bytes, std::vector<int>& fds)`
///   appends the encoded value to `bytes` and the fds it carries to `fds`;
/// - `decode(T& value, boost::span<const std::byte> bytes, std::vector<unique_fd>& fds,
///   const asio::any_io_executor& ex)` rebuilds the value, taking its fds from
///   `fds` (and building I/O objects on `ex`); it throws on bad input.
///
/// Typed channels turn any exception of `decode` into `error::bad_message`.
struct serialization_codec
{
    template <class T>
    static void encode(const T& value, std::vector<std::byte>& bytes, std::vector<int>& fds)
    {
        ipc_oarchive oa(bytes, fds);
        oa << value;
    }

    // As above; big blocks of value's own memory are recorded in ool
    // instead of copied (the typed channels send them from there).
    template <class T>
    static void encode(const T& value, std::vector<std::byte>& bytes, std::vector<int>& fds,
                       detail::out_of_line& ool)
    {
        const std::size_t bytes_before = bytes.size(), fds_before = fds.size();
        ool.first = std::addressof(value);
        ool.last = std::addressof(value) + 1;
        {
            ipc_oarchive oa(bytes, fds, ool);
            oa << value;
        }
        if (!ool.still_valid())
        {
            // A save() changed the value while writing it: copy everything.
            ool.blocks.clear();
            bytes.resize(bytes_before);
            fds.resize(fds_before);
            encode(value, bytes, fds);
        }
    }

    template <class T>
    static void decode(T& value, boost::span<const std::byte> bytes, std::vector<unique_fd>& fds,
                       const asio::any_io_executor& ex)
    {
        ipc_iarchive ia(bytes, fds, ex);
        ia >> value;
        if (ia.remaining() != 0)
            ipc_iarchive::fail("bytes left after the value");
        if (!ia.all_fds_taken())
            ipc_iarchive::fail("the message has fds that no handle claims");
    }
};

} // namespace unix_ipc
} // namespace boost

#endif
