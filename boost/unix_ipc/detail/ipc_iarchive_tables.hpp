//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_IPC_IARCHIVE_TABLES_HPP
#define BOOST_UNIX_IPC_DETAIL_IPC_IARCHIVE_TABLES_HPP

// The entries of ipc_iarchive's own copy of basic_iarchive's class and object
// tables, and of the pointer and ownership state its checks keep (see
// ipc_iarchive.hpp). Numbered as Boost.Serialization 1.81 numbers them.

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/archive/detail/basic_iserializer.hpp>
#include <boost/serialization/shared_ptr_helper.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <type_traits>

namespace boost {
namespace unix_ipc {
namespace detail {

// No object id: a null pointer, or a pointer to an object of an untracked class.
constexpr std::size_t no_object_id = std::numeric_limits<std::size_t>::max();

// Orders the class table by class (basic_iarchive's own order).
struct serializer_less
{
    bool operator()(const archive::detail::basic_iserializer* a,
                    const archive::detail::basic_iserializer* b) const
    {
        return *a < *b;
    }
};

// Ownership of the objects pointers create. basic_iarchive gives a
// pointer whose object id was seen before the object registered under
// it, whoever made that object: an object loaded in place (a member, an
// element), or one a pointer of another kind owns. A raw pointer may
// refer to any of them (it owns nothing: see hostile_input.adoc); a
// smart pointer only to what it can share ownership of.
enum class origin : unsigned char
{
    none,         // (not a smart pointer)
    in_place,     // loaded by value: a member, an element, a base
    raw,          // made by a pointer, owned by no smart pointer yet
    unique,       // owned by a std::unique_ptr or boost::scoped_ptr
    std_shared,   // owned by std::shared_ptrs (one shared_ptr_helper)
    boost_shared, // owned by boost::shared_ptrs (another helper)
};
template <class Helper>
struct shared_owner : std::integral_constant<origin, origin::none>
{
};
template <template <class> class SharedPtr>
struct shared_owner<serialization::shared_ptr_helper<SharedPtr>>
    : std::integral_constant<origin, std::is_same<SharedPtr<int>, std::shared_ptr<int>>::value
                                         ? origin::std_shared
                                         : origin::boost_shared>
{
};

// An entry of the object table, by object id.
struct object_entry
{
    int cls = -1;                      // class id
    origin how = origin::in_place;     // who made it, who owns it
    bool moved = false;                // moved by this archive: at `address` now
    bool gone = false;                 // held by an element copied away: destroyed
    const void* boost_address = nullptr; // where basic_iarchive has it
    const void* address = nullptr;
};

// The object being loaded in place whose object id is read next.
struct value_load
{
    const void* address;
    bool oid_read = false;
    bool reference = false;
};

// A pointer's object id, and whether it refers to an object loaded before.
struct pointer_load
{
    bool reference = false;
    std::size_t oid = no_object_id; // none: null, or an untracked class
    bool null = false;
};

// The innermost pointer being loaded: where basic_iarchive put its object
// and, once it is constructed, its serializer.
struct pending_pointer
{
    void** slot = nullptr;
    const archive::detail::basic_iserializer* constructed = nullptr;
};

// The object of the pointer load_pointer returned last, until loading
// goes on (by then its pointer owns it).
struct unadopted
{
    void* object = nullptr;
    const archive::detail::basic_iserializer* serializer = nullptr;
};

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
