//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_SHARED_MEMORY_HPP
#define BOOST_UNIX_IPC_SHARED_MEMORY_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/core/span.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace boost {
namespace unix_ipc {

/// A region of memory shared between processes: a sealed `memfd`, mapped.
///
/// The creator makes it with `create()`: a memfd of the given size whose size
/// is sealed at once (`F_SEAL_SHRINK | F_SEAL_GROW`), mapped read-write. It
/// writes into it, then seals it with `seal()`: read-write (every holder may
/// write; only the set of seals is frozen, `F_SEAL_SEAL`) or read-only (the
/// mapping becomes read-only and `F_SEAL_WRITE` forbids every write, by anyone,
/// for good). A region travels as its fd: inside a typed message as a
/// `handle<shared_memory>` (an unsealed region is sealed read-write when it is
/// sent), or through a raw channel as `native_handle()` (seal it first).
///
/// The receiver rebuilds it from the fd with `adopt()` (or the checking
/// constructor), which refuses, with `error::bad_message`, anything that is
/// not a memfd sealed against shrinking, growing and further sealing; the
/// size comes from `fstat`, never from the peer. A sealed size cannot change,
/// so no peer can truncate the mapping under the reader (`SIGBUS`).
///
/// Move-only; the destructor unmaps the region and closes the fd. The memory
/// lives on while any process still maps it or holds an fd of it.
class shared_memory
{
public:
    /// How a region is shared, or how a receiver wants to map it.
    enum class access
    {
        /// Every holder may write (the region is mapped read-write where its
        /// fd allows).
        read_write,
        /// No one writes: sealing read-only adds `F_SEAL_WRITE`; a receiver
        /// asking for it maps the region read-only.
        read_only,
    };

    /// An empty object: no fd, no mapping, `size() == 0`.
    shared_memory() noexcept = default;

    /// Rebuilds a received region from `fd`, with `adopt()`'s checks, and
    /// maps it as writable as its seals and `fd`'s access mode allow.
    ///
    /// \throws system::system_error with `error::bad_message` when `fd` is not
    /// a sealed memfd, or the system's error when mapping fails. `fd` is
    /// closed then.
    explicit shared_memory(unique_fd fd)
    {
        system::error_code ec;
        *this = adopt(std::move(fd), access::read_write, ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "shared_memory"));
    }

    shared_memory(const shared_memory&) = delete;
    shared_memory& operator=(const shared_memory&) = delete;

    shared_memory(shared_memory&& other) noexcept
        : fd_(std::move(other.fd_)),
          data_(std::exchange(other.data_, nullptr)),
          size_(std::exchange(other.size_, 0)),
          writable_(std::exchange(other.writable_, false))
    {
    }

    shared_memory& operator=(shared_memory&& other) noexcept
    {
        if (this != &other)
        {
            destroy();
            fd_ = std::move(other.fd_);
            data_ = std::exchange(other.data_, nullptr);
            size_ = std::exchange(other.size_, 0);
            writable_ = std::exchange(other.writable_, false);
        }
        return *this;
    }

    /// Unmaps the region and closes its fd.
    ~shared_memory() { destroy(); }

    /// Creates a region of `size` bytes, zero-filled: a memfd
    /// (`MFD_CLOEXEC | MFD_ALLOW_SEALING`) sized with `ftruncate`, sealed
    /// against shrinking and growing, and mapped read-write (`MAP_SHARED`,
    /// not populated: pages are allocated as they are first touched). It is
    /// not sealed yet (`sealed() == false`): call `seal()` before handing it
    /// over. `size` may be 0 (no mapping then).
    ///
    /// `name` shows in `/proc/<pid>/fd` and `/proc/<pid>/maps`, for debugging
    /// only.
    BOOST_UNIX_IPC_DECL static shared_memory create(std::size_t size, system::error_code& ec,
                                                    const char* name = "boost.unix_ipc") noexcept;

    /// As above; throws `system::system_error` on failure.
    static shared_memory create(std::size_t size, const char* name = "boost.unix_ipc")
    {
        system::error_code ec;
        shared_memory m = create(size, ec, name);
        if (ec)
            boost::throw_exception(system::system_error(ec, "shared_memory::create"));
        return m;
    }

