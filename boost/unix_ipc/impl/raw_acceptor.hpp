//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_RAW_ACCEPTOR_HPP
#define BOOST_UNIX_IPC_IMPL_RAW_ACCEPTOR_HPP

#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/detail/socket_ops.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <poll.h>

namespace boost {
namespace unix_ipc {
namespace detail {

// Reactor-style accept: wait for readability, then accept4 with SOCK_CLOEXEC
// (Asio's own accept does not make the socket close-on-exec atomically).
template <class Acceptor, class Executor>
struct accept_op
{
    Acceptor& acceptor;
    Executor ex; // the acceptor may be gone when an aborted wait completes
    bool started = false;

    template <class Self>
    void operator()(Self& self, system::error_code ec = {})
    {
        if (!started)
        {
            started = true;
            // Nothing happens before a connection is taken: any cancellation is safe.
            self.reset_cancellation_state(asio::enable_total_cancellation());
            return acceptor.async_wait(Acceptor::wait_read, std::move(self));
        }
        if (ec)
            return self.complete(ec, basic_raw_channel<Executor>(ex));
        if (!acceptor.is_open())
            return self.complete(asio::error::bad_descriptor, basic_raw_channel<Executor>(ex));
        unique_fd fd = accept_one(acceptor.native_handle(), ec);
        if (ec == asio::error::would_block)
            return acceptor.async_wait(Acceptor::wait_read, std::move(self));
        basic_raw_channel<Executor> ch(acceptor.get_executor());
        if (!ec)
            ch.assign(std::move(fd), ec);
        self.complete(ec, std::move(ch));
    }
};

} // namespace detail

template <class Executor>
void basic_raw_acceptor<Executor>::listen(std::string_view path, system::error_code& ec)
{
    if (acceptor_.is_open())
        return void(ec = asio::error::already_open);
    unique_fd s = detail::listen_path(path, ec);
    if (ec)
        return;
    acceptor_.assign(asio::local::stream_protocol(), s.get(), ec);
    if (!ec)
        s.release();
}

template <class Executor>
void basic_raw_acceptor<Executor>::listen(std::string_view path)
{
    system::error_code ec;
    listen(path, ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "basic_raw_acceptor::listen"));
}

template <class Executor>
std::string basic_raw_acceptor<Executor>::local_path() const
{
    return acceptor_.is_open() ? detail::bound_path(const_cast<basic_raw_acceptor*>(this)->acceptor_.native_handle())
                               : std::string();
}

template <class Executor>
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(system::error_code, basic_raw_channel<Executor>)) CompletionToken>
auto basic_raw_acceptor<Executor>::async_accept(CompletionToken&& token)
{
    using acceptor_type = asio::basic_socket_acceptor<asio::local::stream_protocol, Executor>;
    return asio::async_compose<CompletionToken, void(system::error_code, basic_raw_channel<Executor>)>(
        detail::accept_op<acceptor_type, Executor>{acceptor_, acceptor_.get_executor()}, token, acceptor_);
}

template <class Executor>
basic_raw_channel<Executor> basic_raw_acceptor<Executor>::accept(system::error_code& ec)
{
    basic_raw_channel<Executor> ch(acceptor_.get_executor());
    if (!acceptor_.is_open())
    {
        ec = asio::error::bad_descriptor;
        return ch;
    }
    for (;;)
    {
        unique_fd fd = detail::accept_one(acceptor_.native_handle(), ec);
        if (ec == asio::error::would_block)
        {
            detail::wait_fd(acceptor_.native_handle(), POLLIN, ec);
            if (ec)
                return ch;
            continue;
        }
        if (!ec)
            ch.assign(std::move(fd), ec);
        return ch;
    }
}

template <class Executor>
basic_raw_channel<Executor> basic_raw_acceptor<Executor>::accept()
{
    system::error_code ec;
    auto ch = accept(ec);
    if (ec)
        boost::throw_exception(system::system_error(ec, "basic_raw_acceptor::accept"));
    return ch;
}

} // namespace unix_ipc
} // namespace boost

#endif
