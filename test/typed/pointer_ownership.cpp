//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Back references (Boost's object tracking) that would give an object an
// owner it cannot have: a shared_ptr taking an object loaded by value, or one
// a unique_ptr owns, or one owned by shared_ptrs of the other kind. Each is
// forged from an honest payload by changing the last pointer's object id,
// and must end in bad_message with no object left alive and no crash (before
// the archive checked, the shared_ptr freed memory it did not own). The
// honest graphs these forgeries start from still load.

#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/scoped_ptr.hpp>
#include <boost/serialization/scoped_ptr.hpp>
#include <boost/serialization/shared_ptr.hpp>
#include <boost/serialization/unique_ptr.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/shared_ptr.hpp>
#include <boost/test/unit_test.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <typeinfo>
#include <vector>

namespace pointer_ownership_types {

struct counted
{
    static inline int live = 0;
    counted() { ++live; }
    counted(const counted& o) : v(o.v) { ++live; }
    counted& operator=(const counted&) = default;
    ~counted() { --live; }
    std::int32_t v = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & v;
    }
};

// Object ids: a 0, s1 1 (s2 refers to 1).
struct by_value_then_shared
{
    counted a;
    counted* to_a = nullptr; // not owning
    std::shared_ptr<counted> s1;
    std::shared_ptr<counted> s2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & a & to_a & s1 & s2;
    }
};

// u 0, s1 1.
struct unique_then_shared
{
    std::unique_ptr<counted> u;
    std::shared_ptr<counted> s1;
    std::shared_ptr<counted> s2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & u & s1 & s2;
    }
};

// a 0, b1 1.
struct two_shared_kinds
{
    std::shared_ptr<counted> a;
    boost::shared_ptr<counted> b1;
    boost::shared_ptr<counted> b2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & a & b1 & b2;
    }
};

// v's elements 0..2, s1 3.
struct element_then_shared
{
    std::vector<counted> v;
    std::shared_ptr<counted> s1;
    std::shared_ptr<counted> s2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & v & s1 & s2;
    }
};

// a 0, b referring to it.
struct two_scoped
{
    boost::scoped_ptr<counted> a;
    boost::scoped_ptr<counted> b;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & a & b;
    }
};

// Honest: a raw observer written before the shared_ptr that owns its object.
struct observer_first
{
    counted* observer = nullptr;
    std::shared_ptr<counted> owner;
    std::shared_ptr<counted> again;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & observer & owner & again;
    }
};

// Honest: a raw observer written before the unique_ptr that owns its object.
struct observer_then_unique
{
    counted* observer = nullptr;
    std::unique_ptr<counted> owner;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & observer & owner;
    }
};

// Honest: an owner, then raw observers of it and of a member.
struct owner_then_observers
{
    std::unique_ptr<counted> owner;
    counted member;
    counted* to_owned = nullptr;
    counted* to_member = nullptr;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & owner & member & to_owned & to_member;
    }
};

// Honest: each kind of shared_ptr shares an object, the kinds interleaved.
struct both_kinds
{
    boost::shared_ptr<counted> b1;
    std::shared_ptr<counted> s1;
    std::shared_ptr<counted> s2;
    boost::shared_ptr<counted> b2;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & b1 & s1 & s2 & b2;
    }
};

} // namespace pointer_ownership_types

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using namespace pointer_ownership_types;
using bytes = std::vector<std::byte>;

template <class T>
bytes encode(const T& v)
{
    bytes b;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(v, b, fds);
    return b;
}

// Decodes b as a T (destroyed before returning): the error, if any.
template <class T>
boost::system::error_code decode(const bytes& b)
{
    std::vector<unix_ipc::unique_fd> fds;
    try
    {
        T v;
        unix_ipc::serialization_codec::decode(v, boost::span<const std::byte>(b.data(), b.size()), fds, {});
    }
    catch (const boost::system::system_error& e)
    {
        return e.code();
    }
    return {};
}

// The payload of `v` with the object id of its last pointer (a back
// reference: the last four bytes) changed from `was` to `now`.
template <class T>
bytes forged(const T& v, std::uint32_t was, std::uint32_t now)
{
    bytes b = encode(v);
    std::uint32_t oid;
    BOOST_TEST_REQUIRE(b.size() >= sizeof oid);
    std::memcpy(&oid, b.data() + b.size() - sizeof oid, sizeof oid);
    BOOST_TEST_REQUIRE(oid == was);
    std::memcpy(b.data() + b.size() - sizeof oid, &now, sizeof now);
    return b;
}

const boost::system::error_code bad_message = make_error_code(unix_ipc::error::bad_message);

} // namespace

BOOST_AUTO_TEST_SUITE(typed_pointer_ownership)

