//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Hostile input to a receiver<T>: frames written by hand on the other end of
// its socket, each well framed but with a payload that lies. Every one must
// end in error::bad_message, without a huge allocation, with every fd of the
// message closed, and with the channel still usable for the next message.

#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/base_object.hpp>
#include <boost/serialization/export.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/shared_ptr.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/unique_ptr.hpp>
#include <boost/serialization/variant.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/variant.hpp>

#include "unix_ipc_test/unix_ipc_test.hpp"

#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

// GCC 12 sees the replaced operator delete below free() memory that the
// (also replaced) operator new got from malloc() as a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// The largest single allocation made while `tracking` is set: a lying size
// must be refused before the container allocates for it, whether or not the
// allocation would succeed.
namespace {
std::atomic<bool> g_track_allocations{false};
std::atomic<std::size_t> g_largest_allocation{0};
} // namespace

void* operator new(std::size_t n)
{
    if (g_track_allocations.load(std::memory_order_relaxed))
    {
        std::size_t cur = g_largest_allocation.load(std::memory_order_relaxed);
        while (n > cur && !g_largest_allocation.compare_exchange_weak(cur, n, std::memory_order_relaxed))
        {
        }
    }
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace hostile_types {

struct with_fd
{
    boost::unix_ipc::handle<boost::unix_ipc::unique_fd> h;
    std::int32_t x = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & h & x;
    }
};

struct three_fds
{
    boost::unix_ipc::handle<boost::unix_ipc::unique_fd> a, b, c;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & a & b & c;
    }
};

struct record
{
    std::string name;
    std::vector<std::int32_t> values;
    std::map<std::string, std::string> tags;
    bool flag = false;
    std::uint64_t id = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & values & tags & flag & id;
    }
};

struct animal
{
    // Live animals: a failed decode must not leave any behind.
    static inline int live = 0;
    animal() { ++live; }
    animal(const animal& o) : name(o.name) { ++live; }
    virtual ~animal() { --live; }
    std::string name;
    virtual std::string kind() const { return "animal"; }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name;
    }
};

struct dog : animal
{
    std::int32_t legs = 4;
    std::string kind() const override { return "dog"; }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<animal>(*this) & legs;
    }
};

// Exported, laid out as a dog, but not an animal.
struct burrow
{
    virtual ~burrow() = default;
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name;
    }
};

struct rat : burrow
{
    static inline int live = 0;
    rat() { ++live; }
    rat(const rat& o) : burrow(o), legs(o.legs) { ++live; }
    ~rat() override { --live; }
    std::int32_t legs = 4;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<burrow>(*this) & legs;
    }
};

// An abstract base: Boost gives a pointer to it no serializer of its own.
struct shape
{
    virtual ~shape() = default;
    virtual int corners() const = 0;
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name;
    }
};

struct sqr : shape
{
    std::int32_t side = 2;
    int corners() const override { return 4; }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<shape>(*this) & side;
    }
};

struct drawing
{
    std::unique_ptr<shape> s;
    std::int32_t after = 7;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & s & after;
    }
};

struct zoo
{
    std::unique_ptr<animal> first;
    std::unique_ptr<animal> second;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & first & second;
    }
};

// 64 KiB copied as bytes (the array optimization).
struct big_block
{
    char data[65536] = {};
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & data;
    }
};

struct node
{
    std::int32_t value = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & value;
    }
};

struct linked
{
    node a;
    node* to_a = nullptr; // not owning
    std::shared_ptr<node> shared;
    std::shared_ptr<node> shared_again;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & a & to_a & shared & shared_again;
    }
};

} // namespace hostile_types

BOOST_CLASS_EXPORT_GUID(hostile_types::dog, "hostile_types::dog")
BOOST_CLASS_EXPORT_GUID(hostile_types::rat, "hostile_types::rat")
BOOST_CLASS_EXPORT_GUID(hostile_types::sqr, "hostile_types::sqr")
BOOST_IS_BITWISE_SERIALIZABLE(hostile_types::big_block)

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using namespace hostile_types;
using unix_ipc::unique_fd;
using unix_ipc_test::bytes;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

template <class T>
bytes encode(const T& v, std::vector<int>* fds_out = nullptr)
{
    std::vector<std::byte> b;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(v, b, fds);
    if (fds_out)
        *fds_out = fds;
    const auto* p = reinterpret_cast<const unsigned char*>(b.data());
    return bytes(p, p + b.size());
}

