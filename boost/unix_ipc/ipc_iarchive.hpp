//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IPC_IARCHIVE_HPP
#define BOOST_UNIX_IPC_IPC_IARCHIVE_HPP

#include <boost/unix_ipc/detail/config.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#include <boost/version.hpp>

// The checks of ipc_iarchive rest on what Boost.Serialization's basic_iarchive
// does internally (which members it calls on the most derived archive, in
// which order, and how it numbers classes and objects), read in Boost 1.81.
// Another Boost may skip a check silently: refuse to compile unless told to.
#if BOOST_VERSION / 100 != 1081 && !defined(BOOST_UNIX_IPC_ALLOW_UNCHECKED_BOOST_SERIALIZATION)
#error "Boost.UnixIpc: ipc_iarchive's checks of hostile input were verified against Boost.Serialization 1.81 only; \
with this Boost they may not run. Define BOOST_UNIX_IPC_ALLOW_UNCHECKED_BOOST_SERIALIZATION to build anyway \
(typed channels then need a trusted peer; see hostile_input.adoc)."
#endif

#include <boost/unix_ipc/detail/ipc_iarchive_tables.hpp>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/basic_archive.hpp>
#include <boost/archive/detail/common_iarchive.hpp>
#include <boost/archive/detail/basic_iserializer.hpp>
#include <boost/archive/detail/basic_pointer_iserializer.hpp>
#include <boost/archive/detail/register_archive.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/core/span.hpp>
#include <boost/mpl/bool.hpp>
#include <boost/serialization/archive_input_unordered_map.hpp>
#include <boost/serialization/archive_input_unordered_set.hpp>
#include <boost/serialization/detail/is_default_constructible.hpp>
#include <boost/serialization/detail/stack_constructor.hpp>
#include <boost/serialization/extended_type_info.hpp>
#include <boost/serialization/array_optimization.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/collection_size_type.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/item_version_type.hpp>
#include <boost/serialization/library_version_type.hpp>
#include <boost/serialization/nvp.hpp>
#include <boost/serialization/shared_ptr_helper.hpp>
#include <boost/serialization/void_cast.hpp>
#include <boost/serialization/string.hpp>
#include <boost/shared_ptr.hpp>
#include <boost/system/system_error.hpp>
#include <boost/unordered/unordered_map_fwd.hpp>
#include <boost/unordered/unordered_set_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <forward_list>
#include <functional>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <valarray>
#include <vector>

namespace boost {
template <class T>
class scoped_ptr;
} // namespace boost

namespace boost {
namespace unix_ipc {

/// The input archive of typed channels: reads what `ipc_oarchive` wrote from
/// a received payload, checking every length against what is left, and hands
/// the message's fds to the handles that claim them.
///
/// Bad input throws `boost::system::system_error` with `error::bad_message`
/// (the typed channel turns it into that error code).
class ipc_iarchive : public archive::detail::common_iarchive<ipc_iarchive>
{
public:
    /// Reads from `bytes`; handles take their fds from `fds` and rebuild I/O
    /// objects on `executor`.
    ipc_iarchive(boost::span<const std::byte> bytes, std::vector<unique_fd>& fds,
                 asio::any_io_executor executor = {})
        : archive::detail::common_iarchive<ipc_iarchive>(archive::no_header),
          p_(bytes.data()),
          end_(bytes.data() + bytes.size()),
          fds_(fds),
          taken_(fds.size(), false),
          executor_(std::move(executor))
    {
    }

    /// Takes fd number `index` of the message; throws on an index out of
    /// range or taken before.
    unique_fd take_fd(std::uint32_t index)
    {
        if (index >= fds_.size() || taken_[index])
            fail("fd index out of range or used twice");
        taken_[index] = true;
        return std::move(fds_[index]);
    }

    /// True when every fd of the message was claimed.
    bool all_fds_taken() const noexcept
    {
        for (bool t : taken_)
            if (!t)
                return false;
        return true;
    }

    /// Bytes not read yet.
    std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }

    /// The executor I/O objects rebuilt from fds use (may be empty).
    const asio::any_io_executor& get_executor() const noexcept { return executor_; }

    void load_binary(void* p, std::size_t n)
    {
        unadopted_.object = nullptr; // loading went on: the last pointer has its owner
        if (n > remaining())
            fail("payload truncated");
        if (n != 0)
            std::memcpy(p, p_, n);
        p_ += n;
    }

    // Containers of bitwise-serializable elements travel as one block.
    struct use_array_optimization
    {
        template <class T>
        struct apply : serialization::is_bitwise_serializable<T>
        {
        };
    };

    template <class ValueType>
    void load_array(serialization::array_wrapper<ValueType>& a, unsigned int)
    {
        const std::size_t count = a.count();
        if (count > remaining() / (sizeof(ValueType) ? sizeof(ValueType) : 1))
            fail("array longer than the payload");
        load_binary(a.address(), count * sizeof(ValueType));
    }

    [[noreturn]] static void fail(const char* what)
    {
        throw system::system_error(make_error_code(error::bad_message), what);
    }

