//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Big blocks of the value being sent (a member vector or string, a member
// array) leave from the value's own memory as their own iovecs instead of
// being copied into the payload; the bytes on the wire are the same. Blocks a
// save() function makes on its own (locals, temporaries) and blocks outside
// the value's object (a vector inside a vector) are copied. Received payload
// buffers are reused from message to message.

#include <boost/unix_ipc/typed_channel.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/serialization/array.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/test/unit_test.hpp>

#include "xproc_helpers.hpp"
#include "unix_ipc_test/unix_ipc_test.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace unix_ipc = boost::unix_ipc;
using boost::system::error_code;
using unix_ipc::unique_fd;
using unix_ipc_test::io_context_fixture;
using unix_ipc_test::run_until;

constexpr std::size_t threshold = unix_ipc::detail::out_of_line::threshold;

std::vector<char> pattern(std::size_t n, unsigned seed)
{
    std::vector<char> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<char>((i * 131 + seed * 7) % 251);
    return v;
}

// A save() that serializes a big local: the local is gone before the frame
// is written, so its bytes must be copied.
struct computed
{
    unsigned seed = 0;

    template <class Archive>
    void save(Archive& ar, unsigned) const
    {
        const std::vector<char> local = pattern(3 * threshold, seed);
        ar << seed << local;
    }
    template <class Archive>
    void load(Archive& ar, unsigned)
    {
        std::vector<char> local;
        ar >> seed >> local;
        if (local != pattern(3 * threshold, seed))
            throw std::runtime_error("computed: wrong bytes");
    }
    BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct big
{
    std::uint32_t head = 0;
    std::vector<char> bytes;          // out of line when big
    std::string text;                 // out of line when big
    std::vector<char> small;          // under the threshold: copied
    std::array<char, 2 * threshold> array{}; // a member array: out of line
    std::vector<std::vector<char>> nested; // elements outside the value: copied
    computed made{};
    std::vector<std::array<char, threshold>> pages; // elements outside the value: copied
    std::uint64_t tail = 0;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & head & bytes & text & small & array & nested & made & pages & tail;
    }

    bool operator==(const big& o) const
    {
        return head == o.head && bytes == o.bytes && text == o.text && small == o.small && array == o.array &&
               nested == o.nested && made.seed == o.made.seed && pages == o.pages && tail == o.tail;
    }
};

big make_big(unsigned seed, std::size_t size)
{
    big b;
    b.head = 0xA5A5A5A5u ^ seed;
    b.bytes = pattern(size, seed);
    const auto t = pattern(size / 2 + 1, seed + 1);
    b.text.assign(t.begin(), t.end());
    b.small = pattern(threshold - 1, seed + 2);
    const auto a = pattern(b.array.size(), seed + 3);
    std::memcpy(b.array.data(), a.data(), a.size());
    b.nested = {pattern(threshold, seed + 4), pattern(10, seed + 5)};
    b.made.seed = seed;
    b.pages.resize(3);
    for (std::size_t i = 0; i < b.pages.size(); ++i)
    {
        const auto p = pattern(threshold, seed + 6 + unsigned(i));
        std::memcpy(b.pages[i].data(), p.data(), p.size());
    }
    b.tail = 0x0123456789abcdefull + seed;
    return b;
}

// Many member arrays: more iovecs than one sendmsg takes (256: each block
// and the bytes after it are two). About 2 MiB: kept on the heap where the
// test can.
constexpr std::size_t many_count = 130;

struct many_blocks
{
    std::array<std::array<char, threshold>, many_count> blocks{};
    std::array<std::uint32_t, many_count> between{};

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        for (std::size_t i = 0; i < blocks.size(); ++i)
            ar & blocks[i] & between[i];
    }
    bool operator==(const many_blocks& o) const { return blocks == o.blocks && between == o.between; }
};

std::unique_ptr<many_blocks> make_many(unsigned seed)
{
    auto m = std::make_unique<many_blocks>();
    for (std::size_t i = 0; i < m->blocks.size(); ++i)
    {
        const auto p = pattern(threshold, seed + unsigned(i));
        std::memcpy(m->blocks[i].data(), p.data(), p.size());
        m->between[i] = unsigned(i) * 1000u + seed;
    }
    return m;
}

// save() functions that change the value while writing it: a mutable
// member reused as scratch for two fields, and a member swapped with a local
// around its write. The blocks would no longer hold what was written; the
// codec notices and copies everything.
struct scratch_user
{
    unsigned seed = 0;
    mutable std::vector<char> scratch;
    mutable std::vector<char> swapped = std::vector<char>(2 * threshold, 's');