    /// Takes ownership of `fd`, a received region, and checks it:
    ///
    /// - it is a memfd that allows sealing (`F_GET_SEALS` succeeds: any other
    ///   file, pipe or socket fails it);
    /// - it carries `F_SEAL_SHRINK`, `F_SEAL_GROW` and `F_SEAL_SEAL`, so its
    ///   size and its seals are final;
    /// - its size, from `fstat`, fits in the address space.
    ///
    /// Any failed check is `error::bad_message`, and `fd` is closed. Then the
    /// region is mapped (`MAP_SHARED`): read-only when `want` is
    /// `access::read_only`, when the region is write-sealed (`F_SEAL_WRITE`
    /// or `F_SEAL_FUTURE_WRITE`) or when `fd` was opened read-only; read-write
    /// otherwise. A mapping failure is the system's error (e.g. `ENOMEM`).
    BOOST_UNIX_IPC_DECL static shared_memory adopt(unique_fd fd, access want, system::error_code& ec) noexcept;

    /// `adopt(std::move(fd), access::read_write, ec)`.
    static shared_memory adopt(unique_fd fd, system::error_code& ec) noexcept
    {
        return adopt(std::move(fd), access::read_write, ec);
    }

    /// Seals the region for handing over (see `access`):
    ///
    /// - `access::read_write` adds `F_SEAL_SEAL`: the size and the seals are
    ///   final; every holder may still write.
    /// - `access::read_only` replaces this object's read-write mapping by a
    ///   read-only one and adds `F_SEAL_WRITE | F_SEAL_SEAL`: from then on no
    ///   one writes to the region, by `write()` or through a mapping. This
    ///   fails with `EBUSY` while another writable shared mapping of the
    ///   region exists (in this process or in one it was sent to); the
    ///   mapping is then restored read-write and nothing is sealed. (Should
    ///   mapping the region again fail, e.g. with `ENOMEM`, that error is
    ///   reported and the object keeps the fd without a mapping: `data()` is
    ///   null.)
    ///
    /// Sealing a region sealed before succeeds when the access is the same
    /// (or `read_write` asked of a read-only region, which changes nothing);
    /// asking `read_only` of a region sealed read-write fails with `EPERM`.
    BOOST_UNIX_IPC_DECL void seal(access a, system::error_code& ec) noexcept;

    /// As above; throws `system::system_error` on failure.
    void seal(access a)
    {
        system::error_code ec;
        seal(a, ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "shared_memory::seal"));
    }

    /// Whether the region carries `F_SEAL_SEAL` (its seals are final).
    BOOST_UNIX_IPC_DECL bool sealed() const noexcept;

    /// Whether the region carries `F_SEAL_WRITE`: its content can no longer
    /// change, whoever holds it.
    BOOST_UNIX_IPC_DECL bool write_sealed() const noexcept;

    /// The seals of the region (`fcntl(F_GET_SEALS)`), or 0 when empty.
    BOOST_UNIX_IPC_DECL int seals() const noexcept;

    /// True when this object holds a region.
    bool is_open() const noexcept { return static_cast<bool>(fd_); }
    explicit operator bool() const noexcept { return is_open(); }

    /// The start of the mapping (page-aligned), or null when empty or of size 0.
    const std::byte* data() const noexcept { return static_cast<const std::byte*>(data_); }

    /// The start of the mapping when it is writable; null otherwise (a
    /// read-only mapping: writing to it would fault).
    std::byte* writable_data() const noexcept { return writable_ ? static_cast<std::byte*>(data_) : nullptr; }

    /// The size of the region in bytes (for a received one: from `fstat`).
    std::size_t size() const noexcept { return size_; }

    /// Whether this object's mapping is writable.
    bool writable() const noexcept { return writable_; }

    /// The memfd (owned by this object; sending it duplicates it into the
    /// receiver).
    int native_handle() const noexcept { return fd_.get(); }

    /// The whole region as `span<T>`, `T` trivially copyable (`const T` for
    /// read-only access). Fails with `errc::invalid_argument` when the size
    /// is not a multiple of `sizeof(T)`, and with `errc::permission_denied`
    /// when `T` is not const and the mapping is read-only.
    template <class T>
    boost::span<T> view(system::error_code& ec) const noexcept
    {
        return view<T>(0, size_ / sizeof(T), ec, size_ % sizeof(T) != 0);
    }

    /// As above; throws `system::system_error` on failure.
    template <class T>
    boost::span<T> view() const
    {
        system::error_code ec;
        boost::span<T> s = view<T>(ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "shared_memory::view"));
        return s;
    }

    /// `count` elements of type `T` from byte `offset` on. Fails with
    /// `errc::invalid_argument` when they do not lie within the region or
    /// `offset` is not a multiple of `alignof(T)`, and with
    /// `errc::permission_denied` when `T` is not const and the mapping is
    /// read-only.
    template <class T>
    boost::span<T> view(std::size_t offset, std::size_t count, system::error_code& ec) const noexcept
    {
        return view<T>(offset, count, ec, false);
    }

    /// As above; throws `system::system_error` on failure.
    template <class T>
    boost::span<T> view(std::size_t offset, std::size_t count) const
    {
        system::error_code ec;
        boost::span<T> s = view<T>(offset, count, ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "shared_memory::view"));
        return s;
    }

    /// Unmaps the region and gives up its fd: the caller owns it (the memory
    /// lives on in the memfd). The object is empty afterwards.
    unique_fd release() noexcept
    {
        unique_fd fd = std::move(fd_);
        destroy();
        return fd;
    }

