//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include "unix_ipc_test/fd_utils.hpp"

#include <boost/test/unit_test.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace unix_ipc_test {

namespace {

template <class F>
void for_each_open_fd(F f)
{
    DIR* d = ::opendir("/proc/self/fd");
    BOOST_TEST_REQUIRE(d != nullptr, "cannot open /proc/self/fd: " << std::strerror(errno));
    const int self = ::dirfd(d);
    while (dirent* e = ::readdir(d))
    {
        if (e->d_name[0] == '.')
            continue;
        const int fd = std::atoi(e->d_name);
        if (fd != self)
            f(fd);
    }
    ::closedir(d);
}

std::string fd_target(int fd)
{
    char link[64];
    std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    char buf[512];
    ssize_t n = ::readlink(link, buf, sizeof(buf) - 1);
    return n < 0 ? std::string("?") : std::string(buf, static_cast<std::size_t>(n));
}

} // namespace

std::size_t count_open_fds()
{
    std::size_t n = 0;
    for_each_open_fd([&](int) { ++n; });
    return n;
}

std::map<int, std::string> list_open_fds()
{
    std::map<int, std::string> m;
    for_each_open_fd([&](int fd) { m.emplace(fd, std::string()); });
    for (auto& kv : m)
        kv.second = fd_target(kv.first);
    return m;
}

int highest_open_fd()
{
    int hi = -1;
    for_each_open_fd([&](int fd) {
        if (fd > hi)
            hi = fd;
    });
    return hi;
}

std::size_t fd_limit_leaving(std::size_t free_slots)
{
    const auto open = list_open_fds();
    std::size_t found = 0;
    int fd = 0;
    for (;; ++fd)
    {
        if (open.count(fd))
            continue;
        if (found == free_slots)
            return static_cast<std::size_t>(fd);
        ++found;
    }
}

fd_leak_checker::fd_leak_checker(std::string what) : what_(std::move(what)), before_(list_open_fds()) {}

fd_leak_checker::~fd_leak_checker()
{
    check();
}

bool fd_leak_checker::unchanged(std::string* diff) const
{
    const auto now = list_open_fds();
    if (diff)
    {
        std::ostringstream os;
        for (const auto& kv : now)
            if (!before_.count(kv.first))
                os << " +" << kv.first << "(" << kv.second << ")";
        for (const auto& kv : before_)
            if (!now.count(kv.first))
                os << " -" << kv.first << "(" << kv.second << ")";
        *diff = os.str();
    }
    return now.size() == before_.size();
}

bool fd_leak_checker::check() const
{
    std::string diff;
    const bool ok = unchanged(&diff);
    BOOST_TEST(ok, "fd leak in " << what_ << ": " << before_.size() << " fds open before, now:" << diff);
    return ok;
}

void fd_leak_checker::rebase()
{
    before_ = list_open_fds();
}

std::pair<boost::unix_ipc::unique_fd, boost::unix_ipc::unique_fd> make_pipe()
{
    int p[2];
    BOOST_TEST_REQUIRE(::pipe2(p, O_CLOEXEC) == 0, "pipe2: " << std::strerror(errno));
    return {boost::unix_ipc::unique_fd(p[0]), boost::unix_ipc::unique_fd(p[1])};
}

std::pair<boost::unix_ipc::unique_fd, boost::unix_ipc::unique_fd> make_stream_socketpair()
{
    int sv[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
                       "socketpair: " << std::strerror(errno));
    return {boost::unix_ipc::unique_fd(sv[0]), boost::unix_ipc::unique_fd(sv[1])};
}

file_identity file_id(int fd)
{
    struct stat st;
    BOOST_TEST_REQUIRE(::fstat(fd, &st) == 0, "fstat(" << fd << "): " << std::strerror(errno));
    return {static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
}

bool is_open_fd(int fd) noexcept
{
    return fd >= 0 && ::fcntl(fd, F_GETFD) != -1;
}

bool is_cloexec(int fd) noexcept
{
    const int fl = ::fcntl(fd, F_GETFD);
    return fl != -1 && (fl & FD_CLOEXEC) != 0;
}

int access_mode(int fd) noexcept
{
    const int fl = ::fcntl(fd, F_GETFL);
    return fl == -1 ? -1 : (fl & O_ACCMODE);
}

std::size_t raise_fd_limit(std::size_t wanted)
{
    rlimit rl;
    BOOST_TEST_REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur < wanted)
    {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > wanted ? wanted : rl.rlim_max;
        BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit: " << std::strerror(errno));
    }
    return static_cast<std::size_t>(rl.rlim_cur);
}

scoped_fd_limit::scoped_fd_limit(std::size_t soft)
{
    rlimit rl;
    BOOST_TEST_REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
    old_soft_ = rl.rlim_cur;
    rl.rlim_cur = soft;
    BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit: " << std::strerror(errno));
}

scoped_fd_limit::~scoped_fd_limit()
{
    rlimit rl;
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0)
    {
        rl.rlim_cur = static_cast<rlim_t>(old_soft_);
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace unix_ipc_test
