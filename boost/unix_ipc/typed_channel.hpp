//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TYPED_CHANNEL_HPP
#define BOOST_UNIX_IPC_TYPED_CHANNEL_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/consign.hpp>
#include <boost/asio/post.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost {
namespace unix_ipc {
namespace detail {

// A value encoded for sending: the payload is `bytes` with the blocks of
// `ool` inserted at their offsets (`ool` stays empty for codecs other than
// serialization_codec); `buffers` lists the pieces in order.
struct encoded_message
{
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    out_of_line ool;
    container::small_vector<asio::const_buffer, 3> buffers;

    void make_buffers()
    {
        std::size_t at = 0;
        for (const out_of_line::block& b : ool.blocks)
        {
            if (b.offset > at)
                buffers.emplace_back(bytes.data() + at, b.offset - at);
            buffers.emplace_back(b.data, b.size);
            at = b.offset;
        }
        if (at < bytes.size() || buffers.empty())
            buffers.emplace_back(bytes.data() + at, bytes.size() - at);
    }
};


// A channel in a message (typed channels, handle<basic_raw_channel>): the
// index of its socket in the fd table (0xffffffff: none), then, for a
// socket, what the channel had read from it and not delivered yet: a u64
// byte count and those bytes (frames, the last one possibly partial), a u32
// fd count and the index of each of those fds. The receiver's channel reads
// them before anything from the socket, so nothing is lost on the way. A
// channel that cannot be handed over (see channel_state::buffered_input)
// throws error::channel_busy, and the send fails with it.
template <class Executor>
void save_channel(ipc_oarchive& ar, const basic_raw_channel<Executor>* c)
{
    std::uint32_t index = 0xffffffffu;
    if (!c || !c->is_open())
        return void(ar << index);
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    system::error_code ec;
    raw_channel_ref<Executor>(*c).buffered_input(bytes, fds, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "handing over a channel"));
    index = ar.add_fd(c->native_handle());
    ar << index;
    const std::uint64_t n = bytes.size();
    ar << n;
    if (n != 0)
        ar.save_binary(bytes.data(), bytes.size());
    const std::uint32_t nfds = static_cast<std::uint32_t>(fds.size());
    ar << nfds;
    for (int fd : fds)
    {
        const std::uint32_t i = ar.add_fd(fd);
        ar << i;
    }
}

template <class Executor>
void load_channel(ipc_iarchive& ar, std::optional<basic_raw_channel<Executor>>& c)
{
    c.reset();
    std::uint32_t index;
    ar >> index;
    if (index == 0xffffffffu)
        return;
    unique_fd fd = ar.take_fd(index);
    std::uint64_t n;
    ar >> n;
    if (n > ar.remaining())
        ipc_iarchive::fail("received channel: input longer than the payload");
    std::vector<std::byte> bytes(static_cast<std::size_t>(n));
    if (n != 0)
        ar.load_binary(bytes.data(), bytes.size());
    std::uint32_t nfds;
    ar >> nfds;
    if (nfds > ar.remaining() / sizeof(std::uint32_t))
        ipc_iarchive::fail("received channel: more fds than the payload");
    std::vector<unique_fd> fds;
    fds.reserve(nfds);
    for (std::uint32_t k = 0; k < nfds; ++k)
    {
        std::uint32_t i;
        ar >> i;
        fds.push_back(ar.take_fd(i));
    }
    c.emplace(executor_for<Executor>(ar.get_executor()));
    system::error_code ec;
    c->assign(std::move(fd), ec);
    if (ec)
    {
        c.reset();
        ipc_iarchive::fail("received channel: not a connected Unix stream socket");
    }
    raw_channel_ref<Executor>(*c).restore_input(bytes.data(), bytes.size(), std::move(fds));
}

// What sender, receiver and endpoint share: an optional raw channel (a
// default-constructed typed channel is empty), conversions, serialization of
// the channel itself as a handle.
template <class Executor>
class typed_base
{
public:
    using executor_type = Executor;
    using raw_channel_type = basic_raw_channel<Executor>;

    typed_base() = default;
    explicit typed_base(raw_channel_type raw) : raw_(std::move(raw)) {}

