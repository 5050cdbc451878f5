//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_RAW_CHANNEL_HPP
#define BOOST_UNIX_IPC_RAW_CHANNEL_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/unique_fd.hpp>
#include <boost/unix_ipc/detail/channel_state.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/core/span.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {
template <class Executor>
class raw_channel_impl;
template <class Executor>
class raw_channel_ref;
} // namespace detail

/// One end of a raw channel: frames of bytes and file descriptors over a
/// connected `AF_UNIX` stream socket.
///
/// A frame is what one `async_send` (or `send`) writes: a 16-byte header, the
/// payload bytes and any number of fds, sent with one `sendmsg` when the
/// socket has room (doc/modules/ROOT/pages/wire_format.adoc has the format).
/// The receiving end delivers each frame whole, as a `raw_message`.
///
/// @par Thread safety
/// Distinct objects: safe. Shared objects: unsafe. Run every operation of one
/// channel on its executor (use a strand when the executor is multi-threaded).
///
/// @par Outstanding operations
/// Any number of sends and receives may be outstanding at once. Sends go out in
/// the order they were started and their frames never interleave; receives
/// complete in the order they were started, each with the next frame.
///
/// @par One writer per socket end
/// That order holds for the sends of one channel object. Two processes (or
/// two channels on duplicates of one fd) writing to one socket end at once
/// interleave their frames; give each producer its own channel.
template <class Executor = asio::any_io_executor>
class basic_raw_channel
{
public:
    /// The type of the executor associated with the object.
    using executor_type = Executor;

    /// Rebinds the channel type to another executor.
    template <class Executor1>
    struct rebind_executor
    {
        using other = basic_raw_channel<Executor1>;
    };

    /// The socket's file descriptor.
    using native_handle_type = int;

    /// A closed channel that uses `ex` for its operations.
    explicit basic_raw_channel(const executor_type& ex);

    /// A closed channel that uses `ctx`'s executor.
    template <class ExecutionContext,
              class = std::enable_if_t<
                  std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
    explicit basic_raw_channel(ExecutionContext& ctx) : basic_raw_channel(executor_type(ctx.get_executor()))
    {
    }

    /// A channel on `socket`, a connected `AF_UNIX` `SOCK_STREAM` socket, whose
    /// ownership it takes. Throws `system::system_error` when `socket` is not one.
    basic_raw_channel(const executor_type& ex, unique_fd socket);

    /// A channel on `socket`, using `ctx`'s executor.
    template <class ExecutionContext,
              class = std::enable_if_t<
                  std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
    basic_raw_channel(ExecutionContext& ctx, unique_fd socket)
        : basic_raw_channel(executor_type(ctx.get_executor()), std::move(socket))
    {
    }

    /// A channel on a connected Asio local stream socket, whose native handle it takes over.
    explicit basic_raw_channel(asio::basic_stream_socket<asio::local::stream_protocol, Executor>&& socket);

    /// Moves the channel; outstanding operations stay with it. The moved-from
    /// object keeps its executor and is closed: its operations fail with
    /// `error::not_connected`; it may be assigned to or `assign()`ed a socket.
    basic_raw_channel(basic_raw_channel&& other) noexcept : ex_(other.ex_), impl_(std::move(other.impl_)) {}

    /// A channel on `other`'s socket, with `other`'s executor converted to
    /// `Executor` (so that, e.g., `asio::deferred.as_default_on(std::move(ch))`
    /// works). The socket changes hands as with `release()` then `assign()`:
    /// `other`'s outstanding operations complete with
    /// `asio::error::operation_aborted`, and bytes and fds it had read ahead
    /// are discarded; convert a channel before using it. `other` is left
    /// closed. Throws `system::system_error` when the socket cannot be assigned.
    template <class OtherExecutor,
              class = std::enable_if_t<!std::is_same<OtherExecutor, Executor>::value &&
                                       std::is_convertible<const OtherExecutor&, Executor>::value>>
    basic_raw_channel(basic_raw_channel<OtherExecutor>&& other)
        : basic_raw_channel(executor_type(other.get_executor()))
    {
        unique_fd fd = other.release();
        if (fd)
            assign(std::move(fd));
    }

    /// Closes this channel (as `close()`), then takes `other`'s.
    basic_raw_channel& operator=(basic_raw_channel&& other) noexcept;

    /// Closes the channel: outstanding operations complete with
    /// `asio::error::operation_aborted`, fds still buffered are closed.
    ~basic_raw_channel();

    /// The executor the channel's operations run on.
    executor_type get_executor() const noexcept { return ex_; }

