//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_XPROC_HELPERS_HPP
#define BOOST_UNIX_IPC_TEST_XPROC_HELPERS_HPP

// Small helpers of the cross-process suite: fork a child that runs a body and
// exits with std::_Exit, reap it with a deadline, count this process's open
// fds, run an io_context until a condition holds or a deadline passes.

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <unix_ipc_test/fd_utils.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace unix_ipc_xproc {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using unix_ipc::unique_fd;
using namespace std::chrono_literals;

// In a forked child: report a failed check on stderr and exit with status 3.
// (Boost.Test assertions in a child would be recorded in the child's copy of
// the framework and lost.)
#define XPROC_CHILD_REQUIRE(cond)                                                                    \
    do                                                                                               \
    {                                                                                                \
        if (!(cond))                                                                                 \
        {                                                                                            \
            std::fprintf(stderr, "child %d: %s:%d: check failed: %s\n", static_cast<int>(::getpid()), \
                         __FILE__, __LINE__, #cond);                                                 \
            std::_Exit(3);                                                                           \
        }                                                                                            \
    } while (false)

// The library's error as a (printable) error_code: BOOST_TEST(ec == code(error::eof)).
inline boost::system::error_code code(unix_ipc::error e) { return make_error_code(e); }

// The numbers of the fds open in this process, ascending (the directory's own fd excluded).
inline std::vector<int> list_open_fds()
{
    std::vector<int> out;
    DIR* d = ::opendir("/proc/self/fd");
    if (!d)
        return out;
    const int self = ::dirfd(d);
    while (dirent* e = ::readdir(d))
    {
        if (e->d_name[0] == '.')
            continue;
        int fd = std::atoi(e->d_name);
        if (fd != self)
            out.push_back(fd);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

// count_open_fds() and fd_leak_checker (which names the fds that differ)
// come from the shared test helpers.
using unix_ipc_test::count_open_fds;
using unix_ipc_test::fd_leak_checker;

// A connected, close-on-exec AF_UNIX stream socket pair.
inline std::pair<unique_fd, unique_fd> socket_pair()
{
    int sv[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    return {unique_fd(sv[0]), unique_fd(sv[1])};
}

// A forked process; reaped by wait() (or killed and reaped by the destructor).
class child_process
{
public:
    child_process() = default;
    explicit child_process(pid_t pid) noexcept : pid_(pid) {}
    child_process(child_process&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}
    child_process& operator=(child_process&& o) noexcept
    {
        if (this != &o)
        {
            kill_and_reap();
            pid_ = std::exchange(o.pid_, -1);
        }
        return *this;
    }
    ~child_process() { kill_and_reap(); }

    pid_t pid() const noexcept { return pid_; }

    // Waits for the child to end, at most `timeout` (then kills it); returns
    // the waitpid status, or -1 when the child had to be killed.
    int wait(std::chrono::milliseconds timeout = 10s)
    {
        BOOST_TEST_REQUIRE(pid_ > 0);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;)
        {
            int status = 0;
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_)
            {
                pid_ = -1;
                return status;
            }
            if (r < 0 && errno != EINTR)
            {
                pid_ = -1;
                BOOST_TEST_FAIL("waitpid: " << std::strerror(errno));
            }
            if (std::chrono::steady_clock::now() > deadline)
            {
                BOOST_TEST_ERROR("child " << pid_ << " did not exit in time; killed");
                kill_and_reap();
                return -1;
            }
            std::this_thread::sleep_for(2ms);
        }
    }

    // Waits, and checks the child exited normally with status 0.
    void wait_success(std::chrono::milliseconds timeout = 10s)
    {
        const pid_t pid = pid_;
        const int st = wait(timeout);
        BOOST_TEST((st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0),
                   "child " << pid << " status: " << describe(st));
    }

    static std::string describe(int st)
    {
        if (st == -1)
            return "killed after timeout";
        if (WIFEXITED(st))
            return "exited " + std::to_string(WEXITSTATUS(st));
        if (WIFSIGNALED(st))
            return std::string("signal ") + std::to_string(WTERMSIG(st)) + " (" + ::strsignal(WTERMSIG(st)) + ")";
        return "status " + std::to_string(st);
    }

private:
    void kill_and_reap() noexcept
    {
        if (pid_ > 0)
        {
            ::kill(pid_, SIGKILL);
            int st;
            while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR)
            {
            }
            pid_ = -1;
        }
    }

    pid_t pid_ = -1;
};

// A sanitizer slows a child several times (ThreadSanitizer: a 64 MiB transfer
// took 20 s on a loaded 2-core machine): its deadline stretches as much.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr unsigned child_deadline_factor = 4;
#else
constexpr unsigned child_deadline_factor = 1;
#endif

// Forks; the child runs body() (returning its exit status) and leaves with
// std::_Exit, never returning into the test framework. The child dies by
// SIGALRM after `child_deadline_s` seconds (times child_deadline_factor), so a
// stuck child cannot hang the suite.
template <class Body>
child_process fork_child(Body&& body, unsigned child_deadline_s = 20)
{
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0)
    {
        ::alarm(child_deadline_s * child_deadline_factor);
        int code = 4;
        try
        {
            code = body();
        }
        catch (const std::exception& e)
        {
            std::fprintf(stderr, "child %d: exception: %s\n", static_cast<int>(::getpid()), e.what());
            code = 5;
        }
        catch (...)
        {
            std::fprintf(stderr, "child %d: unknown exception\n", static_cast<int>(::getpid()));
            code = 5;
        }
        std::fflush(stderr);
        std::_Exit(code);
    }
    return child_process(pid);
}

// Runs ctx until pred() holds; fails the test (rather than hang) after `timeout`.
template <class Pred>
void run_until(asio::io_context& ctx, Pred pred, std::chrono::milliseconds timeout = 5s)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    ctx.restart();
    while (!pred())
    {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            break;
        ctx.run_one_for(deadline - now);
        if (ctx.stopped())
            ctx.restart();
    }
    BOOST_TEST_REQUIRE(pred(), "condition not reached within " << timeout.count() << " ms");
}

// A memfd holding `text`, its offset at 0.
inline unique_fd make_memfd(std::string_view text, const char* name = "xproc")
{
    unique_fd fd(::memfd_create(name, MFD_CLOEXEC));
    if (fd && !text.empty() &&
        ::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        fd.reset();
    return fd;
}

// Everything in the file behind fd, read from offset 0 (pread: the shared
// file offset is left alone).
inline std::string read_fd(int fd)
{
    std::string out;
    char buf[4096];
    off_t off = 0;
    for (;;)
    {
        ssize_t n = ::pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        off += n;
    }
    return out;
}

inline std::string to_string(const std::vector<std::byte>& b)
{
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

inline bool same_file(int a, int b)
{
    struct stat sa, sb;
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// Writes all of `data` with plain ::send (used to forge frames by hand).
inline bool send_raw(int fd, const void* data, std::size_t size)
{
    const char* p = static_cast<const char*>(data);
    while (size)
    {
        ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace unix_ipc_xproc

#endif
