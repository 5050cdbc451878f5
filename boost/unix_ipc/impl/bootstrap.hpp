//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_IMPL_BOOTSTRAP_HPP

#include <boost/unix_ipc/bootstrap.hpp>
#include <boost/unix_ipc/detail/bootstrap_ops.hpp>

#include <boost/asio/compose.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <utility>

namespace boost {
namespace unix_ipc {
namespace detail {

// Boost.Process v2 initializer: hands the child `source` as fd `target`, and
// the prepared environment and working directory. (1.81's posix::bind_fd
// misses a `return` in on_setup and keeps FD_CLOEXEC when source == target.)
struct bootstrap_initializer
{
    // Closes every fd but those in `keep` (the launcher's list: 0, 1, 2, the
    // child's end, the launcher's error pipe). Boost.Process 1.81 closes only
    // the fds above the highest kept one (its gap loop compares an entry with
    // itself), so a descriptor that is not close-on-exec and has a number
    // between two kept ones would leak into the child. Async-signal-safe.
    static void close_other_fds(const std::vector<int>& keep) noexcept
    {
        int sorted[16];
        std::size_t n = 0;
        for (int fd : keep)
            if (n < 16 && fd >= 0)
                sorted[n++] = fd;
        for (std::size_t i = 1; i < n; ++i)
            for (std::size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; --j)
                std::swap(sorted[j - 1], sorted[j]);
        int from = 0;
        for (std::size_t i = 0; i <= n; ++i)
        {
            int to = i < n ? sorted[i] - 1 : INT_MAX; // close [from, to]
            if (from <= to)
                close_range_of(from, to);
            if (i < n)
                from = sorted[i] + 1;
        }
    }

    static void close_range_of(int from, int to) noexcept
    {
        if (::syscall(SYS_close_range, static_cast<unsigned>(from), static_cast<unsigned>(to), 0u) == 0)
            return;
        // No close_range (Linux < 5.9): one by one, up to the fd limit.
        long max = ::sysconf(_SC_OPEN_MAX);
        if (max < 0 || max > 1048576)
            max = 1048576;
        for (long fd = from; fd <= to && fd < max; ++fd)
            ::close(static_cast<int>(fd));
    }

    int source;
    int target;
    const char* const* env;
    const char* working_directory; // nullptr: unchanged

    system::error_code on_setup(process::v2::posix::default_launcher& launcher, const process::v2::filesystem::path&,
                                const char* const*) const
    {
        launcher.env = env;
        launcher.fd_whitelist.push_back(target);
        return {};
    }

    // Runs in the child between fork and exec: async-signal-safe calls only.
    system::error_code on_exec_setup(process::v2::posix::default_launcher& launcher,
                                     const process::v2::filesystem::path&, const char* const*) const
    {
        // The launcher pushed its error pipe last. It cannot be `target` (the
        // parent held that number when the pipe was made); never clobber it.
        if (launcher.fd_whitelist.back() == target)
        {
            errno = EBADF; // the launcher reports errno, not our error_code
            return system::error_code(EBADF, system::system_category());
        }
        if (source == target)
        {
            if (::fcntl(target, F_SETFD, 0) != 0)
                return system::error_code(errno, system::system_category());
        }
        else if (::dup2(source, target) < 0) // the copy is not close-on-exec
            return system::error_code(errno, system::system_category());
        int fl = ::fcntl(target, F_GETFL);
        if (fl >= 0)
            ::fcntl(target, F_SETFL, fl & ~O_NONBLOCK);
        close_other_fds(launcher.fd_whitelist);
        if (working_directory && ::chdir(working_directory) != 0)
            return system::error_code(errno, system::system_category());
        return {};
    }

    // The child failed before or at exec; the launcher already sent errno to
    // the parent and would call exit(), which flushes copies of the parent's
    // stdio buffers and runs its atexit handlers in the child. Leave at once.
    void on_exec_error(process::v2::posix::default_launcher&, const process::v2::filesystem::path&,
                       const char* const*, const system::error_code&) const
    {
        ::_exit(127);
    }

    // Boost.Process 1.81 detects on_exec_error with a five-argument
    // expression (launcher, ec, path, argv, ec) but calls the four-argument
    // one above; this overload exists for that detection only.
    void on_exec_error(process::v2::posix::default_launcher&, const system::error_code&,
                       const process::v2::filesystem::path&, const char* const*, const system::error_code&) const
    {
        ::_exit(127);
    }
};

template <class Process>
struct child_wait_op
{
    Process& proc;
    bool started = false;