    /// Takes ownership of `socket`, a connected `AF_UNIX` `SOCK_STREAM` socket.
    /// It is made close-on-exec; its blocking mode is left as it is
    /// (asynchronous operations pass `MSG_DONTWAIT`). Fails with
    /// `asio::error::already_open` if the channel is open, and with
    /// `asio::error::invalid_argument` if `socket` is not a Unix stream socket
    /// (it is then closed).
    void assign(unique_fd socket, system::error_code& ec);

    /// Throwing overload of `assign`.
    void assign(unique_fd socket);

    /// Opens a socket and connects it to `path` (a filesystem path, or an
    /// abstract name starting with '\0'), synchronously.
    void connect(std::string_view path, system::error_code& ec);

    /// Throwing overload of `connect`.
    void connect(std::string_view path);

    /// True while the channel owns a socket.
    bool is_open() const noexcept { return impl_ && impl_->is_open(); }

    /// The socket's fd, or -1.
    native_handle_type native_handle() const noexcept { return impl_ ? impl_->native_handle() : -1; }

    /// The credentials of the process at the other end (`SO_PEERCRED`),
    /// recorded at connection time: the one that connected (on an accepted
    /// channel), or the one that called `listen()` (on a connecting channel). Both ends of a
    /// socket pair report the process that created the pair, even after a
    /// `fork()` handed one end to a child. Fails with
    /// `error::not_connected` when the channel is closed.
    credentials peer_credentials(system::error_code& ec) const noexcept
    {
        if (!is_open())
            return ec = make_error_code(error::not_connected), credentials{};
        return unix_ipc::peer_credentials(native_handle(), ec);
    }

    /// Throwing overload of `peer_credentials`.
    credentials peer_credentials() const;

    /// Per-message credentials: while on (`SO_PASSCRED`), each received
    /// `raw_message` has `sender`: the process id, real user id and real
    /// group id of the process that wrote the frame, as the kernel recorded
    /// them (`SCM_CREDENTIALS`), those of the read that brought the frame's
    /// header. This tells apart writers that take turns on an end handed
    /// over; it does not make concurrent writers safe: a socket end has one
    /// writer at a time (frames of two writers interleave), so many
    /// producers each get their own channel. Turn it on before the peer writes:
    /// a frame written while it was off carries none if the channel had read
    /// it already, else the kernel reports pid 0 and the overflow user and
    /// group ids (65534). Fails with `error::not_connected` when closed.
    void set_pass_credentials(bool on, system::error_code& ec) noexcept
    {
        if (!is_open())
            return void(ec = make_error_code(error::not_connected));
        unix_ipc::set_pass_credentials(native_handle(), on, ec);
    }

