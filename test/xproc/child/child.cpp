//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost_unix_ipc_xproc_child: the program the cross-process suite exec()s.
//
//   boost_unix_ipc_xproc_child fds <fd>
//
// Lists its open fds (before opening any of its own), then on a raw channel
// over the inherited socket <fd>:
//   1. sends the list as text, e.g. "0 1 2 100";
//   2. receives a frame with one fd and sends back "echo:<payload>:<file contents>"
//      with that fd;
//   3. waits for the parent to close (error::eof).
// Exit status: 0 when all went as described, otherwise a small number naming
// the step that failed (messages on stderr).

#include <boost/unix_ipc.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

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
        const int fd = std::atoi(e->d_name);
        if (fd != self)
            out.push_back(fd);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

int fail(int code, const char* what)
{
    std::fprintf(stderr, "xproc_child: %s\n", what);
    return code;
}

int run_fds(int fd, const std::vector<int>& seen)
{
    asio::io_context ioc;
    unix_ipc::raw_channel ch(ioc, unix_ipc::unique_fd(fd));

    std::string list;
    for (int f : seen)
        list += (list.empty() ? "" : " ") + std::to_string(f);
    ch.send(asio::buffer(list));

    unix_ipc::raw_message in = ch.receive();
    if (in.fds.size() != 1)
        return fail(11, "expected one fd");
    std::string contents;
    char buf[256];
    ssize_t n;
    off_t off = 0;
    while ((n = ::pread(in.fds[0].get(), buf, sizeof buf, off)) > 0)
    {
        contents.append(buf, static_cast<std::size_t>(n));
        off += n;
    }
    const std::string reply =
        "echo:" + std::string(reinterpret_cast<const char*>(in.bytes.data()), in.bytes.size()) + ":" + contents;
    const int fds[] = {in.fds[0].get()};
    ch.send(asio::buffer(reply), fds);

    boost::system::error_code ec;
    ch.receive(ec);
    if (ec != unix_ipc::error::eof)
        return fail(12, ("expected eof, got: " + ec.message()).c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // First thing: nothing of ours is open yet.
    const std::vector<int> seen = open_fds();
    try
    {
        if (argc == 3 && std::strcmp(argv[1], "fds") == 0)
            return run_fds(std::atoi(argv[2]), seen);
        return fail(2, "usage: boost_unix_ipc_xproc_child fds <fd>");
    }
    catch (const std::exception& e)
    {
        return fail(10, e.what());
    }
}