// The case of the report: a shared_ptr referring to a member loaded by value
// would free it (AddressSanitizer: "attempting free on address which was not
// malloc()-ed"; glibc: "free(): invalid pointer").
BOOST_AUTO_TEST_CASE(shared_ptr_to_an_object_loaded_by_value)
{
    by_value_then_shared v;
    v.to_a = &v.a;
    v.s1 = std::make_shared<counted>();
    v.s2 = v.s1;
    const int live = counted::live;
    BOOST_TEST(!decode<by_value_then_shared>(encode(v)));
    BOOST_TEST(decode<by_value_then_shared>(forged(v, 1, 0)) == bad_message);
    BOOST_TEST(counted::live == live);

    // An element of a vector, the same.
    element_then_shared e;
    e.v.resize(3);
    e.s1 = std::make_shared<counted>();
    e.s2 = e.s1;
    const int live_e = counted::live;
    BOOST_TEST(!decode<element_then_shared>(encode(e)));
    for (std::uint32_t oid : {0u, 1u, 2u})
        BOOST_TEST(decode<element_then_shared>(forged(e, 3, oid)) == bad_message);
    BOOST_TEST(counted::live == live_e);
}

// The same through a channel, which stays usable.
BOOST_FIXTURE_TEST_CASE(through_a_channel, unix_ipc_test::io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    unix_ipc::receiver<by_value_then_shared> r(unix_ipc::raw_channel(ctx, std::move(sp.second)));
    by_value_then_shared v;
    v.a.v = 5;
    v.to_a = &v.a;
    v.s1 = std::make_shared<counted>();
    v.s1->v = 6;
    v.s2 = v.s1;
    const bytes bad = forged(v, 1, 0);
    const bytes good = encode(v);
    const auto* bp = reinterpret_cast<const unsigned char*>(bad.data());
    const auto* gp = reinterpret_cast<const unsigned char*>(good.data());
    unix_ipc_test::send_raw(sp.first.get(), unix_ipc_test::frame_bytes(unix_ipc_test::bytes(bp, bp + bad.size())));
    unix_ipc_test::send_raw(sp.first.get(), unix_ipc_test::frame_bytes(unix_ipc_test::bytes(gp, gp + good.size())));
    boost::system::error_code ec;
    {
        by_value_then_shared out = r.receive(ec);
        BOOST_TEST(ec == bad_message);
    }
    boost::system::error_code ec2;
    by_value_then_shared out = r.receive(ec2);
    BOOST_TEST_REQUIRE(!ec2, ec2.message());
    BOOST_TEST(out.a.v == 5);
    BOOST_TEST(out.to_a == &out.a);
    BOOST_TEST_REQUIRE(out.s1 != nullptr);
    BOOST_TEST(out.s1->v == 6);
    BOOST_TEST(out.s1 == out.s2);
}

// A shared_ptr referring to an object a unique_ptr owns (both would delete it).
BOOST_AUTO_TEST_CASE(shared_ptr_to_an_object_a_unique_ptr_owns)
{
    unique_then_shared v;
    v.u = std::make_unique<counted>();
    v.s1 = std::make_shared<counted>();
    v.s2 = v.s1;
    const int live = counted::live;
    BOOST_TEST(!decode<unique_then_shared>(encode(v)));
    BOOST_TEST(decode<unique_then_shared>(forged(v, 1, 0)) == bad_message);
    BOOST_TEST(counted::live == live);
}

// A boost::shared_ptr referring to an object std::shared_ptrs own: Boost's
// helpers for the two kinds do not know each other's counts.
BOOST_AUTO_TEST_CASE(shared_ptr_of_the_other_kind)
{
    two_shared_kinds v;
    v.a = std::make_shared<counted>();
    v.b1 = boost::make_shared<counted>();
    v.b2 = v.b1;
    const int live = counted::live;
    BOOST_TEST(!decode<two_shared_kinds>(encode(v)));
    BOOST_TEST(decode<two_shared_kinds>(forged(v, 1, 0)) == bad_message);
    BOOST_TEST(counted::live == live);
}

// A second boost::scoped_ptr referring to the first one's object.
BOOST_AUTO_TEST_CASE(scoped_ptr_to_an_object_loaded_before)
{
    const int live = counted::live;
    bytes b;
    {
        two_scoped v;
        v.a.reset(new counted);
        v.b.reset(v.a.get()); // two owners, only to write the payload
        b = encode(v);
        // boost::scoped_ptr has no release(): end b's lifetime without
        // deleting by making a new empty one in its place.
        new (&v.b) boost::scoped_ptr<counted>();
    }
    BOOST_TEST(counted::live == live);
    BOOST_TEST(decode<two_scoped>(b) == bad_message);
    BOOST_TEST(counted::live == live);
}

