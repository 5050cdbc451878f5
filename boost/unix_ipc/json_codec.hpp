//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_JSON_CODEC_HPP
#define BOOST_UNIX_IPC_JSON_CODEC_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/typed_channel.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/core/span.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

// A structural codec on Boost.JSON: messages are JSON text, types convert with
// Boost.JSON's value_from / value_to (tag_invoke or described structs), and
// handles and typed channels inside them travel as indices into the message's
// fd table.
//
// Boost.JSON is used header-only here: a program using json_codec compiles
// Boost.JSON once itself, e.g. `#include <boost/json/src.hpp>` in one .cpp
// (Debian's Boost 1.81 ships no compiled Boost.JSON library).

namespace boost {
namespace unix_ipc {
namespace detail {

// Boost.JSON 1.81 conversions take no user context, so the fd table of the
// message being converted is reached through a per-thread stack of scopes:
// each encode/decode pushes its own table and pops it when done, so a
// conversion that encodes another message inside it finds its own table
// again afterwards.
struct json_fd_scope
{
    std::vector<int>* out = nullptr;
    std::vector<unique_fd>* in = nullptr;
    std::vector<bool> taken;
    asio::any_io_executor executor;
    json_fd_scope* previous;

    json_fd_scope() : previous(current()) { current() = this; }
    ~json_fd_scope() { current() = previous; }
    json_fd_scope(const json_fd_scope&) = delete;
    json_fd_scope& operator=(const json_fd_scope&) = delete;

    static json_fd_scope*& current() noexcept
    {
        static thread_local json_fd_scope* scope = nullptr;
        return scope;
    }

    static json_fd_scope& encoding()
    {
        json_fd_scope* s = current();
        if (!s || !s->out)
            throw std::logic_error("boost::unix_ipc: a handle was converted to JSON outside json_codec::encode");
        return *s;
    }

    static json_fd_scope& decoding()
    {
        json_fd_scope* s = current();
        if (!s || !s->in)
            ipc_iarchive::fail("a handle was converted from JSON outside json_codec::decode");
        return *s;
    }

    unique_fd take(const json::value& jv)
    {
        const std::int64_t* i = jv.if_int64();
        const std::uint64_t* u = jv.if_uint64();
        std::uint64_t index = i ? (*i < 0 ? ~std::uint64_t(0) : std::uint64_t(*i)) : u ? *u : ~std::uint64_t(0);
        if (index >= in->size() || taken[index])
            ipc_iarchive::fail("fd index out of range or used twice");
        taken[index] = true;
        return std::move((*in)[index]);
    }
};

inline void json_put_fd(json::value& jv, int fd)
{
    json_fd_scope& s = json_fd_scope::encoding();
    if (fd < 0)
    {
        jv = nullptr;
        return;
    }
    s.out->push_back(fd);
    jv = static_cast<std::uint64_t>(s.out->size() - 1);
}

} // namespace detail

/// The structural codec: JSON text through Boost.JSON's `value_from` /
/// `value_to`. Handles and typed channels inside the value work as with
/// `serialization_codec`.
struct json_codec
{
    template <class T>
    static void encode(const T& value, std::vector<std::byte>& bytes, std::vector<int>& fds)
    {
        detail::json_fd_scope scope;
        scope.out = &fds;
        const std::string text = json::serialize(json::value_from(value));
        const auto* p = reinterpret_cast<const std::byte*>(text.data());
        bytes.insert(bytes.end(), p, p + text.size());
    }