    // Boost.Serialization 1.81's basic_iarchive trusts the class ids and
    // object ids of pointers: a class id beyond its table, or one naming a
    // class it already knows under another id, indexes past its class table
    // (checked only by BOOST_VERIFY). The archive therefore keeps its own
    // copy of that table, numbered as basic_iarchive numbers it, by
    // intercepting the three calls that register classes (these hide
    // basic_iarchive's members of the same names; Boost calls them on the
    // most derived archive), and checks every id before basic_iarchive uses it.

    /// Loads an object with class information (called by Boost.Serialization).
    void load_object(void* t, const archive::detail::basic_iserializer& bis)
    {
        unadopted_.object = nullptr;
        context_class_ = register_class(bis).first;
        const saver<bool> is_pointer(moveable_.is_pointer, false);
        // The first object loaded at the address of the pointer being loaded
        // is the pointer's own object, now constructed (its bases follow).
        if (pending_.slot && t == *pending_.slot && !pending_.constructed)
        {
            pending_.constructed = &bis;
            pointer_object_id_pending_ = false; // an untracked class reads none
            // A tracked class read its object id before basic_iarchive
            // allocated the object, which it loads now without a preamble.
            if (pointer_ && !pointer_->reference && pointer_->oid < objects_.size())
            {
                objects_[pointer_->oid].boost_address = t;
                archive::detail::basic_iarchive::load_object(t, bis);
                return;
            }
        }
        // Loaded in place (by value, or an untracked pointer's object): its
        // object id, if its class is tracked, comes first.
        const std::size_t this_id = objects_.size();
        value_load v{t};
        const saver<value_load*> value(value_, &v);
        archive::detail::basic_iarchive::load_object(t, bis);
        if (!v.reference)
            moveable_.recent = this_id;
    }

    /// Tells that the object just loaded at `old_address` now lives at
    /// `new_address` (called by Boost.Serialization's collection loaders).
    /// basic_iarchive updates its table; the archive's copy follows it.
    void reset_object_address(const void* new_address, const void* old_address)
    {
        archive::detail::basic_iarchive::reset_object_address(new_address, old_address);
        // As basic_iarchive 1.81 does: from the object at old_address on,
        // every object registered since the most recent load shifts by the
        // same displacement.
        if (moveable_.is_pointer)
            return;
        const std::size_t end = (std::min)(moveable_.end, objects_.size());
        std::size_t i = moveable_.recent;
        while (i < end && objects_[i].boost_address != old_address)
            ++i;
        for (; i < end; ++i)
            objects_[i].boost_address = displaced(objects_[i].boost_address, old_address, new_address);
    }

    /// Boost.Serialization's helper objects; the shared_ptr helpers, called
    /// right after the raw pointer of a shared_ptr is loaded, are where the
    /// archive knows that pointer's owner (see `claim`).
    template <class Helper>
    Helper& get_helper(void* const id = nullptr)
    {
        claim(shared_owner<Helper>::value);
        // Boost 1.81 asks for the helpers of std::shared_ptr and of
        // boost::shared_ptr under one id (shared_ptr_helper_id, null), and
        // helper_collection finds a helper by its id alone: in a message with
        // both kinds, the second kind got the first kind's helper cast to its
        // own type. Each kind gets a key of its own here.
        void* const key = shared_owner<Helper>::value != origin::none && id == nullptr ? helper_key<Helper>() : id;
        return archive::detail::interface_iarchive<ipc_iarchive>::get_helper<Helper>(key);
    }

    /// Loads a pointer (called by Boost.Serialization).
    const archive::detail::basic_pointer_iserializer* load_pointer(
        void*& t, const archive::detail::basic_pointer_iserializer* bpis_ptr,
        const archive::detail::basic_pointer_iserializer* (*finder)(const serialization::extended_type_info&))
    {
        pointer_bpis_ = bpis_ptr;
        pointer_finder_ = finder;
        expect_pointer_class_ = true;
        // This pointer's object id (whether it refers to an object loaded
        // before); the innermost pointer being loaded is the one the object
        // id after a pointer class id belongs to.
        pointer_load state;
        bool& reference = state.reference;
        struct restore
        {
            ipc_iarchive& ar;
            pointer_load* outer;
            pending_pointer outer_pending;
            bool outer_is_pointer;
            std::size_t outer_end;
            const pointer_load& state;
            ~restore()
            {
                ar.pointer_ = outer;
                ar.pending_ = outer_pending;
                ar.moveable_.is_pointer = outer_is_pointer;
                // basic_iarchive restores its end of the movable objects
                // after loading a tracked pointer's object.
                if (!state.reference && state.oid != npos)
                    ar.moveable_.end = outer_end;
            }
        } r{*this, pointer_, pending_, moveable_.is_pointer, moveable_.end, state};
        pointer_ = &state;
        moveable_.is_pointer = true;
        // basic_iarchive allocates the object into t, then loads it; when
        // loading throws, it neither frees it nor lists it for
        // delete_created_pointers(). A hostile message would leak one object
        // per try: destroy it here.
        t = nullptr;
        unadopted_.object = nullptr;
        pending_ = pending_pointer{&t, nullptr};
        const archive::detail::basic_pointer_iserializer* result;
        try
        {
            result = archive::detail::basic_iarchive::load_pointer(t, bpis_ptr, finder);
        }
        catch (...)
        {
            // An object loaded before (a reference) is not ours; one whose
            // construction failed (a throwing load_construct_data) cannot be
            // destroyed and is left to leak.
            if (t != nullptr && !reference && pending_.constructed)
                pending_.constructed->destroy(t);
            throw;
        }
        // basic_iarchive answers a reference with the address it registered;
        // an object this archive has moved since (a growing vector's
        // element) is elsewhere now.
        if (t != nullptr && reference)
        {
            if (objects_[state.oid].moved)
                t = const_cast<void*>(objects_[state.oid].address);
            // An object inside an element loaded away from its place (on the
            // stack, or in a vector a valarray is copied from): the element
            // moves when it is done, and the pointer would be left behind.
            if (objects_[state.oid].gone)
                fail("pointer to an object that was copied away with its element");
            for (const transient& r : transients_)
                if (r.contains(r, t) ||
                    (r.copies && state.oid >= r.first && objects_[state.oid].how == origin::in_place))
                    fail("pointer into an element that moves after loading");
            // A pointer into a vector still growing would be left behind
            // by its next reallocation: the vector takes its full size now.
            for (std::size_t i = growing_.size(); i-- > 0;)
                growing_[i].pin_if_inside(*this, growing_[i], t);
            if (objects_[state.oid].moved)
                t = const_cast<void*>(objects_[state.oid].address);
        }
        last_pointer_ = state;
        last_pointer_.null = t == nullptr;
        // A class that does not derive from the pointer's type: Boost would
        // fail the cast after this returns, and leak the object.
        if (t != nullptr && !reference && result != bpis_ptr && bpis_ptr != nullptr &&
            serialization::void_upcast(result->get_eti(), bpis_ptr->get_eti(), t) == nullptr)
        {
            result->get_basic_serializer().destroy(t);
            t = nullptr;
            fail("pointer's class does not derive from its type");
        }
        if (t != nullptr && !reference)
            unadopted_ = unadopted{t, &result->get_basic_serializer()};
        return result;
    }

