//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_ERROR_IPP
#define BOOST_UNIX_IPC_IMPL_ERROR_IPP

#include <boost/unix_ipc/error.hpp>

#include <boost/asio/error.hpp>

#include <cerrno>
#include <cstring>
#include <string>

namespace boost {
namespace unix_ipc {
namespace detail {

inline const char* error_message(int ev) noexcept
{
    switch (static_cast<error>(ev))
    {
    case error::eof: return "The peer closed its end of the channel.";
    case error::unexpected_eof:
        return "The peer closed its end of the channel in the middle of a frame; the frame is lost.";
    case error::protocol_error:
        return "The peer sent data that is not a valid Boost.UnixIpc frame (bad magic, unsupported "
               "version, or fewer fds than declared); the receive side of the channel is closed.";
    case error::message_too_large:
        return "The frame's payload is larger than the receiver's max_payload_size; raise "
               "receive_limits::max_payload_size if the peer is trusted to send it.";
    case error::too_many_fds:
        return "The frame carries more file descriptors than allowed (receive_limits::max_fds on the "
               "receiver, or more than the frame's bytes can carry on the sender).";
    case error::fds_truncated:
        return "The kernel dropped file descriptors sent by the peer (MSG_CTRUNC), usually because "
               "this process reached RLIMIT_NOFILE; the receive side of the channel is closed.";
    case error::bad_message:
        return "The peer sent a well-framed message that could not be decoded.";
    case error::not_connected: return "The channel is not open.";
    case error::operation_in_progress:
        return "A synchronous operation was started while an asynchronous operation in the same "
               "direction is outstanding on the channel.";
    case error::not_bootstrapped:
        return "This process was not started by a bootstrapper (BOOST_UNIX_IPC_FD and "
               "BOOST_UNIX_IPC_PATH are unset), or its inherited channel was already taken.";
    case error::bad_bootstrap_environment:
        return "BOOST_UNIX_IPC_FD does not name an open AF_UNIX stream socket.";
    case error::channel_busy:
        return "The channel cannot be handed over now: an operation of it is outstanding, its "
               "receive side is skipping a frame or failed, or the codec cannot carry its "
               "received data.";
    }
    return "Unknown boost.unix_ipc error.";
}

class error_category_impl final : public system::error_category
{
public:
    constexpr error_category_impl() noexcept : system::error_category(0xb3a1c0de51fd0001ULL) {}

    const char* name() const noexcept override { return "boost.unix_ipc"; }

    std::string message(int ev) const override { return error_message(ev); }

    const char* message(int ev, char* buf, std::size_t len) const noexcept override
    {
        const char* msg = error_message(ev);
        if (len == 0)
            return msg;
        std::strncpy(buf, msg, len - 1);
        buf[len - 1] = 0;
        return buf;
    }
};

inline const char* condition_message(int ev) noexcept
{
    switch (static_cast<condition>(ev))
    {
    case condition::peer_gone:
        return "The peer is gone: it closed its end of the channel, or exited, or reset the "
               "connection.";
    }
    return "Unknown boost.unix_ipc condition.";
}

inline bool is_peer_gone(const system::error_code& code) noexcept
{
    const system::error_category& cat = code.category();
    const int v = code.value();
    if (cat == get_error_category())
        return v == static_cast<int>(error::eof) || v == static_cast<int>(error::unexpected_eof);
    if (cat == system::system_category() || cat == system::generic_category())
        return v == EPIPE || v == ECONNRESET;
    if (cat == asio::error::get_misc_category())
        return v == asio::error::eof;
    return false;
}

class condition_category_impl final : public system::error_category
{
public:
    constexpr condition_category_impl() noexcept : system::error_category(0xb3a1c0de51fd0002ULL) {}

    const char* name() const noexcept override { return "boost.unix_ipc.condition"; }

    std::string message(int ev) const override { return condition_message(ev); }

    const char* message(int ev, char* buf, std::size_t len) const noexcept override
    {
        const char* msg = condition_message(ev);
        if (len == 0)
            return msg;
        std::strncpy(buf, msg, len - 1);
        buf[len - 1] = 0;
        return buf;
    }

    // Called for ec == condition, whatever the category of ec.
    bool equivalent(const system::error_code& code, int cond) const noexcept override
    {
        switch (static_cast<condition>(cond))
        {
        case condition::peer_gone: return is_peer_gone(code);
        }
        return false;
    }
};

} // namespace detail

const system::error_category& get_error_category() noexcept
{
    static const detail::error_category_impl cat;
    return cat;
}

const system::error_category& get_condition_category() noexcept
{
    static const detail::condition_category_impl cat;
    return cat;
}

} // namespace unix_ipc
} // namespace boost

#endif