template <class T>
void put(bytes& b, std::size_t at, T v)
{
    BOOST_TEST_REQUIRE(at + sizeof v <= b.size());
    std::memcpy(b.data() + at, &v, sizeof v);
}

template <class T>
T get(const bytes& b, std::size_t at)
{
    T v;
    BOOST_TEST_REQUIRE(at + sizeof v <= b.size());
    std::memcpy(&v, b.data() + at, sizeof v);
    return v;
}

// A receiver<T> on one end of a socketpair; the test writes frames by hand
// on the other (blocking) end.
template <class T>
struct hostile_peer
{
    std::pair<unique_fd, unique_fd> sp = unix_ipc_test::make_stream_socketpair();
    unique_fd& writer = sp.first;
    unix_ipc::receiver<T> r;

    explicit hostile_peer(asio::io_context& ctx) : r(unix_ipc::raw_channel(ctx, std::move(sp.second))) {}

    void send_frame(const bytes& payload, const std::vector<int>& fds = {})
    {
        unix_ipc_test::send_raw(writer.get(), unix_ipc_test::frame_bytes(payload, static_cast<std::uint32_t>(fds.size())),
                                fds);
    }

    // One async receive, run to completion.
    error_code receive(asio::io_context& ctx, T* out = nullptr)
    {
        std::optional<error_code> result;
        r.async_receive([&](error_code ec, T v) {
            result = ec;
            if (out)
                *out = std::move(v);
        });
        run_until(ctx, [&] { return result.has_value(); });
        return *result;
    }
};

const error_code bad_message = make_error_code(unix_ipc::error::bad_message);

// Payloads of messages carrying fds: the handles hold a pipe's read end only
// while encoding (the payload holds indices, not fds).
bytes with_fd_payload(std::int32_t x, std::vector<int>* fds = nullptr)
{
    with_fd v;
    v.h = unix_ipc::handle<unique_fd>(unix_ipc_test::make_pipe().first);
    v.x = x;
    return encode(v, fds);
}

bytes three_fds_payload(std::vector<int>* fds = nullptr)
{
    three_fds v;
    v.a = unix_ipc::handle<unique_fd>(unix_ipc_test::make_pipe().first);
    v.b = unix_ipc::handle<unique_fd>(unix_ipc_test::make_pipe().first);
    v.c = unix_ipc::handle<unique_fd>(unix_ipc_test::make_pipe().first);
    return encode(v, fds);
}

// Decodes `payload` straight through the codec (no socket) and returns
// whether it threw; tracks the largest allocation made meanwhile.
template <class T>
bool decode_fails(const bytes& payload, std::size_t* largest = nullptr)
{
    std::vector<unique_fd> fds;
    T v{};
    g_largest_allocation = 0;
    g_track_allocations = true;
    bool failed = false;
    try
    {
        unix_ipc::serialization_codec::decode(
            v, boost::span<const std::byte>(reinterpret_cast<const std::byte*>(payload.data()), payload.size()), fds,
            {});
    }
    catch (...)
    {
        failed = true;
    }
    g_track_allocations = false;
    if (largest)
        *largest = g_largest_allocation;
    return failed;
}

// A socketpair end to send as "the fd", and a way to tell when every copy of
// it is closed: a send on the other end then fails with EPIPE.
struct probe
{
    std::pair<unique_fd, unique_fd> sp = unix_ipc_test::make_stream_socketpair();
    int fd() const { return sp.first.get(); }
    // Closes the test's own copy; true when no other copy (in the receiver) is left open.
    bool all_copies_closed()
    {
        sp.first.reset();
        const char c = 'x';
        return ::send(sp.second.get(), &c, 1, MSG_NOSIGNAL) < 0 && errno == EPIPE;
    }
};

long max_rss_kib()
{
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_hostile)

// Every truncation of a valid payload fails to decode (checked exhaustively
// through the codec); a few go through the channel, each followed by a good
// message.
BOOST_FIXTURE_TEST_CASE(truncated_payload, io_context_fixture)
{
    record good{"a record", {1, 2, 3}, {{"k", "v"}, {"k2", "v2"}}, true, 99};
    const bytes full = encode(good);
    for (std::size_t n = 0; n < full.size(); ++n)
        BOOST_TEST(decode_fails<record>(bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n))),
                   "truncated to " << n << " bytes of " << full.size());
    BOOST_TEST(!decode_fails<record>(full));

    hostile_peer<record> peer(ctx);
    for (std::size_t n : {std::size_t(0), std::size_t(1), full.size() / 2, full.size() - 1})
    {
        BOOST_TEST_CONTEXT("truncated to " << n)
        {
            peer.send_frame(bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n)));
            BOOST_TEST(peer.receive(ctx) == bad_message);
            peer.send_frame(full);
            record out;
            BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
            BOOST_TEST(out.name == good.name);
            BOOST_TEST(out.id == 99u);
        }
    }
}

