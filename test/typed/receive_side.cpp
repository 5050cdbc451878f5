//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// basic_receiver and basic_endpoint share their receive functions
// (detail::typed_receiving): each still receives its own value type, and its
// throwing overloads still name the class in their exceptions.

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/string.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>

namespace {

namespace unix_ipc = boost::unix_ipc;

// The what() of the system_error `f` throws starts with `prefix`, and its
// code is `code`.
void check_throws(const std::function<void()>& f, const std::string& prefix, boost::system::error_code code)
{
    BOOST_TEST_CONTEXT(prefix)
    {
        try
        {
            f();
            BOOST_TEST(false, "no exception");
        }
        catch (const boost::system::system_error& e)
        {
            BOOST_TEST(std::string(e.what()).rfind(prefix + ":", 0) == 0, "what() is " << e.what());
            BOOST_TEST(e.code() == code);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_receive_side)

BOOST_AUTO_TEST_CASE(receiver_and_endpoint_receive_their_own_types)
{
    static_assert(std::is_same<decltype(std::declval<unix_ipc::receiver<std::string>&>().receive()), std::string>::value);
    static_assert(std::is_same<decltype(std::declval<unix_ipc::endpoint<int, std::string>&>().receive()),
                               std::string>::value);
    std::optional<unix_ipc::credentials> who;
    static_assert(std::is_same<decltype(std::declval<unix_ipc::endpoint<std::string, long>&>().receive_from(who)),
                               long>::value);

    boost::asio::io_context ctx;
    auto [tx, rx] = unix_ipc::make_channel<std::string>(ctx);
    auto [a, b] = unix_ipc::make_endpoint_pair<std::string, long>(ctx);
    tx.send("to the receiver");
    b.send(42L);
    a.send("to the endpoint");
    BOOST_TEST(rx.receive() == "to the receiver");
    BOOST_TEST(a.receive() == 42L);
    BOOST_TEST(b.receive() == "to the endpoint");
}

BOOST_AUTO_TEST_CASE(throwing_overloads_name_their_class)
{
    const auto not_connected = make_error_code(unix_ipc::error::not_connected);
    std::optional<unix_ipc::credentials> who;
    unix_ipc::receiver<int> rx; // empty
    unix_ipc::endpoint<int, int> ep;
    check_throws([&] { rx.receive(); }, "receiver::receive", not_connected);
    check_throws([&] { rx.receive_from(who); }, "receiver::receive_from", not_connected);
    check_throws([&] { ep.receive(); }, "endpoint::receive", not_connected);
    check_throws([&] { ep.receive_from(who); }, "endpoint::receive_from", not_connected);

    // A closed peer: eof, under the same names.
    boost::asio::io_context ctx;
    auto channel = unix_ipc::make_channel<int>(ctx);
    auto endpoints = unix_ipc::make_endpoint_pair<int, int>(ctx);
    channel.first.close();
    endpoints.first.close();
    const auto eof = make_error_code(unix_ipc::error::eof);
    check_throws([&] { channel.second.receive(); }, "receiver::receive", eof);
    check_throws([&] { endpoints.second.receive_from(who); }, "endpoint::receive_from", eof);
}

BOOST_AUTO_TEST_SUITE_END()
