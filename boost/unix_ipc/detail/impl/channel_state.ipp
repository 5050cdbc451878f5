//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IMPL_CHANNEL_STATE_IPP
#define BOOST_UNIX_IPC_DETAIL_IMPL_CHANNEL_STATE_IPP

#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/detail/channel_state.hpp>

#include <boost/asio/error.hpp>
#include <boost/assert/source_location.hpp>

#include <poll.h>

#include <cerrno>
#include <new>

namespace boost {
namespace unix_ipc {
namespace detail {

namespace {

inline system::error_code lib_error(error e, const source_location& loc) noexcept
{
    system::error_code ec;
    ec.assign(static_cast<int>(e), get_error_category(), &loc);
    return ec;
}

} // namespace

asio::execution_context::id channel_service::id;

void channel_service::add(channel_state* s)
{
    std::lock_guard<std::mutex> lock(mutex_);
    s->next_ = first_;
    s->prev_ = nullptr;
    if (first_)
        first_->prev_ = s;
    first_ = s;
    if (shut_down_)
        s->shut_down_ = true;
}

void channel_service::remove(channel_state* s) noexcept
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (s->prev_)
        s->prev_->next_ = s->next_;
    else if (first_ == s)
        first_ = s->next_;
    if (s->next_)
        s->next_->prev_ = s->prev_;
    s->next_ = s->prev_ = nullptr;
}

void channel_service::shutdown()
{
    // Destroying operations destroys handlers, which may destroy channels
    // (and unregister them): take one state at a time, keeping it alive.
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shut_down_ = true;
    }
    for (;;)
    {
        std::shared_ptr<channel_state> next;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (channel_state* s = first_; s && !next; s = s->next_)
                if (!s->shut_down_)
                {
                    s->shut_down_ = true;
                    next = s->weak_from_this().lock();
                }
            if (!next)
            {
                bool any_left = false;
                for (channel_state* s = first_; s; s = s->next_)
                    any_left |= !s->shut_down_;
                if (!any_left)
                    return;
                continue;
            }
        }
        next->shutdown();
    }
}

channel_state::channel_state(asio::execution_context& ctx) : service_(asio::use_service<channel_service>(ctx))
{
    service_.add(this);
}

channel_state::~channel_state()
{
    service_.remove(this);
    // Only reached when no wait is pending and no operation can complete any
    // more (the execution context is being destroyed): free, don't invoke.
    shutdown();
}

void channel_state::shutdown() noexcept
{
    shut_down_ = true;
    op_queue<send_op_base> sends;
    op_queue<recv_op_base> recvs;
    sends.swap(sends_);
    recvs.swap(recvs_);
    completion_base* ready = std::exchange(ready_front_, nullptr);
    ready_back_ = nullptr;
    while (send_op_base* op = sends.pop())
        op->destroy();
    while (recv_op_base* op = recvs.pop())
        op->destroy();
    while (completion_base* op = ready)
    {
        ready = op->ready_next;
        op->destroy();
    }
}

void channel_state::cancel_idle_waits() noexcept
{
    // A wait no operation needs would keep the execution context busy.
    if ((read_waiting_ && recvs_.empty()) || (write_waiting_ && sends_.empty()))
        cancel_waits();
}

void channel_state::attach(int fd) noexcept
{
    fd_ = fd;
    ++generation_;
    reader_.reset();
    read_error_.clear();
    write_error_.clear();
    read_drained_ = false;
    write_blocked_ = false;
    read_waiting_ = false;
    write_waiting_ = false;
}

void channel_state::detach() noexcept
{
    fd_ = -1;
    ++generation_;
    read_waiting_ = false;
    write_waiting_ = false;
    const system::error_code aborted = asio::error::operation_aborted;
    fail_sends(aborted, completion_mode::post, false);
    fail_receives(aborted, completion_mode::post);
    reader_.reset();
    take_spare_buffer(); // freed
}

void channel_state::finish(completion_base* op, const system::error_code& ec, completion_mode mode)
{
    if (mode == completion_mode::dispatch && !ready_front_)
        return op->complete(ec);
    op->result = ec;
    op->ready_next = nullptr;
    if (ready_back_)
        ready_back_->ready_next = op;
    else
        ready_front_ = op;
    ready_back_ = op;
    request_drain();
}

