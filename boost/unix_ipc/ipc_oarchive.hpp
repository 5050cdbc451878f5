//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IPC_OARCHIVE_HPP
#define BOOST_UNIX_IPC_IPC_OARCHIVE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/detail/out_of_line.hpp>

#include <boost/archive/basic_archive.hpp>
#include <boost/archive/detail/common_oarchive.hpp>
#include <boost/archive/detail/register_archive.hpp>
#include <boost/mpl/bool.hpp>
#include <boost/serialization/array_optimization.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/collection_size_type.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/nvp.hpp>
#include <boost/serialization/string.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace boost {
namespace unix_ipc {

/// The output archive of typed channels: Boost.Serialization's binary format
/// without header, written as raw host-order bytes straight into a frame's
/// payload, plus a side table of the fds met on the way (see `handle`).
///
/// A user type needs only its ordinary `serialize(Archive&, unsigned)`.
/// Containers of trivially copyable elements are written as one block.
class ipc_oarchive : public archive::detail::common_oarchive<ipc_oarchive>
{
public:
    /// Appends to `bytes`; fds met by handles are appended to `fds`.
    ipc_oarchive(std::vector<std::byte>& bytes, std::vector<int>& fds)
        : archive::detail::common_oarchive<ipc_oarchive>(archive::no_header), bytes_(bytes), fds_(fds)
    {
    }

    /// As above, and blocks of `detail::out_of_line::threshold` bytes or more
    /// that belong to the object `ool.first..ool.last` (the value being
    /// sent) are not copied: `ool.blocks` records where they go in `bytes`.
    /// The payload is unchanged; the channel sends those blocks from the
    /// value's own memory (see detail::out_of_line).
    ipc_oarchive(std::vector<std::byte>& bytes, std::vector<int>& fds, detail::out_of_line& ool)
        : archive::detail::common_oarchive<ipc_oarchive>(archive::no_header), bytes_(bytes), fds_(fds), ool_(&ool)
    {
    }

    /// Records `fd` in the side table and returns its index. The fd must stay
    /// open until the message is sent (the channel takes care of that when the
    /// archive is the channel's own).
    std::uint32_t add_fd(int fd)
    {
        fds_.push_back(fd);
        return static_cast<std::uint32_t>(fds_.size() - 1);
    }

    /// The fds recorded so far.
    const std::vector<int>& fds() const noexcept { return fds_; }

    void save_binary(const void* p, std::size_t n)
    {
        const auto* b = static_cast<const std::byte*>(p);
        bytes_.insert(bytes_.end(), b, b + n);
    }

    // Containers of bitwise-serializable elements travel as one block.
    struct use_array_optimization
    {
        template <class T>
        struct apply : serialization::is_bitwise_serializable<T>
        {
        };
    };

    template <class ValueType>
    void save_array(const serialization::array_wrapper<ValueType>& a, unsigned int)
    {
        // An array inside the value (a member C array, std::array...) may
        // stay out of line; elsewhere it is copied.
        save_block(a.address(), a.address(), a.count() * sizeof(ValueType));
    }

private:
    friend class archive::detail::interface_oarchive<ipc_oarchive>;
    friend class archive::detail::common_oarchive<ipc_oarchive>;
    friend class archive::save_access;

    template <class T>
    void save_override(const T& t)
    {
        archive::detail::common_oarchive<ipc_oarchive>::save_override(t);
    }
    void save_override(const archive::class_id_optional_type&) {}
    void save_override(const archive::class_name_type& t)
    {
        const std::string s(t);
        save(s);
    }

    // Primitives (arithmetic types and the library's own small types).
    template <class T>
    void save(const T& t)
    {
        static_assert(std::is_standard_layout<T>::value && !std::is_pointer<T>::value,
                      "ipc_oarchive: not a primitive");
        save_binary(&t, sizeof(T));
    }
    void save(const std::string& s)
    {
        const std::uint64_t n = s.size();
        save_binary(&n, sizeof(n));
        save_block(&s, s.data(), s.size(), &detail::out_of_line::same_storage<std::string>);
    }
    void save(const std::wstring& s)
    {
        const std::uint64_t n = s.size();
        save_binary(&n, sizeof(n));
        save_binary(s.data(), s.size() * sizeof(wchar_t));
    }

    // The n bytes at data belong to the object at owner: when owner lies in
    // the value being sent and the block is big, it is recorded instead of
    // copied. The owner's address is what proves the memory stays valid
    // until the frame is written: a container a save() function makes on
    // its own (a local, a temporary) is never inside the value.
    void save_block(const void* owner, const void* data, std::size_t n,
                    bool (*unchanged)(const void*, const void*, std::size_t) noexcept = nullptr)
    {
        if (ool_ && n >= detail::out_of_line::threshold && ool_->contains(owner))
            ool_->blocks.push_back({bytes_.size(), data, n, owner, unchanged});
        else
            save_binary(data, n);
    }

    // std::vector of bitwise-serializable elements: the bytes Boost's own
    // save writes (count, then the elements as one array), with the vector's
    // address known, so a member of the value may stay out of line. (Found
    // by argument-dependent lookup from boost/serialization/vector.hpp, and
    // more specialized than its save.)
    template <class U, class Allocator>
    friend void save(ipc_oarchive& ar, const std::vector<U, Allocator>& t, const unsigned int, mpl::true_)
    {
        const serialization::collection_size_type count(t.size());
        ar << serialization::make_nvp("count", count);
        if (!t.empty())
            ar.save_block(&t, t.data(), t.size() * sizeof(U),
                          &detail::out_of_line::same_storage<std::vector<U, Allocator>>);
    }

    std::vector<std::byte>& bytes_;
    std::vector<int>& fds_;
    detail::out_of_line* ool_ = nullptr;
};

} // namespace unix_ipc
} // namespace boost

BOOST_SERIALIZATION_REGISTER_ARCHIVE(boost::unix_ipc::ipc_oarchive)
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(boost::unix_ipc::ipc_oarchive)

#endif
