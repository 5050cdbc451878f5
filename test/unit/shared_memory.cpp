//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// shared_memory in one process: creation (memfd, size seals, mapping), typed
// views and their checks, sealing read-write and read-only (what each
// forbids), and adopt()'s checks on fds that are not sealed memfds.
// The cross-process cases are in test/typed/shared_memory.cpp.

#include <boost/unix_ipc/shared_memory.hpp>

#include <boost/system/errc.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/fd_utils.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

BOOST_TEST_DONT_PRINT_LOG_VALUE(std::byte)

namespace {

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::shared_memory;
using unix_ipc::unique_fd;
using unix_ipc_test::fd_leak_checker;
using access = shared_memory::access;

static_assert(!std::is_copy_constructible<shared_memory>::value, "shared_memory is move-only");
static_assert(std::is_nothrow_move_constructible<shared_memory>::value, "");
static_assert(std::is_nothrow_move_assignable<shared_memory>::value, "");
static_assert(!std::is_convertible<unique_fd, shared_memory>::value, "the checking constructor is explicit");

const error_code bad_message = make_error_code(unix_ipc::error::bad_message);

unique_fd memfd(unsigned flags, std::size_t size, int seals = 0)
{
    unique_fd fd(::memfd_create("test", flags));
    BOOST_TEST_REQUIRE(fd.get() >= 0);
    BOOST_TEST_REQUIRE(::ftruncate(fd.get(), static_cast<off_t>(size)) == 0);
    if (seals)
        BOOST_TEST_REQUIRE(::fcntl(fd.get(), F_ADD_SEALS, seals) == 0);
    return fd;
}

int seals_of(int fd) { return ::fcntl(fd, F_GET_SEALS); }

// Whether writing one byte through `p` faults (checked in a forked child).
bool write_faults(void* p)
{
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0)
    {
        std::signal(SIGSEGV, SIG_DFL); // not Boost.Test's handler
        static_cast<volatile char*>(p)[0] = 'x';
        std::_Exit(0);
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

} // namespace

BOOST_AUTO_TEST_SUITE(shared_memory_tests)

BOOST_AUTO_TEST_CASE(default_is_empty)
{
    shared_memory m;
    BOOST_TEST(!m);
    BOOST_TEST(m.size() == 0u);
    BOOST_TEST(m.data() == nullptr);
    BOOST_TEST(m.native_handle() == -1);
    BOOST_TEST(!m.sealed());
    BOOST_TEST(m.seals() == 0);
}

BOOST_AUTO_TEST_CASE(create_maps_a_size_sealed_memfd)
{
    fd_leak_checker leaks;
    {
        shared_memory m = shared_memory::create(3 * 4096 + 5);
        BOOST_TEST_REQUIRE(m.is_open());
        BOOST_TEST(m.size() == 3u * 4096 + 5);
        BOOST_TEST_REQUIRE(m.writable());
        BOOST_TEST(m.writable_data() == m.data());
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(m.data()) % 4096 == 0u);
        BOOST_TEST(unix_ipc_test::is_cloexec(m.native_handle()));
        const int s = seals_of(m.native_handle());
        BOOST_TEST(s == (F_SEAL_SHRINK | F_SEAL_GROW));
        BOOST_TEST(!m.sealed());
        // Zero-filled, writable, and the memfd sees what the mapping wrote.
        BOOST_TEST(m.data()[0] == std::byte{0});
        BOOST_TEST(m.data()[m.size() - 1] == std::byte{0});
        std::memcpy(m.writable_data() + 4096, "hello", 5);
        char buf[5];
        BOOST_TEST(::pread(m.native_handle(), buf, 5, 4096) == 5);
        BOOST_TEST(std::string(buf, 5) == "hello");
        // The size is frozen from the start.
        BOOST_TEST(::ftruncate(m.native_handle(), 10) == -1);
        BOOST_TEST(errno == EPERM);
        BOOST_TEST(::ftruncate(m.native_handle(), 1 << 20) == -1);
        BOOST_TEST(errno == EPERM);
        struct stat st{};
        BOOST_TEST(::fstat(m.native_handle(), &st) == 0);
        BOOST_TEST(st.st_size == static_cast<off_t>(m.size()));
    }
}

BOOST_AUTO_TEST_CASE(create_zero_size)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(0);
    BOOST_TEST(m.is_open());
    BOOST_TEST(m.size() == 0u);
    BOOST_TEST(m.data() == nullptr);
    BOOST_TEST(m.view<const int>().empty());
    m.seal(access::read_only);
    BOOST_TEST(m.write_sealed());
}

