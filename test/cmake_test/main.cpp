//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Sends a few bytes and an fd over a raw channel pair, using the installed
// headers and library, and checks what arrives.

#include <boost/unix_ipc.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/core/span.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

static int fail(const char* what)
{
    std::fprintf(stderr, "cmake_test: %s\n", what);
    return 1;
}

int main()
{
    asio::io_context ioc;
    auto [a, b] = unix_ipc::make_raw_channel_pair(ioc);

    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0)
        return fail("pipe failed");
    unix_ipc::unique_fd read_end(pipe_fds[0]);
    unix_ipc::unique_fd write_end(pipe_fds[1]);

    const std::string text = "hello from cmake_test";
    std::vector<int> fds{write_end.get()};
    a.send(asio::buffer(text), boost::span<const int>(fds));

    unix_ipc::raw_message m = b.receive();
    if (m.bytes.size() != text.size() || std::memcmp(m.bytes.data(), text.data(), text.size()) != 0)
        return fail("wrong bytes received");
    if (m.fds.size() != 1)
        return fail("wrong number of fds received");

    // The received fd is a new descriptor for the same pipe: write through it, read here.
    struct stat sent, received;
    if (::fstat(write_end.get(), &sent) != 0 || ::fstat(m.fds[0].get(), &received) != 0)
        return fail("fstat failed");
    if (sent.st_ino != received.st_ino || m.fds[0].get() == write_end.get())
        return fail("the received fd is not a duplicate of the sent one");
    if (::write(m.fds[0].get(), "x", 1) != 1)
        return fail("write through the received fd failed");
    char c = 0;
    if (::read(read_end.get(), &c, 1) != 1 || c != 'x')
        return fail("the pipe did not carry the byte");

    std::printf("cmake_test: OK\n");
    return 0;
}
