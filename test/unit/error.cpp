//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/unix_ipc/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/errc.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <type_traits>

namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::error;

static_assert(boost::system::is_error_code_enum<error>::value, "error must be an error_code enum");
static_assert(std::is_convertible<error, error_code>::value, "error converts to error_code");

namespace {

const error all_errors[] = {error::eof,          error::unexpected_eof,       error::protocol_error,
                            error::message_too_large, error::too_many_fds, error::fds_truncated,
                            error::bad_message,  error::not_connected,        error::operation_in_progress};

} // namespace

BOOST_AUTO_TEST_SUITE(error_category)

BOOST_AUTO_TEST_CASE(name)
{
    BOOST_TEST(std::string(unix_ipc::get_error_category().name()) == "boost.unix_ipc");
    BOOST_TEST(&unix_ipc::get_error_category() == &unix_ipc::get_error_category());
}

BOOST_AUTO_TEST_CASE(values_start_at_one)
{
    // 0 is success for error_code: no enumerator may be 0.
    BOOST_TEST(static_cast<int>(error::eof) == 1);
    for (error e : all_errors)
    {
        error_code ec = e;
        BOOST_TEST(ec.failed());
        BOOST_TEST(static_cast<bool>(ec));
    }
}

BOOST_AUTO_TEST_CASE(every_message_is_distinct_and_not_empty)
{
    std::set<std::string> seen;
    const std::string unknown = unix_ipc::get_error_category().message(9999);
    for (error e : all_errors)
    {
        error_code ec = make_error_code(e);
        BOOST_TEST_CONTEXT("error " << static_cast<int>(e))
        {
            BOOST_TEST(&ec.category() == &unix_ipc::get_error_category());
            BOOST_TEST(ec.value() == static_cast<int>(e));
            const std::string m = ec.message();
            BOOST_TEST(!m.empty());
            BOOST_TEST(m != unknown);
            BOOST_TEST(seen.insert(m).second, "message shared with another enumerator: " << m);

            // The allocation-free overload agrees, and truncates safely.
            char buf[512];
            BOOST_TEST(std::string(ec.category().message(ec.value(), buf, sizeof(buf))) == m);
            char small[8];
            std::memset(small, 'x', sizeof(small));
            const char* s = ec.category().message(ec.value(), small, sizeof(small));
            BOOST_TEST(std::strlen(s) <= 7u);
            BOOST_TEST(std::string(s) == m.substr(0, std::strlen(s)));
        }
    }
    BOOST_TEST(!unknown.empty());
}

BOOST_AUTO_TEST_CASE(comparisons)
{
    error_code eof = error::eof;
    BOOST_TEST((eof == error::eof));
    BOOST_TEST((eof != error::unexpected_eof));
    BOOST_TEST((error_code(error::protocol_error) == make_error_code(error::protocol_error)));
    // Same value, other category: different.
    error_code sys(static_cast<int>(error::eof), boost::system::system_category());
    BOOST_TEST((eof != sys));
    BOOST_TEST((eof != boost::system::errc::operation_not_permitted));
    BOOST_TEST((error_code(error::message_too_large) != error_code(boost::system::errc::message_size,
                                                                     boost::system::generic_category())));
    // Ordering is consistent (usable as a map key).
    BOOST_TEST(((eof < error_code(error::unexpected_eof)) != (error_code(error::unexpected_eof) < eof)));
}

BOOST_AUTO_TEST_CASE(location_does_not_change_equality)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    error_code ec;
    ec.assign(static_cast<int>(error::too_many_fds), unix_ipc::get_error_category(), &loc);
    BOOST_TEST((ec == error::too_many_fds));
    BOOST_TEST(ec.has_location());
}