    /// Registers a class (called by `register_type`).
    void register_basic_serializer(const archive::detail::basic_iserializer& bis)
    {
        register_class(bis);
        archive::detail::basic_iarchive::register_basic_serializer(bis);
    }

private:
    friend class archive::detail::interface_iarchive<ipc_iarchive>;
    friend class archive::detail::common_iarchive<ipc_iarchive>;
    friend class archive::load_access;
    // Elements constructed on the stack by any loader (Boost's or ours) are
    // storage that moves once loaded: see the specialization below.
    template <class, class>
    friend struct serialization::detail::stack_construct;

    template <class T>
    void load_override(T& t)
    {
        try
        {
            archive::detail::common_iarchive<ipc_iarchive>::load_override(t);
        }
        catch (const archive::archive_exception& e)
        {
            // Boost casts a loaded pointer to its declared type after
            // load_pointer returns and, when the class does not derive from
            // it (an abstract declared type escapes the check there), throws
            // unregistered_class (1.81; unregistered_cast from the shared_ptr
            // helper) with the object owned by nobody.
            if ((e.code == archive::archive_exception::unregistered_class ||
                 e.code == archive::archive_exception::unregistered_cast) &&
                unadopted_.object)
            {
                const unadopted u = std::exchange(unadopted_, unadopted{});
                u.serializer->destroy(u.object);
            }
            throw;
        }
    }
    void load_override(archive::class_id_optional_type&) {}
    void load_override(archive::class_name_type& t)
    {
        std::string cn;
        load(cn);
        if (cn.size() > BOOST_SERIALIZATION_MAX_KEY_SIZE - 1)
            fail("class name too long");
        std::memcpy(t, cn.data(), cn.size());
        t.t[cn.size()] = '\0';
        if (!new_class_pending_)
            return;
        // The class of a new polymorphic pointer class id: exported, loadable
        // through this archive, and not known under another id.
        new_class_pending_ = false;
        const serialization::extended_type_info* eti =
            cn.empty() ? nullptr : serialization::extended_type_info::find(t.t);
        if (eti == nullptr)
            fail("unknown class name");
        const archive::detail::basic_pointer_iserializer* bpis = pointer_finder_ ? pointer_finder_(*eti) : nullptr;
        if (bpis == nullptr)
            fail("class not loadable through this archive");
        if (!register_class(bpis->get_basic_serializer()).second)
            fail("pointer class id does not match its class");
    }

    // The class id basic_iarchive gives `bis`, and whether it is new.
    std::pair<int, bool> register_class(const archive::detail::basic_iserializer& bis)
    {
        auto r = classes_.emplace(&bis, static_cast<int>(classes_.size()));
        return {r.first->second, r.second};
    }

