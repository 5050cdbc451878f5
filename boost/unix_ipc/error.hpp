//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_ERROR_HPP
#define BOOST_UNIX_IPC_ERROR_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace boost {
namespace unix_ipc {

/// Errors of the `boost.unix_ipc` category.
///
/// Failures of the operating system keep `boost::system::system_category()`;
/// these codes are the ones the library itself detects.
enum class error
{
    /// The peer closed its end: no more frames will arrive (receive), or the
    /// peer can no longer read (send: the socket reported EPIPE or ECONNRESET).
    /// Not equal to `asio::error::eof` (which the channels never report); both
    /// compare equal to `condition::peer_gone`.
    eof = 1,

    /// The peer closed its end in the middle of a frame: the frame is lost.
    unexpected_eof,

    /// A frame header was not valid (bad magic or unsupported version), or a
    /// frame declared more fds than arrived with it. The channel closes its
    /// receive side and every fd it held.
    protocol_error,

    /// A frame declared a payload larger than the receiver's
    /// `receive_limits::max_payload_size`: nothing was allocated for it, the
    /// frame was skipped and the channel stays usable.
    message_too_large,

    /// A frame declared more fds than the receiver's `receive_limits::max_fds`,
    /// or a send carries more fds than its bytes can carry.
    too_many_fds,

    /// The kernel dropped received fds (MSG_CTRUNC), usually because this
    /// process hit its RLIMIT_NOFILE. The channel closes its receive side.
    fds_truncated,

    /// A well-framed payload could not be decoded (typed channels).
    bad_message,

    /// The operation needs a connected channel and this one is not open.
    not_connected,

    /// A synchronous operation was called while an asynchronous operation of
    /// the same direction is outstanding.
    operation_in_progress,

    /// This process was not started by a bootstrapper: neither
    /// `BOOST_UNIX_IPC_FD` nor `BOOST_UNIX_IPC_PATH` is set in its environment
    /// (or the inherited channel was already taken).
    not_bootstrapped,

    /// The bootstrap environment variable is set but unusable: not a decimal
    /// fd number, or that fd is not an open `AF_UNIX` stream socket.
    bad_bootstrap_environment,

    /// A channel could not be handed over (serialized into a message): an
    /// operation of it is outstanding, it is skipping an oversized frame or
    /// its receive side failed, or it holds received data and the codec
    /// cannot carry that data with it (`json_codec`). Nothing was sent.
    channel_busy,
};

/// The `boost.unix_ipc` error category.
BOOST_UNIX_IPC_DECL const system::error_category& get_error_category() noexcept;

/// Makes an error_code of the library's category.
inline system::error_code make_error_code(error e) noexcept
{
    return system::error_code(static_cast<int>(e), get_error_category());
}

/// Conditions of the `boost.unix_ipc.condition` category: groups of codes,
/// of several categories, that a program handles the same way.
///
/// Compare an `error_code` with them: `ec == condition::peer_gone`.
enum class condition
{
    /// The peer is gone: `error::eof`, `error::unexpected_eof`, the system
    /// errors `EPIPE` and `ECONNRESET` (`asio::error::broken_pipe`,
    /// `asio::error::connection_reset`, in the system or the generic
    /// category), and `asio::error::eof`.
    peer_gone = 1,
};

/// The `boost.unix_ipc.condition` category.
BOOST_UNIX_IPC_DECL const system::error_category& get_condition_category() noexcept;

/// Makes an error_condition of the library's condition category.
inline system::error_condition make_error_condition(condition c) noexcept
{
    return system::error_condition(static_cast<int>(c), get_condition_category());
}

} // namespace unix_ipc

namespace system {
template <>
struct is_error_code_enum<::boost::unix_ipc::error> : std::true_type
{
};

template <>
struct is_error_condition_enum<::boost::unix_ipc::condition> : std::true_type
{
};
} // namespace system

} // namespace boost

#endif
