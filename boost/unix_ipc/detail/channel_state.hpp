//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_CHANNEL_STATE_HPP
#define BOOST_UNIX_IPC_DETAIL_CHANNEL_STATE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/detail/frame_reader.hpp>
#include <boost/unix_ipc/detail/socket_ops.hpp>

#include <boost/system/error_code.hpp>

#include <boost/asio/execution_context.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace boost {
namespace unix_ipc {
namespace detail {

// When an operation completes: from the channel's own loop, the handler is
// invoked at once (dispatched to its executor: inline when the loop already
// runs there); when it finished inside its initiating function, or in
// cancel()/close(), it waits in the channel's queue of ready operations,
// which one posted call drains (see channel_state::finish).
enum class completion_mode
{
    dispatch,
    post
};

class channel_state;

// What every operation has: a link in the queue of ready operations and the
// result it completes with there.
struct completion_base
{
    completion_base* ready_next = nullptr;
    system::error_code result;

    // Invokes the handler with ec (dispatched to its executor) and frees the
    // operation.
    virtual void complete(system::error_code ec) = 0;
    // Frees the operation without invoking the handler (shutdown).
    virtual void destroy() noexcept = 0;

protected:
    ~completion_base() = default;
};

struct send_op_base : frame_out, completion_base
{
protected:
    ~send_op_base() = default;
};

struct recv_op_base : completion_base
{
    recv_op_base* next = nullptr;
    raw_message* dest = nullptr;

protected:
    ~recv_op_base() = default;
};

// An intrusive FIFO of operations.
template <class Op>
class op_queue
{
public:
    bool empty() const noexcept { return !front_; }
    Op* front() const noexcept { return front_; }

    void push(Op* op) noexcept
    {
        op->next = nullptr;
        if (back_)
            back_->next = op;
        else
            front_ = op;
        back_ = op;
    }

    Op* pop() noexcept
    {
        Op* op = front_;
        if (op)
        {
            front_ = static_cast<Op*>(op->next);
            if (!front_)
                back_ = nullptr;
            op->next = nullptr;
        }
        return op;
    }

    // Removes op if queued; returns whether it was.
    bool remove(Op* op) noexcept
    {
        Op* prev = nullptr;
        for (Op* p = front_; p; prev = p, p = static_cast<Op*>(p->next))
        {
            if (p != op)
                continue;
            if (prev)
                prev->next = p->next;
            else
                front_ = static_cast<Op*>(p->next);
            if (back_ == p)
                back_ = prev;
            p->next = nullptr;
            return true;
        }
        return false;
    }

    void swap(op_queue& other) noexcept
    {
        std::swap(front_, other.front_);
        std::swap(back_, other.back_);
    }

    // Moves every operation of *this in front of those of q.
    void prepend_to(op_queue& q) noexcept
    {
        if (!front_)
            return;
        back_->next = q.front_;
        if (!q.back_)
            q.back_ = back_;
        q.front_ = front_;
        front_ = back_ = nullptr;
    }

    // Puts back in front of q what is left of a queue taken from it, when
    // completing its operations stops early (a handler invoked inline threw).
    struct requeue
    {
        op_queue& taken;
        op_queue& q;
        requeue(op_queue& t, op_queue& to) noexcept : taken(t), q(to) {}
        requeue(const requeue&) = delete;
        requeue& operator=(const requeue&) = delete;
        ~requeue() { taken.prepend_to(q); }
    };

private:
    Op* front_ = nullptr;
    Op* back_ = nullptr;
};

class channel_state;

// Every channel of an execution context registers here, so that destroying the
// context destroys the operations still queued in channels (and the handlers
// they hold), as Asio does with the operations queued in its reactor. Without
// it, a handler owning its own channel would keep both alive forever.
class BOOST_SYMBOL_VISIBLE channel_service : public asio::execution_context::service
{
public:
    using key_type = channel_service;
    BOOST_UNIX_IPC_DECL static asio::execution_context::id id;

    explicit channel_service(asio::execution_context& ctx) : asio::execution_context::service(ctx) {}

    BOOST_UNIX_IPC_DECL void add(channel_state* s);
    BOOST_UNIX_IPC_DECL void remove(channel_state* s) noexcept;

private:
    BOOST_UNIX_IPC_DECL void shutdown() override;

    std::mutex mutex_;
    channel_state* first_ = nullptr;
    bool shut_down_ = false;
};

// The non-template engine of a raw channel: frame reader, send and receive
// queues, sticky errors, and the loop that does the I/O and completes what is
// ready. The executor-specific part (the Asio socket that waits for readiness)
// derives from it.
class BOOST_SYMBOL_VISIBLE channel_state : public std::enable_shared_from_this<channel_state>
{
public:
    BOOST_UNIX_IPC_DECL explicit channel_state(asio::execution_context& ctx);
    BOOST_UNIX_IPC_DECL virtual ~channel_state();

    channel_state(const channel_state&) = delete;
    channel_state& operator=(const channel_state&) = delete;

    bool is_open() const noexcept { return fd_ >= 0; }
    int native_handle() const noexcept { return fd_; }

    receive_limits limits() const noexcept { return reader_.limits(); }
    void set_limits(const receive_limits& l) noexcept { reader_.set_limits(l); }

    // Operations started by the user (initiating functions).
    BOOST_UNIX_IPC_DECL void start_send(send_op_base* op);
    BOOST_UNIX_IPC_DECL void start_receive(recv_op_base* op);

    // Per-operation cancellation.
    BOOST_UNIX_IPC_DECL void cancel_send(send_op_base* op);
    BOOST_UNIX_IPC_DECL void cancel_receive(recv_op_base* op);