    /// True when the channel has an open socket.
    bool is_open() const noexcept { return raw_ && raw_->is_open(); }

    /// The executor; undefined on an empty channel.
    executor_type get_executor() const noexcept { return raw_->get_executor(); }

    /// The raw channel underneath; undefined on an empty channel.
    raw_channel_type& raw() noexcept { return *raw_; }
    const raw_channel_type& raw() const noexcept { return *raw_; }

    /// Gives up the raw channel; this one is empty afterwards.
    raw_channel_type release_raw()
    {
        raw_channel_type r(std::move(*raw_));
        raw_.reset();
        return r;
    }

    /// The peer's credentials (`SO_PEERCRED`).
    credentials peer_credentials(system::error_code& ec) const noexcept
    {
        if (!raw_)
            return ec = make_error_code(error::not_connected), credentials{};
        return raw_->peer_credentials(ec);
    }

    /// Throwing overload of `peer_credentials`.
    credentials peer_credentials() const
    {
        system::error_code ec;
        credentials c = peer_credentials(ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "peer_credentials"));
        return c;
    }

    /// Closes the socket; outstanding operations complete with operation_aborted.
    void close() noexcept
    {
        if (raw_)
            raw_->close();
    }

    /// Cancels outstanding operations.
    void cancel() noexcept
    {
        if (raw_)
            raw_->cancel();
    }

    /// Limits applied to incoming frames.
    void set_limits(const receive_limits& l) noexcept
    {
        if (raw_)
            raw_->set_limits(l);
    }

    /// Per-message credentials, as `basic_raw_channel::set_pass_credentials`:
    /// while on, `receive_from` and `async_receive_from` tell who wrote each
    /// message (writers that take turns on an end handed over; an end has one
    /// writer at a time). `error::not_connected` when empty or closed.
    void set_pass_credentials(bool on, system::error_code& ec) noexcept
    {
        if (!raw_)
            return void(ec = make_error_code(error::not_connected));
        raw_->set_pass_credentials(on, ec);
    }

    /// Throwing overload of `set_pass_credentials`.
    void set_pass_credentials(bool on)
    {
        system::error_code ec;
        set_pass_credentials(on, ec);
        if (ec)
            boost::throw_exception(system::system_error(ec, "typed channel: set_pass_credentials"));
    }

    // A typed channel travels over other channels as its socket and the
    // input it had read and not delivered (see save_channel).
    template <class Archive>
    void save(Archive& ar, unsigned int) const
    {
        static_assert(std::is_base_of<ipc_oarchive, Archive>::value,
                      "typed channels can only be saved to an ipc_oarchive");
        save_channel(ar, raw_ ? &*raw_ : nullptr);
    }

    template <class Archive>
    void load(Archive& ar, unsigned int)
    {
        static_assert(std::is_base_of<ipc_iarchive, Archive>::value,
                      "typed channels can only be loaded from an ipc_iarchive");
        load_channel(ar, raw_);
    }

    BOOST_SERIALIZATION_SPLIT_MEMBER()

protected:
    template <class T, class Codec, class CompletionToken>
    auto send_impl(T&& value, CompletionToken&& token);

    template <class T, class Codec>
    void send_sync_impl(const T& value, system::error_code& ec);

    template <class T, class Codec, class CompletionToken>
    auto receive_impl(CompletionToken&& token, std::optional<credentials>* sender = nullptr);

    template <class T, class Codec>
    T receive_sync_impl(system::error_code& ec, std::optional<credentials>* sender = nullptr);

    std::optional<raw_channel_type> raw_;
};

// The encoded message may refer to value's memory (out-of-line blocks):
// value must outlive the send and stay unchanged.
// Fails with bad_message, or with the library's own error that encoding
// threw (error::channel_busy: a channel inside the value cannot be handed
// over now).
template <class T, class Codec>
system::error_code encode_message(const T& value, encoded_message& m) noexcept
{
    try
    {
        if constexpr (std::is_same<Codec, serialization_codec>::value)
            Codec::encode(value, m.bytes, m.fds, m.ool);
        else
            Codec::encode(value, m.bytes, m.fds);
        m.make_buffers();
        return {};
    }
    catch (const system::system_error& e)
    {
        if (e.code().category() == get_error_category())
            return e.code();
        return make_error_code(error::bad_message);
    }
    catch (...)
    {
        return make_error_code(error::bad_message);
    }
}