    using serializer_less = detail::serializer_less;
    // A pointer's class id: -1 (null), a class already known, or the next
    // one, which must then be a class not known yet: for an exported
    // polymorphic class the name that follows says which (checked there);
    // otherwise it is the pointer's static type.
    void load_override(archive::class_id_type& t)
    {
        load(t);
        const int cid = t;
        if (!expect_pointer_class_)
            fail("unexpected class id");
        expect_pointer_class_ = false;
        if (cid == -1)
            return;
        const int known = static_cast<int>(classes_.size());
        if (cid < 0 || cid > known)
            fail("pointer class id out of range");
        if (cid == known)
        {
            const archive::detail::basic_iserializer* bis =
                pointer_bpis_ ? &pointer_bpis_->get_basic_serializer() : nullptr;
            if (bis == nullptr || bis->is_polymorphic())
                new_class_pending_ = true;
            else if (!register_class(*bis).second)
                fail("pointer class id does not match its class");
        }
        context_class_ = cid;
        pointer_object_id_pending_ = true;
    }
    // An object id: one of an object loaded before, of the same class, or the next one.
    void load_override(archive::object_id_type& t)
    {
        load(t);
        const std::size_t oid = t;
        // The first object id after a pointer's class id is the pointer's
        // own; any other is that of an object loaded in place, read first
        // thing in its load_object.
        const bool pointers_own = std::exchange(pointer_object_id_pending_, false);
        value_load* const value = pointers_own ? nullptr : value_;
        if (!pointers_own && (value == nullptr || value->oid_read))
            fail("unexpected object id");
        if (value)
            value->oid_read = true;
        if (oid < objects_.size())
        {
            if (objects_[oid].cls != context_class_)
                fail("object id refers to an object of another class");
            if (value)
                value->reference = true; // basic_iarchive skips the object
            else
            {
                pointer_->reference = true;
                pointer_->oid = oid;
            }
        }
        else if (oid == objects_.size())
        {
            object_entry e;
            e.cls = context_class_;
            if (value)
            {
                e.how = origin::in_place;
                e.boost_address = value->address;
            }
            else
            {
                e.how = origin::raw; // until a smart pointer claims it
                pointer_->oid = oid;
            }
            objects_.push_back(e);
            if (value)
                moveable_.end = objects_.size();
        }
        else
            fail("object id out of range");
    }
    // A container may not declare more elements than there are bytes left:
    // a lying size fails before the container allocates for it.
    void load_override(serialization::collection_size_type& t)
    {
        load(t);
        if (static_cast<std::size_t>(t) > remaining())
            fail("container size beyond the payload");
    }