// Bytes after the value, and a bool that is neither 0 nor 1.
BOOST_FIXTURE_TEST_CASE(trailing_bytes_and_bad_bool, io_context_fixture)
{
    hostile_peer<record> peer(ctx);
    bytes b = encode(record{"r", {}, {}, false, 1});
    b.push_back(0);
    peer.send_frame(b);
    BOOST_TEST(peer.receive(ctx) == bad_message);

    bytes c = encode(record{"r", {}, {}, true, 7});
    // flag is the byte before the trailing u64 id.
    BOOST_TEST_REQUIRE(c[c.size() - 9] == 1u);
    c[c.size() - 9] = 2;
    peer.send_frame(c);
    BOOST_TEST(peer.receive(ctx) == bad_message);

    peer.send_frame(encode(record{"fine", {}, {}, true, 7}));
    record out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST(out.name == "fine");
}

// A vector<uint64_t> whose collection_size says 2^40 (and other lies): the
// receive fails without allocating for the claimed size.
BOOST_FIXTURE_TEST_CASE(container_size_far_beyond_payload, io_context_fixture)
{
    using vec = std::vector<std::uint64_t>;
    // The empty vector's payload is exactly its collection_size.
    const bytes empty = encode(vec{});
    BOOST_TEST_REQUIRE(empty.size() == sizeof(std::uint64_t));

    hostile_peer<vec> peer(ctx);
    const long rss_before = max_rss_kib();
    for (std::uint64_t claimed : {std::uint64_t(1) << 40, std::uint64_t(1) << 61, ~std::uint64_t(0),
                                  std::uint64_t(1) << 32, std::uint64_t(65)})
    {
        BOOST_TEST_CONTEXT("claimed size " << claimed)
        {
            bytes b = empty;
            put<std::uint64_t>(b, 0, claimed);
            b.resize(b.size() + 64 * 8, 0xab); // 64 elements follow, not `claimed`
            std::size_t largest = 0;
            BOOST_TEST(decode_fails<vec>(b, &largest));
            BOOST_TEST(largest < std::size_t(1) << 20, "largest allocation " << largest);
            peer.send_frame(b);
            BOOST_TEST(peer.receive(ctx) == bad_message);
        }
    }
    BOOST_TEST(max_rss_kib() - rss_before < 16 * 1024, "peak RSS grew by " << (max_rss_kib() - rss_before) << " KiB");

    // The channel still works.
    peer.send_frame(encode(vec{1, 2, 3}));
    vec out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST((out == vec{1, 2, 3}));
}

// A vector of big bitwise-serializable elements whose count fits in the
// bytes left but count * sizeof(element) does not: refused before the vector
// is resized (Boost's own load resizes first).
BOOST_FIXTURE_TEST_CASE(bitwise_vector_count_times_size_beyond_payload, io_context_fixture)
{
    using vec = std::vector<big_block>;
    // The empty vector's payload ends with its collection_size (after the
    // vector's class information).
    const bytes empty = encode(vec{});
    BOOST_TEST_REQUIRE(empty.size() >= sizeof(std::uint64_t));
    const std::size_t count_at = empty.size() - sizeof(std::uint64_t);
    hostile_peer<vec> peer(ctx);
    for (std::uint64_t claimed : {std::uint64_t(2), std::uint64_t(1000), std::uint64_t(4096),
                                  (~std::uint64_t(0)) / sizeof(big_block) + 1})
    {
        BOOST_TEST_CONTEXT("claimed count " << claimed)
        {
            bytes b = empty;
            put<std::uint64_t>(b, count_at, claimed);
            b.resize(b.size() + sizeof(big_block) + 4096, 0x5a); // one element and a bit
            std::size_t largest = 0;
            BOOST_TEST(decode_fails<vec>(b, &largest));
            BOOST_TEST(largest < 2 * sizeof(big_block), "largest allocation " << largest);
            peer.send_frame(b);
            BOOST_TEST(peer.receive(ctx) == bad_message);
        }
    }
    vec two(2);
    two[1].data[100] = 'x';
    peer.send_frame(encode(two));
    vec out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(out[1].data[100] == 'x');
}