BOOST_AUTO_TEST_CASE(system_error_carries_the_code)
{
    try
    {
        throw boost::system::system_error(error::not_connected, "op");
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST((e.code() == error::not_connected));
        BOOST_TEST(std::string(e.what()).find("op") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// condition::peer_gone groups the codes meaning "the peer is gone", of three categories.
static_assert(boost::system::is_error_condition_enum<unix_ipc::condition>::value,
              "condition must be an error_condition enum");

namespace {

error_code peer_gone_codes[] = {
    error::eof,
    error::unexpected_eof,
    boost::asio::error::broken_pipe,
    boost::asio::error::connection_reset,
    error_code(EPIPE, boost::system::system_category()),
    error_code(ECONNRESET, boost::system::system_category()),
    error_code(EPIPE, boost::system::generic_category()),
    error_code(ECONNRESET, boost::system::generic_category()),
    boost::asio::error::eof,
};

error_code not_peer_gone_codes[] = {
    error_code(),
    error::protocol_error,
    error::message_too_large,
    error::too_many_fds,
    error::fds_truncated,
    error::bad_message,
    error::not_connected,
    error::operation_in_progress,
    error::not_bootstrapped,
    error::bad_bootstrap_environment,
    error_code(9999, unix_ipc::get_error_category()),
    // The library's values in the system category, and errno values in the library's.
    error_code(static_cast<int>(error::eof), boost::system::system_category()),
    error_code(static_cast<int>(error::unexpected_eof), boost::system::generic_category()),
    error_code(EPIPE, unix_ipc::get_error_category()),
    error_code(ECONNRESET, unix_ipc::get_error_category()),
    boost::asio::error::operation_aborted,
    boost::asio::error::would_block,
    boost::asio::error::connection_refused,
    boost::asio::error::not_connected,
    boost::asio::error::shut_down,
    boost::asio::error::bad_descriptor,
    error_code(ENOENT, boost::system::system_category()),
    // asio::error::eof's value in other categories, and the misc category's other codes.
    error_code(boost::asio::error::eof, boost::system::system_category()),
    error_code(boost::asio::error::eof, boost::system::generic_category()),
    boost::asio::error::already_open,
    boost::asio::error::not_found,
    boost::asio::error::fd_set_failure,
};

} // namespace

BOOST_AUTO_TEST_SUITE(peer_gone_condition)

BOOST_AUTO_TEST_CASE(category)
{
    const boost::system::error_category& cat = unix_ipc::get_condition_category();
    BOOST_TEST(std::string(cat.name()) == "boost.unix_ipc.condition");
    BOOST_TEST(&cat == &unix_ipc::get_condition_category());
    BOOST_TEST((cat != unix_ipc::get_error_category()));
    boost::system::error_condition c = unix_ipc::condition::peer_gone;
    BOOST_TEST(&c.category() == &cat);
    BOOST_TEST(c.value() == 1);
    BOOST_TEST((c == make_error_condition(unix_ipc::condition::peer_gone)));
    BOOST_TEST(!c.message().empty());
    BOOST_TEST(c.message() != cat.message(2));
}

BOOST_AUTO_TEST_CASE(members_compare_equal)
{
    for (const error_code& ec : peer_gone_codes)
    {
        BOOST_TEST_CONTEXT(ec.category().name() << ":" << ec.value())
        {
            BOOST_TEST((ec == unix_ipc::condition::peer_gone));
            BOOST_TEST((unix_ipc::condition::peer_gone == ec));
            BOOST_TEST(!(ec != unix_ipc::condition::peer_gone));
            BOOST_TEST((ec == make_error_condition(unix_ipc::condition::peer_gone)));
        }
    }
}

BOOST_AUTO_TEST_CASE(non_members_compare_unequal)
{
    for (const error_code& ec : not_peer_gone_codes)
    {
        BOOST_TEST_CONTEXT(ec.category().name() << ":" << ec.value())
        {
            BOOST_TEST((ec != unix_ipc::condition::peer_gone));
            BOOST_TEST(!(unix_ipc::condition::peer_gone == ec));
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_condition_value_matches_nothing)
{
    const boost::system::error_condition unknown(2, unix_ipc::get_condition_category());
    for (const error_code& ec : peer_gone_codes)
        BOOST_TEST((ec != unknown));
}

BOOST_AUTO_TEST_CASE(codes_keep_their_identity)
{
    // The condition groups codes; it does not make them equal to each other.
    BOOST_TEST((error_code(error::eof) != boost::asio::error::eof));
    BOOST_TEST((error_code(error::eof) != error_code(error::unexpected_eof)));
    BOOST_TEST((error_code(boost::asio::error::broken_pipe) != error::eof));
}

BOOST_AUTO_TEST_SUITE_END()