    /// Throwing overload of `set_pass_credentials`.
    void set_pass_credentials(bool on)
    {
        system::error_code ec;
        set_pass_credentials(on, ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "basic_raw_channel::set_pass_credentials"));
    }

    /// Cancels every outstanding operation (they complete with
    /// `asio::error::operation_aborted`), except a send whose frame is partly
    /// written: it is finished, so the stream stays in step, and completes
    /// normally (success, or the write's error). Buffered received data is kept.
    void cancel() noexcept;

    /// Closes the socket; outstanding operations complete with
    /// `asio::error::operation_aborted`; buffered fds are closed.
    void close() noexcept;

    /// Cancels outstanding operations and gives up the socket without closing
    /// it. Bytes and fds already buffered by the channel are discarded.
    unique_fd release() noexcept;

    /// The limits this end applies to incoming frames.
    receive_limits limits() const noexcept { return impl_ ? impl_->limits() : receive_limits{}; }

    /// Sets the limits this end applies to frames whose header it has not yet read.
    void set_limits(const receive_limits& l) noexcept
    {
        if (impl_)
            impl_->set_limits(l);
    }

    /// Sends one frame made of `buffers` and `fds`, asynchronously.
    ///
    /// @par Handler signature
    /// `void(system::error_code)`
    ///
    /// @par Object lifetimes
    /// The memory `buffers` refers to must stay valid until the handler is
    /// called. `fds` is copied when the operation is initiated: for a callback
    /// before this function returns, for a lazy token such as `asio::deferred`
    /// when the operation is launched, so until then the span and the fds it
    /// names must stay valid. From then on the caller may close its fds: a
    /// frame that cannot be written at once holds duplicates of them until it
    /// is written (the caller keeps its own fds either way).
    ///
    /// @par Executor
    /// The handler is never invoked from within this function. When the frame
    /// is written at once, the operation joins the channel's queue of
    /// completed operations, drained by one call posted to the channel's
    /// executor; otherwise the channel's own I/O handler completes it.
    ///
    /// @par Per-operation cancellation
    /// `terminal`, `partial` and `total` cancellation: a frame not yet started
    /// is withdrawn and the operation completes with
    /// `asio::error::operation_aborted`; a frame already partly written is
    /// finished (cancelling it would break the stream) and the operation
    /// completes normally.
    ///
    /// @par Errors
    /// `error::eof` when the peer closed; `error::too_many_fds` when `fds` has
    /// more than 253 times the frame's size in bytes (16 + payload);
    /// `error::not_connected`; system errors from `sendmsg`. After a send
    /// error the send side of the channel is broken: later sends fail the same way.
    ///
    /// @par Thread safety
    /// Call it on the channel's executor.
    template <class ConstBufferSequence,
              BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_send(const ConstBufferSequence& buffers, boost::span<const int> fds,
                    CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

    /// Sends one frame of `buffers` without fds, asynchronously (as above).
    template <class ConstBufferSequence,
              BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_send(const ConstBufferSequence& buffers,
                    CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type))
    {
        return async_send(buffers, boost::span<const int>(), std::forward<CompletionToken>(token));
    }

    /// Receives the next frame, asynchronously.
    ///
    /// @par Handler signature
    /// `void(system::error_code, raw_message)`
    ///
    /// @par Executor
    /// The handler is never invoked from within this function.
    ///
    /// @par Per-operation cancellation
    /// `terminal`, `partial` and `total`: the operation completes with
    /// `asio::error::operation_aborted` and nothing is lost: a frame half read
    /// stays buffered for the next receive.
    ///
    /// @par Errors
    /// `error::eof` (peer closed between frames), `error::unexpected_eof`
    /// (inside a frame), `error::message_too_large` and `error::too_many_fds`
    /// (the frame is skipped, its fds closed, and the channel stays usable),
    /// `error::protocol_error` and `error::fds_truncated` (the receive side is
    /// closed and later receives fail the same way), system errors from `recvmsg`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, raw_message)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_receive(CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

    /// Receives the next frame into `msg`, asynchronously, reusing its capacity.
    /// `msg` must stay valid until the handler is called. On success its old
    /// contents are replaced (old fds closed); on error it is left as it was.
    ///
    /// @par Handler signature
    /// `void(system::error_code)`
    ///
    /// Otherwise as the overload above.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_receive(raw_message& msg,
                       CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

    /// Sends one frame, blocking until it is written. Fails with
    /// `error::operation_in_progress` while asynchronous sends are outstanding.
    template <class ConstBufferSequence>
    void send(const ConstBufferSequence& buffers, boost::span<const int> fds, system::error_code& ec);

    /// Throwing overload of `send`.
    template <class ConstBufferSequence>
    void send(const ConstBufferSequence& buffers, boost::span<const int> fds = {});

    /// Receives the next frame into `msg`, blocking. Fails with
    /// `error::operation_in_progress` while asynchronous receives are outstanding.
    void receive(raw_message& msg, system::error_code& ec);

    /// Receives the next frame, blocking; on error returns an empty message.
    raw_message receive(system::error_code& ec);

    /// Throwing overload of `receive`.
    raw_message receive();

private:
    template <class>
    friend class basic_raw_channel;
    friend class detail::raw_channel_ref<Executor>;

    using impl_type = detail::raw_channel_impl<Executor>;

    Executor ex_;
    std::shared_ptr<impl_type> impl_;
};

/// A raw channel on the polymorphic I/O executor.
using raw_channel = basic_raw_channel<>;

/// Makes a connected pair of channels from a close-on-exec `socketpair`.
template <class Executor>
std::pair<basic_raw_channel<Executor>, basic_raw_channel<Executor>> make_raw_channel_pair(
    const Executor& ex, system::error_code& ec,
    std::enable_if_t<asio::execution::is_executor<Executor>::value || asio::is_executor<Executor>::value>* = 0);

/// Throwing overload of `make_raw_channel_pair`.
template <class Executor>
std::pair<basic_raw_channel<Executor>, basic_raw_channel<Executor>> make_raw_channel_pair(
    const Executor& ex,
    std::enable_if_t<asio::execution::is_executor<Executor>::value || asio::is_executor<Executor>::value>* = 0);

/// Makes a connected pair of channels on `ctx`'s executor.
template <class ExecutionContext>
std::pair<raw_channel, raw_channel> make_raw_channel_pair(
    ExecutionContext& ctx,
    std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>* = 0)
{
    return make_raw_channel_pair(asio::any_io_executor(ctx.get_executor()));
}

} // namespace unix_ipc
} // namespace boost

#include <boost/unix_ipc/impl/raw_channel.hpp>

#endif
