//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_RAW_CHANNEL_HPP
#define BOOST_UNIX_IPC_IMPL_RAW_CHANNEL_HPP

#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/detail/channel_state.hpp>
#include <boost/unix_ipc/detail/socket_ops.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <memory>
#include <tuple>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {

// The socket part of a channel: an Asio socket that waits for readiness on the
// channel's executor and feeds the engine.
template <class Executor>
class raw_channel_impl final : public channel_state
{
public:
    using socket_type = asio::basic_stream_socket<asio::local::stream_protocol, Executor>;

    explicit raw_channel_impl(const Executor& ex)
        : channel_state(asio::query(ex, asio::execution::context)), socket_(ex)
    {
    }

    ~raw_channel_impl() override = default;

    void assign(unique_fd fd, system::error_code& ec)
    {
        if (socket_.is_open())
            return void(ec = asio::error::already_open);
        prepare_socket(fd.get(), ec);
        if (ec)
            return;
        socket_.assign(asio::local::stream_protocol(), fd.get(), ec);
        if (ec)
            return;
        attach(fd.release());
    }

    void close() noexcept
    {
        detach();
        system::error_code ignored;
        socket_.close(ignored);
    }

    unique_fd release() noexcept
    {
        detach();
        if (!socket_.is_open())
            return unique_fd();
        system::error_code ec;
        int fd = socket_.release(ec);
        if (ec)
        {
            socket_.close(ec);
            return unique_fd();
        }
        return unique_fd(fd);
    }

private:
    void wait_readable() override
    {
        socket_.async_wait(socket_type::wait_read,
                           [self = shared_from_this(), gen = generation()](const system::error_code& ec) {
                               self->on_readable(ec, gen);
                           });
    }

    void wait_writable() override
    {
        socket_.async_wait(socket_type::wait_write,
                           [self = shared_from_this(), gen = generation()](const system::error_code& ec) {
                               self->on_writable(ec, gen);
                           });
    }

    void cancel_waits() noexcept override
    {
        system::error_code ignored;
        socket_.cancel(ignored);
    }

    void schedule_drain() override
    {
        asio::post(socket_.get_executor(), [self = shared_from_this()]() { self->on_drain(); });
    }

    socket_type socket_;
};

// Allocation of operations with the handler's associated allocator (Asio's
// recycling allocator by default: no allocation per operation in steady state).
template <class Op, class Handler>
using op_allocator_t = typename std::allocator_traits<
    asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>>::template rebind_alloc<Op>;

template <class Op, class Handler, class... Args>
Op* allocate_op(Handler& h, Args&&... args)
{
    op_allocator_t<Op, Handler> a(asio::get_associated_allocator(h, asio::recycling_allocator<void>()));
    Op* p = std::allocator_traits<decltype(a)>::allocate(a, 1);
    try
    {
        return ::new (static_cast<void*>(p)) Op(std::forward<Args>(args)...);
    }
    catch (...)
    {
        std::allocator_traits<decltype(a)>::deallocate(a, p, 1);
        throw;
    }
}

template <class Op, class Handler>
void free_op(Op* p, Handler& h) noexcept
{
    op_allocator_t<Op, Handler> a(asio::get_associated_allocator(h, asio::recycling_allocator<void>()));
    p->~Op();
    std::allocator_traits<decltype(a)>::deallocate(a, p, 1);
}

template <class Op>
struct op_cancellation
{
    channel_state* state;
    Op* op;

    void operator()(asio::cancellation_type type)
    {
        if ((type & (asio::cancellation_type::terminal | asio::cancellation_type::partial |
                     asio::cancellation_type::total)) != asio::cancellation_type::none)
            op->cancel_in(*state);
    }
};

template <class Handler, class IoExecutor>
using handler_work_t =
    asio::executor_work_guard<asio::associated_executor_t<Handler, IoExecutor>>;

// What every operation of a channel holds: its handler, the work guard of
// the handler's executor and its cancellation slot (Derived: the final
// operation type, allocated with allocate_op).
template <class Base, class Handler, class IoExecutor, class Derived>
class channel_op : public Base
{
public:
    void destroy() noexcept override
    {
        if (slot_.is_connected())
            slot_.clear();
        Handler h(std::move(handler_));
        free_op(static_cast<Derived*>(this), h);
    }

protected:
    channel_op(Handler&& h, const IoExecutor& io_ex, channel_state& st)
        : handler_(std::move(h)), work_(asio::get_associated_executor(handler_, io_ex))
    {
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (slot.is_connected())
        {
            slot_ = slot;
            slot.template emplace<op_cancellation<Derived>>(
                op_cancellation<Derived>{&st, static_cast<Derived*>(this)});
        }
    }