void channel_state::request_drain() noexcept
{
    if (drain_scheduled_ || !ready_front_ || shut_down_)
        return;
    try
    {
        schedule_drain();
        drain_scheduled_ = true;
    }
    catch (...)
    {
        // Out of memory: the operations wait in the queue until the next
        // completion or run of the loop schedules the drain again.
    }
}

void channel_state::on_drain()
{
    // Handlers may close or drop the channel: keep the state.
    std::shared_ptr<channel_state> keep = shared_from_this();
    drain_scheduled_ = false;
    running_ = true;
    try
    {
        // One at a time from the queue: if a handler throws, the others
        // are still there for the next drain.
        while (completion_base* op = ready_front_)
        {
            ready_front_ = op->ready_next;
            if (!ready_front_)
                ready_back_ = nullptr;
            op->complete(op->result);
        }
    }
    catch (...)
    {
        // As in run(): what is left, completed or started by the handlers
        // that ran, goes on from the next drain.
        running_ = false;
        resume_after_exception();
        throw;
    }
    running_ = false;
    // What the handlers started: their frames leave together.
    run(completion_mode::dispatch);
}

void channel_state::resume_after_exception() noexcept
{
    if (drain_scheduled_ || shut_down_)
        return;
    if (!ready_front_ && (fd_ < 0 || (recvs_.empty() && sends_.empty())))
        return;
    try
    {
        schedule_drain();
        drain_scheduled_ = true;
    }
    catch (...)
    {
        // Not even that: the next operation started runs the loop.
    }
}

void channel_state::fail_receives(const system::error_code& ec, completion_mode mode)
{
    op_queue<recv_op_base> q;
    q.swap(recvs_);
    const op_queue<recv_op_base>::requeue rest{q, recvs_};
    while (recv_op_base* op = q.pop())
        finish(op, ec, mode);
}

void channel_state::fail_sends(const system::error_code& ec, completion_mode mode, bool keep_started)
{
    op_queue<send_op_base> q;
    q.swap(sends_);
    if (keep_started && !q.empty() && q.front()->started())
        sends_.push(q.pop());
    const op_queue<send_op_base>::requeue rest{q, sends_};
    while (send_op_base* op = q.pop())
        finish(op, ec, mode);
}

void channel_state::buffered_input(std::vector<std::byte>& bytes, std::vector<int>& fds,
                                   system::error_code& ec) const
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    bytes.clear();
    fds.clear();
    const bool ended = read_error_ == make_error_code(error::eof) ||
                       read_error_ == make_error_code(error::unexpected_eof);
    if (!sends_.empty() || !recvs_.empty() || (read_error_ && !ended) ||
        !reader_.buffered_input(bytes, fds))
    {
        bytes.clear();
        fds.clear();
        ec.assign(static_cast<int>(error::channel_busy), get_error_category(), &loc);
        return;
    }
    ec.clear();
}

void channel_state::restore_input(const std::byte* data, std::size_t size, std::vector<unique_fd>&& fds)
{
    reader_.restore(data, size, std::move(fds));
}

void channel_state::read_failed(const system::error_code& ec)
{
    read_error_ = ec;
    reader_.reset();
}

void channel_state::start_send(send_op_base* op)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    if (shut_down_)
        return op->destroy();
    if (fd_ < 0)
        return finish(op, lib_error(error::not_connected, loc), completion_mode::post);
    if (write_error_)
        return finish(op, write_error_, completion_mode::post);
    if (!op->fds_fit())
        return finish(op, lib_error(error::too_many_fds, loc), completion_mode::post);
    // The fds must stay valid until written, whatever the caller does with
    // its own: a frame that does not leave at once holds duplicates. While
    // the channel's loop runs (inside one of its handlers), a frame without
    // fds waits for the handler to return and leaves with the others queued
    // meanwhile, in one sendmsg; a frame with fds is tried at once, which
    // spares the duplicates.
    const bool idle = !write_blocked_ && sends_.empty();
    if (idle && (!running_ || !op->fds.empty()))
    {
        sends_.push(op);
        try
        {
            if (running_)
                pump_send(completion_mode::post);
            else
                run(completion_mode::post);
        }
        catch (...)
        {
            // As in start_receive: a frame not started goes and the
            // initiating function throws; one written, even in part, stays.
            if (!op->started() && sends_.remove(op))
            {
                op->destroy();
                throw;
            }
        }
        // No other operation was queued meanwhile: what is left is op.
        if (!sends_.empty())
        {
            system::error_code ec;
            sends_.front()->own_unsent_fds(ec);
            if (ec && !sends_.front()->started())
                fail_sends(ec, completion_mode::post, false);
            else if (ec)
                write_error_ = ec;
        }
        return;
    }
    system::error_code ec;
    op->own_unsent_fds(ec);
    if (ec)
        return finish(op, ec, completion_mode::post);
    sends_.push(op);
}

