//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// User types that have nothing but their ordinary serialize() travel through
// make_channel<T>, synchronously and asynchronously: strings, containers,
// large blocks, optionals, variants, nested and empty types, polymorphic
// pointers registered with BOOST_CLASS_EXPORT, shared pointers.

// Our archives must be known (BOOST_SERIALIZATION_REGISTER_ARCHIVE) before
// BOOST_CLASS_EXPORT instantiates the pointer serializers.
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/optional.hpp>
#include <boost/serialization/array.hpp>
#include <boost/serialization/base_object.hpp>
#include <boost/serialization/deque.hpp>
#include <boost/serialization/export.hpp>
#include <boost/serialization/list.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/optional.hpp>
#include <boost/serialization/set.hpp>
#include <boost/serialization/shared_ptr.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/unique_ptr.hpp>
#include <boost/serialization/unordered_map.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/variant.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/variant.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

// std::optional and std::variant (which Boost 1.81 does not serialize) come
// from the library's opt-in header.
#include <boost/unix_ipc/std_serialization.hpp>

namespace typed_values {

struct empty_type
{
    template <class Archive>
    void serialize(Archive&, unsigned)
    {
    }
    friend bool operator==(const empty_type&, const empty_type&) { return true; }
};

// Serialized without class information: its payload is zero bytes.
struct empty_bare
{
    template <class Archive>
    void serialize(Archive&, unsigned)
    {
    }
    friend bool operator==(const empty_bare&, const empty_bare&) { return true; }
};

struct point
{
    double x = 0;
    double y = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & x & y;
    }
    friend bool operator==(const point& a, const point& b) { return a.x == b.x && a.y == b.y; }
};

struct inner
{
    std::string name;
    std::vector<int> values;
    std::vector<point> points;
    empty_type nothing;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & values & points & nothing;
    }
    friend bool operator==(const inner& a, const inner& b)
    {
        return a.name == b.name && a.values == b.values && a.points == b.points;
    }
};

struct everything
{
    bool flag = false;
    char c = 0;
    std::int8_t i8 = 0;
    std::uint16_t u16 = 0;
    std::int32_t i32 = 0;
    std::uint64_t u64 = 0;
    std::int64_t i64 = 0;
    float f = 0;
    double d = 0;
    std::string text;
    std::string empty_text;
    std::vector<int> ints;
    std::vector<std::string> strings;
    std::map<std::string, inner> by_name;
    std::unordered_map<int, std::string> by_number;
    std::set<std::int64_t> ordered;
    std::list<std::string> list;
    std::deque<double> deque;
    std::array<std::uint32_t, 5> fixed{};
    std::pair<int, std::string> pair;
    std::optional<std::string> opt_set;
    std::optional<std::string> opt_empty;
    std::optional<inner> opt_inner;
    boost::optional<int> bopt;
    std::variant<int, std::string, inner> var;
    std::variant<int, std::string, inner> var2;
    boost::variant<int, std::string> bvar;
    std::vector<std::vector<int>> nested_vectors;
    std::vector<inner> inners;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & flag & c & i8 & u16 & i32 & u64 & i64 & f & d & text & empty_text & ints & strings & by_name & by_number &
            ordered & list & deque & fixed & pair & opt_set & opt_empty & opt_inner & bopt & var & var2 & bvar &
            nested_vectors & inners;
    }

    friend bool operator==(const everything& a, const everything& b)
    {
        return a.flag == b.flag && a.c == b.c && a.i8 == b.i8 && a.u16 == b.u16 && a.i32 == b.i32 && a.u64 == b.u64 &&
               a.i64 == b.i64 && a.f == b.f && a.d == b.d && a.text == b.text && a.empty_text == b.empty_text &&
               a.ints == b.ints && a.strings == b.strings && a.by_name == b.by_name && a.by_number == b.by_number &&
               a.ordered == b.ordered && a.list == b.list && a.deque == b.deque && a.fixed == b.fixed &&
               a.pair == b.pair && a.opt_set == b.opt_set && a.opt_empty == b.opt_empty &&
               a.opt_inner == b.opt_inner && a.bopt == b.bopt && a.var == b.var && a.var2 == b.var2 &&
               a.bvar == b.bvar && a.nested_vectors == b.nested_vectors && a.inners == b.inners;
    }
};

