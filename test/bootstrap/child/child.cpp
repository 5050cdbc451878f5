//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost_unix_ipc_bootstrap_child: the program the bootstrap suite spawns.
//
//   report      sends one std::vector<std::string> describing itself, then
//               waits for eof: "fd:<n>" per open fd (listed before anything
//               else opens one), "var:<BOOST_UNIX_IPC_FD>", "cloexec:<0|1>"
//               (of the taken fd), "bootstrapped:<0|1>" (after taking it),
//               "cwd:<dir>", "env:<entry>" per environment entry.
//   echo        endpoint<string, string>: answers "echo:<s>" until eof.
//   hang        endpoint<string, string>: answers the first message with
//               "got", then sleeps until killed.
//   compute     endpoint<remote_result<long>, long>: answers x with 2x; x < 0
//               throws std::domain_error (with a stack trace), x == 0 throws
//               an int.
//   stream      raw channel: sends frames until a send fails, without reading:
//               frame i is "<i>:" then filler up to a size that cycles from
//               2 bytes to 192 KiB; every 8th carries a memfd holding "<i>".
//               Exits 0 when the peer is gone (condition::peer_gone).
//   exit <n>    exits with status n at once, without taking the channel.
//
// Exit status: 0 after eof, otherwise a small number (message on stderr).

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
extern char** environ;
}

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

namespace {

std::vector<int> open_fds()
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
    return out;
}

bool is_eof(const boost::system::error_code& ec)
{
    return ec == unix_ipc::error::eof;
}

int report(asio::io_context& ctx, const std::vector<int>& fds_at_start)
{
    std::vector<std::string> lines;
    for (int fd : fds_at_start)
        lines.push_back("fd:" + std::to_string(fd));
    const char* var = std::getenv("BOOST_UNIX_IPC_FD");
    lines.push_back(std::string("var:") + (var ? var : ""));
    auto tx = unix_ipc::inherited_sender<std::vector<std::string>>(ctx);
    int flags = ::fcntl(tx.raw().native_handle(), F_GETFD);
    lines.push_back(std::string("cloexec:") + ((flags & FD_CLOEXEC) ? "1" : "0"));
    lines.push_back(std::string("bootstrapped:") + (unix_ipc::is_bootstrapped() ? "1" : "0"));
    char cwd[PATH_MAX];
    lines.push_back(std::string("cwd:") + (::getcwd(cwd, sizeof cwd) ? cwd : "?"));
    for (char** e = environ; *e; ++e)
        lines.push_back(std::string("env:") + *e);
    tx.send(lines);
    // Wait for the parent to close: a receiver on the same socket.
    unix_ipc::receiver<int> rx(tx.release_raw());
    boost::system::error_code ec;
    rx.receive(ec);
    return is_eof(ec) ? 0 : 3;
}

int echo(asio::io_context& ctx)
{
    auto ep = unix_ipc::inherited_endpoint<std::string, std::string>(ctx);
    for (;;)
    {
        boost::system::error_code ec;
        std::string s = ep.receive(ec);
        if (ec)
            return is_eof(ec) ? 0 : 4;
        ep.send("echo:" + s);
    }
}

int hang(asio::io_context& ctx)
{
    auto ep = unix_ipc::inherited_endpoint<std::string, std::string>(ctx);
    ep.receive();
    ep.send("got");
    for (;;)
        ::pause();
}

long twice(long x)
{
    if (x < 0)
        unix_ipc::throw_with_stacktrace(std::domain_error("negative input " + std::to_string(x)));
    if (x == 0)
        throw 42;
    return 2 * x;
}

int compute(asio::io_context& ctx)
{
    auto ep = unix_ipc::inherited_endpoint<unix_ipc::remote_result<long>, long>(ctx);
    for (;;)
    {
        boost::system::error_code ec;
        long x = ep.receive(ec);
        if (ec)
            return is_eof(ec) ? 0 : 5;
        ep.send(unix_ipc::capture_result(twice, x));
    }
}

int stream(asio::io_context& ctx)
{
    auto ch = unix_ipc::inherited_channel(ctx);
    std::string frame;
    for (unsigned long i = 0;; ++i)
    {
        frame = std::to_string(i) + ":";
        // Sizes cycle through small, medium and large (several reads) frames.
        static const std::size_t sizes[] = {2, 100, 4000, 70000, 196608, 30};
        frame.resize(std::max(frame.size(), sizes[i % 6]), static_cast<char>('a' + i % 26));
        boost::system::error_code ec;
        if (i % 8 == 0)
        {
            const int fd = ::memfd_create("stream", MFD_CLOEXEC);
            const std::string text = std::to_string(i);
            if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
                return 6;
            const int fds[] = {fd};
            ch.send(asio::buffer(frame), fds, ec);
            ::close(fd);
        }
        else
            ch.send(asio::buffer(frame), {}, ec);
        if (ec)
            return ec == unix_ipc::condition::peer_gone ? 0 : 7;
    }
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<int> fds_at_start = open_fds(); // before the io_context opens its own
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: %s report|echo|hang|compute|stream|exit <n>\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    if (mode == "exit")
        return argc > 2 ? std::atoi(argv[2]) : 0;
    try
    {
        asio::io_context ctx;
        if (mode == "report")
            return report(ctx, fds_at_start);
        if (mode == "echo")
            return echo(ctx);
        if (mode == "hang")
            return hang(ctx);
        if (mode == "compute")
            return compute(ctx);
        if (mode == "stream")
            return stream(ctx);
        std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        return 2;
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "bootstrap child (%s): %s\n", mode.c_str(), e.what());
        return 1;
    }
}
