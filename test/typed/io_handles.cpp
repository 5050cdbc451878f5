//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Handles of Asio I/O objects arrive usable; empty handles arrive empty;
// channels travel inside messages and work on arrival; peer credentials.

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::handle;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

using descriptor = asio::posix::stream_descriptor;
using local_socket = asio::local::stream_protocol::socket;

struct io_objects
{
    handle<descriptor> pipe_end;
    handle<local_socket> socket;
    handle<unique_fd> plain;
    std::string note;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & pipe_end & socket & plain & note;
    }
};

struct carrier
{
    unix_ipc::sender<std::string> tx;
    unix_ipc::receiver<int> rx;
    unix_ipc::endpoint<int, std::string> ep;
    unix_ipc::sender<std::string> empty;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & tx & rx & ep & empty;
    }
};

template <class T>
T receive_one(asio::io_context& ctx, unix_ipc::receiver<T>& r)
{
    std::optional<error_code> result;
    T out{};
    r.async_receive([&](error_code ec, T v) {
        result = ec;
        out = std::move(v);
    });
    run_until(ctx, [&] { return result.has_value(); });
    BOOST_TEST_REQUIRE(!*result, result->message());
    return out;
}

std::string read_some_blocking(int fd, std::size_t n)
{
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n)
    {
        ssize_t k = ::read(fd, &out[got], n - got);
        if (k < 0 && errno == EINTR)
            continue;
        BOOST_TEST_REQUIRE(k > 0);
        got += static_cast<std::size_t>(k);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_io_handles)

// A stream descriptor and a local socket arrive bound to the receiving
// channel's executor and work; the sender's own objects stay usable.
BOOST_FIXTURE_TEST_CASE(asio_objects_arrive_usable, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<io_objects>(ctx);
    auto pipe = unix_ipc_test::make_pipe();
    local_socket a(ctx), b(ctx);
    asio::local::connect_pair(a, b);
    auto plain = unix_ipc_test::make_pipe();
    const auto plain_id = unix_ipc_test::file_id(plain.first.get());
    {
        io_objects out;
        out.pipe_end = handle<descriptor>(descriptor(ctx, pipe.second.release()));
        out.socket = handle<local_socket>(std::move(a));
        out.plain = handle<unique_fd>(std::move(plain.first));
        out.note = "three objects";
        std::vector<std::byte> bytes;
        std::vector<int> fds;
        unix_ipc::serialization_codec::encode(out, bytes, fds);
        BOOST_TEST(fds.size() == 3u);
        s.send(out);
    } // the sender's copies are closed here

    io_objects in = receive_one(ctx, r);
    BOOST_TEST(in.note == "three objects");
    BOOST_TEST_REQUIRE(in.pipe_end.has_value());
    BOOST_TEST_REQUIRE(in.socket.has_value());
    BOOST_TEST_REQUIRE(in.plain.has_value());
    BOOST_TEST(in.pipe_end->is_open());
    BOOST_TEST(in.socket->is_open());
    BOOST_TEST(unix_ipc_test::is_cloexec(in.pipe_end->native_handle()));
    BOOST_TEST(unix_ipc_test::is_cloexec(in.socket->native_handle()));
    BOOST_TEST(unix_ipc_test::file_id(in.plain->get()) == plain_id);

    // Write through both, asynchronously, on this context.
    std::optional<error_code> w1, w2;
    asio::async_write(*in.pipe_end, asio::buffer(std::string_view("through the pipe")),
                      [&](error_code ec, std::size_t) { w1 = ec; });
    asio::async_write(*in.socket, asio::buffer(std::string_view("through the socket")),
                      [&](error_code ec, std::size_t) { w2 = ec; });
    run_until(ctx, [&] { return w1 && w2; });
    BOOST_TEST(!*w1);
    BOOST_TEST(!*w2);
    BOOST_TEST(read_some_blocking(pipe.first.get(), 16) == "through the pipe");
    std::string got(18, '\0');
    BOOST_TEST(asio::read(b, asio::buffer(got)) == 18u);
    BOOST_TEST(got == "through the socket");

    // The received socket reads too.
    asio::write(b, asio::buffer(std::string_view("back")));
    std::string back(4, '\0');
    std::optional<error_code> rd;
    asio::async_read(*in.socket, asio::buffer(back), [&](error_code ec, std::size_t) { rd = ec; });
    run_until(ctx, [&] { return rd.has_value(); });
    BOOST_TEST(!*rd);
    BOOST_TEST(back == "back");
}