    ~channel_op() = default;

    // Frees the operation, then invokes the handler with args (which must
    // not refer into the operation) on its executor: inline when the caller
    // runs there already (the channel's loop, its drain).
    template <class... Args>
    void invoke(Args&&... args)
    {
        if (slot_.is_connected())
            slot_.clear();
        Handler h(std::move(handler_));
        handler_work_t<Handler, IoExecutor> work(std::move(work_));
        free_op(static_cast<Derived*>(this), h);
        auto ex = work.get_executor();
        asio::dispatch(ex, asio::append(std::move(h), std::forward<Args>(args)...));
    }

private:
    Handler handler_;
    handler_work_t<Handler, IoExecutor> work_;
    asio::cancellation_slot slot_;
};

template <class Handler, class IoExecutor>
class send_op final : public channel_op<send_op_base, Handler, IoExecutor, send_op<Handler, IoExecutor>>
{
    using base = channel_op<send_op_base, Handler, IoExecutor, send_op<Handler, IoExecutor>>;

public:
    send_op(Handler&& h, const IoExecutor& io_ex, channel_state& st) : base(std::move(h), io_ex, st) {}

    void cancel_in(channel_state& st) { st.cancel_send(this); }

    void complete(system::error_code ec) override { this->invoke(ec); }
};

// ByValue: the handler takes (error_code, raw_message); otherwise (error_code)
// and the frame goes into the caller's raw_message.
template <class Handler, class IoExecutor, bool ByValue>
class recv_op final
    : public channel_op<recv_op_base, Handler, IoExecutor, recv_op<Handler, IoExecutor, ByValue>>
{
    using base = channel_op<recv_op_base, Handler, IoExecutor, recv_op<Handler, IoExecutor, ByValue>>;

public:
    recv_op(Handler&& h, const IoExecutor& io_ex, channel_state& st, raw_message* target)
        : base(std::move(h), io_ex, st)
    {
        this->dest = ByValue ? &msg_ : target;
    }

    void cancel_in(channel_state& st) { st.cancel_receive(this); }

    void complete(system::error_code ec) override
    {
        if constexpr (ByValue)
        {
            raw_message msg;
            if (!ec)
                msg = std::move(msg_);
            this->invoke(ec, std::move(msg));
        }
        else
            this->invoke(ec);
    }

private:
    raw_message msg_;
};

template <class ConstBufferSequence>
void fill_frame(frame_out& f, const ConstBufferSequence& buffers, boost::span<const int> fds)
{
    for (auto it = asio::buffer_sequence_begin(buffers), end = asio::buffer_sequence_end(buffers); it != end;
         ++it)
    {
        asio::const_buffer b(*it);
        f.add_buffer(b.data(), b.size());
    }
    f.fds.assign(fds.begin(), fds.end());
    f.finish();
}

template <class Executor>
struct initiate_send
{
    std::shared_ptr<raw_channel_impl<Executor>> impl;
    Executor ex;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return ex; }

    template <class Handler, class ConstBufferSequence>
    void operator()(Handler&& handler, const ConstBufferSequence& buffers, boost::span<const int> fds) const
    {
        if (!impl)
            return asio::post(ex, asio::append(std::forward<Handler>(handler),
                                               system::error_code(make_error_code(error::not_connected))));
        using op_type = send_op<std::decay_t<Handler>, Executor>;
        std::decay_t<Handler> h(std::forward<Handler>(handler));
        op_type* op = allocate_op<op_type>(h, std::move(h), ex, *impl);
        try
        {
            fill_frame(*op, buffers, fds);
        }
        catch (...)
        {
            op->destroy();
            throw;
        }
        impl->start_send(op);
    }
};

template <class Executor, bool ByValue>
struct initiate_receive
{
    std::shared_ptr<raw_channel_impl<Executor>> impl;
    Executor ex;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return ex; }

    template <class Handler>
    void operator()(Handler&& handler, raw_message* dest) const
    {
        if (!impl)
        {
            const system::error_code ec = make_error_code(error::not_connected);
            if constexpr (ByValue)
                return asio::post(ex, asio::append(std::forward<Handler>(handler), ec, raw_message()));
            else
                return asio::post(ex, asio::append(std::forward<Handler>(handler), ec));
        }
        using op_type = recv_op<std::decay_t<Handler>, Executor, ByValue>;
        std::decay_t<Handler> h(std::forward<Handler>(handler));
        op_type* op = allocate_op<op_type>(h, std::move(h), ex, *impl, dest);
        impl->start_receive(op);
    }
};

