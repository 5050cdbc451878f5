//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// header_1.cpp and header_2.cpp include the same headers and instantiate the
// same templates; linked into one program, a non-inline definition in a
// header is defined twice and the link fails.
#include <boost/unix_ipc.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>

#include <string>

bool compile_test_round_trip_2()
{
    namespace asio = boost::asio;
    namespace unix_ipc = boost::unix_ipc;

    asio::io_context ioc;
    auto [a, b] = unix_ipc::make_raw_channel_pair(ioc);
    const std::string text = "header_2";
    const int fds[] = {a.native_handle()}; // any open fd will do
    a.send(asio::buffer(text), fds);
    unix_ipc::raw_message m = b.receive();
    return m.bytes.size() == text.size() && m.fds.size() == 1 && m.fds[0].get() >= 0;
}