    template <class T>
    void load(T& t)
    {
        static_assert(std::is_standard_layout<T>::value && !std::is_pointer<T>::value,
                      "ipc_iarchive: not a primitive");
        load_binary(&t, sizeof(T));
    }
    void load(bool& b)
    {
        unsigned char c;
        load_binary(&c, 1);
        if (c > 1)
            fail("bad bool");
        b = c != 0;
    }
    void load(std::string& s)
    {
        std::uint64_t n;
        load_binary(&n, sizeof(n));
        if (n > remaining())
            fail("string longer than the payload");
        s.assign(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
        p_ += n;
    }
    void load(std::wstring& s)
    {
        std::uint64_t n;
        load_binary(&n, sizeof(n));
        if (n > remaining() / sizeof(wchar_t))
            fail("string longer than the payload");
        s.resize(static_cast<std::size_t>(n));
        load_binary(&s[0], static_cast<std::size_t>(n) * sizeof(wchar_t));
    }

    // std::vector of bitwise-serializable elements: Boost's own load resizes
    // to the declared count before reading; here count * sizeof(U) must fit
    // in the bytes left first. (Found by argument-dependent lookup from
    // boost/serialization/vector.hpp, and more specialized than its load.)
    template <class U, class Allocator>
    friend void load(ipc_iarchive& ar, std::vector<U, Allocator>& t, const unsigned int, mpl::true_)
    {
        serialization::collection_size_type count;
        ar >> serialization::make_nvp("count", count);
        const std::size_t n = count;
        if (n > ar.remaining() / (sizeof(U) ? sizeof(U) : 1))
            ipc_iarchive::fail("array longer than the payload");
        if constexpr (is_byte_like<U>::value)
        {
            // One pass over the bytes, no zero-filling first.
            const auto* p = reinterpret_cast<const U*>(ar.p_);
            t.assign(p, p + n);
            ar.p_ += n;
        }
        else
        {
            t.resize(n);
            if (n != 0)
                ar >> serialization::make_array<U, serialization::collection_size_type>(t.data(), count);
        }
    }

    // Types whose objects may be read straight from the payload's bytes.
    template <class U>
    struct is_byte_like
        : std::integral_constant<bool, std::is_same<U, char>::value ||
                                           std::is_same<U, unsigned char>::value || std::is_same<U, std::byte>::value>
    {
    };

    // std::unique_ptr owns its object: a pointer that refers to an object
    // loaded before (Boost's object tracking) would be deleted twice.
    template <class T>
    friend void load(ipc_iarchive& ar, std::unique_ptr<T>& t, const unsigned int)
    {
        T* p = nullptr;
        ar >> serialization::make_nvp("tx", p);
        ar.claim(origin::unique);
        t.reset(p);
    }
    // boost::scoped_ptr the same (boost/serialization/scoped_ptr.hpp).
    template <class T>
    friend void load(ipc_iarchive& ar, boost::scoped_ptr<T>& t, const unsigned int)
    {
        T* p = nullptr;
        ar >> serialization::make_nvp("scoped_ptr", p);
        ar.claim(origin::unique);
        t.reset(p);
    }

    // Ownership of the objects pointers create (see detail::origin).
    using origin = detail::origin;
    template <class Helper>
    using shared_owner = detail::shared_owner<Helper>;
    // The key of a helper type in the archive's helper collection.
    template <class Helper>
    static void* helper_key() noexcept
    {
        static char key;
        return &key;
    }

    // The smart pointer `how` takes the pointer just loaded: a new object
    // becomes its; one loaded before only if no smart pointer owns it yet
    // (made by a raw pointer, which owns nothing), or if it is a shared_ptr
    // and shared_ptrs of its kind own it already (Boost's helper then shares
    // their count). Never an object loaded in place.
    void claim(origin how)
    {
        if (how == origin::none || last_pointer_.null || last_pointer_.oid == npos)
            return; // null, or an untracked class: nothing can refer to it
        object_entry& o = objects_[last_pointer_.oid];
        if (!last_pointer_.reference || o.how == origin::raw || (how != origin::unique && o.how == how))
        {
            o.how = how;
            return;
        }
        fail(how == origin::unique ? "a unique_ptr refers to an object it cannot own"
                                   : "a shared_ptr refers to an object it cannot own");
    }

    // The header of Boost's sequence containers: count, then (since library
    // version 4) the elements' version.
    std::pair<std::size_t, serialization::item_version_type> load_sequence_header()
    {
        serialization::collection_size_type count;
        serialization::item_version_type item_version(0);
        *this >> serialization::make_nvp("count", count);
        if (serialization::library_version_type(3) < get_library_version())
            *this >> serialization::make_nvp("item_version", item_version);
        return {static_cast<std::size_t>(count), item_version};
    }

    // Loads one element at the end of `t` (a vector with room for it, a deque
    // or a list): in place when it can be default-constructed, otherwise as
    // Boost does, constructed on the stack (load_construct_data), moved in,
    // and its objects' addresses reset.
    template <class Container>
    void append_element(Container& t, serialization::item_version_type item_version, bool in_place = true)
    {
        using U = typename Container::value_type;
        if constexpr (serialization::detail::is_default_constructible<U>::value)
        {
            if (in_place)
            {
                t.emplace_back();
                *this >> serialization::make_nvp("item", t.back());
                return;
            }
        }
        const std::size_t first = objects_.size();
        serialization::detail::stack_construct<ipc_iarchive, U> u(*this, item_version);
        *this >> serialization::make_nvp("item", u.reference());
        u.moved();
        t.push_back(std::move(u.reference()));
        // The objects that lay in the element moved with it; those it owns
        // elsewhere (the elements of a vector member) did not.
        // basic_iarchive::reset_object_address would shift every object
        // registered since the element by the same displacement, those too:
        // it is not called, and pointers referring to the element's objects
        // get their new addresses from objects_moved (see load_pointer).
        objects_moved(first, u.address(), sizeof(U), std::addressof(t.back()));
    }

    // n elements into the empty vector t. Boost reserves n first; here only
    // when n elements fit in the bytes left (n * sizeof(U) <= remaining()),
    // so the vector never takes more memory than the payload has left.
    // Otherwise (a lie, or elements smaller in the payload than in memory,
    // like strings) the vector grows with the elements loaded, doubling. A
    // reallocation moves the elements loaded before: the objects registered
    // in them (tracked elements or members a later pointer may refer to)
    // are recorded as moved, and a pointer referring to one gets its new
    // address (see load_pointer).
    template <class U, class Allocator>
    void load_vector_elements(std::vector<U, Allocator>& t, std::size_t n,
                              serialization::item_version_type item_version)
    {
        const std::size_t fit = remaining() / sizeof(U);
        if (n <= fit)
        {
            t.reserve(n);
            for (std::size_t i = 0; i < n; ++i)
                append_element(t, item_version);
            return;
        }
        if constexpr (!std::is_nothrow_move_constructible<U>::value)
        {
            // A reallocation would copy the elements (std::vector moves only
            // what moves without throwing), and a copy gives the objects an
            // element holds on the heap new addresses, which pointers already
            // handed out would not follow. Boost's way instead: the whole
            // count at once (address space the bytes left bound, as in
            // pin_vector; untouched until loaded), elements in place.
            try
            {
                t.reserve(n);
            }
            catch (const std::bad_alloc&)
            {
                fail("vector of elements that copy when they move does not fit in memory");
            }
            for (std::size_t i = 0; i < n; ++i)
                append_element(t, item_version);
            return;
        }
        const std::size_t first = objects_.size();
        t.reserve((std::max)(fit, std::size_t(1)));
        growing_.push_back(growing{&t, n, first, &pin_vector<std::vector<U, Allocator>>});
        struct pop
        {
            std::vector<growing>& g;
            ~pop() { g.pop_back(); }
        } p{growing_};
        for (std::size_t i = 0; i < n; ++i)
        {
            if (t.size() == t.capacity())
                reserve_moving(t, (std::min)(n, 2 * t.capacity()), first);
            // Loaded on the stack and moved in: the vector may move while
            // an element loads (see growing), never the element loading.
            append_element(t, item_version, false);
        }
    }

    // Reserves `capacity` elements, recording the objects that move.
    template <class Vector>
    void reserve_moving(Vector& t, std::size_t capacity, std::size_t first)
    {
        const void* const old = t.data();
        const std::size_t bytes = t.size() * sizeof(typename Vector::value_type);
        t.reserve(capacity);
        if (bytes != 0 && old != static_cast<const void*>(t.data()))
            objects_moved(first, old, bytes, t.data());
    }

    // A vector growing while it loads. Pointers to objects in it already
    // handed out (a pointer in a later element to an earlier one) would not
    // follow it when it moves: when a pointer refers to an object inside it,
    // it reserves its full count at once, and moves no more. (Its count fit
    // in the bytes left; the memory reserved is not touched until elements
    // are loaded.)
    struct growing
    {
        void* vector;
        std::size_t count;
        std::size_t first; // object id of the first object it may hold
        void (*pin_if_inside)(ipc_iarchive&, growing&, const void*);
    };
    std::vector<growing> growing_;

    template <class Vector>
    static void pin_vector(ipc_iarchive& ar, growing& g, const void* p)
    {
        auto& t = *static_cast<Vector*>(g.vector);
        if (t.capacity() == g.count)
            return;
        if (inside(p, t.data(), t.size() * sizeof(typename Vector::value_type)))
            ar.reserve_moving(t, g.count, g.first);
    }

    // Storage whose objects move once loaded: an element on the stack, the
    // vector a valarray is copied from. A pointer to an object inside it,
    // resolved while it loads, would be left pointing at the old place (a
    // member of the element itself, an earlier element): bad_message.
    struct transient
    {
        const void* storage;
        std::size_t size; // or 0: a vector, whose elements are the storage
        bool (*contains)(const transient&, const void*);
        // An element whose move is a copy: the objects it holds on the heap
        // (those registered since object id `first`, outside the element)
        // are destroyed with it once copied.
        bool copies = false;
        std::size_t first = 0;
    };
    std::vector<transient> transients_;

    static bool inside(const void* p, const void* b, std::size_t size) noexcept
    {
        const auto a = reinterpret_cast<std::uintptr_t>(p);
        const auto base = reinterpret_cast<std::uintptr_t>(b);
        return a >= base && a - base < size;
    }
    static bool contains_range(const transient& r, const void* p) noexcept
    {
        return inside(p, r.storage, r.size);
    }
    template <class Vector>
    static bool contains_elements(const transient& r, const void* p) noexcept
    {
        const auto& v = *static_cast<const Vector*>(r.storage);
        return inside(p, v.data(), v.size() * sizeof(typename Vector::value_type));
    }

    void push_transient(const void* storage, std::size_t size, bool copies)
    {
        transients_.push_back(transient{storage, size, &contains_range, copies, objects_.size()});
    }
    // The element at storage has been loaded and is about to move: from now
    // on its own objects are reached through the moves recorded for them;
    // if its move is a copy, the objects it holds elsewhere are gone.
    void pop_transient(const void* storage) noexcept
    {
        for (std::size_t i = transients_.size(); i-- > 0;)
        {
            const transient r = transients_[i];
            if (r.storage != storage || r.size == 0)
                continue;
            // (Objects a pointer made survive the copy, shared or copied;
            // objects loaded by value outside the element are parts of
            // what it holds, such as its containers' elements, and are
            // destroyed with it. One inside an object a pointer made is
            // counted among them: refused, never dangling.)
            if (r.copies)
                for (std::size_t id = r.first; id < objects_.size(); ++id)
                    if (objects_[id].how == origin::in_place &&
                        !inside(objects_[id].moved ? objects_[id].address : objects_[id].boost_address, r.storage,
                                r.size))
                        objects_[id].gone = true;
            transients_.erase(transients_.begin() + static_cast<std::ptrdiff_t>(i));
            return;
        }
    }

    struct transient_scope
    {
        std::vector<transient>& list;
        transient_scope(ipc_iarchive& ar, const void* storage, std::size_t size) : list(ar.transients_)
        {
            list.push_back(transient{storage, size, &contains_range});
        }
        template <class Vector>
        transient_scope(ipc_iarchive& ar, const Vector& v) : list(ar.transients_)
        {
            list.push_back(transient{&v, 0, &contains_elements<Vector>});
        }
        transient_scope(const transient_scope&) = delete;
        transient_scope& operator=(const transient_scope&) = delete;
        ~transient_scope() { list.pop_back(); }
    };

    // The objects registered since object id `first` that lay in
    // [from, from + size) now lie at the same offset from `to`.
    void objects_moved(std::size_t first, const void* from, std::size_t size, const void* to)
    {
        for (std::size_t i = first; i < objects_.size(); ++i)
        {
            object_entry& o = objects_[i];
            const void* const at = o.moved ? o.address : o.boost_address;
            if (inside(at, from, size))
            {
                o.address = displaced(at, from, to);
                o.moved = true;
            }
        }
    }

    static void* displaced(const void* p, const void* from, const void* to) noexcept
    {
        return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(to) +
                                       (reinterpret_cast<std::uintptr_t>(p) - reinterpret_cast<std::uintptr_t>(from)));
    }