template <class T, class Codec>
bool decode_message(T& value, raw_message& msg, const asio::any_io_executor& ex) noexcept
{
    try
    {
        Codec::decode(value, boost::span<const std::byte>(msg.bytes.data(), msg.bytes.size()), msg.fds, ex);
        return true;
    }
    catch (...)
    {
        return false;
    }
}

// The operation owns the value (moved in through async_initiate, so lazy
// tokens and move-only types work): it is encoded when the operation starts and
// destroyed, closing the fds its handles own, when the operation completes.
// It holds the raw channel's state, not the typed object's address: the
// typed channel may move (or give up its raw channel) before a deferred
// operation starts.
template <class Executor, class T, class Codec>
struct initiate_typed_send
{
    raw_channel_ref<Executor> raw;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return raw.get_executor(); }

    template <class Handler>
    void operator()(Handler&& handler, std::unique_ptr<T> value) const
    {
        auto m = std::make_unique<encoded_message>();
        if (system::error_code ec = encode_message<T, Codec>(*value, *m))
        {
            return asio::post(raw.get_executor(), asio::append(std::forward<Handler>(handler), ec));
        }
        const auto& buffers = m->buffers;
        boost::span<const int> fds(m->fds.data(), m->fds.size());
        raw.async_send(buffers, fds, asio::consign(std::forward<Handler>(handler), std::move(m), std::move(value)));
    }
};

// As initiate_typed_send, the operation holds the raw channel's state: it
// follows the channel through moves of the typed object and release_raw().
template <class Executor, class T, class Codec>
struct typed_receive_op
{
    raw_channel_ref<Executor> raw;
    std::optional<credentials>* sender = nullptr; // receive_from: who wrote the message
    std::unique_ptr<raw_message> msg = std::make_unique<raw_message>();
    bool started = false;

    template <class Self>
    void operator()(Self& self)
    {
        started = true;
        // A cancelled receive loses nothing (the frame stays buffered).
        self.reset_cancellation_state(asio::enable_total_cancellation());
        msg->bytes = raw.take_spare_buffer();
        raw.async_receive(*msg, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, system::error_code ec)
    {
        T value{};
        if (!ec && !decode_message<T, Codec>(value, *msg, asio::any_io_executor(raw.get_executor())))
        {
            ec = make_error_code(error::bad_message);
            value = T{};
        }
        if (sender)
            *sender = ec ? std::nullopt : msg->sender;
        msg->fds.clear(); // fds no handle claimed are closed here
        raw.give_spare_buffer(std::move(msg->bytes));
        msg.reset();
        self.complete(ec, std::move(value));
    }
};

template <class Executor>
template <class T, class Codec, class CompletionToken>
auto typed_base<Executor>::send_impl(T&& value, CompletionToken&& token)
{
    if (!raw_)
        BOOST_THROW_EXCEPTION(system::system_error(make_error_code(error::not_connected), "typed channel is empty"));
    return asio::async_initiate<CompletionToken, void(system::error_code)>(
        initiate_typed_send<Executor, T, Codec>{raw_channel_ref<Executor>(*raw_)}, token, std::make_unique<T>(std::move(value)));
}

template <class Executor>
template <class T, class Codec>
void typed_base<Executor>::send_sync_impl(const T& value, system::error_code& ec)
{
    if (!raw_)
        return void(ec = make_error_code(error::not_connected));
    encoded_message m;
    if (system::error_code e = encode_message<T, Codec>(value, m))
        return void(ec = e);
    raw_->send(m.buffers, boost::span<const int>(m.fds.data(), m.fds.size()), ec);
}

template <class Executor>
template <class T, class Codec, class CompletionToken>
auto typed_base<Executor>::receive_impl(CompletionToken&& token, std::optional<credentials>* sender)
{
    if (!raw_)
        BOOST_THROW_EXCEPTION(system::system_error(make_error_code(error::not_connected), "typed channel is empty"));
    return asio::async_compose<CompletionToken, void(system::error_code, T)>(
        typed_receive_op<Executor, T, Codec>{raw_channel_ref<Executor>(*raw_), sender}, token, raw_->get_executor());
}

template <class Executor>
template <class T, class Codec>
T typed_base<Executor>::receive_sync_impl(system::error_code& ec, std::optional<credentials>* sender)
{
    T value{};
    if (!raw_)
    {
        ec = make_error_code(error::not_connected);
        return value;
    }
    const raw_channel_ref<Executor> raw(*raw_);
    raw_message msg;
    msg.bytes = raw.take_spare_buffer();
    raw_->receive(msg, ec);
    if (!ec && !decode_message<T, Codec>(value, msg, asio::any_io_executor(raw_->get_executor())))
    {
        ec = make_error_code(error::bad_message);
        value = T{};
    }
    if (sender)
        *sender = ec ? std::nullopt : msg.sender;
    msg.fds.clear(); // fds no handle claimed are closed here
    raw.give_spare_buffer(std::move(msg.bytes));
    return value;
}

[[noreturn]] inline void throw_typed_error(const system::error_code& ec, const char* what)
{
    boost::throw_exception(system::system_error(ec, what));
}

// The receiving side of basic_receiver and basic_endpoint, written once:
// receives values of `In`. Names::receive and Names::receive_from are the
// what() of the throwing overloads' exceptions.
template <class In, class Codec, class Executor, class Names>
class typed_receiving : public typed_base<Executor>
{
public:
    typed_receiving() = default;