everything make_everything()
{
    everything e;
    e.flag = true;
    e.c = 'q';
    e.i8 = -5;
    e.u16 = 65535;
    e.i32 = std::numeric_limits<std::int32_t>::min();
    e.u64 = std::numeric_limits<std::uint64_t>::max();
    e.i64 = -1234567890123LL;
    e.f = 1.5f;
    e.d = -2.25e300;
    e.text = std::string("with\0nul and utf-8 \xc3\xa9", 22);
    e.ints = {1, -2, 3, 1 << 30};
    e.strings = {"", "a", std::string(5000, 'z')};
    e.by_name["one"] = inner{"one", {1}, {{1, 2}}, {}};
    e.by_name["two"] = inner{"two", {}, {}, {}};
    e.by_number = {{1, "uno"}, {-7, "menos siete"}};
    e.ordered = {-3, 0, 99};
    e.list = {"x", "y"};
    e.deque = {0.5, 0.25};
    e.fixed = {1, 2, 3, 4, 5};
    e.pair = {42, "answer"};
    e.opt_set = "present";
    e.opt_inner = inner{"opt", {7, 8}, {}, {}};
    e.bopt = 17;
    e.var = std::string("variant string");
    e.var2 = inner{"in variant", {3}, {{0.5, -0.5}}, {}};
    e.bvar = std::string("boost variant");
    e.nested_vectors = {{}, {1}, {2, 3}};
    e.inners = {inner{"a", {1, 2}, {}, {}}, inner{"b", {}, {{3, 4}}, {}}};
    return e;
}

// Polymorphic pointers.
struct shape
{
    virtual ~shape() = default;
    virtual std::string describe() const { return "shape " + name; }
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name;
    }
};

struct circle : shape
{
    double radius = 0;
    std::string describe() const override { return "circle " + name + " r=" + std::to_string(radius); }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<shape>(*this) & radius;
    }
};

struct polygon : shape
{
    std::vector<point> corners;
    std::string describe() const override
    {
        return "polygon " + name + " corners=" + std::to_string(corners.size());
    }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<shape>(*this) & corners;
    }
};

struct drawing
{
    std::unique_ptr<shape> main;
    std::vector<std::unique_ptr<shape>> shapes;
    std::shared_ptr<shape> shared_a;
    std::shared_ptr<shape> shared_b; // the same object as shared_a
    std::unique_ptr<shape> none;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & main & shapes & shared_a & shared_b & none;
    }
};

} // namespace typed_values

BOOST_CLASS_IMPLEMENTATION(typed_values::empty_bare, boost::serialization::object_serializable)
BOOST_CLASS_EXPORT(typed_values::circle)
BOOST_CLASS_EXPORT(typed_values::polygon)

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace typed_values;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::recorder;
using unix_ipc_test::run_until;

// Sends v with the blocking send (on a thread: a large value does not fit in
// the socket buffers) and receives it with the blocking receive.
template <class T>
T sync_round_trip(asio::io_context& ctx, const T& v)
{
    auto [s, r] = unix_ipc::make_channel<T>(ctx);
    error_code send_ec;
    std::thread t([&, &s = s] { s.send(v, send_ec); });
    error_code ec;
    T out = r.receive(ec);
    t.join();
    BOOST_TEST_REQUIRE(!send_ec, send_ec.message());
    BOOST_TEST_REQUIRE(!ec, ec.message());
    return out;
}

// The same with async_send and async_receive on callbacks that record how
// they were called.
template <class T>
T async_round_trip(asio::io_context& ctx, const T& v)
{
    auto [s, r] = unix_ipc::make_channel<T>(ctx);
    recorder<void(error_code)> sent(ctx.get_executor());
    recorder<void(error_code, T)> got(ctx.get_executor());
    got.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
    sent.initiate([&, &s = s](auto h) { s.async_send(v, std::move(h)); });
    run_until(ctx, [&] { return sent.called() && got.called(); });
    BOOST_TEST(!sent.checked_ec(), sent.ec().message());
    BOOST_TEST_REQUIRE(!got.checked_ec(), got.ec().message());
    return got.template take<1>();
}

std::vector<char> char_pattern(std::size_t n)
{
    std::vector<char> v(n);
    unix_ipc_test::fill_pattern(v.data(), v.size(), 7);
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_value_types)

BOOST_FIXTURE_TEST_CASE(every_kind_of_member_sync, io_context_fixture)
{
    const everything e = make_everything();
    BOOST_TEST((sync_round_trip(ctx, e) == e));
}