// The same lie inside a struct, for a non-bitwise element type (strings),
// and a map.
BOOST_AUTO_TEST_CASE(nested_container_size_lies)
{
    record r{"n", {}, {}, false, 0};
    bytes b = encode(r);
    // Layout: record's tracking (1) + version (4), string name (8 + 1), then
    // the values' count (std::vector writes no class information).
    const std::size_t values_count_at = 5 + 8 + 1;
    BOOST_TEST_REQUIRE(get<std::uint64_t>(b, values_count_at) == 0u);
    for (std::uint64_t claimed : {std::uint64_t(1) << 40, std::uint64_t(1) << 62})
    {
        bytes c = b;
        put<std::uint64_t>(c, values_count_at, claimed);
        std::size_t largest = 0;
        BOOST_TEST(decode_fails<record>(c, &largest));
        BOOST_TEST(largest < std::size_t(1) << 20);
    }

    using strings = std::vector<std::string>;
    bytes s = encode(strings{});
    // tracking/version... find the count as the only 8-byte zero word before
    // the end: the vector<string> payload is count (8) + item_version (4).
    BOOST_TEST_REQUIRE(s.size() >= 8u);
    for (std::size_t at = 0; at + 8 <= s.size(); ++at)
    {
        bytes c = s;
        put<std::uint64_t>(c, at, std::uint64_t(1) << 40);
        c.resize(c.size() + 100, 0);
        std::size_t largest = 0;
        decode_fails<strings>(c, &largest);
        BOOST_TEST(largest < std::size_t(1) << 20, "count at offset " << at << ": largest allocation " << largest);
    }
}

// A string whose length says more than the payload holds.
BOOST_FIXTURE_TEST_CASE(string_length_lie, io_context_fixture)
{
    hostile_peer<std::string> peer(ctx);
    const bytes good = encode(std::string("hello"));
    BOOST_TEST_REQUIRE(get<std::uint64_t>(good, 0) == 5u);
    for (std::uint64_t claimed : {std::uint64_t(6), std::uint64_t(1) << 40, ~std::uint64_t(0)})
    {
        bytes b = good;
        put<std::uint64_t>(b, 0, claimed);
        std::size_t largest = 0;
        BOOST_TEST(decode_fails<std::string>(b, &largest));
        BOOST_TEST(largest < std::size_t(1) << 20);
        peer.send_frame(b);
        BOOST_TEST(peer.receive(ctx) == bad_message);
    }
    peer.send_frame(good);
    std::string out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST(out == "hello");
}

// A boost::variant whose index names no alternative.
BOOST_FIXTURE_TEST_CASE(variant_index_out_of_range, io_context_fixture)
{
    using var = boost::variant<std::int32_t, float>;
    hostile_peer<var> peer(ctx);
    const bytes b = encode(var(std::int32_t(0)));
    // Where `which` is: the only byte that differs from the other alternative's payload.
    const bytes other = encode(var(0.0f));
    BOOST_TEST_REQUIRE(b.size() == other.size());
    std::size_t which_at = b.size();
    for (std::size_t i = 0; i < b.size(); ++i)
        if (b[i] != other[i])
        {
            which_at = i;
            break;
        }
    BOOST_TEST_REQUIRE(which_at + 4 <= b.size());
    for (std::int32_t which : {2, 100, -1})
    {
        bytes c = b;
        put<std::int32_t>(c, which_at, which);
        peer.send_frame(c);
        BOOST_TEST(peer.receive(ctx) == bad_message, "which " << which);
    }
    peer.send_frame(other);
    var out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST(boost::get<float>(out) == 0.0f);
}

