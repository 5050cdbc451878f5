//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_SHARED_MEMORY_IPP
#define BOOST_UNIX_IPC_IMPL_SHARED_MEMORY_IPP

#include <boost/unix_ipc/shared_memory.hpp>

#include <boost/assert/source_location.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>

namespace boost {
namespace unix_ipc {

namespace detail {

// The seals a region must carry to be accepted: its size and its seals final.
constexpr int shm_required_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

inline int shm_get_seals(int fd) noexcept
{
    return fd < 0 ? -1 : ::fcntl(fd, F_GET_SEALS);
}

inline int shm_add_seals(int fd, int seals) noexcept
{
    int r;
    do
        r = ::fcntl(fd, F_ADD_SEALS, seals);
    while (r < 0 && errno == EINTR);
    return r;
}

inline void* shm_map(int fd, std::size_t size, bool writable) noexcept
{
    // No MAP_POPULATE: mapping stays O(1) in the size; pages fault in as used.
    if (writable)
        return ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    // Before Linux 6.7 a shared mapping of a write-sealed memfd fails with
    // EPERM even read-only; a private one shows the same pages, which no one
    // can change any more.
    if (p == MAP_FAILED && errno == EPERM && (::fcntl(fd, F_GET_SEALS) & F_SEAL_WRITE) != 0)
        p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    return p;
}

} // namespace detail

shared_memory shared_memory::create(std::size_t size, system::error_code& ec, const char* name) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    shared_memory m;
    if (size > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()))
    {
        ec.assign(EFBIG, system::system_category(), &loc);
        return m;
    }
    unique_fd fd(::memfd_create(name ? name : "boost.unix_ipc", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!fd)
    {
        ec.assign(errno, system::system_category(), &loc);
        return m;
    }
    int r;
    do
        r = ::ftruncate(fd.get(), static_cast<off_t>(size));
    while (r < 0 && errno == EINTR);
    if (r < 0 || detail::shm_add_seals(fd.get(), F_SEAL_SHRINK | F_SEAL_GROW) < 0)
    {
        ec.assign(errno, system::system_category(), &loc);
        return m;
    }
    if (size != 0)
    {
        void* p = detail::shm_map(fd.get(), size, true);
        if (p == MAP_FAILED)
        {
            ec.assign(errno, system::system_category(), &loc);
            return m;
        }
        m.data_ = p;
    }
    m.fd_ = std::move(fd);
    m.size_ = size;
    m.writable_ = true;
    ec.clear();
    return m;
}

shared_memory shared_memory::adopt(unique_fd fd, access want, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    shared_memory m;
    // Not a memfd (or one created without MFD_ALLOW_SEALING, which carries
    // F_SEAL_SEAL from birth and so also fails below when it has no size seals):
    // F_GET_SEALS fails with EINVAL.
    const int seals = detail::shm_get_seals(fd.get());
    if (seals < 0 || (seals & detail::shm_required_seals) != detail::shm_required_seals)
    {
        ec.assign(static_cast<int>(error::bad_message), get_error_category(), &loc);
        return m;
    }
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0)
    {
        ec.assign(errno, system::system_category(), &loc);
        return m;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < 0 ||
        static_cast<std::uint64_t>(st.st_size) > static_cast<std::uint64_t>(std::numeric_limits<std::ptrdiff_t>::max()))
    {
        ec.assign(static_cast<int>(error::bad_message), get_error_category(), &loc);
        return m;
    }
    const int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl < 0)
    {
        ec.assign(errno, system::system_category(), &loc);
        return m;
    }
    const bool writable = want == access::read_write && (fl & O_ACCMODE) == O_RDWR &&
                          (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) == 0;
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size != 0)
    {
        void* p = detail::shm_map(fd.get(), size, writable);
        if (p == MAP_FAILED)
        {
            ec.assign(errno, system::system_category(), &loc);
            return m;
        }
        m.data_ = p;
    }
    m.fd_ = std::move(fd);
    m.size_ = size;
    m.writable_ = writable;
    ec.clear();
    return m;
}

void shared_memory::seal(access a, system::error_code& ec) noexcept
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    const int seals = detail::shm_get_seals(fd_.get());
    if (seals < 0)
    {
        ec.assign(fd_ ? errno : EBADF, system::system_category(), &loc);
        return;
    }
    const bool write_sealed = (seals & F_SEAL_WRITE) != 0;
    if (a == access::read_write || write_sealed)
    {
        if ((seals & F_SEAL_SEAL) == 0 && detail::shm_add_seals(fd_.get(), F_SEAL_SEAL) < 0)
            return void(ec.assign(errno, system::system_category(), &loc));
        return ec.clear();
    }
    if ((seals & F_SEAL_SEAL) != 0)
        return void(ec.assign(EPERM, system::system_category(), &loc));
    // F_SEAL_WRITE needs every writable shared mapping gone, ours first (Linux
    // 6.7 and later count a read-only shared mapping of a file opened for
    // writing too: it could be mprotect()ed writable). Mapped again after
    // sealing, the mapping can never become writable.
    if (data_)
        ::munmap(data_, size_);
    data_ = nullptr;
    writable_ = false;
    int e = 0;
    if (detail::shm_add_seals(fd_.get(), F_SEAL_WRITE | F_SEAL_SEAL) < 0)
        e = errno; // EBUSY: another writable mapping exists
    if (size_ != 0)
    {
        void* p = detail::shm_map(fd_.get(), size_, e != 0);
        if (p == MAP_FAILED)
        {
            // Sealed (or not, as e says), but this object has no mapping now.
            if (e == 0)
                e = errno;
        }
        else
        {
            data_ = p;
            writable_ = e != 0;
        }
    }
    else
        writable_ = e != 0;
    if (e != 0)
        return void(ec.assign(e, system::system_category(), &loc));
    ec.clear();
}

bool shared_memory::sealed() const noexcept
{
    const int s = detail::shm_get_seals(fd_.get());
    return s >= 0 && (s & F_SEAL_SEAL) != 0;
}

bool shared_memory::write_sealed() const noexcept
{
    const int s = detail::shm_get_seals(fd_.get());
    return s >= 0 && (s & F_SEAL_WRITE) != 0;
}

int shared_memory::seals() const noexcept
{
    const int s = detail::shm_get_seals(fd_.get());
    return s < 0 ? 0 : s;
}

void shared_memory::destroy() noexcept
{
    if (data_)
        ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
    writable_ = false;
    fd_.reset();
}

#if !defined(BOOST_UNIX_IPC_HAS_SERIALIZATION) || BOOST_UNIX_IPC_HAS_SERIALIZATION
namespace detail {

void seal_for_sending(const shared_memory& m)
{
    const int seals = shm_get_seals(m.native_handle());
    if (seals >= 0 && (seals & F_SEAL_SEAL) != 0)
        return;
    if (seals < 0 || shm_add_seals(m.native_handle(), F_SEAL_SEAL) < 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        system::error_code ec;
        ec.assign(errno, system::system_category(), &loc);
        boost::throw_exception(system::system_error(ec, "sending shared_memory: sealing"));
    }
}

} // namespace detail
#endif

} // namespace unix_ipc
} // namespace boost

#endif