BOOST_FIXTURE_TEST_CASE(every_kind_of_member_async, io_context_fixture)
{
    const everything e = make_everything();
    BOOST_TEST((async_round_trip(ctx, e) == e));
    const everything d{};
    BOOST_TEST((async_round_trip(ctx, d) == d));
}

BOOST_FIXTURE_TEST_CASE(plain_values, io_context_fixture)
{
    BOOST_TEST(sync_round_trip(ctx, 42) == 42);
    BOOST_TEST(async_round_trip(ctx, -1.5) == -1.5);
    BOOST_TEST(async_round_trip(ctx, std::string("hello")) == "hello");
    BOOST_TEST(sync_round_trip(ctx, std::string()) == "");
    BOOST_TEST((async_round_trip(ctx, std::vector<int>{}) == std::vector<int>{}));
    BOOST_TEST((sync_round_trip(ctx, std::optional<int>()) == std::optional<int>()));
    using var = std::variant<std::monostate, int, std::string>;
    BOOST_TEST((async_round_trip(ctx, var(std::string("v"))) == var(std::string("v"))));
}

BOOST_FIXTURE_TEST_CASE(empty_types, io_context_fixture)
{
    BOOST_TEST((sync_round_trip(ctx, empty_type{}) == empty_type{}));
    BOOST_TEST((async_round_trip(ctx, empty_type{}) == empty_type{}));
    // A zero-byte payload is a frame like any other.
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(empty_bare{}, bytes, fds);
    BOOST_TEST(bytes.size() == 0u);
    BOOST_TEST((sync_round_trip(ctx, empty_bare{}) == empty_bare{}));
    BOOST_TEST((async_round_trip(ctx, empty_bare{}) == empty_bare{}));
}

BOOST_FIXTURE_TEST_CASE(one_mebibyte_blocks, io_context_fixture)
{
    const std::size_t n = std::size_t(1) << 20;
    const std::vector<char> chars = char_pattern(n);
    BOOST_TEST((sync_round_trip(ctx, chars) == chars));
    BOOST_TEST((async_round_trip(ctx, chars) == chars));

    const std::string text(chars.begin(), chars.end());
    BOOST_TEST((async_round_trip(ctx, text) == text));

    std::vector<std::uint8_t> u8(chars.begin(), chars.end());
    BOOST_TEST((sync_round_trip(ctx, u8) == u8));

    std::vector<std::byte> bytes(n);
    for (std::size_t i = 0; i < n; ++i)
        bytes[i] = static_cast<std::byte>(chars[i]);
    BOOST_TEST((sync_round_trip(ctx, bytes) == bytes));
    BOOST_TEST((async_round_trip(ctx, bytes) == bytes));
}

// Boost.Serialization alone treats std::byte as an enum (an int per
// element); boost/unix_ipc/std_serialization.hpp makes it bitwise, so a
// vector<std::byte> is one block, as a vector<char> is.
BOOST_AUTO_TEST_CASE(byte_vector_payload_size)
{
    std::vector<std::byte> payload;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(std::vector<std::byte>(1000), payload, fds);
    std::vector<std::byte> chars_payload;
    unix_ipc::serialization_codec::encode(std::vector<char>(1000), chars_payload, fds);
    BOOST_TEST(chars_payload.size() < 1100u);
    BOOST_TEST(payload.size() < 1100u); // one block, not 1000 integers
}

// A variant index out of range is a bad message, and the channel goes on.
BOOST_FIXTURE_TEST_CASE(variant_index_out_of_range, io_context_fixture)
{
    using var = std::variant<int, std::string>;
    auto [tx, rx] = unix_ipc::make_channel<std::uint32_t>(ctx);
    unix_ipc::receiver<var> vrx(rx.release_raw());
    tx.send(7u); // read as a variant: index 7 of 2
    boost::system::error_code ec;
    vrx.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::bad_message));
    unix_ipc::sender<var> vtx(tx.release_raw());
    vtx.send(var(std::string("fine")));
    BOOST_TEST((vrx.receive() == var(std::string("fine"))));
}