    template <class T>
    static void decode(T& value, boost::span<const std::byte> bytes, std::vector<unique_fd>& fds,
                       const asio::any_io_executor& ex)
    {
        system::error_code ec;
        json::value jv =
            json::parse(json::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), ec);
        if (ec)
            ipc_iarchive::fail("not valid JSON");
        detail::json_fd_scope scope;
        scope.in = &fds;
        scope.taken.assign(fds.size(), false);
        scope.executor = ex;
        value = json::value_to<T>(jv);
        for (bool t : scope.taken)
            if (!t)
                ipc_iarchive::fail("the message has fds that no handle claims");
    }
};

namespace detail {

// The fd an object travels as in JSON.
template <class F>
int json_fd_of(const F& f)
{
    return handle_traits<F>::native_handle(f);
}

// A channel travels as its socket alone: one that holds input it read and
// did not deliver, or that cannot be handed over now, is refused
// (error::channel_busy) rather than losing that input.
template <class Executor>
int json_fd_of(const basic_raw_channel<Executor>& c)
{
    if (!c.is_open())
        return -1;
    raw_channel_ref<Executor> raw(c);
    system::error_code ec;
    if (raw.has_buffered_input())
        ec = make_error_code(error::channel_busy); // JSON carries no input
    else
    {
        // Nothing buffered, so nothing is copied: only whether it is busy.
        std::vector<std::byte> bytes;
        std::vector<int> fds;
        raw.buffered_input(bytes, fds, ec);
    }
    if (ec)
        boost::throw_exception(system::system_error(ec, "json_codec: handing over a channel"));
    return c.native_handle();
}

} // namespace detail

/// JSON conversion of `handle<F>`: the index of its fd in the message's fd
/// table, or null when empty.
template <class F>
void tag_invoke(json::value_from_tag, json::value& jv, const handle<F>& h)
{
    detail::json_put_fd(jv, h.has_value() ? detail::json_fd_of(*h) : -1);
}

template <class F>
handle<F> tag_invoke(json::value_to_tag<handle<F>>, const json::value& jv)
{
    if (jv.is_null())
        return handle<F>();
    detail::json_fd_scope& s = detail::json_fd_scope::decoding();
    return handle<F>(handle_traits<F>::from_fd(s.take(jv), s.executor));
}

namespace detail {

template <class Channel, class Executor>
Channel json_channel_from(const json::value& jv)
{
    if (jv.is_null())
        return Channel();
    json_fd_scope& s = json_fd_scope::decoding();
    unique_fd fd = s.take(jv);
    basic_raw_channel<Executor> raw(executor_for<Executor>(s.executor));
    system::error_code ec;
    raw.assign(std::move(fd), ec);
    if (ec)
        ipc_iarchive::fail("received channel: not a connected Unix stream socket");
    return Channel(std::move(raw));
}

} // namespace detail

/// JSON conversions of typed channels: the index of their socket in the
/// message's fd table, or null when empty.
template <class T, class C, class E>
void tag_invoke(json::value_from_tag, json::value& jv, const basic_sender<T, C, E>& c)
{
    detail::json_put_fd(jv, c.is_open() ? detail::json_fd_of(c.raw()) : -1);
}

template <class T, class C, class E>
basic_sender<T, C, E> tag_invoke(json::value_to_tag<basic_sender<T, C, E>>, const json::value& jv)
{
    return detail::json_channel_from<basic_sender<T, C, E>, E>(jv);
}

template <class T, class C, class E>
void tag_invoke(json::value_from_tag, json::value& jv, const basic_receiver<T, C, E>& c)
{
    detail::json_put_fd(jv, c.is_open() ? detail::json_fd_of(c.raw()) : -1);
}

template <class T, class C, class E>
basic_receiver<T, C, E> tag_invoke(json::value_to_tag<basic_receiver<T, C, E>>, const json::value& jv)
{
    return detail::json_channel_from<basic_receiver<T, C, E>, E>(jv);
}

template <class O, class I, class C, class E>
void tag_invoke(json::value_from_tag, json::value& jv, const basic_endpoint<O, I, C, E>& c)
{
    detail::json_put_fd(jv, c.is_open() ? detail::json_fd_of(c.raw()) : -1);
}

template <class O, class I, class C, class E>
basic_endpoint<O, I, C, E> tag_invoke(json::value_to_tag<basic_endpoint<O, I, C, E>>, const json::value& jv)
{
    return detail::json_channel_from<basic_endpoint<O, I, C, E>, E>(jv);
}

/// A sender / receiver pair using the JSON codec.
template <class T>
using json_sender = basic_sender<T, json_codec>;

template <class T>
using json_receiver = basic_receiver<T, json_codec>;

} // namespace unix_ipc
} // namespace boost

#endif