    // std::vector of other elements (boost/serialization/vector.hpp's load
    // reserves and resizes to the declared count first).
    template <class U, class Allocator>
    friend void load(ipc_iarchive& ar, std::vector<U, Allocator>& t, const unsigned int, mpl::false_)
    {
        const auto [n, item_version] = ar.load_sequence_header();
        t.clear();
        ar.load_vector_elements(t, n, item_version);
    }

    // std::deque and std::list (collections_load_imp.hpp resizes them to the
    // declared count): grown with the elements loaded, which stay in place.
    template <class U, class Allocator>
    friend void load(ipc_iarchive& ar, std::deque<U, Allocator>& t, const unsigned int)
    {
        const auto [n, item_version] = ar.load_sequence_header();
        t.clear();
        for (std::size_t i = 0; i < n; ++i)
            ar.append_element(t, item_version);
    }
    template <class U, class Allocator>
    friend void load(ipc_iarchive& ar, std::list<U, Allocator>& t, const unsigned int)
    {
        const auto [n, item_version] = ar.load_sequence_header();
        t.clear();
        for (std::size_t i = 0; i < n; ++i)
            ar.append_element(t, item_version);
    }
    template <class U, class Allocator>
    friend void load(ipc_iarchive& ar, std::forward_list<U, Allocator>& t, const unsigned int)
    {
        const auto [n, item_version] = ar.load_sequence_header();
        t.clear();
        auto last = t.before_begin();
        for (std::size_t i = 0; i < n; ++i)
        {
            if constexpr (serialization::detail::is_default_constructible<U>::value)
            {
                last = t.emplace_after(last);
                ar >> serialization::make_nvp("item", *last);
            }
            else
            {
                const std::size_t first = ar.objects_.size();
                serialization::detail::stack_construct<ipc_iarchive, U> u(ar, item_version);
                ar >> serialization::make_nvp("item", u.reference());
                u.moved();
                last = t.emplace_after(last, std::move(u.reference()));
                ar.objects_moved(first, u.address(), sizeof(U), std::addressof(*last));
                ar.reset_object_address(std::addressof(*last), u.address());
            }
        }
    }