    template <class Archive>
    void save(Archive& ar, unsigned) const
    {
        ar << seed;
        scratch = pattern(2 * threshold, seed);
        ar << scratch;
        scratch = pattern(3 * threshold, seed + 1); // reallocates
        ar << scratch;
        scratch.assign(scratch.size(), 'z'); // same storage, new bytes
        std::vector<char> local = pattern(threshold, seed + 2);
        local.swap(swapped);
        ar << swapped;
        local.swap(swapped); // the block's storage is now the local's
    }
    template <class Archive>
    void load(Archive& ar, unsigned)
    {
        std::vector<char> a, b, c;
        ar >> seed >> a >> b >> c;
        if (a != pattern(2 * threshold, seed) || b != pattern(3 * threshold, seed + 1) ||
            c != pattern(threshold, seed + 2))
            throw std::runtime_error("scratch_user: wrong bytes");
    }
    BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// A member array written twice with different contents in between.
struct array_twice
{
    mutable std::array<char, 2 * threshold> buf{};

    template <class Archive>
    void save(Archive& ar, unsigned) const
    {
        buf.fill('a');
        ar << buf;
        buf.fill('b');
        ar << buf;
    }
    template <class Archive>
    void load(Archive& ar, unsigned)
    {
        std::array<char, 2 * threshold> x{}, y{};
        ar >> x >> y;
        if (x[0] != 'a' || x.back() != 'a' || y[0] != 'b' || y.back() != 'b')
            throw std::runtime_error("array_twice: wrong bytes");
    }
    BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct two
{
    std::vector<int> ints;
    std::string text;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & ints & text;
    }
};

scratch_user make_scratch_user(unsigned seed)
{
    scratch_user u;
    u.seed = seed;
    return u;
}

// The payload as the sender writes it: the bytes with the blocks put back.
template <class T>
std::vector<std::byte> gathered(const T& value, std::size_t* blocks)
{
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    unix_ipc::detail::out_of_line ool;
    unix_ipc::serialization_codec::encode(value, bytes, fds, ool);
    *blocks = ool.blocks.size();
    std::vector<std::byte> out;
    std::size_t at = 0;
    for (const auto& b : ool.blocks)
    {
        BOOST_TEST_REQUIRE(b.offset >= at);
        BOOST_TEST(b.size >= threshold);
        out.insert(out.end(), bytes.begin() + std::ptrdiff_t(at), bytes.begin() + std::ptrdiff_t(b.offset));
        const auto* p = static_cast<const std::byte*>(b.data);
        out.insert(out.end(), p, p + b.size);
        at = b.offset;
    }
    out.insert(out.end(), bytes.begin() + std::ptrdiff_t(at), bytes.end());
    return out;
}

template <class T>
std::vector<std::byte> plain(const T& value)
{
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    unix_ipc::serialization_codec::encode(value, bytes, fds);
    return bytes;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_out_of_line)

// The archive leaves out exactly the big blocks of the value's own members,
// and the gathered payload is byte for byte the plain one.
BOOST_AUTO_TEST_CASE(blocks_of_the_value_only)
{
    const big b = make_big(1, 5 * threshold);
    std::size_t blocks = 0;
    const auto g = gathered(b, &blocks);
    // bytes, text, array; not small, nested, the local of computed, pages.
    BOOST_TEST(blocks == 3u);
    BOOST_TEST((g == plain(b)));

    // Under the threshold: nothing is left out.
    big tiny = make_big(2, 16);
    tiny.text.clear();
    std::size_t none = 1;
    const auto g2 = gathered(tiny, &none);
    BOOST_TEST(none == 1u); // the member array is still big
    BOOST_TEST((g2 == plain(tiny)));

    std::size_t many = 0;
    const auto m = make_many(3);
    BOOST_TEST((gathered(*m, &many) == plain(*m)));
    BOOST_TEST(many == many_count);

    // Decoding the plain payload gives the value back.
    std::vector<unique_fd> fds;
    big back;
    const auto bytes = plain(b);
    unix_ipc::serialization_codec::decode(back, boost::span<const std::byte>(bytes.data(), bytes.size()), fds,
                                          asio::any_io_executor());
    BOOST_TEST((back == b));
}

// The wire bytes of a big member vector and string: an 8-byte count, then
// the elements, as Boost's own save writes them.
BOOST_AUTO_TEST_CASE(wire_bytes_unchanged)
{
    constexpr std::size_t ints = threshold / sizeof(int) + 1000, chars = threshold + 1000;
    const two v{std::vector<int>(ints, 7), std::string(chars, 't')};
    std::size_t blocks = 0;
    const auto g = gathered(v, &blocks);
    BOOST_TEST(blocks == 2u);
    // The struct's class information first (version, tracking), then the members.
    const std::size_t members = 8 + ints * sizeof(int) + 8 + chars;
    BOOST_TEST_REQUIRE(g.size() >= members);
    const std::size_t at = g.size() - members;
    BOOST_TEST(at <= 8u);
    std::uint64_t n = 0;
    std::memcpy(&n, g.data() + at, 8);
    BOOST_TEST(n == ints);
    int x = 0;
    std::memcpy(&x, g.data() + at + 8 + (ints - 1) * sizeof(int), sizeof(int));
    BOOST_TEST(x == 7);
    std::memcpy(&n, g.data() + at + 8 + ints * sizeof(int), 8);
    BOOST_TEST(n == chars);
    BOOST_TEST(char(g.back()) == 't');
}

// A save() that changes the value while writing it makes the codec copy
// every block: no stale or freed memory is sent.
BOOST_AUTO_TEST_CASE(value_changed_while_saved)
{
    const scratch_user u = make_scratch_user(4);
    std::vector<std::byte> bytes;
    std::vector<int> fds;
    unix_ipc::detail::out_of_line ool;
    unix_ipc::serialization_codec::encode(u, bytes, fds, ool);
    BOOST_TEST(ool.blocks.empty());
    std::vector<unique_fd> no_fds;
    scratch_user back;
    unix_ipc::serialization_codec::decode(back, boost::span<const std::byte>(bytes.data(), bytes.size()), no_fds,
                                          asio::any_io_executor()); // throws on wrong bytes
    BOOST_TEST(back.seed == 4u);

    array_twice t;
    std::vector<std::byte> tb;
    unix_ipc::detail::out_of_line tool;
    unix_ipc::serialization_codec::encode(t, tb, fds, tool);
    BOOST_TEST(tool.blocks.empty());
    array_twice tback;
    unix_ipc::serialization_codec::decode(tback, boost::span<const std::byte>(tb.data(), tb.size()), no_fds,
                                          asio::any_io_executor());

    // Through a channel too.
    asio::io_context ctx;
    auto [s, r] = unix_ipc::make_channel<scratch_user>(ctx);
    s.send(make_scratch_user(9));
    BOOST_TEST(r.receive().seed == 9u);
}

// Across processes: async sends (each value owned by its operation), a sync
// send, a deferred send launched after the caller's copy is gone, a value
// needing more iovecs than one sendmsg takes; each echoed back and compared.
BOOST_FIXTURE_TEST_CASE(values_with_blocks_across_processes, io_context_fixture)
{
    auto sp = unix_ipc_test::make_stream_socketpair();
    auto sp_many = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = typed_xproc::fork_child([&] {
        sp.first.reset();
        sp_many.first.reset();
        asio::io_context ioc;
        unix_ipc::endpoint<big, big> ep(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        unix_ipc::endpoint<many_blocks, many_blocks> many(unix_ipc::raw_channel(ioc, std::move(sp_many.second)));
        for (int i = 0; i < 6 + 5; ++i)
        {
            big v = ep.receive();
            ep.send(std::move(v));
        }
        const many_blocks m = many.receive();
        many.send(m);
        return 0;
    });
    sp.second.reset();
    sp_many.second.reset();
    unix_ipc::endpoint<big, big> ep(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    unix_ipc::endpoint<many_blocks, many_blocks> many(unix_ipc::raw_channel(ctx, std::move(sp_many.first)));

    // Each value is received back before the next is sent: the child's
    // echoes then never wait for a parent that is still sending.
    auto round_trip = [&](const big& want, auto&& send) {
        bool sent = false;
        std::optional<big> got;
        send(sent);
        ep.async_receive([&](error_code ec, big v) {
            BOOST_TEST(!ec);
            got = std::move(v);
        });
        run_until(ctx, [&] { return sent && got.has_value(); });
        BOOST_TEST((*got == want));
    };
    for (unsigned i = 0; i < 4; ++i)
    {
        const big want = make_big(10 + i, (i + 1) * 40000);
        round_trip(want, [&](bool& sent) {
            ep.async_send(want, [&](error_code ec) {
                BOOST_TEST(!ec);
                sent = true;
            });
        });
    }
    {
        const big want = make_big(20, 300000);
        round_trip(want, [&](bool& sent) {
            big later = want;
            auto op = ep.async_send(std::move(later), asio::deferred);
            later = make_big(99, 10); // the operation owns the value it was given
            std::move(op)([&](error_code ec) {
                BOOST_TEST(!ec);
                sent = true;
            });
        });
    }
    {
        const big want = make_big(30, 2000000);
        round_trip(want, [&](bool& sent) {
            ep.send(want);
            sent = true;
        });
    }

    // Several sends queued at once: their frames (and blocks) leave
    // gathered in shared sendmsg calls.
    {
        std::vector<big> want;
        int sent = 0;
        for (unsigned i = 0; i < 5; ++i)
        {
            want.push_back(make_big(40 + i, 20000 + i * 5000));
            ep.async_send(want.back(), [&](error_code ec) {
                BOOST_TEST(!ec);
                ++sent;
            });
        }
        for (const big& w : want)
        {
            std::optional<big> got;
            ep.async_receive([&](error_code ec, big v) {
                BOOST_TEST(!ec);
                got = std::move(v);
            });
            run_until(ctx, [&] { return got.has_value(); });
            BOOST_TEST((*got == w));
        }
        BOOST_TEST(sent == 5);
    }

    const auto m = make_many(7);
    many.send(*m);
    BOOST_TEST((many.receive() == *m));
    typed_xproc::wait_success(pid);
}

// A stream of big messages that grow and shrink, through the reused receive
// buffers, received in turn synchronously and asynchronously: each arrives
// whole, with nothing of an earlier, bigger one.
BOOST_FIXTURE_TEST_CASE(reused_receive_buffers, io_context_fixture)
{
    const std::size_t sizes[] = {1 << 20, 300000, 1 << 20, 70000, 5, 2 << 20, 100000, 64 * 1024 + 1, 1 << 20};
    auto sp = unix_ipc_test::make_stream_socketpair();
    const pid_t pid = typed_xproc::fork_child([&] {
        sp.first.reset();
        asio::io_context ioc;
        unix_ipc::sender<std::vector<char>> tx(unix_ipc::raw_channel(ioc, std::move(sp.second)));
        unsigned seed = 0;
        for (std::size_t n : sizes)
            tx.send(pattern(n, seed++));
        return 0;
    });
    sp.second.reset();
    unix_ipc::receiver<std::vector<char>> rx(unix_ipc::raw_channel(ctx, std::move(sp.first)));
    unsigned seed = 0;
    for (std::size_t n : sizes)
    {
        std::optional<std::vector<char>> got;
        if (seed % 3 == 1)
            got = rx.receive();
        else
        {
            rx.async_receive([&](error_code ec, std::vector<char> v) {
                BOOST_TEST(!ec);
                got = std::move(v);
            });
            run_until(ctx, [&] { return got.has_value(); });
        }
        BOOST_TEST((*got == pattern(n, seed)));
        ++seed;
    }
    error_code ec;
    rx.receive(ec);
    BOOST_TEST(ec == make_error_code(unix_ipc::error::eof));
    typed_xproc::wait_success(pid);
}

// The spare receive buffer is kept while it is at most twice the size of the
// payload it last held (plus 64 KiB), so one huge message does not pin its
// memory; closing the channel frees it.
BOOST_FIXTURE_TEST_CASE(spare_buffer_bounded, io_context_fixture)
{
    auto [tx, rx] = unix_ipc::make_channel<std::vector<char>>(ctx);
    const unix_ipc::detail::raw_channel_ref<asio::any_io_executor> ref(rx.raw());
    auto spare_capacity = [&] {
        std::vector<std::byte> b = ref.take_spare_buffer();
        const std::size_t c = b.capacity();
        ref.give_spare_buffer(std::move(b));
        return c;
    };
    const std::size_t big = 1 << 20;
    tx.send(pattern(big, 1));
    BOOST_TEST((rx.receive() == pattern(big, 1)));
    BOOST_TEST(spare_capacity() >= big); // kept: it held a payload of its size

    // Two small messages: the first lands in the big spare, which is then
    // too big for what it held and is freed, not kept.
    for (unsigned i = 0; i < 2; ++i)
    {
        tx.send(pattern(10, i));
        BOOST_TEST((rx.receive() == pattern(10, i)));
    }
    BOOST_TEST(spare_capacity() < std::size_t(64 * 1024));

    tx.send(pattern(big, 2));
    BOOST_TEST((rx.receive() == pattern(big, 2)));
    BOOST_TEST(spare_capacity() >= big / 2);
    rx.close();
    BOOST_TEST(ref.take_spare_buffer().capacity() == 0u); // freed on close
}

BOOST_AUTO_TEST_SUITE_END()
