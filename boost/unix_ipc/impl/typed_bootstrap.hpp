//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_TYPED_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_IMPL_TYPED_BOOTSTRAP_HPP

#include <boost/unix_ipc/typed_bootstrap.hpp>

#include <boost/asio/any_io_executor.hpp>

namespace boost {
namespace unix_ipc {

template <class T, class Codec, class Executor, class>
basic_receiver<T, Codec, Executor> inherited_receiver(const Executor& ex, system::error_code& ec)
{
    return basic_receiver<T, Codec, Executor>(inherited_channel(ex, ec));
}

template <class T, class Codec, class Executor, class>
basic_receiver<T, Codec, Executor> inherited_receiver(const Executor& ex)
{
    return basic_receiver<T, Codec, Executor>(inherited_channel(ex));
}

template <class T, class Codec, class ExecutionContext, class>
basic_receiver<T, Codec> inherited_receiver(ExecutionContext& ctx)
{
    return inherited_receiver<T, Codec>(asio::any_io_executor(ctx.get_executor()));
}

template <class T, class Codec, class Executor, class>
basic_sender<T, Codec, Executor> inherited_sender(const Executor& ex, system::error_code& ec)
{
    return basic_sender<T, Codec, Executor>(inherited_channel(ex, ec));
}

template <class T, class Codec, class Executor, class>
basic_sender<T, Codec, Executor> inherited_sender(const Executor& ex)
{
    return basic_sender<T, Codec, Executor>(inherited_channel(ex));
}

template <class T, class Codec, class ExecutionContext, class>
basic_sender<T, Codec> inherited_sender(ExecutionContext& ctx)
{
    return inherited_sender<T, Codec>(asio::any_io_executor(ctx.get_executor()));
}

template <class Out, class In, class Codec, class Executor, class>
basic_endpoint<Out, In, Codec, Executor> inherited_endpoint(const Executor& ex, system::error_code& ec)
{
    return basic_endpoint<Out, In, Codec, Executor>(inherited_channel(ex, ec));
}

template <class Out, class In, class Codec, class Executor, class>
basic_endpoint<Out, In, Codec, Executor> inherited_endpoint(const Executor& ex)
{
    return basic_endpoint<Out, In, Codec, Executor>(inherited_channel(ex));
}

template <class Out, class In, class Codec, class ExecutionContext, class>
basic_endpoint<Out, In, Codec> inherited_endpoint(ExecutionContext& ctx)
{
    return inherited_endpoint<Out, In, Codec>(asio::any_io_executor(ctx.get_executor()));
}

} // namespace unix_ipc
} // namespace boost

#endif