BOOST_FIXTURE_TEST_CASE(polymorphic_pointers, io_context_fixture)
{
    auto make = [] {
        drawing d;
        auto c = std::make_unique<circle>();
        c->name = "main";
        c->radius = 2.5;
        d.main = std::move(c);
        auto p = std::make_unique<polygon>();
        p->name = "tri";
        p->corners = {{0, 0}, {1, 0}, {0, 1}};
        d.shapes.push_back(std::move(p));
        auto s = std::make_unique<shape>();
        s->name = "plain";
        d.shapes.push_back(std::move(s));
        d.shapes.push_back(nullptr);
        auto c2 = std::make_unique<circle>();
        c2->name = "small";
        c2->radius = 0.125;
        d.shapes.push_back(std::move(c2));
        auto shared = std::make_shared<polygon>();
        shared->name = "shared";
        shared->corners = {{5, 5}};
        d.shared_a = shared;
        d.shared_b = shared;
        return d;
    };
    auto check = [](const drawing& d) {
        BOOST_TEST_REQUIRE(d.main != nullptr);
        BOOST_TEST(dynamic_cast<const circle*>(d.main.get()) != nullptr);
        BOOST_TEST(d.main->describe() == "circle main r=2.500000");
        BOOST_TEST_REQUIRE(d.shapes.size() == 4u);
        BOOST_TEST_REQUIRE(d.shapes[0] != nullptr);
        BOOST_TEST(d.shapes[0]->describe() == "polygon tri corners=3");
        BOOST_TEST_REQUIRE(d.shapes[1] != nullptr);
        BOOST_TEST(d.shapes[1]->describe() == "shape plain");
        BOOST_TEST(d.shapes[2] == nullptr);
        BOOST_TEST_REQUIRE(d.shapes[3] != nullptr);
        BOOST_TEST(d.shapes[3]->describe() == "circle small r=0.125000");
        BOOST_TEST_REQUIRE(d.shared_a != nullptr);
        BOOST_TEST(d.shared_a->describe() == "polygon shared corners=1");
        // Object tracking: one object, shared by both pointers.
        BOOST_TEST(d.shared_a.get() == d.shared_b.get());
        BOOST_TEST(d.shared_a.use_count() == 2);
        BOOST_TEST(d.none == nullptr);
    };

    // drawing is move-only: send it on the sender directly.
    {
        auto [s, r] = unix_ipc::make_channel<drawing>(ctx);
        const drawing d = make();
        s.send(d);
        check(r.receive());
    }
    {
        auto [s, r] = unix_ipc::make_channel<drawing>(ctx);
        recorder<void(error_code)> sent(ctx.get_executor());
        recorder<void(error_code, drawing)> got(ctx.get_executor());
        got.initiate([&, &r = r](auto h) { r.async_receive(std::move(h)); });
        sent.initiate([&, &s = s](auto h) { s.async_send(make(), std::move(h)); }); // a temporary
        run_until(ctx, [&] { return sent.called() && got.called(); });
        BOOST_TEST(!sent.checked_ec());
        BOOST_TEST_REQUIRE(!got.checked_ec(), got.ec().message());
        check(got.get<1>());
    }
    // A base pointer to a derived object at the top level of the message.
    {
        auto [s, r] = unix_ipc::make_channel<std::unique_ptr<shape>>(ctx);
        auto c = std::make_unique<circle>();
        c->name = "top";
        c->radius = 1;
        std::unique_ptr<shape> p = std::move(c);
        s.send(p);
        std::unique_ptr<shape> out = r.receive();
        BOOST_TEST_REQUIRE(out != nullptr);
        BOOST_TEST(out->describe() == "circle top r=1.000000");
    }
}

// Many sends outstanding at once: they queue and arrive whole and in order;
// each value may be destroyed as soon as async_send returns.
BOOST_FIXTURE_TEST_CASE(queued_async_sends_arrive_in_order, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<inner>(ctx);
    constexpr int count = 300;
    int sent = 0;
    for (int i = 0; i < count; ++i)
    {
        inner v{"m" + std::to_string(i), std::vector<int>(static_cast<std::size_t>(i * 37), i), {}, {}};
        s.async_send(v, [&](error_code ec) {
            BOOST_TEST(!ec);
            ++sent;
        });
    } // v destroyed here, before any completion
    int received = 0;
    std::function<void()> next = [&] {
        r.async_receive([&](error_code ec, inner v) {
            BOOST_TEST_REQUIRE(!ec, ec.message());
            BOOST_TEST(v.name == "m" + std::to_string(received));
            BOOST_TEST((v.values == std::vector<int>(static_cast<std::size_t>(received * 37), received)));
            if (++received < count)
                next();
        });
    };
    next();
    run_until(ctx, [&] { return sent == count && received == count; }, std::chrono::seconds(10));
}

BOOST_AUTO_TEST_SUITE_END()
