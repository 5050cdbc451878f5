//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_RAW_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_IMPL_RAW_BOOTSTRAP_HPP

#include <boost/unix_ipc/raw_bootstrap.hpp>
#include <boost/unix_ipc/detail/bootstrap_ops.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {

template <class State>
struct child_wait_op
{
    std::shared_ptr<State> st;
    enum { starting, waiting, posted } step = starting;

    template <class Self>
    void operator()(Self& self, system::error_code ec = {}, int = 0)
    {
        switch (step)
        {
        case starting:
            if (!st || st->reaped() || st->pid <= 0)
            {
                // Nothing to wait for: complete, but not from inside async_wait.
                step = posted;
                auto ex = asio::get_associated_executor(self);
                return asio::post(ex, asio::append(std::move(self), ec, 0));
            }
            step = waiting;
            return st->process.async_wait(std::move(self));
        case waiting:
            if (!ec)
                st->collected(st->process.native_exit_code());
            else if (st->reaped() && self.get_cancellation_state().cancelled() == asio::cancellation_type::none)
                ec.clear(); // reaped by terminate, wait or running meanwhile
            break;
        case posted:
            break;
        }
        if (!ec && !(st && st->reaped()))
            ec.assign(ECHILD, system::system_category());
        self.complete(ec, ec ? -1 : exit_code_of(st->status));
    }
};

} // namespace detail

template <class Executor>
basic_child<Executor>& basic_child<Executor>::operator=(basic_child&& other) noexcept
{
    if (this != &other)
    {
        system::error_code ec;
        terminate(ec); // nothing unless a process of ours still runs
        channel_ = std::move(other.channel_);
        state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
}

template <class Executor>
bool basic_child<Executor>::running()
{
    if (!state_ || state_->reaped() || state_->pid <= 0)
        return false;
    system::error_code ec;
    bool r = state_->process.running(ec);
    if (!ec && !r)
        state_->collected(state_->process.native_exit_code());
    return r && !ec;
}

template <class Executor>
void basic_child<Executor>::terminate(system::error_code& ec)
{
    ec.clear();
    if (!state_ || state_->reaped() || state_->pid <= 0)
        return;
    // Boost.Process sends SIGKILL; wait too, so the child is gone and reaped.
    state_->process.terminate(ec);
    if (!ec)
        state_->process.wait(ec);
    if (!ec)
        state_->collected(state_->process.native_exit_code());
}

template <class Executor>
void basic_child<Executor>::terminate()
{
    system::error_code ec;
    terminate(ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "basic_child::terminate"));
}

template <class Executor>
int basic_child<Executor>::wait(system::error_code& ec)
{
    ec.clear();
    if (!state_ || (!state_->reaped() && state_->pid <= 0))
    {
        ec.assign(ECHILD, system::system_category());
        return -1;
    }
    if (!state_->reaped())
    {
        state_->process.wait(ec);
        if (ec)
            return -1;
        state_->collected(state_->process.native_exit_code());
    }
    return detail::exit_code_of(state_->status);
}

template <class Executor>
int basic_child<Executor>::wait()
{
    system::error_code ec;
    int code = wait(ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "basic_child::wait"));
    return code;
}

template <class Executor>
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, int)) CompletionToken>
auto basic_child<Executor>::async_wait(CompletionToken&& token)
{
    return asio::async_compose<CompletionToken, void(system::error_code, int)>(
        detail::child_wait_op<state>{state_}, token, channel_);
}

template <class Executor, class>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable, const std::vector<std::string>& args,
                            const spawn_options& options, system::error_code& ec)
{
    if (options.child_fd < 3)
    {
        ec.assign(EINVAL, system::system_category());
        return basic_child<Executor>(ex);
    }
    // Everything the child needs is built here: between fork and exec it
    // makes async-signal-safe calls only (no allocation, no lock).
    const std::string path = detail::resolve_executable(executable, ec);
    if (ec)
        return basic_child<Executor>(ex);
    const std::string argv0(executable);
    std::vector<const char*> argv;
    argv.reserve(args.size() + 2);
    argv.push_back(argv0.c_str());
    for (const auto& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    const std::vector<std::string> env = detail::build_child_environment(
        options.inherit_environment, options.environment,
        std::string(bootstrap_fd_variable) + "=" + std::to_string(options.child_fd));
    std::vector<const char*> envp;
    envp.reserve(env.size() + 1);
    for (const auto& e : env)
        envp.push_back(e.c_str());
    envp.push_back(nullptr);

    unique_fd parent_end, child_end;
    detail::make_child_socket_pair(options.child_fd, parent_end, child_end, ec);
    if (ec)
        return basic_child<Executor>(ex);
    const int pid = detail::launch_child(path.c_str(), argv.data(), envp.data(), child_end.get(), options.child_fd,
                                         options.working_directory.empty() ? nullptr
                                                                           : options.working_directory.c_str(),
                                         ec);
    child_end.reset(); // the child's end lives in the child only: its death is our eof
    if (ec)
        return basic_child<Executor>(ex);

    // Boost.Process keeps the process: a pidfd to wait on, wait, terminate.
    unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    const int pidfd_errno = errno;
    basic_raw_channel<Executor> channel(ex);
    if (!pidfd)
        ec.assign(pidfd_errno, system::system_category());
    else
        channel.assign(std::move(parent_end), ec);
    if (!ec)
    {
        try
        {
            // Registers the pidfd with the reactor, which may fail (throws).
            typename basic_child<Executor>::process_type proc(ex, pid, pidfd.get());
            pidfd.release(); // owned by proc now
            return basic_child<Executor>(std::move(proc), std::move(channel));
        }
        catch (const system::system_error& e)
        {
            ec = e.code();
        }
    }
    // Not handed over: the child must not outlive this call, nor stay a zombie.
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
    {
    }
    return basic_child<Executor>(ex);
}

template <class Executor, class>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable, const std::vector<std::string>& args,
                            const spawn_options& options)
{
    system::error_code ec;
    auto c = spawn(ex, executable, args, options, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "unix_ipc::spawn"));
    return c;
}

