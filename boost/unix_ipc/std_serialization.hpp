//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_STD_SERIALIZATION_HPP
#define BOOST_UNIX_IPC_STD_SERIALIZATION_HPP

// Boost.Serialization support for C++17 vocabulary types that Boost 1.81
// does not serialize itself: std::optional, std::variant (with
// std::monostate), and std::byte as a bitwise type (so std::vector<std::byte>
// travels as one block instead of one integer per byte).
//
// Not part of <boost/unix_ipc.hpp>: it defines overloads in namespace
// boost::serialization, which a program must not define twice. Include it
// where the types are serialized, and not together with another definition of
// the same overloads (for example a later Boost's own).

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/archive/archive_exception.hpp>
#include <boost/mpl/bool.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/throw_exception.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>

BOOST_IS_BITWISE_SERIALIZABLE(std::byte)

namespace boost {
namespace serialization {

/// `std::optional<T>`: a `bool`, then the value when there is one. Loading
/// needs a default-constructible `T`.
//
// One serialize() rather than a save/load pair: with
// boost/serialization/shared_ptr.hpp included, 1.81's shared_ptr_helper.hpp
// declares a load(Archive&, SPT<U>&) that hard-errors on std::optional.
template <class Archive, class T>
void serialize(Archive& ar, std::optional<T>& o, unsigned int)
{
    if constexpr (Archive::is_saving::value)
    {
        const bool has = o.has_value();
        ar << has;
        if (has)
            ar << *o;
    }
    else
    {
        bool has = false;
        ar >> has;
        o.reset();
        if (has)
        {
            o.emplace();
            ar >> *o;
        }
    }
}

/// `std::monostate`: nothing.
template <class Archive>
void serialize(Archive&, std::monostate&, unsigned int)
{
}

namespace unix_ipc_detail {

template <std::size_t I, class Archive, class... Ts>
void load_variant_alternative(Archive& ar, std::variant<Ts...>& v, std::uint32_t which)
{
    if constexpr (I < sizeof...(Ts))
    {
        if (which == I)
        {
            ar >> v.template emplace<I>();
            return;
        }
        load_variant_alternative<I + 1>(ar, v, which);
    }
    else
    {
        (void)ar;
        (void)v;
        (void)which;
        boost::serialization::throw_exception(
            archive::archive_exception(archive::archive_exception::other_exception, "variant index out of range"));
    }
}

} // namespace unix_ipc_detail

/// `std::variant<Ts...>`: the index as a `std::uint32_t`, then the
/// alternative. Loading an index out of range throws
/// `archive::archive_exception` (on a typed channel: `error::bad_message`).
/// Loading needs default-constructible alternatives.
template <class Archive, class... Ts>
void serialize(Archive& ar, std::variant<Ts...>& v, unsigned int)
{
    if constexpr (Archive::is_saving::value)
    {
        const std::uint32_t which = static_cast<std::uint32_t>(v.index());
        ar << which;
        std::visit([&](const auto& x) { ar << x; }, v);
    }
    else
    {
        std::uint32_t which = 0;
        ar >> which;
        unix_ipc_detail::load_variant_alternative<0>(ar, v, which);
    }
}

} // namespace serialization
} // namespace boost

#endif
