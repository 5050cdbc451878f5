//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Passing an open file between two processes over a raw channel.
//
// The parent makes a channel pair and forks. The child opens a file it creates,
// writes a line into it, and sends the open fd together with a few bytes of
// text. The parent receives both, reads the file through the fd it was given
// (the file's name is never sent) and prints what it read.

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>

#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

// tag::child_side[]
// In the child: open a file, send its fd with a short note.
int run_child(unix_ipc::raw_channel& channel)
{
    char path[] = "/tmp/unix_ipc_fd_passing_XXXXXX";
    unix_ipc::unique_fd file(::mkstemp(path));
    if (!file)
        return 1;
    ::unlink(path); // from now on the file is reachable only through the fd
    const std::string text = "written by the child, pid " + std::to_string(::getpid()) + "\n";
    if (::pwrite(file.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        return 1;

    const std::string note = "here is an open file";
    const int fds[] = {file.get()};
    channel.send(asio::buffer(note), fds); // the kernel duplicates the fd into the parent
    return 0;                              // our own copy closes with `file`
}
// end::child_side[]

// tag::parent_side[]
// In the parent: receive the note and the fd asynchronously, read the file.
int run_parent(unix_ipc::raw_channel& channel, asio::io_context& ioc)
{
    int status = 1;
    channel.async_receive([&](boost::system::error_code ec, unix_ipc::raw_message msg) {
        if (ec)
        {
            std::cerr << "receive failed: " << ec.message() << '\n';
            return;
        }
        std::string note(reinterpret_cast<const char*>(msg.bytes.data()), msg.bytes.size());
        std::cout << "parent got: \"" << note << "\" and " << msg.fds.size() << " fd\n";
        if (msg.fds.size() != 1)
            return;
        std::array<char, 256> buf{};
        ssize_t n = ::pread(msg.fds[0].get(), buf.data(), buf.size() - 1, 0);
        if (n <= 0)
            return;
        std::cout << "parent read: " << std::string(buf.data(), static_cast<std::size_t>(n));
        status = 0;
    }); // msg.fds close when the handler returns
    ioc.run();
    return status;
}
// end::parent_side[]

int main()
{
    asio::io_context ioc;
    auto [parent_end, child_end] = unix_ipc::make_raw_channel_pair(ioc);

    // Asio's reactor must hear of the fork, or the child's epoll changes would
    // reach the parent's (they share the epoll instance).
    ioc.notify_fork(asio::execution_context::fork_prepare);
    pid_t pid = ::fork();
    if (pid < 0)
    {
        std::perror("fork");
        return 1;
    }
    if (pid == 0)
    {
        ioc.notify_fork(asio::execution_context::fork_child);
        parent_end.close();
        std::_Exit(run_child(child_end));
    }
    ioc.notify_fork(asio::execution_context::fork_parent);
    child_end.close();
    int status = run_parent(parent_end, ioc);

    int child_status = 0;
    ::waitpid(pid, &child_status, 0);
    if (!WIFEXITED(child_status) || WEXITSTATUS(child_status) != 0)
        status = 1;
    return status;
}
