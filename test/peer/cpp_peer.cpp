//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// cpp_peer: the C++ end of the wire-format test against a peer written in
// another language (test/peer/peer_test.py).
//
//   cpp_peer <fd>          (or UNIX_IPC_PEER_FD=<fd> cpp_peer)
//
// <fd> is one end of an AF_UNIX stream socketpair inherited from the Python
// side. Over a raw_channel on it:
//
// Phase 1 (Python -> C++): receives the frames listed in `expected` below,
// checks each, and answers each with an echo frame
//     "echo:<index>:<payload>|<contents of fd 0>,<contents of fd 1>,..."
// so the Python side can check what arrived.
//
// Phase 2 (C++ -> Python): sends the frames of `phase2` (queued async sends,
// fds included: memfds and an unlinked temporary file holding known text),
// then waits for the Python side to close (error::eof).
//
// Prints a PASS/FAIL line per check; exits 0 only when every check passed.

#include <boost/unix_ipc.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

namespace {

int failures = 0;

void check(bool ok, const std::string& what)
{
    std::printf("%s: cpp_peer: %s\n", ok ? "PASS" : "FAIL", what.c_str());
    std::fflush(stdout);
    if (!ok)
        ++failures;
}

std::string read_fd(int fd)
{
    std::string out;
    char buf[4096];
    off_t off = 0;
    for (;;)
    {
        const ssize_t n = ::pread(fd, buf, sizeof buf, off);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        off += n;
    }
    return out;
}

unix_ipc::unique_fd memfd_with(const std::string& text)
{
    unix_ipc::unique_fd fd(::memfd_create("cpp_peer", MFD_CLOEXEC));
    if (!fd || ::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("memfd");
    return fd;
}

unix_ipc::unique_fd tmpfile_with(const std::string& text)
{
    char path[] = "/tmp/cpp_peer_XXXXXX";
    unix_ipc::unique_fd fd(::mkstemp(path));
    if (!fd)
        throw std::runtime_error("mkstemp");
    ::unlink(path);
    if (::pwrite(fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("pwrite");
    return fd;
}

struct frame
{
    std::string payload;
    std::vector<std::string> files; // contents of the frame's fds, in order
};

// Phase 1: what the Python side sends, in order (peer_test.py has the same list).
std::vector<frame> expected_phase1()
{
    std::vector<frame> v;
    v.push_back({"hello from python", {}});
    v.push_back({"", {}});
    v.push_back({"", {"fd-only file"}});
    v.push_back({"two files", {"first file", "second file"}});
    frame many{"300 fds", {}};
    for (int i = 0; i < 300; ++i)
        many.files.push_back("f" + std::to_string(i));
    v.push_back(many);
    v.push_back({"multi 0", {}}); // these four in one sendall
    v.push_back({"multi 1", {}});
    v.push_back({"", {}});
    v.push_back({"multi 3", {}});
    v.push_back({"multi fd", {"m"}}); // these two in one sendmsg, the fd on its first byte
    v.push_back({"multi 5", {}});
    std::string big(1 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>('a' + (i * 7) % 26);
    v.push_back({big, {"big"}});
    return v;
}

std::string describe(const unix_ipc::raw_message& m)
{
    std::string s(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
    s += '|';
    for (std::size_t i = 0; i < m.fds.size(); ++i)
        s += (i ? "," : "") + read_fd(m.fds[i].get());
    return s;
}

int run(int fd)
{
    asio::io_context ioc;
    unix_ipc::raw_channel ch(ioc, unix_ipc::unique_fd(fd));

    // Phase 1: receive (sync API), check, echo.
    const std::vector<frame> expected = expected_phase1();
    for (std::size_t k = 0; k < expected.size(); ++k)
    {
        boost::system::error_code ec;
        unix_ipc::raw_message m = ch.receive(ec);
        const std::string name = "frame " + std::to_string(k) + " from python";
        check(!ec, name + " received (" + ec.message() + ")");
        if (ec)
            return 1;
        const std::string payload(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
        check(payload == expected[k].payload, name + ": payload of " + std::to_string(payload.size()) + " bytes");
        check(m.fds.size() == expected[k].files.size(), name + ": " + std::to_string(m.fds.size()) + " fds");
        bool files_ok = m.fds.size() == expected[k].files.size();
        for (std::size_t i = 0; files_ok && i < m.fds.size(); ++i)
            files_ok = read_fd(m.fds[i].get()) == expected[k].files[i];
        check(files_ok, name + ": file contents");
        const std::string echo = "echo:" + std::to_string(k) + ":" + describe(m);
        ch.send(asio::buffer(echo), {}, ec);
        check(!ec, name + ": echo sent (" + ec.message() + ")");
    }

    // Phase 2: frames with fds to Python, all queued at once (async API).
    std::vector<unix_ipc::unique_fd> files;
    files.push_back(memfd_with("text from a C++ memfd"));
    files.push_back(tmpfile_with("text from a C++ temporary file"));
    files.push_back(memfd_with("fd-only 1"));
    files.push_back(memfd_with("fd-only 2"));
    std::vector<int> many;
    for (int i = 0; i < 300; ++i)
    {
        files.push_back(memfd_with("c" + std::to_string(i)));
        many.push_back(files.back().get());
    }
    const int memfd[] = {files[0].get()};
    const int tmpf[] = {files[1].get()};
    const int fd_only[] = {files[2].get(), files[3].get()};
    std::string big(3 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>('A' + (i * 11) % 26);
    static const std::string texts[] = {"memfd", "tmpfile", "", "300 fds", "", "bye"};
    int sent = 0;
    const auto done = [&](boost::system::error_code ec) {
        check(!ec, "phase 2 send " + std::to_string(sent) + " (" + ec.message() + ")");
        ++sent;
    };
    ch.async_send(asio::buffer(texts[0]), memfd, done);
    ch.async_send(asio::buffer(texts[1]), tmpf, done);
    ch.async_send(asio::buffer(texts[2]), fd_only, done);
    ch.async_send(asio::buffer(texts[3]), many, done);
    ch.async_send(asio::buffer(texts[4]), done);
    ch.async_send(asio::buffer(big), done);
    ch.async_send(asio::buffer(texts[5]), done);
    ioc.run();
    check(sent == 7, "phase 2: all 7 sends completed");

    boost::system::error_code ec;
    ch.receive(ec);
    check(ec == unix_ipc::error::eof, "python closed: eof (" + ec.message() + ")");
    return failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    ::alarm(30); // never hang a test run
    const char* arg = argc > 1 ? argv[1] : std::getenv("UNIX_IPC_PEER_FD");
    if (!arg)
    {
        std::fprintf(stderr, "usage: cpp_peer <fd>  (or UNIX_IPC_PEER_FD=<fd>)\n");
        return 2;
    }
    try
    {
        return run(std::atoi(arg));
    }
    catch (const std::exception& e)
    {
        check(false, std::string("exception: ") + e.what());
        return 1;
    }
}
