//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_HANDLE_HPP
#define BOOST_UNIX_IPC_HANDLE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/posix/basic_stream_descriptor.hpp>
#include <boost/serialization/split_member.hpp>

#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost {
namespace unix_ipc {

/// Customization point: how `handle<F>` takes the fd out of an `F` and
/// rebuilds an `F` from a received fd. A specialization provides
///
/// - `static int native_handle(const F& f)`: the fd to send (not consumed:
///   the kernel duplicates it into the receiver);
/// - `static F from_fd(unique_fd fd, const asio::any_io_executor& ex)`: an `F`
///   owning `fd`; `ex` is the receiving channel's executor, for I/O objects.
///
/// A specialization may instead write and read the whole object itself,
/// for objects that carry more than their fd (the library's channels carry
/// the input they buffered):
///
/// - `template <class Archive> static void save(Archive& ar, const F* f)`
///   (`f` is null for an empty handle);
/// - `template <class Archive> static void load(Archive& ar, std::optional<F>& f)`.
template <class F, class = void>
struct handle_traits;

template <>
struct handle_traits<unique_fd>
{
    static int native_handle(const unique_fd& f) noexcept { return f.get(); }
    static unique_fd from_fd(unique_fd fd, const asio::any_io_executor&) noexcept { return fd; }
};

namespace detail {

// Whether handle_traits<F> writes and reads the whole object itself.
template <class Traits, class = void>
struct saves_itself : std::false_type
{
};
template <class Traits>
struct saves_itself<Traits, std::void_t<decltype(&Traits::template save<ipc_oarchive>)>> : std::true_type
{
};

template <class Executor>
Executor executor_for(const asio::any_io_executor& ex)
{
    if constexpr (std::is_constructible<Executor, const asio::any_io_executor&>::value)
        return Executor(ex);
    else
    {
        const Executor* target = ex.template target<Executor>();
        if (!target)
            ipc_iarchive::fail("received I/O object: the channel's executor does not fit its type");
        return *target;
    }
}

} // namespace detail

template <class Executor>
struct handle_traits<asio::posix::basic_stream_descriptor<Executor>>
{
    using type = asio::posix::basic_stream_descriptor<Executor>;
    static int native_handle(const type& f) noexcept { return const_cast<type&>(f).native_handle(); }
    static type from_fd(unique_fd fd, const asio::any_io_executor& ex)
    {
        type d(detail::executor_for<Executor>(ex));
        d.assign(fd.get());
        fd.release();
        return d;
    }
};

template <class Executor>
struct handle_traits<asio::basic_stream_socket<asio::local::stream_protocol, Executor>>
{
    using type = asio::basic_stream_socket<asio::local::stream_protocol, Executor>;
    static int native_handle(const type& f) noexcept { return const_cast<type&>(f).native_handle(); }
    static type from_fd(unique_fd fd, const asio::any_io_executor& ex)
    {
        type s(detail::executor_for<Executor>(ex));
        s.assign(asio::local::stream_protocol(), fd.get());
        fd.release();
        return s;
    }
};

/// Carries an fd-bearing object `F` through serialization: the fd goes to the
/// message's side table, and the receiver gets an `F` that owns its own copy.
///
/// Only the library's archives have a side table: serializing a handle into
/// any other archive fails to compile.
///
/// An empty handle travels as such and arrives empty.
template <class F>
class handle
{
public:
    using value_type = F;

    /// An empty handle.
    handle() = default;

    /// A handle owning `f`.
    handle(F f) : value_(std::move(f)) {}

    bool has_value() const noexcept { return value_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }

    F& get() { return value_.value(); }
    const F& get() const { return value_.value(); }
    F& operator*() { return get(); }
    const F& operator*() const { return get(); }
    F* operator->() { return &get(); }
    const F* operator->() const { return &get(); }

    /// Moves the object out; the handle is empty afterwards.
    F release()
    {
        F f(std::move(value_.value()));
        value_.reset();
        return f;
    }

    template <class Archive>
    void save(Archive& ar, unsigned int) const
    {
        static_assert(std::is_base_of<ipc_oarchive, Archive>::value,
                      "boost::unix_ipc::handle can only be saved to an ipc_oarchive: "
                      "other archives have no side table for file descriptors");
        if constexpr (detail::saves_itself<handle_traits<F>>::value)
        {
            handle_traits<F>::save(ar, value_ ? &*value_ : nullptr);
            return;
        }
        std::uint32_t index = no_fd;
        if (value_)
        {
            const int fd = handle_traits<F>::native_handle(*value_);
            index = fd < 0 ? no_fd : ar.add_fd(fd);
        }
        ar << index;
    }

    template <class Archive>
    void load(Archive& ar, unsigned int)
    {
        static_assert(std::is_base_of<ipc_iarchive, Archive>::value,
                      "boost::unix_ipc::handle can only be loaded from an ipc_iarchive: "
                      "other archives have no side table for file descriptors");
        value_.reset();
        if constexpr (detail::saves_itself<handle_traits<F>>::value)
        {
            handle_traits<F>::load(ar, value_);
            return;
        }
        std::uint32_t index;
        ar >> index;
        if (index == no_fd)
            return;
        unique_fd fd = ar.take_fd(index);
        value_.emplace(handle_traits<F>::from_fd(std::move(fd), ar.get_executor()));
    }

    BOOST_SERIALIZATION_SPLIT_MEMBER()

private:
    static constexpr std::uint32_t no_fd = 0xffffffffu;
    std::optional<F> value_;
};

} // namespace unix_ipc
} // namespace boost

#endif