// Handles of I/O objects on a concrete executor type: rebuilt on the
// receiving channel's executor when it fits; otherwise bad_message and the fd
// is closed.
BOOST_FIXTURE_TEST_CASE(handle_with_concrete_executor_type, io_context_fixture)
{
    using ctx_descriptor = asio::posix::basic_stream_descriptor<asio::io_context::executor_type>;
    using strand_descriptor =
        asio::posix::basic_stream_descriptor<asio::strand<asio::io_context::executor_type>>;
    {
        auto [s, r] = unix_ipc::make_channel<handle<ctx_descriptor>>(ctx);
        auto pipe = unix_ipc_test::make_pipe();
        s.send(handle<ctx_descriptor>(ctx_descriptor(ctx, pipe.second.release())));
        handle<ctx_descriptor> in = receive_one(ctx, r);
        BOOST_TEST_REQUIRE(in.has_value());
        asio::write(*in, asio::buffer(std::string_view("ok")));
        BOOST_TEST(read_some_blocking(pipe.first.get(), 2) == "ok");
    }
    {
        auto [s, r] = unix_ipc::make_channel<handle<strand_descriptor>>(ctx);
        auto pipe = unix_ipc_test::make_pipe();
        s.send(handle<strand_descriptor>(strand_descriptor(asio::make_strand(ctx), pipe.second.release())));
        std::optional<error_code> result;
        r.async_receive([&](error_code ec, handle<strand_descriptor>) { result = ec; });
        run_until(ctx, [&] { return result.has_value(); });
        BOOST_TEST(*result == make_error_code(unix_ipc::error::bad_message));
        // The received copy of the write end was closed: only the read end is left.
        char c;
        BOOST_TEST(::read(pipe.first.get(), &c, 1) == 0);
    }
}

// Empty handles (and a default-constructed object's) travel as empty: no fd
// in the frame, nothing on arrival.
BOOST_FIXTURE_TEST_CASE(empty_handles_travel_empty, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<io_objects>(ctx);
    io_objects out;
    out.note = "nothing inside";
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(out, bytes, fds);
    BOOST_TEST(fds.empty());
    s.send(out);
    io_objects in = receive_one(ctx, r);
    BOOST_TEST(!in.pipe_end.has_value());
    BOOST_TEST(!in.socket.has_value());
    BOOST_TEST(!in.plain.has_value());
    BOOST_TEST(in.note == "nothing inside");

    // A handle holding a closed unique_fd (-1) travels as empty too.
    auto [s2, r2] = unix_ipc::make_channel<handle<unique_fd>>(ctx);
    s2.send(handle<unique_fd>(unique_fd()));
    BOOST_TEST(!receive_one(ctx, r2).has_value());

    // release() empties the handle.
    handle<unique_fd> h(unix_ipc_test::make_pipe().first);
    BOOST_TEST(h.has_value());
    unique_fd f = h.release();
    BOOST_TEST(!h.has_value());
    BOOST_TEST(f.get() >= 0);
}

// Senders, receivers and endpoints travel inside messages: the one that
// arrives is open and works; the sending side's copy is closed afterwards.
BOOST_FIXTURE_TEST_CASE(channels_inside_messages, io_context_fixture)
{
    auto [cs, cr] = unix_ipc::make_channel<carrier>(ctx);
    auto [s1, r1] = unix_ipc::make_channel<std::string>(ctx);
    auto [s2, r2] = unix_ipc::make_channel<int>(ctx);
    auto [e1, e2] = unix_ipc::make_endpoint_pair<std::string, int>(ctx);
    {
        carrier c;
        c.tx = std::move(s1);
        c.rx = std::move(r2);
        c.ep = std::move(e2);
        cs.send(c);
    } // the local copies close

    carrier in = receive_one(ctx, cr);
    BOOST_TEST_REQUIRE(in.tx.is_open());
    BOOST_TEST_REQUIRE(in.rx.is_open());
    BOOST_TEST_REQUIRE(in.ep.is_open());
    BOOST_TEST(!in.empty.is_open());

    in.tx.send("via the received sender");
    BOOST_TEST(receive_one(ctx, r1) == "via the received sender");
    s2.send(41);
    BOOST_TEST(receive_one(ctx, in.rx) == 41);
    e1.send("request");
    BOOST_TEST(in.ep.receive() == "request");
    in.ep.send(42);
    BOOST_TEST(e1.receive() == 42);

    // The received sender was the last one: closing it gives r1 eof.
    in.tx.close();
    std::optional<error_code> result;
    r1.async_receive([&](error_code ec, std::string) { result = ec; });
    run_until(ctx, [&] { return result.has_value(); });
    BOOST_TEST(*result == make_error_code(unix_ipc::error::eof));
}

// A channel's fd can also ride in a handle<raw_channel>.
BOOST_FIXTURE_TEST_CASE(raw_channel_in_a_handle, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<handle<unix_ipc::raw_channel>>(ctx);
    auto [a, b] = unix_ipc::make_raw_channel_pair(ctx);
    s.send(handle<unix_ipc::raw_channel>(std::move(a)));
    handle<unix_ipc::raw_channel> in = receive_one(ctx, r);
    BOOST_TEST_REQUIRE(in.has_value());
    in->send(asio::buffer(std::string_view("raw")));
    unix_ipc::raw_message m = b.receive();
    BOOST_TEST(unix_ipc_test::to_string(m) == "raw");
}

BOOST_FIXTURE_TEST_CASE(peer_credentials_of_a_typed_channel, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<int>(ctx);
    error_code ec;
    unix_ipc::credentials c = r.peer_credentials(ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(c.pid == ::getpid());
    BOOST_TEST(c.uid == ::getuid());
    BOOST_TEST(c.gid == ::getgid());
    c = s.peer_credentials(ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(c.pid == ::getpid());
    auto [e1, e2] = unix_ipc::make_endpoint_pair<int, int>(ctx);
    c = e2.peer_credentials(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(c.uid == ::getuid());
    s.close();
    s.peer_credentials(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::not_connected));
}

BOOST_AUTO_TEST_SUITE_END()