    explicit typed_receiving(basic_raw_channel<Executor> raw) : typed_base<Executor>(std::move(raw)) {}

    /// Receives the next value asynchronously.
    ///
    /// @par Handler signature
    /// `void(system::error_code, In)`; on error the value is default-constructed.
    ///
    /// @par Object lifetimes
    /// As `basic_sender::async_send`: the receiver may be moved, or give up
    /// its raw channel, while the operation is outstanding.
    ///
    /// @par Errors
    /// `error::bad_message` when the payload does not decode; otherwise as
    /// `basic_raw_channel::async_receive`.
    ///
    /// @par Executor, cancellation, thread safety
    /// As `basic_raw_channel::async_receive` (cancellation loses nothing).
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, In)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(Executor)>
    auto async_receive(CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(Executor))
    {
        return this->template receive_impl<In, Codec>(std::forward<CompletionToken>(token));
    }

    /// Receives the next value, blocking.
    In receive(system::error_code& ec) { return this->template receive_sync_impl<In, Codec>(ec); }

    /// Throwing overload of `receive`.
    In receive()
    {
        system::error_code ec;
        In v = receive(ec);
        if (ec)
            detail::throw_typed_error(ec, Names::receive);
        return v;
    }

    /// As `async_receive`, and stores in `sender` who wrote the message (see
    /// `set_pass_credentials`; empty while that is off, and on error).
    /// `sender` must stay valid until the operation completes, as the
    /// endpoint of Asio's `async_receive_from`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, In)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(Executor)>
    auto async_receive_from(std::optional<credentials>& sender,
                            CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(Executor))
    {
        return this->template receive_impl<In, Codec>(std::forward<CompletionToken>(token), &sender);
    }

    /// As `receive`, and stores in `sender` who wrote the message.
    In receive_from(std::optional<credentials>& sender, system::error_code& ec)
    {
        return this->template receive_sync_impl<In, Codec>(ec, &sender);
    }

    /// Throwing overload of `receive_from`.
    In receive_from(std::optional<credentials>& sender)
    {
        system::error_code ec;
        In v = receive_from(sender, ec);
        if (ec)
            detail::throw_typed_error(ec, Names::receive_from);
        return v;
    }
};

struct receiver_names
{
    static constexpr const char* receive = "receiver::receive";
    static constexpr const char* receive_from = "receiver::receive_from";
};

struct endpoint_names
{
    static constexpr const char* receive = "endpoint::receive";
    static constexpr const char* receive_from = "endpoint::receive_from";
};

} // namespace detail