void channel_state::start_receive(recv_op_base* op)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    if (shut_down_)
        return op->destroy();
    if (fd_ < 0)
        return finish(op, lib_error(error::not_connected, loc), completion_mode::post);
    recvs_.push(op);
    if (running_)
        return;
    try
    {
        run(completion_mode::post);
    }
    catch (...)
    {
        // Only an allocation can fail here (no handler runs inline). Not
        // started after all: op goes, the initiating function throws.
        // Already completed: it waits in the ready queue; what failed is
        // retried by the next run.
        if (recvs_.remove(op))
        {
            op->destroy();
            throw;
        }
    }
}

void channel_state::cancel_send(send_op_base* op)
{
    // A frame partly written must be finished, or the stream loses its step.
    if (op->started())
        return;
    if (sends_.remove(op))
    {
        finish(op, asio::error::operation_aborted, completion_mode::post);
        cancel_idle_waits();
    }
}

void channel_state::cancel_receive(recv_op_base* op)
{
    // Nothing of a receive lives outside the reader's buffer: it can always go.
    if (recvs_.remove(op))
    {
        finish(op, asio::error::operation_aborted, completion_mode::post);
        cancel_idle_waits();
    }
}

void channel_state::cancel_all()
{
    const system::error_code aborted = asio::error::operation_aborted;
    fail_sends(aborted, completion_mode::post, true);
    fail_receives(aborted, completion_mode::post);
    cancel_idle_waits();
}

void channel_state::on_readable(const system::error_code& ec, unsigned gen)
{
    if (gen != generation_)
        return;
    read_waiting_ = false;
    if (!ec)
        read_drained_ = false;
    run(completion_mode::dispatch);
}

void channel_state::on_writable(const system::error_code&, unsigned gen)
{
    if (gen != generation_)
        return;
    write_waiting_ = false;
    // Also after an aborted wait: a send started later must try the socket
    // (at worst once more into EAGAIN) instead of waiting for a wait no one arms.
    write_blocked_ = false;
    run(completion_mode::dispatch);
}

void channel_state::run(completion_mode mode)
{
    // Handlers invoked inline may close or drop the channel: keep the state.
    std::shared_ptr<channel_state> keep = shared_from_this();
    running_ = true;
    try
    {
        for (;;)
        {
            bool progress = false;
            if (!recvs_.empty())
                progress |= pump_receive(mode);
            if (!sends_.empty() && !write_blocked_)
                progress |= pump_send(mode);
            if (!progress)
                break;
        }
        running_ = false;
        request_drain(); // retried here if it failed for want of memory
        arm_waits();
    }
    catch (...)
    {
        // A handler invoked inline threw (an executor that runs it at once
        // without catching, like a strand), or the engine could not
        // allocate (a wait). Every operation not completed is still queued
        // and the state is consistent: a drain posted to the channel's
        // executor runs the loop again once the exception is handled
        // (io_context::run() called again).
        running_ = false;
        resume_after_exception();
        throw;
    }
}

void channel_state::arm_waits()
{
    if (fd_ < 0)
        return;
    // Marked only once armed: a wait that failed to start (bad_alloc) is
    // started again by the next run.
    if (!recvs_.empty() && !read_waiting_)
    {
        wait_readable();
        read_waiting_ = true;
    }
    if (!sends_.empty() && write_blocked_ && !write_waiting_)
    {
        wait_writable();
        write_waiting_ = true;
    }
}