// The payload refers to fd 0 but the frame carries none; to fd 5 of 1.
BOOST_FIXTURE_TEST_CASE(fd_index_out_of_range, io_context_fixture)
{
    hostile_peer<with_fd> peer(ctx);
    std::vector<int> fds;
    const bytes good = with_fd_payload(7, &fds);
    BOOST_TEST_REQUIRE(fds.size() == 1u);
    // tracking/version of with_fd (5), of the handle (5), then the index.
    BOOST_TEST_REQUIRE(get<std::uint32_t>(good, 10) == 0u);

    peer.send_frame(good); // no fds at all
    BOOST_TEST(peer.receive(ctx) == bad_message);

    probe p1;
    bytes b = good;
    put<std::uint32_t>(b, 10, 5);
    peer.send_frame(b, {p1.fd()});
    BOOST_TEST(peer.receive(ctx) == bad_message);
    BOOST_TEST(p1.all_copies_closed(), "the frame's fd was left open");

    // The next good message gets its own fd, not a stale one.
    probe p2;
    peer.send_frame(good, {p2.fd()});
    with_fd out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST_REQUIRE(out.h.has_value());
    BOOST_TEST(unix_ipc_test::file_id(out.h->get()) == unix_ipc_test::file_id(p2.fd()));
    BOOST_TEST(out.x == 7);
}

// Two handles that claim the same fd.
BOOST_FIXTURE_TEST_CASE(fd_index_used_twice, io_context_fixture)
{
    hostile_peer<three_fds> peer(ctx);
    probe a, b, c;
    std::vector<int> fds;
    bytes payload = three_fds_payload(&fds);
    BOOST_TEST_REQUIRE(fds.size() == 3u);
    // Each handle's index is the last 4 bytes of its 9 (or 4) bytes.
    BOOST_TEST_REQUIRE(get<std::uint32_t>(payload, payload.size() - 4) == 2u);
    put<std::uint32_t>(payload, payload.size() - 4, 0);
    peer.send_frame(payload, {a.fd(), b.fd(), c.fd()});
    BOOST_TEST(peer.receive(ctx) == bad_message);
    BOOST_TEST(a.all_copies_closed());
    BOOST_TEST(b.all_copies_closed());
    BOOST_TEST(c.all_copies_closed());
}

// More fds than the handles claim: bad_message, and all of them closed
// (including the ones a handle had already taken).
BOOST_FIXTURE_TEST_CASE(unclaimed_fds, io_context_fixture)
{
    {
        hostile_peer<with_fd> peer(ctx);
        probe a, b, c;
        const bytes payload = with_fd_payload(1);
        peer.send_frame(payload, {a.fd(), b.fd(), c.fd()});
        BOOST_TEST(peer.receive(ctx) == bad_message);
        BOOST_TEST(a.all_copies_closed(), "the claimed fd of a bad message was left open");
        BOOST_TEST(b.all_copies_closed());
        BOOST_TEST(c.all_copies_closed());

        probe d;
        peer.send_frame(payload, {d.fd()});
        with_fd out;
        BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
        BOOST_TEST_REQUIRE(out.h.has_value());
        BOOST_TEST(unix_ipc_test::file_id(out.h->get()) == unix_ipc_test::file_id(d.fd()));
    }
    {
        // A type with no handle at all.
        hostile_peer<std::string> peer(ctx);
        probe a, b;
        peer.send_frame(encode(std::string("no fds expected")), {a.fd(), b.fd()});
        BOOST_TEST(peer.receive(ctx) == bad_message);
        BOOST_TEST(a.all_copies_closed());
        BOOST_TEST(b.all_copies_closed());
        peer.send_frame(encode(std::string("next")));
        std::string out;
        BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
        BOOST_TEST(out == "next");
    }
}