/// The sending end of a typed channel: sends values of `T`, and the fds
/// inside them, to the matching receiver.
///
/// A default-constructed sender is empty (`is_open() == false`). Senders are
/// movable and serializable: a sender inside a message travels to the
/// receiving process, which gets a working sender (the socket's fd crosses
/// with `SCM_RIGHTS`). The local object keeps its own copy of the socket:
/// destroy or close it once the message has gone, so the receiving end sees
/// `error::eof` when the last sender closes.
///
/// @par Thread safety
/// Distinct objects: safe. Shared objects: unsafe.
template <class T, class Codec = serialization_codec, class Executor = asio::any_io_executor>
class basic_sender : public detail::typed_base<Executor>
{
public:
    using value_type = T;

    /// An empty sender.
    basic_sender() = default;

    /// A sender on `raw`.
    explicit basic_sender(basic_raw_channel<Executor> raw) : detail::typed_base<Executor>(std::move(raw)) {}

    /// Sends `value` asynchronously. The operation owns the value (pass
    /// `std::move(v)`, or a copy): it is encoded when the operation starts and
    /// destroyed when it completes, which closes the fds its handles own. A
    /// channel end sent this way is handed over: this process keeps no copy.
    ///
    /// @par Handler signature
    /// `void(system::error_code)`
    ///
    /// @par Object lifetimes
    /// The operation keeps the channel's socket state, not this object's
    /// address: the sender may be moved, or give up its raw channel, while the
    /// operation is outstanding or before a lazy (`deferred`) one is launched.
    /// Closing or destroying the object that owns the socket aborts it.
    ///
    /// @par Errors
    /// `error::bad_message` when encoding throws; otherwise as
    /// `basic_raw_channel::async_send`.
    ///
    /// @par Executor, cancellation, thread safety
    /// As `basic_raw_channel::async_send`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(Executor)>
    auto async_send(T value, CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(Executor))
    {
        return this->template send_impl<T, Codec>(std::move(value), std::forward<CompletionToken>(token));
    }

    /// Sends `value`, blocking. The caller keeps `value` (and its fds).
    void send(const T& value, system::error_code& ec) { this->template send_sync_impl<T, Codec>(value, ec); }

    /// Throwing overload of `send`.
    void send(const T& value)
    {
        system::error_code ec;
        send(value, ec);
        if (ec)
            detail::throw_typed_error(ec, "sender::send");
    }
};

/// The receiving end of a typed channel: receives values of `T`.
///
/// Receiving decodes the frame's payload; a payload that does not decode
/// (truncated, lying sizes, fd indices out of range, fds no handle claims)
/// completes with `error::bad_message`, every fd of that message is closed,
/// and the channel stays usable. Receivers are movable and serializable, as
/// senders are.
template <class T, class Codec = serialization_codec, class Executor = asio::any_io_executor>
class basic_receiver : public detail::typed_receiving<T, Codec, Executor, detail::receiver_names>
{
public:
    using value_type = T;

    basic_receiver() = default;

    explicit basic_receiver(basic_raw_channel<Executor> raw)
        : detail::typed_receiving<T, Codec, Executor, detail::receiver_names>(std::move(raw))
    {
    }

    // async_receive, receive, async_receive_from, receive_from: see
    // detail::typed_receiving (shared with basic_endpoint).
};

/// One end of a bidirectional typed channel: sends `Out`, receives `In`, on
/// one socket (request/response). The other end is a `basic_endpoint<In, Out>`.
template <class Out, class In, class Codec = serialization_codec, class Executor = asio::any_io_executor>
class basic_endpoint : public detail::typed_receiving<In, Codec, Executor, detail::endpoint_names>
{
public:
    using send_type = Out;
    using receive_type = In;

    basic_endpoint() = default;

    explicit basic_endpoint(basic_raw_channel<Executor> raw)
        : detail::typed_receiving<In, Codec, Executor, detail::endpoint_names>(std::move(raw))
    {
    }

    // async_receive, receive, async_receive_from, receive_from: as
    // basic_receiver's (detail::typed_receiving).