    // std::valarray (valarray.hpp resizes to the declared count): elements
    // that travel as one block are checked against the bytes left; others
    // are loaded into a vector as above and copied over.
    template <class U>
    friend void load(ipc_iarchive& ar, std::valarray<U>& t, const unsigned int)
    {
        serialization::collection_size_type count;
        ar >> serialization::make_nvp("count", count);
        const std::size_t n = count;
        if constexpr (serialization::is_bitwise_serializable<U>::value)
        {
            if (n > ar.remaining() / sizeof(U))
                ipc_iarchive::fail("array longer than the payload");
            t.resize(n);
            if (n != 0)
                ar.load_binary(&t[0], n * sizeof(U));
        }
        else if (n <= ar.remaining() / sizeof(U))
        {
            // Boost's way: sized first, loaded in place (make_array writes
            // no item version).
            t.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                ar >> serialization::make_nvp("item", t[i]);
        }
        else
        {
            // Staged in a vector, then moved over: objects an element holds
            // on the heap stay where they are. A type whose move is a copy
            // would give them new addresses behind the pointers already
            // handed out: refused.
            if constexpr (!std::is_nothrow_move_assignable<U>::value)
                ipc_iarchive::fail("valarray of elements that copy when they move, longer than the payload");
            const std::size_t first = ar.objects_.size();
            std::vector<U> v;
            {
                const transient_scope loading(ar, v);
                ar.load_vector_elements(v, n, serialization::item_version_type(0));
            }
            t.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                t[i] = std::move(v[i]);
            ar.objects_moved(first, v.data(), n * sizeof(U), &t[0]);
        }
    }