// What an operation started through a wrapper of a raw channel (the typed
// channels) keeps of it: the executor and the shared state, never the address
// of the channel object. Such an operation follows the state wherever the
// channel moves (a moved typed channel, release_raw()); once the owning
// channel is closed or destroyed, it fails as any operation on a closed
// channel does.
template <class Executor>
class raw_channel_ref
{
public:
    explicit raw_channel_ref(const basic_raw_channel<Executor>& c) : ex_(c.ex_), impl_(c.impl_) {}

    const Executor& get_executor() const noexcept { return ex_; }

    template <class ConstBufferSequence, class CompletionToken>
    auto async_send(const ConstBufferSequence& buffers, boost::span<const int> fds, CompletionToken&& token) const
    {
        return asio::async_initiate<CompletionToken, void(system::error_code)>(
            initiate_send<Executor>{impl_, ex_}, token, buffers, fds);
    }

    template <class CompletionToken>
    auto async_receive(raw_message& msg, CompletionToken&& token) const
    {
        return asio::async_initiate<CompletionToken, void(system::error_code)>(
            initiate_receive<Executor, false>{impl_, ex_}, token, &msg);
    }

    // See channel_state::take_spare_buffer.
    std::vector<std::byte> take_spare_buffer() const noexcept
    {
        return impl_ ? impl_->take_spare_buffer() : std::vector<std::byte>();
    }
    void give_spare_buffer(std::vector<std::byte>&& b) const noexcept
    {
        if (impl_)
            impl_->give_spare_buffer(std::move(b));
    }

    // Handing the channel over: see channel_state::buffered_input and
    // restore_input. The channel must be open.
    void buffered_input(std::vector<std::byte>& bytes, std::vector<int>& fds, system::error_code& ec) const
    {
        impl_->buffered_input(bytes, fds, ec);
    }
    bool has_buffered_input() const noexcept { return impl_ && impl_->has_buffered_input(); }
    void restore_input(const std::byte* data, std::size_t size, std::vector<unique_fd>&& fds) const
    {
        impl_->restore_input(data, size, std::move(fds));
    }

private:
    Executor ex_;
    std::shared_ptr<raw_channel_impl<Executor>> impl_;
};

[[noreturn]] inline void throw_error(const system::error_code& ec, const char* what)
{
    boost::throw_exception(system::system_error(ec, what));
}

} // namespace detail

template <class Executor>
basic_raw_channel<Executor>::basic_raw_channel(const executor_type& ex)
    : ex_(ex), impl_(std::make_shared<impl_type>(ex))
{
}

template <class Executor>
basic_raw_channel<Executor>::basic_raw_channel(const executor_type& ex, unique_fd socket)
    : basic_raw_channel(ex)
{
    assign(std::move(socket));
}

