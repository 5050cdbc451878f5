//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_REMOTE_ERROR_HPP
#define BOOST_UNIX_IPC_REMOTE_ERROR_HPP

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/core/demangle.hpp>
#include <boost/exception/enable_error_info.hpp>
#include <boost/exception/error_info.hpp>
#include <boost/exception/get_error_info.hpp>
#include <boost/exception/info.hpp>
#include <boost/serialization/level.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <boost/throw_exception.hpp>

#if !defined(BOOST_UNIX_IPC_NO_STACKTRACE)
#include <boost/stacktrace/stacktrace.hpp>
#endif

#include <cxxabi.h>

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <variant>

namespace boost {
namespace unix_ipc {

/// An exception thrown in another process, as its sender described it: the
/// dynamic type's name, its `what()`, and the stack trace of the throw when
/// the thrower recorded one (see `throw_with_stacktrace`).
///
/// `what()` is `"<type name>: <message>"`. A `remote_error` is serializable,
/// so it travels over typed channels, usually inside a `remote_result`.
class remote_error : public std::runtime_error
{
public:
    remote_error() : std::runtime_error("remote error") {}

    remote_error(std::string type_name, std::string message, std::string stacktrace = {})
        : std::runtime_error(type_name + ": " + message), type_name_(std::move(type_name)),
          message_(std::move(message)), stacktrace_(std::move(stacktrace))
    {
    }

    /// The demangled name of the exception's dynamic type in the thrower.
    const std::string& type_name() const noexcept { return type_name_; }

    /// The thrower's `what()` (empty for an exception that is not a
    /// `std::exception`).
    const std::string& message() const noexcept { return message_; }

    /// The thrower's stack trace, one frame per line; empty when none was
    /// recorded.
    const std::string& stacktrace() const noexcept { return stacktrace_; }

private:
    std::string type_name_;
    std::string message_;
    std::string stacktrace_;
};

namespace detail {

struct remote_type_name_tag;
struct remote_stacktrace_tag;

// The static type given to throw_with_stacktrace (the thrown object's dynamic
// type is a Boost.Exception wrapper around it).
using remote_type_name_info = boost::error_info<remote_type_name_tag, std::string>;
// The stack trace at the throw, already rendered as text.
using remote_stacktrace_info = boost::error_info<remote_stacktrace_tag, std::string>;

// "boost::wrapexcept<std::logic_error>" -> "std::logic_error": the wrapper
// boost::throw_exception adds says nothing about what was thrown.
inline std::string unwrapped_type_name(std::string name)
{
    static const char prefix[] = "boost::wrapexcept<";
    const std::size_t n = sizeof(prefix) - 1;
    if (name.size() > n + 1 && name.compare(0, n, prefix) == 0 && name.back() == '>')
    {
        name = name.substr(n, name.size() - n - 1);
        while (!name.empty() && name.back() == ' ')
            name.pop_back();
    }
    return name;
}

inline std::string current_exception_type_name()
{
    const std::type_info* t = abi::__cxa_current_exception_type();
    return t ? unwrapped_type_name(boost::core::demangle(t->name())) : std::string("unknown exception");
}

} // namespace detail

/// Throws `e` with the current stack trace and `E`'s name attached, so that
/// `capture_result` sends both. Without Boost.Stacktrace (when
/// `BOOST_UNIX_IPC_NO_STACKTRACE` is defined) only the name is attached.
template <class E>
[[noreturn]] void throw_with_stacktrace(const E& e)
{
    std::string trace;
#if !defined(BOOST_UNIX_IPC_NO_STACKTRACE)
    trace = boost::stacktrace::to_string(boost::stacktrace::stacktrace());
#endif
    throw boost::enable_error_info(e) << detail::remote_type_name_info(boost::core::demangle(typeid(E).name()))
                                      << detail::remote_stacktrace_info(std::move(trace));
}

/// The exception being handled, as a `remote_error`. Call it only inside a
/// `catch` block.
inline remote_error current_exception_as_remote_error()
{
    try
    {
        throw;
    }
    catch (const remote_error& e)
    {
        return e; // forwarded from a further process: kept as it was
    }
    catch (const std::exception& e)
    {
        std::string type = detail::unwrapped_type_name(boost::core::demangle(typeid(e).name()));
        std::string trace;
        if (const std::string* t = boost::get_error_info<detail::remote_type_name_info>(e))
            type = *t;
        if (const std::string* s = boost::get_error_info<detail::remote_stacktrace_info>(e))
            trace = *s;
        return remote_error(std::move(type), e.what(), std::move(trace));
    }
    catch (...)
    {
        return remote_error(detail::current_exception_type_name(), std::string());
    }
}

/// The outcome of a function run in another process: its value, or the
/// exception it threw as a `remote_error`. Serializable when `T` is; loading
/// one needs a default-constructible `T`.
///
/// ```
/// // child
/// tx.send(unix_ipc::capture_result([&] { return compute(task); }));
/// // parent
/// long v = rx.receive().value(); // throws remote_error if compute threw
/// ```
template <class T>
class remote_result
{
public:
    /// A value-initialized `T` (needed to load one).
    remote_result() = default;

