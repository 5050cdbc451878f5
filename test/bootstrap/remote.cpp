//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// remote_error and remote_result: in-process, and from a spawned child.

#include <boost/unix_ipc/remote_error.hpp>

#include <boost/unix_ipc/bootstrap.hpp>

#include <boost/serialization/string.hpp>
#include <boost/test/unit_test.hpp>

#include "helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <stdexcept>
#include <string>

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace unix_ipc_test;

namespace {

struct custom_failure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

long parse(const std::string& s)
{
    if (s.empty())
        throw custom_failure("empty input");
    if (s == "traced")
        unix_ipc::throw_with_stacktrace(std::invalid_argument("traced input"));
    if (s == "int")
        throw 7;
    return std::stol(s);
}

} // namespace

BOOST_AUTO_TEST_SUITE(remote_errors)

BOOST_AUTO_TEST_CASE(capture_value_and_exceptions)
{
    auto ok = unix_ipc::capture_result(parse, std::string("12"));
    BOOST_TEST(ok.has_value());
    BOOST_TEST(ok.value() == 12);

    auto bad = unix_ipc::capture_result(parse, std::string());
    BOOST_TEST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error().type_name().find("custom_failure") != std::string::npos, bad.error().type_name());
    BOOST_TEST(bad.error().message() == "empty input");
    BOOST_TEST(bad.error().stacktrace().empty());
    BOOST_TEST(std::string(bad.error().what()).find("empty input") != std::string::npos);
    BOOST_CHECK_THROW(bad.value(), unix_ipc::remote_error);

    auto traced = unix_ipc::capture_result(parse, std::string("traced"));
    BOOST_TEST_REQUIRE(!traced.has_value());
    BOOST_TEST(traced.error().type_name() == "std::invalid_argument");
    BOOST_TEST(traced.error().message() == "traced input");
    BOOST_TEST(!traced.error().stacktrace().empty());

    auto i = unix_ipc::capture_result(parse, std::string("int"));
    BOOST_TEST_REQUIRE(!i.has_value());
    BOOST_TEST(i.error().type_name() == "int");
    BOOST_TEST(i.error().message().empty());

    // std::stol's own exception, thrown by the standard library.
    auto lib = unix_ipc::capture_result(parse, std::string("x"));
    BOOST_TEST_REQUIRE(!lib.has_value());
    BOOST_TEST(lib.error().type_name() == "std::invalid_argument");

    auto v = unix_ipc::capture_result([] {});
    BOOST_TEST(v.has_value());
    BOOST_CHECK_NO_THROW(v.value());
    auto vf = unix_ipc::capture_result([] { throw std::logic_error("void failed"); });
    BOOST_TEST(!vf.has_value());
    BOOST_CHECK_THROW(vf.value(), unix_ipc::remote_error);
}

BOOST_AUTO_TEST_CASE(remote_error_is_forwarded_unchanged)
{
    // A process that relays an error it received sends it on as it was.
    unix_ipc::remote_error first("worker::failure", "disk full", "0# f\n1# g\n");
    auto r = unix_ipc::capture_result([&]() -> int { throw first; });
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().type_name() == "worker::failure");
    BOOST_TEST(r.error().message() == "disk full");
    BOOST_TEST(r.error().stacktrace() == "0# f\n1# g\n");
}

BOOST_FIXTURE_TEST_CASE(results_and_errors_from_a_child, io_context_fixture)
{
    auto c = unix_ipc::spawn(ctx, bootstrap_test::child_binary(), {"compute"});
    unix_ipc::endpoint<long, unix_ipc::remote_result<long>> ep(c.release_channel());

    ep.send(21);
    BOOST_TEST(ep.receive().value() == 42);

    ep.send(-3);
    auto r = ep.receive();
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().type_name() == "std::domain_error");
    BOOST_TEST(r.error().message() == "negative input -3");
    BOOST_TEST(!r.error().stacktrace().empty());
    try
    {
        r.value();
        BOOST_ERROR("value() of a failed result returned");
    }
    catch (const unix_ipc::remote_error& e)
    {
        BOOST_TEST(std::string(e.what()) == "std::domain_error: negative input -3");
    }

    ep.send(0);
    r = ep.receive();
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().type_name() == "int");

    // The channel is still good after errors.
    ep.send(5);
    BOOST_TEST(ep.receive().value() == 10);
    ep.close();
    BOOST_TEST(c.wait() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