BOOST_AUTO_TEST_CASE(move_and_release)
{
    fd_leak_checker leaks;
    shared_memory a = shared_memory::create(4096);
    const int fd = a.native_handle();
    const std::byte* p = a.data();
    shared_memory b(std::move(a));
    BOOST_TEST(!a);
    BOOST_TEST(a.data() == nullptr);
    BOOST_TEST(b.native_handle() == fd);
    BOOST_TEST(b.data() == p);
    shared_memory c = shared_memory::create(8192);
    const int cfd = c.native_handle();
    c = std::move(b);
    BOOST_TEST(!unix_ipc_test::is_open_fd(cfd));
    BOOST_TEST(c.native_handle() == fd);
    unique_fd r = c.release();
    BOOST_TEST(r.get() == fd);
    BOOST_TEST(!c);
    BOOST_TEST(c.size() == 0u);
    BOOST_TEST(unix_ipc_test::is_open_fd(fd));
}

BOOST_AUTO_TEST_CASE(views_check_size_alignment_and_access)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(4096 + 4);
    error_code ec;
    auto ints = m.view<std::uint32_t>(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(ints.size() == 1025u);
    ints[1024] = 0xabcdef01u;
    BOOST_TEST(m.view<const std::uint32_t>()[1024] == 0xabcdef01u);
    // 4100 bytes are not a whole number of doubles.
    BOOST_TEST(m.view<double>(ec).empty());
    BOOST_TEST(ec == boost::system::errc::invalid_argument);
    BOOST_CHECK_THROW(m.view<const double>(), boost::system::system_error);
    // A sub-range: in bounds and aligned only.
    auto d = m.view<double>(8, 511, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(d.size() == 511u);
    BOOST_TEST(reinterpret_cast<const std::byte*>(d.data()) == m.data() + 8);
    m.view<double>(4, 1, ec);
    BOOST_TEST(ec == boost::system::errc::invalid_argument); // misaligned
    m.view<double>(8, 512, ec);
    BOOST_TEST(ec == boost::system::errc::invalid_argument); // beyond the end
    m.view<char>(4101, 0, ec);
    BOOST_TEST(ec == boost::system::errc::invalid_argument); // offset beyond the end
    m.view<char>(4100, 0, ec);
    BOOST_TEST(!ec);
    m.view<char>(std::size_t(-1), 2, ec);
    BOOST_TEST(ec == boost::system::errc::invalid_argument); // no overflow
    // Read-only: const views only.
    m.seal(access::read_only);
    BOOST_TEST(m.view<std::uint32_t>(ec).empty());
    BOOST_TEST(ec == boost::system::errc::permission_denied);
    BOOST_TEST(m.view<const std::uint32_t>(ec)[1024] == 0xabcdef01u);
    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(seal_read_write_freezes_the_seals_only)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(4096);
    m.seal(access::read_write);
    BOOST_TEST(m.sealed());
    BOOST_TEST(!m.write_sealed());
    BOOST_TEST(m.writable());
    BOOST_TEST(seals_of(m.native_handle()) == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL));
    m.writable_data()[0] = std::byte{7};
    BOOST_TEST(::pwrite(m.native_handle(), "x", 1, 1) == 1);
    m.seal(access::read_write); // again: nothing to do
    error_code ec;
    m.seal(access::read_only, ec); // too late: the seals are final
    BOOST_TEST(ec == boost::system::errc::operation_not_permitted);
    BOOST_TEST(m.writable());
    BOOST_TEST(!m.write_sealed());
}

// What read-only sealing guarantees: nobody writes any more, not through the
// sender's own mapping (now read-only), not with write(), not through a new
// writable mapping, not through mprotect.
BOOST_AUTO_TEST_CASE(seal_read_only_forbids_every_write)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(8192);
    std::memcpy(m.writable_data(), "content", 7);
    m.seal(access::read_only);
    BOOST_TEST(m.sealed());
    BOOST_TEST(m.write_sealed());
    BOOST_TEST(!m.writable());
    BOOST_TEST(m.writable_data() == nullptr);
    BOOST_TEST(seals_of(m.native_handle()) == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL));
    BOOST_TEST(std::memcmp(m.data(), "content", 7) == 0); // the content survived the remapping
    BOOST_TEST(::pwrite(m.native_handle(), "x", 1, 0) == -1);
    BOOST_TEST(errno == EPERM);
    BOOST_TEST(::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m.native_handle(), 0) == MAP_FAILED);
    BOOST_TEST(errno == EPERM);
    BOOST_TEST(::mprotect(const_cast<std::byte*>(m.data()), 8192, PROT_READ | PROT_WRITE) == -1);
    BOOST_TEST(write_faults(const_cast<std::byte*>(m.data())));
    m.seal(access::read_only); // again: nothing to do
    m.seal(access::read_write); // a read-only region stays read-only
    BOOST_TEST(m.write_sealed());
}

// F_SEAL_WRITE cannot be added while another writable shared mapping exists:
// seal() reports EBUSY and the object keeps a writable mapping.
BOOST_AUTO_TEST_CASE(seal_read_only_refused_while_another_writable_mapping_exists)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(4096);
    void* other = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.native_handle(), 0);
    BOOST_TEST_REQUIRE(other != MAP_FAILED);
    error_code ec;
    m.seal(access::read_only, ec);
    BOOST_TEST(ec == boost::system::errc::device_or_resource_busy);
    BOOST_TEST(!m.write_sealed());
    BOOST_TEST(!m.sealed());
    BOOST_TEST_REQUIRE(m.writable());
    m.writable_data()[1] = std::byte{9};
    BOOST_TEST(static_cast<const unsigned char*>(other)[1] == 9);
    ::munmap(other, 4096);
    m.seal(access::read_only, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(m.write_sealed());
}

