//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_RAW_ACCEPTOR_HPP
#define BOOST_UNIX_IPC_RAW_ACCEPTOR_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace boost {
namespace unix_ipc {

/// Listens on a Unix socket path and accepts any number of raw channels.
///
/// The listening socket and every accepted socket are close-on-exec. The path
/// is not removed when the acceptor closes (as with any Unix socket); remove
/// it yourself, or use an abstract name (a path starting with '\0').
///
/// @par Thread safety
/// Distinct objects: safe. Shared objects: unsafe.
template <class Executor = asio::any_io_executor>
class basic_raw_acceptor
{
public:
    using executor_type = Executor;

    template <class Executor1>
    struct rebind_executor
    {
        using other = basic_raw_acceptor<Executor1>;
    };

    /// A closed acceptor.
    explicit basic_raw_acceptor(const executor_type& ex) : acceptor_(ex) {}

    template <class ExecutionContext,
              class = std::enable_if_t<
                  std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
    explicit basic_raw_acceptor(ExecutionContext& ctx) : acceptor_(ctx)
    {
    }

    /// An acceptor listening on `path`; throws `system::system_error` on failure
    /// (`EADDRINUSE` when the path exists).
    basic_raw_acceptor(const executor_type& ex, std::string_view path) : acceptor_(ex) { listen(path); }

    template <class ExecutionContext,
              class = std::enable_if_t<
                  std::is_convertible<ExecutionContext&, asio::execution_context&>::value>>
    basic_raw_acceptor(ExecutionContext& ctx, std::string_view path) : acceptor_(ctx)
    {
        listen(path);
    }

    executor_type get_executor() const noexcept
    {
        // basic_socket_acceptor::get_executor is not const in Asio 1.81.
        return const_cast<basic_raw_acceptor*>(this)->acceptor_.get_executor();
    }

    /// Opens a close-on-exec socket, binds it to `path` and listens
    /// (backlog `SOMAXCONN`).
    void listen(std::string_view path, system::error_code& ec);

    /// Throwing overload of `listen`.
    void listen(std::string_view path);

    bool is_open() const noexcept { return acceptor_.is_open(); }

    /// The path the acceptor is bound to (empty when closed).
    std::string local_path() const;

    /// Cancels outstanding accepts (`asio::error::operation_aborted`).
    void cancel() noexcept
    {
        system::error_code ec;
        acceptor_.cancel(ec);
    }

    /// Closes the listening socket; outstanding accepts are cancelled.
    void close() noexcept
    {
        system::error_code ec;
        acceptor_.close(ec);
    }

    /// Accepts one client, asynchronously.
    ///
    /// @par Handler signature
    /// `void(system::error_code, basic_raw_channel<Executor>)`
    ///
    /// @par Object lifetimes
    /// Closing or destroying the acceptor completes the operation with
    /// `asio::error::operation_aborted`. Do not move the acceptor while an
    /// accept is outstanding.
    ///
    /// @par Executor
    /// The handler is never invoked from within this function. The new channel
    /// uses this acceptor's executor.
    ///
    /// @par Per-operation cancellation
    /// `terminal`, `partial` and `total`: no connection is taken before the
    /// operation completes, so a cancelled accept loses none.
    ///
    /// @par Errors
    /// `asio::error::operation_aborted`, `asio::error::bad_descriptor` (the
    /// acceptor is closed), system errors from `accept4` (`EMFILE`...).
    ///
    /// @par Thread safety
    /// Call it on the acceptor's executor.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, basic_raw_channel<Executor>))
                  CompletionToken BOOST_ASIO_DEFAULT_COMPLETION_TOKEN_TYPE(executor_type)>
    auto async_accept(CompletionToken&& token BOOST_ASIO_DEFAULT_COMPLETION_TOKEN(executor_type));

    /// Accepts one client, blocking.
    basic_raw_channel<Executor> accept(system::error_code& ec);

    /// Throwing overload of `accept`.
    basic_raw_channel<Executor> accept();

private:
    asio::basic_socket_acceptor<asio::local::stream_protocol, Executor> acceptor_;
};

using raw_acceptor = basic_raw_acceptor<>;

} // namespace unix_ipc
} // namespace boost

#include <boost/unix_ipc/impl/raw_acceptor.hpp>

#endif