    remote_result(T value) : v_(std::in_place_index<0>, std::move(value)) {}

    remote_result(remote_error e) : v_(std::in_place_index<1>, std::move(e)) {}

    bool has_value() const noexcept { return v_.index() == 0; }

    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws the `remote_error` when there is none.
    T& value() &
    {
        check();
        return std::get<0>(v_);
    }

    /// The value; throws the `remote_error` when there is none.
    const T& value() const&
    {
        check();
        return std::get<0>(v_);
    }

    /// The value; throws the `remote_error` when there is none.
    T&& value() &&
    {
        check();
        return std::get<0>(std::move(v_));
    }

    /// The error. Precondition: `!has_value()`.
    const remote_error& error() const noexcept { return *std::get_if<1>(&v_); }

    template <class Archive>
    void save(Archive& ar, unsigned int) const
    {
        bool ok = has_value();
        ar << ok;
        if (ok)
            ar << std::get<0>(v_);
        else
            ar << std::get<1>(v_);
    }

    template <class Archive>
    void load(Archive& ar, unsigned int)
    {
        bool ok = false;
        ar >> ok;
        if (ok)
        {
            T value{};
            ar >> value;
            v_.template emplace<0>(std::move(value));
        }
        else
        {
            remote_error e;
            ar >> e;
            v_.template emplace<1>(std::move(e));
        }
    }

    BOOST_SERIALIZATION_SPLIT_MEMBER()

private:
    void check() const
    {
        if (!has_value())
            boost::throw_exception(std::get<1>(v_));
    }

    std::variant<T, remote_error> v_;
};

/// The outcome of a function that returns nothing.
template <>
class remote_result<void>
{
public:
    remote_result() = default;

    remote_result(remote_error e) : failed_(true), error_(std::move(e)) {}

    bool has_value() const noexcept { return !failed_; }

    explicit operator bool() const noexcept { return has_value(); }

    /// Returns when the function returned; throws its `remote_error` otherwise.
    void value() const
    {
        if (failed_)
            boost::throw_exception(error_);
    }

    /// The error. Precondition: `!has_value()`.
    const remote_error& error() const noexcept { return error_; }

    template <class Archive>
    void serialize(Archive& ar, unsigned int)
    {
        ar & failed_;
        if (failed_)
            ar & error_;
    }

private:
    bool failed_ = false;
    remote_error error_;
};

/// Calls `f(args...)` and returns its value (a copy when `f` returns a
/// reference), or the exception it threw as a
/// `remote_error` (never throws itself, except `std::bad_alloc` while
/// describing an exception).
template <class F, class... Args>
auto capture_result(F&& f, Args&&... args) -> remote_result<std::decay_t<std::invoke_result_t<F, Args...>>>
{
    using R = std::decay_t<std::invoke_result_t<F, Args...>>; // a reference result is copied
    try
    {
        if constexpr (std::is_void<R>::value)
        {
            std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
            return remote_result<void>();
        }
        else
            return remote_result<R>(std::invoke(std::forward<F>(f), std::forward<Args>(args)...));
    }
    catch (...)
    {
        return remote_result<R>(current_exception_as_remote_error());
    }
}

} // namespace unix_ipc
} // namespace boost

namespace boost {
namespace serialization {

template <class Archive>
void save(Archive& ar, const unix_ipc::remote_error& e, unsigned int)
{
    std::string type = e.type_name(), message = e.message(), trace = e.stacktrace();
    ar << type << message << trace;
}

template <class Archive>
void load(Archive& ar, unix_ipc::remote_error& e, unsigned int)
{
    std::string type, message, trace;
    ar >> type >> message >> trace;
    e = unix_ipc::remote_error(std::move(type), std::move(message), std::move(trace));
}

template <class Archive>
void serialize(Archive& ar, unix_ipc::remote_error& e, unsigned int version)
{
    split_free(ar, e, version);
}

} // namespace serialization
} // namespace boost

// On the wire a remote_error is its three strings: no class information, no
// object tracking (it travels by value).
BOOST_CLASS_IMPLEMENTATION(boost::unix_ipc::remote_error, boost::serialization::object_serializable)
BOOST_CLASS_TRACKING(boost::unix_ipc::remote_error, boost::serialization::track_never)

#endif
