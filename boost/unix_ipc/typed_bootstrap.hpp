//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TYPED_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_TYPED_BOOTSTRAP_HPP

// The typed side of the bootstrap layer: the inherited channel as a typed
// channel end. Needs the typed layer (Boost.Serialization); the raw part of
// the bootstrap layer is <boost/unix_ipc/raw_bootstrap.hpp>.

#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/raw_bootstrap.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/system/error_code.hpp>

namespace boost {
namespace unix_ipc {

/// Child side, typed: the inherited channel as a `basic_receiver<T>`.
/// Errors as `inherited_channel`.
template <class T, class Codec = serialization_codec, class Executor, class = detail::enable_if_executor_t<Executor>>
basic_receiver<T, Codec, Executor> inherited_receiver(const Executor& ex, system::error_code& ec);

/// Throwing overload of `inherited_receiver`.
template <class T, class Codec = serialization_codec, class Executor, class = detail::enable_if_executor_t<Executor>>
basic_receiver<T, Codec, Executor> inherited_receiver(const Executor& ex);

/// `inherited_receiver` on a context's executor (as `any_io_executor`).
template <class T, class Codec = serialization_codec, class ExecutionContext,
          class = detail::enable_if_context_t<ExecutionContext>>
basic_receiver<T, Codec> inherited_receiver(ExecutionContext& ctx);

/// Child side, typed: the inherited channel as a `basic_sender<T>`.
/// Errors as `inherited_channel`.
template <class T, class Codec = serialization_codec, class Executor, class = detail::enable_if_executor_t<Executor>>
basic_sender<T, Codec, Executor> inherited_sender(const Executor& ex, system::error_code& ec);

/// Throwing overload of `inherited_sender`.
template <class T, class Codec = serialization_codec, class Executor, class = detail::enable_if_executor_t<Executor>>
basic_sender<T, Codec, Executor> inherited_sender(const Executor& ex);

/// `inherited_sender` on a context's executor (as `any_io_executor`).
template <class T, class Codec = serialization_codec, class ExecutionContext,
          class = detail::enable_if_context_t<ExecutionContext>>
basic_sender<T, Codec> inherited_sender(ExecutionContext& ctx);

/// Child side, typed: the inherited channel as an endpoint that sends `Out`
/// and receives `In`. Errors as `inherited_channel`.
template <class Out, class In, class Codec = serialization_codec, class Executor,
          class = detail::enable_if_executor_t<Executor>>
basic_endpoint<Out, In, Codec, Executor> inherited_endpoint(const Executor& ex, system::error_code& ec);

/// Throwing overload of `inherited_endpoint`.
template <class Out, class In, class Codec = serialization_codec, class Executor,
          class = detail::enable_if_executor_t<Executor>>
basic_endpoint<Out, In, Codec, Executor> inherited_endpoint(const Executor& ex);

/// `inherited_endpoint` on a context's executor (as `any_io_executor`).
template <class Out, class In, class Codec = serialization_codec, class ExecutionContext,
          class = detail::enable_if_context_t<ExecutionContext>>
basic_endpoint<Out, In, Codec> inherited_endpoint(ExecutionContext& ctx);

} // namespace unix_ipc
} // namespace boost

#include <boost/unix_ipc/impl/typed_bootstrap.hpp>

#endif