template <class ExecutionContext, class>
child spawn(ExecutionContext& ctx, std::string_view executable, const std::vector<std::string>& args,
            const spawn_options& options)
{
    return spawn(asio::any_io_executor(ctx.get_executor()), executable, args, options);
}

template <class Executor, class>
basic_raw_channel<Executor> inherited_channel(const Executor& ex, system::error_code& ec)
{
    basic_raw_channel<Executor> channel(ex);
    std::string path;
    unique_fd fd = detail::take_inherited_fd(path, ec);
    if (ec)
        return channel;
    if (fd)
        channel.assign(std::move(fd), ec);
    else
        channel.connect(path, ec);
    return channel;
}

template <class Executor, class>
basic_raw_channel<Executor> inherited_channel(const Executor& ex)
{
    system::error_code ec;
    auto c = inherited_channel(ex, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "unix_ipc::inherited_channel"));
    return c;
}

template <class ExecutionContext, class>
raw_channel inherited_channel(ExecutionContext& ctx)
{
    return inherited_channel(asio::any_io_executor(ctx.get_executor()));
}

template <class Executor>
basic_private_listener<Executor>::basic_private_listener(const executor_type& ex, peer_policy policy)
    : state_(std::make_shared<state>(ex, std::move(policy)))
{
    system::error_code ec;
    state_->dir = detail::make_private_directory(ec);
    if (!ec)
    {
        state_->owner = ::getpid();
        state_->acceptor.listen(state_->dir + "/socket", ec);
    }
    if (ec)
    {
        close();
        boost::throw_exception(system::system_error(ec, "basic_private_listener"));
    }
}

template <class Executor>
basic_private_listener<Executor>& basic_private_listener<Executor>::operator=(basic_private_listener&& other) noexcept
{
    if (this != &other)
    {
        close();
        state_ = std::move(other.state_);
    }
    return *this;
}

template <class Executor>
void basic_private_listener<Executor>::close() noexcept
{
    if (!state_)
        return;
    state_->acceptor.close();
    if (!state_->dir.empty() && state_->owner == ::getpid())
        detail::remove_private_directory(state_->dir);
    state_->dir.clear();
}

template <class Executor>
struct basic_private_listener<Executor>::accept_op
{
    std::shared_ptr<state> st;

    template <class Self>
    void operator()(Self& self)
    {
        st->acceptor.async_accept(std::move(self));
    }

    template <class Self>
    void operator()(Self& self, system::error_code ec, channel_type channel)
    {
        if (!ec)
        {
            system::error_code cec;
            credentials peer = channel.peer_credentials(cec);
            if (cec || !st->allows(peer))
            {
                channel.close(); // refused: the client sees eof
                if (self.get_cancellation_state().cancelled() != asio::cancellation_type::none)
                    return self.complete(asio::error::operation_aborted, std::move(channel));
                return st->acceptor.async_accept(std::move(self));
            }
        }
        self.complete(ec, std::move(channel));
    }
};

template <class Executor>
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, basic_raw_channel<Executor>)) CompletionToken>
auto basic_private_listener<Executor>::async_accept(CompletionToken&& token)
{
    BOOST_ASSERT(state_); // not moved from
    return asio::async_compose<CompletionToken, void(system::error_code, channel_type)>(
        accept_op{state_}, token, state_->acceptor);
}

template <class Executor>
basic_raw_channel<Executor> basic_private_listener<Executor>::accept(system::error_code& ec)
{
    BOOST_ASSERT(state_); // not moved from
    for (;;)
    {
        channel_type channel = state_->acceptor.accept(ec);
        if (ec)
            return channel;
        system::error_code cec;
        credentials peer = channel.peer_credentials(cec);
        if (!cec && state_->allows(peer))
            return channel;
    }
}

template <class Executor>
basic_raw_channel<Executor> basic_private_listener<Executor>::accept()
{
    system::error_code ec;
    auto c = accept(ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "basic_private_listener::accept"));
    return c;
}

} // namespace unix_ipc
} // namespace boost

#endif