    // The unordered containers (unordered_collections_load_imp.hpp rehashes
    // to a bucket count read from the payload): the sender's bucket count is
    // read and not honoured; the table grows with the elements loaded.
    template <class Input, class Container>
    void load_unordered(Container& s)
    {
        serialization::collection_size_type count;
        serialization::collection_size_type bucket_count;
        serialization::item_version_type item_version(0);
        *this >> serialization::make_nvp("count", count);
        *this >> serialization::make_nvp("bucket_count", bucket_count);
        if (serialization::library_version_type(3) < get_library_version())
            *this >> serialization::make_nvp("item_version", item_version);
        s.clear();
        Input input;
        for (std::size_t n = count; n-- > 0;)
            input(*this, s, item_version);
    }
#define BOOST_UNIX_IPC_UNORDERED_LOAD(container, input, params, args)                                 \
    template <params>                                                                                   \
    friend void load(ipc_iarchive& ar, container<args>& t, const unsigned int)                          \
    {                                                                                                   \
        ar.load_unordered<serialization::stl::input<ipc_iarchive, container<args>>>(t);                \
    }
#define BOOST_UNIX_IPC_SET_PARAMS class K, class H, class E, class A
#define BOOST_UNIX_IPC_SET_ARGS K, H, E, A
#define BOOST_UNIX_IPC_MAP_PARAMS class K, class V, class H, class E, class A
#define BOOST_UNIX_IPC_MAP_ARGS K, V, H, E, A
    BOOST_UNIX_IPC_UNORDERED_LOAD(std::unordered_set, archive_input_unordered_set, BOOST_UNIX_IPC_SET_PARAMS,
                                  BOOST_UNIX_IPC_SET_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(std::unordered_multiset, archive_input_unordered_multiset,
                                  BOOST_UNIX_IPC_SET_PARAMS, BOOST_UNIX_IPC_SET_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(std::unordered_map, archive_input_unordered_map, BOOST_UNIX_IPC_MAP_PARAMS,
                                  BOOST_UNIX_IPC_MAP_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(std::unordered_multimap, archive_input_unordered_multimap,
                                  BOOST_UNIX_IPC_MAP_PARAMS, BOOST_UNIX_IPC_MAP_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(boost::unordered_set, archive_input_unordered_set, BOOST_UNIX_IPC_SET_PARAMS,
                                  BOOST_UNIX_IPC_SET_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(boost::unordered_multiset, archive_input_unordered_multiset,
                                  BOOST_UNIX_IPC_SET_PARAMS, BOOST_UNIX_IPC_SET_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(boost::unordered_map, archive_input_unordered_map, BOOST_UNIX_IPC_MAP_PARAMS,
                                  BOOST_UNIX_IPC_MAP_ARGS)
    BOOST_UNIX_IPC_UNORDERED_LOAD(boost::unordered_multimap, archive_input_unordered_multimap,
                                  BOOST_UNIX_IPC_MAP_PARAMS, BOOST_UNIX_IPC_MAP_ARGS)
#undef BOOST_UNIX_IPC_UNORDERED_LOAD
#undef BOOST_UNIX_IPC_SET_PARAMS
#undef BOOST_UNIX_IPC_SET_ARGS
#undef BOOST_UNIX_IPC_MAP_PARAMS
#undef BOOST_UNIX_IPC_MAP_ARGS

    const std::byte* p_;
    const std::byte* end_;
    std::vector<unique_fd>& fds_;
    std::vector<bool> taken_;
    asio::any_io_executor executor_;

    static constexpr std::size_t npos = detail::no_object_id;

    // Sets a variable for a scope.
    template <class T>
    struct saver
    {
        T& var;
        T outer;
        saver(T& v, T value) : var(v), outer(std::exchange(v, value)) {}
        saver(const saver&) = delete;
        saver& operator=(const saver&) = delete;
        ~saver() { var = outer; }
    };

    // The class and object tables of basic_iarchive, as it builds them.
    std::map<const archive::detail::basic_iserializer*, int, serializer_less> classes_;
    using object_entry = detail::object_entry;
    std::vector<object_entry> objects_; // by object id
    // basic_iarchive's bounds of the objects reset_object_address may move.
    struct
    {
        std::size_t recent = 0;
        std::size_t end = 0;
        bool is_pointer = false;
    } moveable_;
    // The object being loaded in place whose object id is read next.
    using value_load = detail::value_load;
    value_load* value_ = nullptr;
    int context_class_ = -1;                    // class of the object whose id is read next
    const archive::detail::basic_pointer_iserializer* pointer_bpis_ = nullptr;
    const archive::detail::basic_pointer_iserializer* (*pointer_finder_)(
        const serialization::extended_type_info&) = nullptr;
    bool expect_pointer_class_ = false;
    bool new_class_pending_ = false;
    // A pointer's object id, and whether it refers to an object loaded before.
    using pointer_load = detail::pointer_load;
    pointer_load* pointer_ = nullptr; // the innermost pointer being loaded
    pointer_load last_pointer_;       // the pointer load_pointer returned last
    bool pointer_object_id_pending_ = false;
    // The innermost pointer being loaded: where basic_iarchive put its object
    // and, once it is constructed, its serializer.
    using pending_pointer = detail::pending_pointer;
    pending_pointer pending_;
    // The object of the pointer load_pointer returned last, until loading
    // goes on (by then its pointer owns it).
    using unadopted = detail::unadopted;
    unadopted unadopted_;
};

} // namespace unix_ipc

namespace serialization {
namespace detail {

// An element constructed on the stack by a loader of ipc_iarchive (Boost's
// loaders of std::map, std::set, the unordered containers, std::list of
// types without a default constructor...; the archive's own growing
// vectors): while it loads, it is storage that moves once loaded, and a
// pointer resolved into it (to a member of the element itself) would be left
// pointing at the stack. The archive refuses such a pointer (bad_message).
// The range stays registered until moved() or destruction.
template <class T>
struct stack_construct<unix_ipc::ipc_iarchive, T> : public stack_allocate<T>
{
    stack_construct(unix_ipc::ipc_iarchive& ar, const unsigned int version) : ar_(ar)
    {
        ar_.push_transient(this->address(), sizeof(T), !std::is_nothrow_move_constructible<T>::value);
        try
        {
            boost::serialization::load_construct_data_adl(ar, this->address(), version);
        }
        catch (...)
        {
            ar_.pop_transient(this->address());
            throw;
        }
    }
    stack_construct(const stack_construct&) = delete;
    stack_construct& operator=(const stack_construct&) = delete;
    ~stack_construct()
    {
        moved();
        this->address()->~T();
    }
    // Loaded: the loader moves it now.
    void moved() noexcept
    {
        if (registered_)
            ar_.pop_transient(this->address());
        registered_ = false;
    }

private:
    unix_ipc::ipc_iarchive& ar_;
    bool registered_ = true;
};

} // namespace detail
} // namespace serialization
} // namespace boost

BOOST_SERIALIZATION_REGISTER_ARCHIVE(boost::unix_ipc::ipc_iarchive)
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(boost::unix_ipc::ipc_iarchive)

#endif