// Fewer fds than the handles refer to.
BOOST_FIXTURE_TEST_CASE(fewer_fds_than_handles, io_context_fixture)
{
    hostile_peer<three_fds> peer(ctx);
    probe a, b, c;
    const bytes payload = three_fds_payload();
    peer.send_frame(payload, {a.fd(), b.fd()});
    BOOST_TEST(peer.receive(ctx) == bad_message);
    BOOST_TEST(a.all_copies_closed());
    BOOST_TEST(b.all_copies_closed());

    // In step afterwards: a complete message gets exactly its own three fds.
    probe d, e, f;
    peer.send_frame(payload, {d.fd(), e.fd(), f.fd()});
    three_fds out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST(unix_ipc_test::file_id(out.a->get()) == unix_ipc_test::file_id(d.fd()));
    BOOST_TEST(unix_ipc_test::file_id(out.b->get()) == unix_ipc_test::file_id(e.fd()));
    BOOST_TEST(unix_ipc_test::file_id(out.c->get()) == unix_ipc_test::file_id(f.fd()));
    (void)c;
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

zoo make_zoo()
{
    zoo z;
    auto d = std::make_unique<dog>();
    d->name = "rex";
    z.first = std::move(d);
    auto d2 = std::make_unique<dog>();
    d2->name = "fido";
    z.second = std::move(d2);
    return z;
}

// Where the exported class name, and the class id before it, sit in a zoo's payload.
struct class_info_offsets
{
    std::size_t name_at;
    std::size_t class_id_at;
};

class_info_offsets find_class_info(const bytes& payload)
{
    const std::string guid = "hostile_types::dog";
    auto it = std::search(payload.begin(), payload.end(), guid.begin(), guid.end());
    BOOST_TEST_REQUIRE((it != payload.end()));
    const std::size_t name_at = static_cast<std::size_t>(it - payload.begin());
    BOOST_TEST_REQUIRE(get<std::uint64_t>(payload, name_at - 8) == guid.size());
    // The class id (int16) precedes the name's length (u64).
    return {name_at, name_at - 8 - 2};
}

// Where the second pointer of a zoo (its class id reference) starts: the
// first byte that differs from a zoo whose second pointer is null.
std::size_t second_pointer_at(const bytes& payload)
{
    zoo z = make_zoo();
    z.second.reset();
    const bytes other = encode(z);
    const auto m = std::mismatch(payload.begin(), payload.end(), other.begin(), other.end());
    BOOST_TEST_REQUIRE((m.first != payload.end()));
    return static_cast<std::size_t>(m.first - payload.begin());
}

void check_zoo(const zoo& out)
{
    BOOST_TEST_REQUIRE(out.first != nullptr);
    BOOST_TEST(out.first->kind() == "dog");
    BOOST_TEST(out.first->name == "rex");
    BOOST_TEST_REQUIRE(out.second != nullptr);
    BOOST_TEST(out.second->name == "fido");
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_hostile_polymorphic)

// A polymorphic pointer naming a class nobody exported, or a class name
// longer than allowed.
BOOST_FIXTURE_TEST_CASE(bogus_polymorphic_class_name, io_context_fixture)
{
    const bytes good = encode(make_zoo());
    const class_info_offsets at = find_class_info(good);
    hostile_peer<zoo> peer(ctx);
    {
        bytes b = good;
        b[at.name_at + 17] = 'X'; // "hostile_types::doX": not exported
        BOOST_TEST(decode_fails<zoo>(b));
        peer.send_frame(b);
        BOOST_TEST(peer.receive(ctx) == bad_message);
    }
    {
        bytes b = good;
        put<std::uint64_t>(b, at.name_at - 8, 4000); // longer than the payload
        BOOST_TEST(decode_fails<zoo>(b));
        peer.send_frame(b);
        BOOST_TEST(peer.receive(ctx) == bad_message);
    }
    {
        // Longer than BOOST_SERIALIZATION_MAX_KEY_SIZE, and present in the payload.
        bytes b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(at.name_at - 8));
        const std::string long_name(200, 'n');
        const std::uint64_t n = long_name.size();
        const auto* np = reinterpret_cast<const unsigned char*>(&n);
        b.insert(b.end(), np, np + 8);
        b.insert(b.end(), long_name.begin(), long_name.end());
        b.insert(b.end(), good.begin() + static_cast<std::ptrdiff_t>(at.name_at + 18), good.end());
        BOOST_TEST(decode_fails<zoo>(b));
        peer.send_frame(b);
        BOOST_TEST(peer.receive(ctx) == bad_message);
    }
    peer.send_frame(good);
    zoo out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    check_zoo(out);
}

// A message cut anywhere: the objects Boost.Serialization allocated for
// polymorphic pointers are all destroyed, the one being loaded when the
// bytes ran out included (Boost 1.81 leaks that one by itself).
BOOST_AUTO_TEST_CASE(no_object_left_behind_by_a_cut_message)
{
    const bytes good = encode(make_zoo());
    BOOST_TEST_REQUIRE(animal::live == 0);
    std::size_t failed = 0;
    for (std::size_t n = 0; n < good.size(); ++n)
    {
        const bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
        if (decode_fails<zoo>(cut))
            ++failed;
        BOOST_TEST_REQUIRE(animal::live == 0, "after a cut at " << n << " of " << good.size());
    }
    BOOST_TEST(failed == good.size());
}