    /// As `basic_sender::async_send`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken
                  BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(Executor)>
    auto async_send(Out value, CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(Executor))
    {
        return this->template send_impl<Out, Codec>(std::move(value), std::forward<CompletionToken>(token));
    }

    void send(const Out& value, system::error_code& ec) { this->template send_sync_impl<Out, Codec>(value, ec); }

    void send(const Out& value)
    {
        system::error_code ec;
        send(value, ec);
        if (ec)
            detail::throw_typed_error(ec, "endpoint::send");
    }
};

template <class T>
using sender = basic_sender<T>;

template <class T>
using receiver = basic_receiver<T>;

template <class Out, class In>
using endpoint = basic_endpoint<Out, In>;

/// Makes a connected sender/receiver pair on `ex` (a close-on-exec socketpair).
template <class T, class Codec = serialization_codec, class Executor>
std::pair<basic_sender<T, Codec, Executor>, basic_receiver<T, Codec, Executor>> make_channel(const Executor& ex)
{
    auto raw = make_raw_channel_pair(ex);
    return {basic_sender<T, Codec, Executor>(std::move(raw.first)),
            basic_receiver<T, Codec, Executor>(std::move(raw.second))};
}

/// Makes a connected sender/receiver pair on `ctx`'s executor.
template <class T, class Codec = serialization_codec, class ExecutionContext>
auto make_channel(ExecutionContext& ctx,
                  std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>* = 0)
{
    return make_channel<T, Codec>(asio::any_io_executor(ctx.get_executor()));
}

/// Makes a connected pair of endpoints: the first sends `A` and receives `B`.
template <class A, class B, class Codec = serialization_codec, class Executor>
std::pair<basic_endpoint<A, B, Codec, Executor>, basic_endpoint<B, A, Codec, Executor>> make_endpoint_pair(
    const Executor& ex)
{
    auto raw = make_raw_channel_pair(ex);
    return {basic_endpoint<A, B, Codec, Executor>(std::move(raw.first)),
            basic_endpoint<B, A, Codec, Executor>(std::move(raw.second))};
}

template <class A, class B, class Codec = serialization_codec, class ExecutionContext>
auto make_endpoint_pair(ExecutionContext& ctx,
                        std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>* = 0)
{
    return make_endpoint_pair<A, B, Codec>(asio::any_io_executor(ctx.get_executor()));
}

/// Connects to `path` and returns a sender on the connection.
template <class T, class Codec = serialization_codec, class Executor>
basic_sender<T, Codec, Executor> connect_sender(const Executor& ex, std::string_view path)
{
    basic_raw_channel<Executor> raw(ex);
    raw.connect(path);
    return basic_sender<T, Codec, Executor>(std::move(raw));
}

/// Connects to `path` and returns a receiver on the connection.
template <class T, class Codec = serialization_codec, class Executor>
basic_receiver<T, Codec, Executor> connect_receiver(const Executor& ex, std::string_view path)
{
    basic_raw_channel<Executor> raw(ex);
    raw.connect(path);
    return basic_receiver<T, Codec, Executor>(std::move(raw));
}

/// A raw channel travels as its socket and the input it had read and not
/// delivered yet (see the wire format); the JSON codec carries only the
/// socket, and refuses a channel that holds input (`error::channel_busy`).
template <class Executor>
struct handle_traits<basic_raw_channel<Executor>>
{
    static int native_handle(const basic_raw_channel<Executor>& c) noexcept { return c.native_handle(); }
    static basic_raw_channel<Executor> from_fd(unique_fd fd, const asio::any_io_executor& ex)
    {
        basic_raw_channel<Executor> c(detail::executor_for<Executor>(ex));
        system::error_code ec;
        c.assign(std::move(fd), ec);
        if (ec)
            ipc_iarchive::fail("received channel: not a connected Unix stream socket");
        return c;
    }

    template <class Archive>
    static void save(Archive& ar, const basic_raw_channel<Executor>* c)
    {
        detail::save_channel(ar, c);
    }

    template <class Archive>
    static void load(Archive& ar, std::optional<basic_raw_channel<Executor>>& c)
    {
        detail::load_channel(ar, c);
    }
};

} // namespace unix_ipc
} // namespace boost

#endif