template <class Executor>
basic_raw_channel<Executor>::basic_raw_channel(
    asio::basic_stream_socket<asio::local::stream_protocol, Executor>&& socket)
    : basic_raw_channel(socket.get_executor())
{
    system::error_code ec;
    int fd = socket.release(ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel: release");
    assign(unique_fd(fd));
}

template <class Executor>
basic_raw_channel<Executor>& basic_raw_channel<Executor>::operator=(basic_raw_channel&& other) noexcept
{
    if (this != &other)
    {
        if (impl_)
            impl_->close();
        ex_ = other.ex_; // the moved-from channel keeps its executor
        impl_ = std::move(other.impl_);
    }
    return *this;
}

template <class Executor>
basic_raw_channel<Executor>::~basic_raw_channel()
{
    if (impl_)
        impl_->close();
}

template <class Executor>
void basic_raw_channel<Executor>::assign(unique_fd socket, system::error_code& ec)
{
    if (!impl_)
        impl_ = std::make_shared<impl_type>(ex_);
    impl_->assign(std::move(socket), ec);
}

template <class Executor>
void basic_raw_channel<Executor>::assign(unique_fd socket)
{
    system::error_code ec;
    assign(std::move(socket), ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel::assign");
}

template <class Executor>
void basic_raw_channel<Executor>::connect(std::string_view path, system::error_code& ec)
{
    if (is_open())
        return void(ec = asio::error::already_open);
    unique_fd s = detail::connect_path(path, ec);
    if (!ec)
        assign(std::move(s), ec);
}

template <class Executor>
void basic_raw_channel<Executor>::connect(std::string_view path)
{
    system::error_code ec;
    connect(path, ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel::connect");
}

template <class Executor>
credentials basic_raw_channel<Executor>::peer_credentials() const
{
    system::error_code ec;
    credentials c = peer_credentials(ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel::peer_credentials");
    return c;
}

template <class Executor>
void basic_raw_channel<Executor>::cancel() noexcept
{
    if (impl_)
        impl_->cancel_all();
}

template <class Executor>
void basic_raw_channel<Executor>::close() noexcept
{
    if (impl_)
        impl_->close();
}

template <class Executor>
unique_fd basic_raw_channel<Executor>::release() noexcept
{
    return impl_ ? impl_->release() : unique_fd();
}

template <class Executor>
template <class ConstBufferSequence, BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken>
auto basic_raw_channel<Executor>::async_send(const ConstBufferSequence& buffers, boost::span<const int> fds,
                                             CompletionToken&& token)
{
    static_assert(asio::is_const_buffer_sequence<ConstBufferSequence>::value,
                  "ConstBufferSequence requirements not met");
    return asio::async_initiate<CompletionToken, void(system::error_code)>(
        detail::initiate_send<Executor>{impl_, ex_}, token, buffers, fds);
}

template <class Executor>
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, raw_message)) CompletionToken>
auto basic_raw_channel<Executor>::async_receive(CompletionToken&& token)
{
    return asio::async_initiate<CompletionToken, void(system::error_code, raw_message)>(
        detail::initiate_receive<Executor, true>{impl_, ex_}, token, static_cast<raw_message*>(nullptr));
}

template <class Executor>
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code)) CompletionToken>
auto basic_raw_channel<Executor>::async_receive(raw_message& msg, CompletionToken&& token)
{
    return asio::async_initiate<CompletionToken, void(system::error_code)>(
        detail::initiate_receive<Executor, false>{impl_, ex_}, token, &msg);
}

template <class Executor>
template <class ConstBufferSequence>
void basic_raw_channel<Executor>::send(const ConstBufferSequence& buffers, boost::span<const int> fds,
                                       system::error_code& ec)
{
    static_assert(asio::is_const_buffer_sequence<ConstBufferSequence>::value,
                  "ConstBufferSequence requirements not met");
    if (!impl_)
        return void(ec = make_error_code(error::not_connected));
    detail::frame_out f;
    detail::fill_frame(f, buffers, fds);
    impl_->send_sync(f, ec);
}

template <class Executor>
template <class ConstBufferSequence>
void basic_raw_channel<Executor>::send(const ConstBufferSequence& buffers, boost::span<const int> fds)
{
    system::error_code ec;
    send(buffers, fds, ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel::send");
}

template <class Executor>
void basic_raw_channel<Executor>::receive(raw_message& msg, system::error_code& ec)
{
    if (!impl_)
        return void(ec = make_error_code(error::not_connected));
    impl_->receive_sync(msg, ec);
}

template <class Executor>
raw_message basic_raw_channel<Executor>::receive(system::error_code& ec)
{
    raw_message msg;
    receive(msg, ec);
    if (ec)
        return raw_message();
    return msg;
}

template <class Executor>
raw_message basic_raw_channel<Executor>::receive()
{
    system::error_code ec;
    raw_message msg = receive(ec);
    if (ec)
        detail::throw_error(ec, "basic_raw_channel::receive");
    return msg;
}

template <class Executor>
std::pair<basic_raw_channel<Executor>, basic_raw_channel<Executor>> make_raw_channel_pair(
    const Executor& ex, system::error_code& ec,
    std::enable_if_t<asio::execution::is_executor<Executor>::value || asio::is_executor<Executor>::value>*)
{
    std::pair<basic_raw_channel<Executor>, basic_raw_channel<Executor>> p(basic_raw_channel<Executor>{ex},
                                                                          basic_raw_channel<Executor>{ex});
    unique_fd a, b;
    detail::make_socketpair(a, b, ec);
    if (!ec)
        p.first.assign(std::move(a), ec);
    if (!ec)
        p.second.assign(std::move(b), ec);
    if (ec)
    {
        p.first.close();
        p.second.close();
    }
    return p;
}

template <class Executor>
std::pair<basic_raw_channel<Executor>, basic_raw_channel<Executor>> make_raw_channel_pair(
    const Executor& ex,
    std::enable_if_t<asio::execution::is_executor<Executor>::value || asio::is_executor<Executor>::value>*)
{
    system::error_code ec;
    auto p = make_raw_channel_pair(ex, ec);
    if (ec)
        detail::throw_error(ec, "make_raw_channel_pair");
    return p;
}

} // namespace unix_ipc
} // namespace boost

#endif