// Honest graphs: a raw observer before the owning shared_ptr (the shared_ptr
// takes the object the raw pointer made), a shared_ptr again; a raw observer
// before a unique_ptr; a unique_ptr with raw observers of its object and of
// a member.
BOOST_AUTO_TEST_CASE(honest_graphs)
{
    const int live = counted::live;
    {
        observer_first v;
        v.owner = std::make_shared<counted>();
        v.owner->v = 3;
        v.observer = v.owner.get();
        v.again = v.owner;
        std::vector<unix_ipc::unique_fd> fds;
        const bytes b = encode(v);
        observer_first out;
        unix_ipc::serialization_codec::decode(out, boost::span<const std::byte>(b.data(), b.size()), fds, {});
        BOOST_TEST_REQUIRE(out.owner != nullptr);
        BOOST_TEST(out.observer == out.owner.get());
        BOOST_TEST(out.again == out.owner);
        BOOST_TEST(out.owner.use_count() == 2);
        BOOST_TEST(out.owner->v == 3);
    }
    {
        observer_then_unique v;
        v.owner = std::make_unique<counted>();
        v.observer = v.owner.get();
        std::vector<unix_ipc::unique_fd> fds;
        const bytes b = encode(v);
        observer_then_unique out;
        unix_ipc::serialization_codec::decode(out, boost::span<const std::byte>(b.data(), b.size()), fds, {});
        BOOST_TEST_REQUIRE(out.owner != nullptr);
        BOOST_TEST(out.observer == out.owner.get());
    }
    {
        owner_then_observers v;
        v.owner = std::make_unique<counted>();
        v.owner->v = 1;
        v.member.v = 2;
        v.to_owned = v.owner.get();
        v.to_member = &v.member;
        std::vector<unix_ipc::unique_fd> fds;
        const bytes b = encode(v);
        owner_then_observers out;
        unix_ipc::serialization_codec::decode(out, boost::span<const std::byte>(b.data(), b.size()), fds, {});
        BOOST_TEST(out.to_owned == out.owner.get());
        BOOST_TEST(out.to_member == &out.member);
        BOOST_TEST(out.member.v == 2);
    }
    BOOST_TEST(counted::live == live);
}

// Boost 1.81 asks for the helper of std::shared_ptr and that of
// boost::shared_ptr under one id, and its helper collection finds helpers by
// id: the second kind of a message got the first kind's helper, cast to its
// own type (UBSan: "member call on address ... which does not point to an
// object of type 'shared_ptr_helper'"). The archive gives each its own.
BOOST_AUTO_TEST_CASE(each_shared_ptr_kind_has_its_own_helper)
{
    using boost::serialization::shared_ptr_helper;
    const int live = counted::live;
    {
        two_shared_kinds v;
        v.a = std::make_shared<counted>();
        v.b1 = boost::make_shared<counted>(); // b2 null: the last pointer owns nothing
        const bytes b = encode(v);
        std::vector<unix_ipc::unique_fd> fds;
        unix_ipc::ipc_iarchive ar(boost::span<const std::byte>(b.data(), b.size()), fds);
        two_shared_kinds out;
        ar >> out;
        // What boost/serialization/shared_ptr.hpp asks for next.
        auto& std_helper = ar.get_helper<shared_ptr_helper<std::shared_ptr>>(boost::serialization::shared_ptr_helper_id);
        auto& boost_helper =
            ar.get_helper<shared_ptr_helper<boost::shared_ptr>>(boost::serialization::shared_ptr_helper_id);
        BOOST_TEST((typeid(std_helper) == typeid(shared_ptr_helper<std::shared_ptr>)));
        BOOST_TEST((typeid(boost_helper) == typeid(shared_ptr_helper<boost::shared_ptr>)));
        BOOST_TEST_REQUIRE(out.a != nullptr);
        BOOST_TEST_REQUIRE(out.b1 != nullptr);
        BOOST_TEST(out.b2 == nullptr);
        BOOST_TEST(out.b1.use_count() == 2); // and the helper's
    }
    {
        both_kinds v;
        v.b1 = boost::make_shared<counted>();
        v.b1->v = 1;
        v.b2 = v.b1;
        v.s1 = std::make_shared<counted>();
        v.s1->v = 2;
        v.s2 = v.s1;
        const bytes b = encode(v);
        both_kinds out;
        std::vector<unix_ipc::unique_fd> fds;
        unix_ipc::serialization_codec::decode(out, boost::span<const std::byte>(b.data(), b.size()), fds, {});
        BOOST_TEST_REQUIRE(out.b1 != nullptr);
        BOOST_TEST_REQUIRE(out.s1 != nullptr);
        BOOST_TEST(out.b1 == out.b2);
        BOOST_TEST(out.s1 == out.s2);
        BOOST_TEST(out.b1.use_count() == 2);
        BOOST_TEST(out.s1.use_count() == 2);
        BOOST_TEST(out.b1->v == 1);
        BOOST_TEST(out.s1->v == 2);
    }
    BOOST_TEST(counted::live == live);
}

BOOST_AUTO_TEST_SUITE_END()