bool channel_state::receive_step(raw_message& msg, system::error_code& ec, bool blocking)
{
    try
    {
        return receive_step_once(msg, ec, blocking);
    }
    catch (const std::bad_alloc&)
    {
        // Growing a buffer failed, before a read or while moving a frame
        // into msg: nothing was lost, the frame stays for the next receive.
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        ec.assign(ENOMEM, system::generic_category(), &loc);
        return true;
    }
}

bool channel_state::receive_step_once(raw_message& msg, system::error_code& ec, bool blocking)
{
    for (;;)
    {
        if (read_error_)
        {
            ec = read_error_;
            return true;
        }
        switch (reader_.next(msg, ec))
        {
        case frame_reader::result::frame: return true;
        case frame_reader::result::error:
            if (frame_reader::is_fatal(ec))
                read_failed(ec);
            return true;
        case frame_reader::result::need_more: break;
        }
        if (!blocking && read_drained_)
            return false;
        std::size_t wanted = 0;
        const std::size_t n = read_frames(fd_, reader_, &wanted, ec, blocking);
        if (ec == asio::error::would_block)
        {
            if (!blocking)
            {
                read_drained_ = true;
                return false;
            }
            // The file description is non-blocking (set so by someone
            // else): wait in poll instead.
            wait_fd(fd_, POLLIN, ec);
            if (ec)
                return true;
            continue;
        }
        if (ec)
        {
            read_failed(ec);
            continue;
        }
        if (n == 0)
        {
            static constexpr auto loc = BOOST_CURRENT_LOCATION;
            read_failed(lib_error(reader_.mid_frame() ? error::unexpected_eof : error::eof, loc));
            continue;
        }
        // A short read took all there was: wait for readiness before reading
        // again (a synchronous receive just reads, and blocks).
        read_drained_ = !blocking && n < wanted;
    }
}

bool channel_state::send_step(frame_out& first, system::error_code& ec, bool blocking)
{
    write_frames(fd_, &first, ec, blocking);
    if (ec == asio::error::would_block)
    {
        if (!blocking)
            return false;
        wait_fd(fd_, POLLOUT, ec); // a non-blocking file description
        if (ec && first.started())
            write_error_ = ec; // part of the frame is out: the stream is out of step
        return true;
    }
    // Part of a frame may be out: the stream is out of step for good.
    if (ec)
        write_error_ = ec;
    return true;
}

bool channel_state::pump_receive(completion_mode mode)
{
    bool progress = false;
    while (!recvs_.empty() && fd_ >= 0)
    {
        system::error_code ec;
        recv_op_base* op = recvs_.front();
        if (!receive_step(*op->dest, ec, false))
            return progress;
        recvs_.pop();
        progress = true;
        finish(op, ec, mode);
    }
    return progress;
}

bool channel_state::pump_send(completion_mode mode)
{
    bool progress = false;
    while (!sends_.empty() && fd_ >= 0)
    {
        if (write_error_)
        {
            fail_sends(write_error_, mode, false);
            return true;
        }
        // Frames sent are completed one at a time from the front of the
        // queue: if a handler throws, those not completed yet are still
        // there when the loop resumes.
        if (sends_.front()->done())
        {
            finish(sends_.pop(), system::error_code(), mode);
            progress = true;
            continue;
        }
        system::error_code ec;
        if (!send_step(*sends_.front(), ec, false))
        {
            write_blocked_ = true;
            return progress;
        }
        progress = true;
    }
    return progress;
}

void channel_state::send_sync(frame_out& f, system::error_code& ec)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    if (fd_ < 0)
        return void(ec = lib_error(error::not_connected, loc));
    if (!sends_.empty())
        return void(ec = lib_error(error::operation_in_progress, loc));
    if (write_error_)
        return void(ec = write_error_);
    if (!f.fds_fit())
        return void(ec = lib_error(error::too_many_fds, loc));
    f.next = nullptr;
    while (!f.done())
    {
        send_step(f, ec, true);
        if (write_error_)
            return void(ec = write_error_);
        if (ec)
            return;
    }
    ec.clear();
}

void channel_state::receive_sync(raw_message& msg, system::error_code& ec)
{
    static constexpr auto loc = BOOST_CURRENT_LOCATION;
    if (fd_ < 0)
        return void(ec = lib_error(error::not_connected, loc));
    if (!recvs_.empty())
        return void(ec = lib_error(error::operation_in_progress, loc));
    receive_step(msg, ec, true);
}

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