    // Synchronous operations.
    BOOST_UNIX_IPC_DECL void send_sync(frame_out& f, system::error_code& ec);
    BOOST_UNIX_IPC_DECL void receive_sync(raw_message& msg, system::error_code& ec);

    // Handing the channel over (serializing it): what it read from the
    // socket and did not deliver yet (see frame_reader::buffered_input).
    // error::channel_busy when it cannot be handed over: an operation is
    // outstanding, the reader is skipping a frame, or the receive side failed
    // (other than at the end of the stream).
    BOOST_UNIX_IPC_DECL void buffered_input(std::vector<std::byte>& bytes, std::vector<int>& fds,
                                            system::error_code& ec) const;
    bool has_buffered_input() const noexcept { return reader_.has_buffered_input(); }

    // On a channel just opened, before any receive: input handed over with it.
    BOOST_UNIX_IPC_DECL void restore_input(const std::byte* data, std::size_t size, std::vector<unique_fd>&& fds);

    // Completes every outstanding operation with operation_aborted, except a
    // partly written frame, which is finished.
    BOOST_UNIX_IPC_DECL void cancel_all();

    // Readiness reported by the derived class's waits.
    BOOST_UNIX_IPC_DECL void on_readable(const system::error_code& ec, unsigned generation);
    BOOST_UNIX_IPC_DECL void on_writable(const system::error_code& ec, unsigned generation);
    // The call schedule_drain() posted: completes the ready operations, then
    // runs the loop (which writes the frames their handlers queued together).
    BOOST_UNIX_IPC_DECL void on_drain();

    // A payload buffer that typed receives lend to their messages and give
    // back after decoding: with the reader's own buffer for big frames, a
    // stream of big messages reuses two buffers instead of allocating (and
    // faulting in) fresh memory for each. A buffer more than twice the size
    // of the payload it last held is not kept, so one huge message does not
    // pin its memory. The give-back runs where the operation completes (the
    // handler's executor), hence the mutex.
    std::vector<std::byte> take_spare_buffer() noexcept
    {
        std::lock_guard<std::mutex> lock(spare_mutex_);
        return std::exchange(spare_, {});
    }
    void give_spare_buffer(std::vector<std::byte>&& b) noexcept
    {
        if (b.capacity() > 2 * b.size() + 64 * 1024)
            return;
        std::lock_guard<std::mutex> lock(spare_mutex_);
        if (b.capacity() >= spare_.capacity())
            spare_ = std::move(b);
    }

protected:
    // The derived class owns the socket; these tell the engine about it.
    BOOST_UNIX_IPC_DECL void attach(int fd) noexcept;
    // Fails every operation with operation_aborted, drops buffered data and fds.
    BOOST_UNIX_IPC_DECL void detach() noexcept;

    unsigned generation() const noexcept { return generation_; }

    // Start one asynchronous wait for readability / writability, whose
    // completion calls on_readable / on_writable with generation().
    virtual void wait_readable() = 0;
    virtual void wait_writable() = 0;
    // Cancel the pending waits (they complete with operation_aborted).
    virtual void cancel_waits() noexcept = 0;
    // Post a call of on_drain() to the channel's executor.
    virtual void schedule_drain() = 0;

private:
    friend class channel_service;

    // The execution context is going: destroy every queued operation.
    void shutdown() noexcept;
    void cancel_idle_waits() noexcept;
    void run(completion_mode mode);
    void arm_waits();
    bool pump_receive(completion_mode mode);
    bool pump_send(completion_mode mode);
    // The protocol steps, written once for both drivers: the asynchronous
    // one (blocking = false: a step that would block says so, and the loop
    // waits on the reactor) and the synchronous one (blocking = true: the
    // step blocks in the kernel, as a blocking socket does).
    // An allocation failure fails the step with ENOMEM (errc::not_enough_memory);
    // nothing is lost.
    bool receive_step(raw_message& msg, system::error_code& ec, bool blocking);
    bool receive_step_once(raw_message& msg, system::error_code& ec, bool blocking);
    bool send_step(frame_out& first, system::error_code& ec, bool blocking);
    void fail_receives(const system::error_code& ec, completion_mode mode);
    void fail_sends(const system::error_code& ec, completion_mode mode, bool keep_started);
    void read_failed(const system::error_code& ec);
    // Completes op with ec: at once in dispatch mode when nothing waits in
    // the ready queue, otherwise queued there (see completion_mode).
    void finish(completion_base* op, const system::error_code& ec, completion_mode mode);
    void request_drain() noexcept;
    // After an exception left the loop or the drain: a drain goes on with
    // what is queued.
    void resume_after_exception() noexcept;

    int fd_ = -1;
    unsigned generation_ = 0;
    frame_reader reader_;
    op_queue<send_op_base> sends_;
    op_queue<recv_op_base> recvs_;
    system::error_code read_error_;  // sticky
    system::error_code write_error_; // sticky
    bool running_ = false;
    bool read_drained_ = false; // the last read found no more data: wait
    bool write_blocked_ = false; // the last write found the socket full: wait
    bool read_waiting_ = false;
    bool write_waiting_ = false;
    bool drain_scheduled_ = false;
    completion_base* ready_front_ = nullptr; // completed, handler not invoked yet
    completion_base* ready_back_ = nullptr;
    bool shut_down_ = false;
    std::mutex spare_mutex_;
    std::vector<std::byte> spare_;

    channel_service& service_;
    channel_state* next_ = nullptr; // in service_'s list
    channel_state* prev_ = nullptr;
};

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
