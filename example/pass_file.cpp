//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// pass_file: the parent makes an anonymous in-memory file (memfd), hands the
// open file to a spawned worker inside a request, and reads back what the
// worker wrote through it. The worker never sees a path.
//
//   ./pass_file      runs the parent (the worker is `./pass_file worker`)

#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <exception>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;

// tag::request[]
struct write_request
{
    unix_ipc::handle<unix_ipc::unique_fd> file; // the open file itself, not a name
    std::string text;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & file & text;
    }
};
// end::request[]

// tag::worker[]
int worker()
{
    asio::io_context ioc;
    auto ep = unix_ipc::inherited_endpoint<std::string, write_request>(ioc);
    write_request req = ep.receive();
    std::string line = req.text + " (written by worker " + std::to_string(::getpid()) + ")\n";
    if (::write(req.file->get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    {
        ep.send("write failed");
        return 1;
    }
    ep.send("done");
    return 0; // req.file closes here: the worker's copy of the fd
}
// end::worker[]

int parent()
{
    asio::io_context ioc;
    unix_ipc::unique_fd file(::memfd_create("pass_file", MFD_CLOEXEC));
    if (!file)
        throw std::runtime_error("memfd_create failed");

    // tag::parent[]
    unix_ipc::child worker = unix_ipc::spawn(ioc, "/proc/self/exe", {"worker"});
    unix_ipc::endpoint<write_request, std::string> ep(worker.release_channel());

    // The request holds a duplicate of our fd (sending does not consume it;
    // the duplicate closes with the request).
    boost::system::error_code ec;
    ep.send(write_request{unix_ipc::duplicate_fd(file.get(), ec), "hello through a passed fd"});
    std::string status = ep.receive();
    // end::parent[]

    char buf[256] = {};
    ssize_t n = ::pread(file.get(), buf, sizeof buf - 1, 0);
    std::cout << "worker says: " << status << '\n'
              << "file holds: " << std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    ep.close();
    return worker.wait() == 0 && status == "done" ? 0 : 1;
}

int main(int argc, char** argv)
{
    try
    {
        if (argc > 1 && std::string(argv[1]) == "worker")
            return worker();
        return parent();
    }
    catch (const std::exception& e)
    {
        std::cerr << argv[0] << ": " << e.what() << '\n';
        return 1;
    }
}