BOOST_AUTO_TEST_CASE(adopt_accepts_a_sealed_memfd)
{
    fd_leak_checker leaks;
    shared_memory m = shared_memory::create(3 * 4096);
    m.writable_data()[4096] = std::byte{42};
    m.seal(access::read_write);
    error_code ec;
    shared_memory r = shared_memory::adopt(unix_ipc::duplicate_fd(m.native_handle(), ec), ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(r.size() == m.size());
    BOOST_TEST(r.writable());
    BOOST_TEST(r.data() != m.data());
    BOOST_TEST(r.data()[4096] == std::byte{42});
    r.writable_data()[5] = std::byte{5};
    BOOST_TEST(m.data()[5] == std::byte{5});
    // Asked read-only, it maps read-only.
    shared_memory ro = shared_memory::adopt(unix_ipc::duplicate_fd(m.native_handle(), ec), access::read_only, ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(!ro.writable());
    BOOST_TEST(ro.data()[4096] == std::byte{42});
}

// The size comes from fstat: a region of another size than the creator's
// object is mapped at its own size.
BOOST_AUTO_TEST_CASE(adopt_takes_the_size_from_fstat)
{
    fd_leak_checker leaks;
    unique_fd fd = memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 12345, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    shared_memory r(std::move(fd));
    BOOST_TEST(r.size() == 12345u);
}

BOOST_AUTO_TEST_CASE(adopt_maps_a_write_sealed_region_read_only)
{
    fd_leak_checker leaks;
    unique_fd fd = memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096,
                         F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    shared_memory r(std::move(fd));
    BOOST_TEST(!r.writable());
    BOOST_TEST(r.write_sealed());
    BOOST_TEST(write_faults(const_cast<std::byte*>(r.data())));
    // F_SEAL_FUTURE_WRITE alone (another sender's choice): read-only too.
    unique_fd fw = memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096,
                         F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE | F_SEAL_SEAL);
    shared_memory r2(std::move(fw));
    BOOST_TEST(!r2.writable());
    BOOST_TEST(!r2.write_sealed());
}

// A memfd opened read-only (through /proc) maps read-only.
BOOST_AUTO_TEST_CASE(adopt_maps_a_read_only_fd_read_only)
{
    fd_leak_checker leaks;
    unique_fd fd = memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    const std::string path = "/proc/self/fd/" + std::to_string(fd.get());
    unique_fd ro(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    BOOST_TEST_REQUIRE(ro.get() >= 0);
    shared_memory r(std::move(ro));
    BOOST_TEST(!r.writable());
    BOOST_TEST(r.size() == 4096u);
}

// Every refusal is bad_message and closes the fd.
BOOST_AUTO_TEST_CASE(adopt_refuses_what_is_not_a_sealed_memfd)
{
    fd_leak_checker leaks;
    auto refused = [](unique_fd fd, const char* what) {
        BOOST_TEST_CONTEXT(what)
        {
            const int raw = fd.get();
            error_code ec;
            shared_memory r = shared_memory::adopt(std::move(fd), ec);
            BOOST_TEST(ec == bad_message);
            BOOST_TEST(!r);
            BOOST_TEST(r.data() == nullptr);
            BOOST_TEST(!unix_ipc_test::is_open_fd(raw));
        }
    };
    refused(memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096), "unsealed memfd");
    refused(memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096, F_SEAL_GROW | F_SEAL_SEAL), "memfd that may shrink");
    refused(memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096, F_SEAL_SHRINK | F_SEAL_SEAL), "memfd that may grow");
    refused(memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096, F_SEAL_SHRINK | F_SEAL_GROW), "memfd whose seals are open");
    // Without MFD_ALLOW_SEALING a memfd carries F_SEAL_SEAL only: its size is free.
    refused(memfd(MFD_CLOEXEC, 4096), "memfd without sealing");
    auto p = unix_ipc_test::make_pipe();
    refused(std::move(p.first), "pipe");
    char tmpl[] = "/tmp/unix_ipc_shm_XXXXXX";
    unique_fd file(::mkostemp(tmpl, O_CLOEXEC));
    BOOST_TEST_REQUIRE(file.get() >= 0);
    ::unlink(tmpl);
    BOOST_TEST(::ftruncate(file.get(), 4096) == 0);
    refused(std::move(file), "regular file");
    refused(unique_fd(), "no fd");
    // The throwing constructor throws bad_message.
    try
    {
        shared_memory r(memfd(MFD_CLOEXEC | MFD_ALLOW_SEALING, 4096));
        BOOST_ERROR("no exception");
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST(e.code() == bad_message);
    }
}

BOOST_AUTO_TEST_SUITE_END()