// A polymorphic pointer naming an exported class that is not derived from
// the pointer's type: refused, and the object made for it destroyed.
BOOST_FIXTURE_TEST_CASE(pointer_class_not_derived, io_context_fixture)
{
    bytes b = encode(make_zoo());
    const class_info_offsets at = find_class_info(b);
    const std::string rat_guid = "hostile_types::rat";
    std::copy(rat_guid.begin(), rat_guid.end(), b.begin() + static_cast<std::ptrdiff_t>(at.name_at));
    zoo z;
    std::vector<unique_fd> no_fds;
    std::string what;
    try
    {
        unix_ipc::serialization_codec::decode(
            z, boost::span<const std::byte>(reinterpret_cast<const std::byte*>(b.data()), b.size()), no_fds,
            asio::any_io_executor());
    }
    catch (const boost::system::system_error& e)
    {
        what = e.what();
    }
    BOOST_TEST(what.find("does not derive") != std::string::npos, what);
    BOOST_TEST(rat::live == 0);
    BOOST_TEST(animal::live == 0);

    hostile_peer<zoo> peer(ctx);
    peer.send_frame(b);
    BOOST_TEST(peer.receive(ctx) == bad_message);
    BOOST_TEST(rat::live == 0);
    peer.send_frame(encode(make_zoo()));
    zoo out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    check_zoo(out);
}

// The same through a pointer to an abstract class, which the archive cannot
// check before Boost's own cast fails: the object is destroyed all the same.
BOOST_FIXTURE_TEST_CASE(abstract_pointer_class_not_derived, io_context_fixture)
{
    drawing d;
    auto s = std::make_unique<sqr>();
    s->name = "box";
    d.s = std::move(s);
    bytes b = encode(d);
    const std::string guid = "hostile_types::sqr", rat_guid = "hostile_types::rat";
    const auto it = std::search(b.begin(), b.end(), guid.begin(), guid.end());
    BOOST_TEST_REQUIRE((it != b.end()));
    std::copy(rat_guid.begin(), rat_guid.end(), it);
    BOOST_TEST(decode_fails<drawing>(b));
    BOOST_TEST(rat::live == 0);

    hostile_peer<drawing> peer(ctx);
    peer.send_frame(b);
    BOOST_TEST(peer.receive(ctx) == bad_message);
    BOOST_TEST(rat::live == 0);
    peer.send_frame(encode(d));
    drawing out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST_REQUIRE(out.s != nullptr);
    BOOST_TEST(out.s->corners() == 4);
    BOOST_TEST(out.s->name == "box");
}

// Forged pointer class ids: Boost 1.81 indexes its class table with them
// (checked only by BOOST_VERIFY); the archive refuses any id other than -1, a
// known class, or the next one for a class not known yet.
BOOST_FIXTURE_TEST_CASE(bogus_pointer_class_id, io_context_fixture)
{
    const bytes good = encode(make_zoo());
    const class_info_offsets at = find_class_info(good);
    // zoo, unique_ptr<animal> and animal come first: the dog is class 3.
    BOOST_TEST_REQUIRE(get<std::int16_t>(good, at.class_id_at) == 3);
    hostile_peer<zoo> peer(ctx);
    for (std::int16_t cid : {std::int16_t(4), std::int16_t(5), std::int16_t(100), std::int16_t(32767),
                             std::int16_t(-2), std::int16_t(-32768)})
    {
        BOOST_TEST_CONTEXT("class id " << cid)
        {
            bytes b = good;
            put<std::int16_t>(b, at.class_id_at, cid);
            BOOST_TEST(decode_fails<zoo>(b));
            peer.send_frame(b);
            BOOST_TEST(peer.receive(ctx) == bad_message);
        }
    }

    // The second pointer refers to the dog's class (3); a new id (4) with the
    // name of that known class would make Boost index past its table.
    const std::size_t second_at = second_pointer_at(good);
    BOOST_TEST_REQUIRE(get<std::int16_t>(good, second_at) == 3);
    {
        bytes b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(second_at));
        const std::int16_t cid = 4;
        const auto* cp = reinterpret_cast<const unsigned char*>(&cid);
        b.insert(b.end(), cp, cp + 2);
        const std::string name = "hostile_types::dog";
        const std::uint64_t n = name.size();
        const auto* np = reinterpret_cast<const unsigned char*>(&n);
        b.insert(b.end(), np, np + 8);
        b.insert(b.end(), name.begin(), name.end());
        b.insert(b.end(), good.begin() + static_cast<std::ptrdiff_t>(second_at + 2), good.end());
        BOOST_TEST(decode_fails<zoo>(b));
        peer.send_frame(b);
        BOOST_TEST(peer.receive(ctx) == bad_message);
    }

    // Every 16-bit value at every offset: decoding fails or succeeds, never crashes.
    for (std::size_t i = 0; i + 2 <= good.size(); ++i)
        for (std::int16_t v : {std::int16_t(-2), std::int16_t(4), std::int16_t(7), std::int16_t(300)})
        {
            bytes b = good;
            put<std::int16_t>(b, i, v);
            decode_fails<zoo>(b);
        }

    peer.send_frame(good);
    zoo out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    check_zoo(out);
}

