//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_RAW_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_RAW_BOOTSTRAP_HPP

// The bootstrap layer on raw channels: spawn a child with a channel to it,
// take that channel in the child, path mode. It needs Boost.Process v2, not
// the typed layer (Boost.Serialization): the typed ends of the inherited
// channel are in <boost/unix_ipc/typed_bootstrap.hpp>, and
// <boost/unix_ipc/bootstrap.hpp> includes both.

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/raw_channel.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/assert.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/is_executor.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/system/error_code.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace boost {
namespace unix_ipc {

namespace detail {
template <class Child>
struct child_wait_op;
} // namespace detail

/// The environment variable that tells a spawned child which fd is its end of
/// the channel (a decimal number).
constexpr std::string_view bootstrap_fd_variable = "BOOST_UNIX_IPC_FD";

/// The environment variable that tells a process which socket path to connect
/// to (path mode, see `basic_private_listener`).
constexpr std::string_view bootstrap_path_variable = "BOOST_UNIX_IPC_PATH";

namespace detail {

template <class T>
using enable_if_executor_t = std::enable_if_t<asio::execution::is_executor<T>::value || asio::is_executor<T>::value>;

template <class T>
using enable_if_context_t = std::enable_if_t<std::is_convertible<T&, asio::execution_context&>::value>;

} // namespace detail

/// How `spawn` starts a child.
struct spawn_options
{
    /// Entries `"NAME=VALUE"` added to the child's environment; they replace
    /// inherited entries of the same name.
    std::vector<std::string> environment;

    /// Whether the child starts from this process's environment (minus the
    /// two bootstrap variables) or from `environment` alone.
    bool inherit_environment = true;

    /// The fd number the child's end of the channel has in the child.
    /// Must not be 0, 1 or 2.
    int child_fd = 3;

    /// The child's working directory; empty: this process's.
    std::string working_directory;
};

/// A child process started by `spawn`, with the parent's end of a channel
/// connected to it.
///
/// The child holds the only other end of the channel: when it exits or is
/// killed, receives on the channel (and on every typed channel made from it)
/// complete with `error::eof` and sends with `error::eof`.
///
/// Destroying a `basic_child` whose process still runs kills the process
/// (`SIGKILL`) and reaps it; wait for it first to let it finish. A process
/// that exited is reaped by `wait`, `async_wait`, `running`, `terminate` or
/// the destructor, so none is left a zombie. Once reaped, the process is
/// forgotten by Boost.Process (nothing waits on, or kills, a pid the system
/// may give to a new process); its exit code stays.
///
/// @par Thread safety
/// Distinct objects: safe. Shared objects: unsafe.
template <class Executor = asio::any_io_executor>
class basic_child
{
public:
    using executor_type = Executor;
    using process_type = process::v2::basic_process<Executor>;
    using channel_type = basic_raw_channel<Executor>;

    /// No process.
    explicit basic_child(const executor_type& ex) : channel_(ex), state_(std::make_shared<state>(process_type(ex)))
    {
    }

    /// Takes a process and the parent's end of its channel.
    basic_child(process_type proc, channel_type channel)
        : channel_(std::move(channel)), state_(std::make_shared<state>(std::move(proc)))
    {
    }

    /// Takes `other`'s process and channel (an `async_wait` in progress on
    /// `other` completes as if started on this object); `other` has none.
    basic_child(basic_child&& other) noexcept
        : channel_(std::move(other.channel_)), state_(std::exchange(other.state_, nullptr))
    {
    }

    /// Kills and reaps the process this object held, if it still runs, then
    /// takes `other`'s.
    basic_child& operator=(basic_child&& other) noexcept;

    /// Kills the process if it still runs, and reaps it.
    ~basic_child()
    {
        system::error_code ec;
        terminate(ec);
    }

    executor_type get_executor() noexcept { return channel_.get_executor(); }

    /// The process id (-1 without a process). It stays readable after the
    /// process was reaped, but may then name another process.
    pid_t id() const noexcept { return state_ ? state_->pid : -1; }

    /// The parent's end of the channel to the child (open until released).
    channel_type& channel() noexcept { return channel_; }

    /// Gives the channel away, to make a typed channel of it:
    /// `unix_ipc::sender<Task> tx(child.release_channel());`
    channel_type release_channel() noexcept { return std::move(channel_); }

    /// Whether the process still runs (reaps it if it exited).
    bool running();

    /// Kills the process (`SIGKILL`) and waits until it is gone (reaped);
    /// `wait` then returns 128 + 9. Nothing when there is no process or it was
    /// reaped already. An `async_wait` in progress completes with the code.
    void terminate(system::error_code& ec);

    /// Throwing overload of `terminate`.
    void terminate();

    /// Waits for the process to exit and returns its exit code (the value
    /// given to `exit`, or 128 + the signal number when a signal killed it).
    /// Once reaped, returns that code again. `ECHILD` without a process.
    int wait(system::error_code& ec);

    /// Throwing overload of `wait`.
    int wait();

    /// Waits for the process to exit, asynchronously.
    ///
    /// @par Handler signature
    /// `void(system::error_code, int exit_code)`, the exit code as `wait`
    /// returns it (`ECHILD` and -1 without a process). When the process is
    /// reaped meanwhile by `terminate`, `wait` or `running`, the operation
    /// completes with that code.
    ///
    /// @par Object lifetimes
    /// The operation shares the process with this object: moving or
    /// destroying the `basic_child` (which kills the process) is allowed
    /// while it is outstanding.
    ///
    /// @par Per-operation cancellation
    /// `terminal` only (Boost.Process's wait supports no other type); the
    /// process is not affected.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, int))
                  CompletionToken BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_wait(CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

private:
    template <class>
    friend struct detail::child_wait_op;

    // The process, shared with outstanding async_wait operations.
    struct state
    {
        explicit state(process_type p) : process(std::move(p)), pid(process.id()) {}

        bool reaped() const noexcept { return status >= 0; }

        // The process was reaped: keep its status, and drop Boost.Process's
        // handle (a pending wait on it completes with operation_aborted).
        void collected(int native_status) noexcept
        {
            status = native_status;
            process.detach();
        }

        process_type process;
        pid_t pid = -1;
        int status = -1; // the native wait status, once reaped
    };

    channel_type channel_;
    std::shared_ptr<state> state_;
};

using child = basic_child<>;

/// Starts `executable` with `args` and a channel to it.
///
/// The child finds its end of a `socketpair` at fd `options.child_fd`, named
/// by `BOOST_UNIX_IPC_FD` in its environment; `inherited_channel` (and the
/// typed `inherited_*` functions of typed_bootstrap.hpp) take it. No
/// filesystem path exists, so no third process can connect. Besides that fd, the child gets only 0, 1 and 2:
/// every other descriptor is closed before `exec`, close-on-exec or not. The
/// child starts with an empty signal mask; ignored signals stay ignored.
///
/// The child is started with `fork` and `execve`, making only
/// async-signal-safe calls in between, so `spawn` may be called while other
/// threads run the executor's context; the returned `basic_child` holds a
/// `boost::process::v2::basic_process` (on a pidfd) for waiting.
/// (Boost.Process 1.81's own launcher is not used: it calls
/// `io_context::notify_fork`, which takes the reactor's locks and allocates in
/// the forked child, and it closes only the fds above the highest one kept.)
///
/// `executable` is a path; a name without a `/` is looked up in `PATH`; a
/// relative path is taken from this process's working directory. It is also
/// the child's `argv[0]`. To start a second copy of the running program, pass
/// `"/proc/self/exe"`.
///
/// @par Errors
/// System errors from `socketpair`, `fork` and `exec` (`ENOENT`,
/// `EACCES`...): an `exec` failure is reported here, not as an exit code.
/// `EINVAL` for a `child_fd` below 3.
template <class Executor, class = detail::enable_if_executor_t<Executor>>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable, const std::vector<std::string>& args,
                            const spawn_options& options, system::error_code& ec);

/// Throwing overload of `spawn` (`system::system_error`).
template <class Executor, class = detail::enable_if_executor_t<Executor>>
basic_child<Executor> spawn(const Executor& ex, std::string_view executable,
                            const std::vector<std::string>& args = {}, const spawn_options& options = {});

/// `spawn` on a context's executor (as `any_io_executor`).
template <class ExecutionContext,
          class = std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
child spawn(ExecutionContext& ctx, std::string_view executable, const std::vector<std::string>& args = {},
            const spawn_options& options = {});

/// Whether this process was started by `spawn` (or given a path to connect
/// to) and has not taken its channel yet.
BOOST_UNIX_IPC_DECL bool is_bootstrapped() noexcept;

/// Child side: the channel to the parent.
///
/// Takes the fd named by `BOOST_UNIX_IPC_FD` (it becomes close-on-exec, so
/// the child's own children do not inherit it) or, when only
/// `BOOST_UNIX_IPC_PATH` is set, connects to that path. Either variable is
/// removed from the environment, so the channel is taken once.
///
/// @par Errors
/// `error::not_bootstrapped` (no variable; or taken already),
/// `error::bad_bootstrap_environment` (not a number, or not an open `AF_UNIX`
/// stream socket), system errors of `connect` in path mode.
template <class Executor, class = detail::enable_if_executor_t<Executor>>
basic_raw_channel<Executor> inherited_channel(const Executor& ex, system::error_code& ec);

/// Throwing overload of `inherited_channel`.
template <class Executor, class = detail::enable_if_executor_t<Executor>>
basic_raw_channel<Executor> inherited_channel(const Executor& ex);

/// `inherited_channel` on a context's executor.
template <class ExecutionContext,
          class = std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
raw_channel inherited_channel(ExecutionContext& ctx);


/// Who may connect to a `basic_private_listener`: given the peer's
/// `SO_PEERCRED`, true to accept.
using peer_policy = std::function<bool(const credentials&)>;

/// The default `peer_policy`: the peer runs under this process's effective uid.
BOOST_UNIX_IPC_DECL bool same_user(const credentials& peer) noexcept;

/// Path mode, for processes this one did not spawn: listens on a socket in a
/// fresh private directory (mode 0700, under `$XDG_RUNTIME_DIR` or `/tmp`)
/// and accepts only the peers its policy allows.
///
/// Give clients `path()` (for example as `environment_entry()` in their
/// environment: their `inherited_channel` then connects). The directory and
/// the socket are removed when the listener closes or is destroyed, by the
/// process that made them only (a forked copy does not remove them).
///
/// @par Thread safety
/// Distinct objects: safe. Shared objects: unsafe.
template <class Executor = asio::any_io_executor>
class basic_private_listener
{
public:
    using executor_type = Executor;
    using channel_type = basic_raw_channel<Executor>;

    /// Makes the directory and listens; throws `system::system_error`.
    explicit basic_private_listener(const executor_type& ex, peer_policy policy = &same_user);

    /// Makes the directory and listens; throws `system::system_error`.
    template <class ExecutionContext,
              class = std::enable_if_t<std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
    explicit basic_private_listener(ExecutionContext& ctx, peer_policy policy = &same_user)
        : basic_private_listener(executor_type(ctx.get_executor()), std::move(policy))
    {
    }

    basic_private_listener(basic_private_listener&&) noexcept = default;
    basic_private_listener& operator=(basic_private_listener&& other) noexcept;

    /// Closes and removes the path.
    ~basic_private_listener() { close(); }

    /// Precondition: not moved from.
    executor_type get_executor() const noexcept
    {
        BOOST_ASSERT(state_);
        return state_->acceptor.get_executor();
    }

    bool is_open() const noexcept { return state_ && state_->acceptor.is_open(); }

    /// The socket path clients connect to (empty once closed).
    std::string path() const { return is_open() ? state_->dir + "/socket" : std::string(); }

    /// `"BOOST_UNIX_IPC_PATH=" + path()`, for a client's environment.
    std::string environment_entry() const { return std::string(bootstrap_path_variable) + "=" + path(); }

    /// Cancels outstanding accepts (`asio::error::operation_aborted`).
    void cancel() noexcept
    {
        if (state_)
            state_->acceptor.cancel();
    }

    /// Stops listening, cancels outstanding accepts, removes the socket and
    /// the directory. Channels already accepted stay open.
    void close() noexcept;

    /// Accepts the next client the policy allows, asynchronously. Clients it
    /// refuses are disconnected (they see `error::eof`) and skipped.
    ///
    /// @par Handler signature
    /// `void(system::error_code, basic_raw_channel<Executor>)`
    ///
    /// @par Per-operation cancellation
    /// `terminal`, `partial` and `total`: no connection is lost.
    ///
    /// @par Errors
    /// As `basic_raw_acceptor::async_accept`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, channel_type))
                  CompletionToken BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_accept(CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

    /// Accepts the next client the policy allows, blocking.
    channel_type accept(system::error_code& ec);

    /// Throwing overload of `accept`.
    channel_type accept();

private:
    struct state
    {
        basic_raw_acceptor<Executor> acceptor;
        peer_policy policy;
        std::string dir;
        pid_t owner = -1;

        state(const Executor& ex, peer_policy p) : acceptor(ex), policy(std::move(p)) {}

        // A policy that throws refuses the peer.
        bool allows(const credentials& peer) const noexcept
        {
            try
            {
                return !policy || policy(peer);
            }
            catch (...)
            {
                return false;
            }
        }
    };

    struct accept_op;

    std::shared_ptr<state> state_;
};

using private_listener = basic_private_listener<>;

} // namespace unix_ipc
} // namespace boost

#include <boost/unix_ipc/impl/raw_bootstrap.hpp>

#endif