private:
    template <class T>
    boost::span<T> view(std::size_t offset, std::size_t count, system::error_code& ec, bool ragged) const noexcept
    {
        static_assert(std::is_trivially_copyable<T>::value, "shared_memory::view<T>: T must be trivially copyable");
        static_assert(!std::is_volatile<T>::value, "shared_memory::view<T>: T must not be volatile");
        if (ragged || offset > size_ || count > (size_ - offset) / sizeof(T) || (count != 0 && !data_) ||
            (reinterpret_cast<std::uintptr_t>(data_) + offset) % alignof(T) != 0)
        {
            ec = make_error_code(system::errc::invalid_argument);
            return {};
        }
        if (!std::is_const<T>::value && !writable_ && count != 0)
        {
            ec = make_error_code(system::errc::permission_denied);
            return {};
        }
        ec.clear();
        if (count == 0)
            return {};
        return boost::span<T>(reinterpret_cast<T*>(static_cast<std::byte*>(data_) + offset), count);
    }

    BOOST_UNIX_IPC_DECL void destroy() noexcept;

    unique_fd fd_;
    void* data_ = nullptr;
    std::size_t size_ = 0;
    bool writable_ = false;
};

} // namespace unix_ipc
} // namespace boost

// In typed messages: handle<shared_memory>.
#if !defined(BOOST_UNIX_IPC_HAS_SERIALIZATION) || BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/handle.hpp>

namespace boost {
namespace unix_ipc {

namespace detail {
// Adds F_SEAL_SEAL to a region that lacks it (sending seals); throws
// system::system_error on failure.
BOOST_UNIX_IPC_DECL void seal_for_sending(const shared_memory& m);
} // namespace detail

/// A region travels as its fd and its size. Sending seals a region not
/// sealed yet (read-write: `F_SEAL_SEAL`). The receiver checks the fd as
/// `shared_memory::adopt` does and compares its `fstat` size with the size in
/// the message: any failure makes the message `error::bad_message`. An empty
/// `shared_memory` travels as an empty handle. (The JSON codec carries the fd
/// only: the receiver's checks are the same, without the size comparison.)
template <>
struct handle_traits<shared_memory>
{
    static int native_handle(const shared_memory& m)
    {
        if (!m.is_open())
            return -1;
        detail::seal_for_sending(m);
        return m.native_handle();
    }

    static shared_memory from_fd(unique_fd fd, const asio::any_io_executor&)
    {
        system::error_code ec;
        shared_memory m = shared_memory::adopt(std::move(fd), shared_memory::access::read_write, ec);
        if (ec == error::bad_message)
            ipc_iarchive::fail("received shared memory: not a memfd sealed against shrinking, growing and sealing");
        if (ec)
            throw system::system_error(ec, "received shared memory: mapping failed");
        return m;
    }

    template <class Archive>
    static void save(Archive& ar, const shared_memory* m)
    {
        std::uint32_t index = no_fd;
        std::uint64_t size = 0;
        if (m && m->is_open())
        {
            index = ar.add_fd(native_handle(*m));
            size = m->size();
        }
        ar << index << size;
    }

    template <class Archive>
    static void load(Archive& ar, std::optional<shared_memory>& m)
    {
        std::uint32_t index;
        std::uint64_t size;
        ar >> index >> size;
        if (index == no_fd)
        {
            if (size != 0)
                ipc_iarchive::fail("received shared memory: an empty region with a size");
            return;
        }
        shared_memory r = from_fd(ar.take_fd(index), ar.get_executor());
        if (r.size() != size)
            ipc_iarchive::fail("received shared memory: its size is not the size the message claims");
        m.emplace(std::move(r));
    }

private:
    static constexpr std::uint32_t no_fd = 0xffffffffu;
};

} // namespace unix_ipc
} // namespace boost
#endif

#endif