// Forged object ids of tracked pointers: an id beyond the next one, a
// reference to an object of another class, and a second unique_ptr to an
// object loaded before (which would be deleted twice).
BOOST_FIXTURE_TEST_CASE(bogus_pointer_object_id, io_context_fixture)
{
    const bytes good = encode(make_zoo());
    const std::size_t oid_at = second_pointer_at(good) + 2;
    // Object 0 is the first dog, 1 its animal part, 2 the second dog.
    BOOST_TEST_REQUIRE(get<std::uint32_t>(good, oid_at) == 2u);
    hostile_peer<zoo> peer(ctx);
    for (std::uint32_t oid : {3u, 100u, 0xffffffffu, 1u, 0u})
    {
        BOOST_TEST_CONTEXT("object id " << oid)
        {
            bytes b = good;
            put<std::uint32_t>(b, oid_at, oid);
            BOOST_TEST(decode_fails<zoo>(b));
            peer.send_frame(b);
            BOOST_TEST(peer.receive(ctx) == bad_message);
        }
    }
    peer.send_frame(good);
    zoo out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    check_zoo(out);
}

// Honest back references still load: a raw pointer to a tracked member, and
// shared_ptrs to one object.
BOOST_FIXTURE_TEST_CASE(honest_back_references, io_context_fixture)
{
    auto [s, r] = unix_ipc::make_channel<linked>(ctx);
    linked v;
    v.a.value = 7;
    v.to_a = &v.a;
    v.shared = std::make_shared<node>();
    v.shared->value = 9;
    v.shared_again = v.shared;
    s.send(v);
    linked out = r.receive();
    BOOST_TEST(out.a.value == 7);
    BOOST_TEST(out.to_a == &out.a);
    BOOST_TEST_REQUIRE(out.shared != nullptr);
    BOOST_TEST(out.shared->value == 9);
    BOOST_TEST(out.shared == out.shared_again);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(typed_hostile_limits)

// The raw layer's limits apply to typed channels too (set_limits).
BOOST_FIXTURE_TEST_CASE(limits_through_the_typed_channel, io_context_fixture)
{
    hostile_peer<std::string> peer(ctx);
    unix_ipc::receive_limits l;
    l.max_payload_size = 64;
    l.max_fds = 1;
    peer.r.set_limits(l);
    peer.send_frame(encode(std::string(100, 'x')));
    BOOST_TEST(peer.receive(ctx) == make_error_code(unix_ipc::error::message_too_large));
    probe a, b;
    peer.send_frame(encode(std::string("two fds")), {a.fd(), b.fd()});
    BOOST_TEST(peer.receive(ctx) == make_error_code(unix_ipc::error::too_many_fds));
    BOOST_TEST(a.all_copies_closed());
    BOOST_TEST(b.all_copies_closed());
    peer.send_frame(encode(std::string("small")));
    std::string out;
    BOOST_TEST_REQUIRE(!peer.receive(ctx, &out));
    BOOST_TEST(out == "small");
}

// The synchronous receive reports bad_message the same way and closes the fds.
BOOST_FIXTURE_TEST_CASE(sync_receive_of_bad_message, io_context_fixture)
{
    hostile_peer<with_fd> peer(ctx);
    probe a, b;
    const bytes payload = with_fd_payload(3);
    peer.send_frame(payload, {a.fd(), b.fd()});
    error_code ec;
    with_fd out = peer.r.receive(ec);
    BOOST_TEST(ec == bad_message);
    BOOST_TEST(!out.h.has_value());
    BOOST_TEST(a.all_copies_closed());
    BOOST_TEST(b.all_copies_closed());
    probe c;
    peer.send_frame(payload, {c.fd()});
    out = peer.r.receive(ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(unix_ipc_test::file_id(out.h->get()) == unix_ipc_test::file_id(c.fd()));
}

BOOST_AUTO_TEST_SUITE_END()
