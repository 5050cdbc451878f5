//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IPC_ARCHIVE_HPP
#define BOOST_UNIX_IPC_IPC_ARCHIVE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/basic_archive.hpp>
#include <boost/archive/detail/common_iarchive.hpp>
#include <boost/archive/detail/common_oarchive.hpp>
#include <boost/archive/detail/register_archive.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/core/span.hpp>
#include <boost/serialization/array_optimization.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/collection_size_type.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/item_version_type.hpp>
#include <boost/serialization/string.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
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
        if (n == 0)
            return;
        const std::size_t at = bytes_.size();
        bytes_.resize(at + n);
        std::memcpy(bytes_.data() + at, p, n);
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
        save_binary(a.address(), a.count() * sizeof(ValueType));
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
        save_binary(s.data(), s.size());
    }
    void save(const std::wstring& s)
    {
        const std::uint64_t n = s.size();
        save_binary(&n, sizeof(n));
        save_binary(s.data(), s.size() * sizeof(wchar_t));
    }

    std::vector<std::byte>& bytes_;
    std::vector<int>& fds_;
};

/// The input archive of typed channels: reads what `ipc_oarchive` wrote from
/// a received payload, checking every length against what is left, and hands
/// the message's fds to the handles that claim them.
///
/// Bad input throws `boost::system::system_error` with `error::bad_message`
/// (the typed channel turns it into that error code).
class ipc_iarchive : public archive::detail::common_iarchive<ipc_iarchive>
{
public:
    /// Reads from `bytes`; handles take their fds from `fds` and rebuild I/O
    /// objects on `executor`.
    ipc_iarchive(boost::span<const std::byte> bytes, std::vector<unique_fd>& fds,
                 asio::any_io_executor executor = {})
        : archive::detail::common_iarchive<ipc_iarchive>(archive::no_header),
          p_(bytes.data()),
          end_(bytes.data() + bytes.size()),
          fds_(fds),
          taken_(fds.size(), false),
          executor_(std::move(executor))
    {
    }

    /// Takes fd number `index` of the message; throws on an index out of
    /// range or taken before.
    unique_fd take_fd(std::uint32_t index)
    {
        if (index >= fds_.size() || taken_[index])
            fail("fd index out of range or used twice");
        taken_[index] = true;
        return std::move(fds_[index]);
    }

    /// True when every fd of the message was claimed.
    bool all_fds_taken() const noexcept
    {
        for (bool t : taken_)
            if (!t)
                return false;
        return true;
    }

    /// Bytes not read yet.
    std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }

    /// The executor I/O objects rebuilt from fds use (may be empty).
    const asio::any_io_executor& get_executor() const noexcept { return executor_; }

    void load_binary(void* p, std::size_t n)
    {
        if (n > remaining())
            fail("payload truncated");
        if (n != 0)
            std::memcpy(p, p_, n);
        p_ += n;
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
    void load_array(serialization::array_wrapper<ValueType>& a, unsigned int)
    {
        const std::size_t count = a.count();
        if (count > remaining() / (sizeof(ValueType) ? sizeof(ValueType) : 1))
            fail("array longer than the payload");
        load_binary(a.address(), count * sizeof(ValueType));
    }

    [[noreturn]] static void fail(const char* what)
    {
        throw system::system_error(make_error_code(error::bad_message), what);
    }

private:
    friend class archive::detail::interface_iarchive<ipc_iarchive>;
    friend class archive::detail::common_iarchive<ipc_iarchive>;
    friend class archive::load_access;

    template <class T>
    void load_override(T& t)
    {
        archive::detail::common_iarchive<ipc_iarchive>::load_override(t);
    }
    void load_override(archive::class_id_optional_type&) {}
    void load_override(archive::class_name_type& t)
    {
        std::string cn;
        load(cn);
        if (cn.size() > BOOST_SERIALIZATION_MAX_KEY_SIZE - 1)
            fail("class name too long");
        std::memcpy(t, cn.data(), cn.size());
        t.t[cn.size()] = '\0';
    }
    // A container may not declare more elements than there are bytes left:
    // a lying size fails before the container allocates for it.
    void load_override(serialization::collection_size_type& t)
    {
        load(t);
        if (static_cast<std::size_t>(t) > remaining())
            fail("container size beyond the payload");
    }

    template <class T>
    void load(T& t)
    {
        static_assert(std::is_standard_layout<T>::value && !std::is_pointer<T>::value,
                      "ipc_iarchive: not a primitive");
        load_binary(&t, sizeof(T));
    }
    void load(bool& b)
    {
        unsigned char c;
        load_binary(&c, 1);
        if (c > 1)
            fail("bad bool");
        b = c != 0;
    }
    void load(std::string& s)
    {
        std::uint64_t n;
        load_binary(&n, sizeof(n));
        if (n > remaining())
            fail("string longer than the payload");
        s.assign(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
        p_ += n;
    }
    void load(std::wstring& s)
    {
        std::uint64_t n;
        load_binary(&n, sizeof(n));
        if (n > remaining() / sizeof(wchar_t))
            fail("string longer than the payload");
        s.resize(static_cast<std::size_t>(n));
        load_binary(&s[0], static_cast<std::size_t>(n) * sizeof(wchar_t));
    }

    const std::byte* p_;
    const std::byte* end_;
    std::vector<unique_fd>& fds_;
    std::vector<bool> taken_;
    asio::any_io_executor executor_;
};

} // namespace unix_ipc
} // namespace boost

BOOST_SERIALIZATION_REGISTER_ARCHIVE(boost::unix_ipc::ipc_oarchive)
BOOST_SERIALIZATION_REGISTER_ARCHIVE(boost::unix_ipc::ipc_iarchive)
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(boost::unix_ipc::ipc_oarchive)
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(boost::unix_ipc::ipc_iarchive)

#endif