    template <class Self>
    void operator()(Self& self, system::error_code ec = {}, int = 0)
    {
        if (!started)
        {
            started = true;
            return proc.async_wait(std::move(self));
        }
        self.complete(ec, ec ? -1 : exit_code_of(proc.native_exit_code()));
    }
};

} // namespace detail

template <class Executor>
void basic_child<Executor>::terminate(system::error_code& ec)
{
    ec.clear();
    if (exited())
        return;
    // Boost.Process sends SIGKILL; wait too, so the child is gone and reaped.
    process_.terminate(ec);
    if (!ec)
        process_.wait(ec);
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
    if (!exited()) // Boost.Process 1.81 fails with ECHILD once reaped
        process_.wait(ec);
    if (ec)
        return -1;
    return detail::exit_code_of(process_.native_exit_code());
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
    return asio::async_compose<CompletionToken, void(system::error_code, int)>(detail::child_wait_op<process_type>{process_}, token, process_);
}

template <class Executor>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable, const std::vector<std::string>& args,
                            const spawn_options& options, system::error_code& ec)
{
    if (options.child_fd < 3)
    {
        ec.assign(EINVAL, system::system_category());
        return basic_child<Executor>(ex);
    }
    process::v2::filesystem::path exe(std::string{executable});
    if (executable.find('/') == std::string_view::npos)
    {
        exe = process::v2::environment::find_executable(exe);
        if (exe.empty())
        {
            ec.assign(ENOENT, system::system_category());
            return basic_child<Executor>(ex);
        }
    }
    // exec runs after the child changed directory: a relative path must not
    // depend on the new one.
    if (exe.is_relative())
    {
        exe = process::v2::filesystem::absolute(exe, ec);
        if (ec)
            return basic_child<Executor>(ex);
    }

    unique_fd parent_end, child_end;
    detail::make_child_socket_pair(options.child_fd, parent_end, child_end, ec);
    if (ec)
        return basic_child<Executor>(ex);

    std::vector<std::string> env = detail::build_child_environment(
        options.inherit_environment, options.environment,
        std::string(bootstrap_fd_variable) + "=" + std::to_string(options.child_fd));
    std::vector<const char*> envp;
    envp.reserve(env.size() + 1);
    for (const auto& e : env)
        envp.push_back(e.c_str());
    envp.push_back(nullptr);

    detail::bootstrap_initializer init{child_end.get(), options.child_fd, envp.data(),
                                       options.working_directory.empty() ? nullptr
                                                                         : options.working_directory.c_str()};
    process::v2::posix::default_launcher launcher;
    auto proc = launcher(ex, ec, exe, args, init);
    child_end.reset(); // the child's end lives in the child only: its death is our eof
    if (ec)
        return basic_child<Executor>(ex);

    basic_raw_channel<Executor> channel(ex);
    channel.assign(std::move(parent_end), ec);
    if (ec)
        return basic_child<Executor>(ex); // proc's destructor kills and reaps the child
    return basic_child<Executor>(std::move(proc), std::move(channel));
}

template <class Executor>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable, const std::vector<std::string>& args,
                            const spawn_options& options)
{
    system::error_code ec;
    auto c = spawn(ex, executable, args, options, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "unix_ipc::spawn"));
    return c;
}

template <class Executor>
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

template <class Executor>
basic_raw_channel<Executor> inherited_channel(const Executor& ex)
{
    system::error_code ec;
    auto c = inherited_channel(ex, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "unix_ipc::inherited_channel"));
    return c;
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
            if (cec || (st->policy && !st->policy(peer)))
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
    return asio::async_compose<CompletionToken, void(system::error_code, channel_type)>(
        accept_op{state_}, token, state_->acceptor);
}

template <class Executor>
basic_raw_channel<Executor> basic_private_listener<Executor>::accept(system::error_code& ec)
{
    for (;;)
    {
        channel_type channel = state_->acceptor.accept(ec);
        if (ec)
            return channel;
        system::error_code cec;
        credentials peer = channel.peer_credentials(cec);
        if (!cec && (!state_->policy || state_->policy(peer)))
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
