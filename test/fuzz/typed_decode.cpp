//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target: a typed channel's decoding (serialization_codec over
// ipc_iarchive) fed a hostile payload and a few fds, as one of five types. Decoding must succeed or
// throw (the channel turns that into error::bad_message): never crash, never
// read out of bounds, never allocate beyond what the payload can justify,
// and every fd ends up closed, claimed or not.
//
// Input: a 1-byte fd count (0-3, of /dev/null duplicates), a 1-byte choice
// of the type to decode, then the payload. `typed_decode_fuzz -seeds DIR`
// writes a well-formed message of each type into DIR (see run.sh).

#include <boost/unix_ipc/src.hpp>

#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/std_serialization.hpp>

#include <boost/serialization/base_object.hpp>
#include <boost/serialization/export.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/shared_ptr.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/unique_ptr.hpp>
#include <boost/serialization/vector.hpp>

#include "fuzz_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fuzz_types {

struct animal
{
    virtual ~animal() = default;
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name;
    }
};

struct dog : animal
{
    std::int32_t legs = 4;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<animal>(*this) & legs;
    }
};

// An abstract base, reached only through pointers.
struct shape
{
    virtual ~shape() = default;
    virtual int corners() const = 0;
    std::int32_t size = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & size;
    }
};

struct square : shape
{
    int corners() const override { return 4; }
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<shape>(*this);
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

struct everything
{
    std::string name;
    std::vector<std::int32_t> values;
    std::vector<char> bytes;
    std::map<std::string, std::vector<std::string>> tags;
    std::optional<std::string> maybe;
    std::variant<std::monostate, std::int64_t, std::string, std::vector<double>> choice;
    boost::unix_ipc::handle<boost::unix_ipc::unique_fd> fd;
    std::vector<boost::unix_ipc::handle<boost::unix_ipc::unique_fd>> more_fds;
    std::unique_ptr<animal> pet;
    std::shared_ptr<node> shared;
    std::shared_ptr<node> shared_again;
    bool flag = false;

    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & name & values & bytes & tags & maybe & choice & fd & more_fds & pet & shared & shared_again & flag;
    }
};

} // namespace fuzz_types

BOOST_CLASS_EXPORT_GUID(fuzz_types::dog, "fuzz_types::dog")
BOOST_CLASS_EXPORT_GUID(fuzz_types::square, "fuzz_types::square")

namespace {

namespace unix_ipc = boost::unix_ipc;
using namespace fuzz_types;

template <class T>
void decode(const std::uint8_t* data, std::size_t size, std::vector<unix_ipc::unique_fd>& fds)
{
    T value{};
    try
    {
        unix_ipc::serialization_codec::decode(
            value, boost::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size), fds,
            boost::asio::any_io_executor());
    }
    catch (const std::exception& e)
    {
        if (std::getenv("FUZZ_VERBOSE"))
            std::fprintf(stderr, "decode failed: %s\n", e.what());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    fuzz::null_fd();
    const int before = fuzz::open_fds();
    {
        std::vector<unix_ipc::unique_fd> fds;
        for (unsigned i = 0; i < (data[0] & 3u); ++i)
            fds.emplace_back(fuzz::new_fd());
        switch (data[1] % 5)
        {
        case 0: decode<everything>(data + 2, size - 2, fds); break;
        case 1: decode<std::vector<std::string>>(data + 2, size - 2, fds); break;
        case 2: decode<std::map<std::int32_t, std::shared_ptr<node>>>(data + 2, size - 2, fds); break;
        case 3: decode<std::unique_ptr<animal>>(data + 2, size - 2, fds); break;
        default: decode<std::vector<std::shared_ptr<shape>>>(data + 2, size - 2, fds); break;
        }
    }
    if (fuzz::open_fds() != before)
    {
        std::fprintf(stderr, "typed_decode fuzz: fd leaked\n");
        std::abort();
    }
    return 0;
}

// Well-formed messages of each type, for a seed corpus:
// typed_decode_fuzz -seeds DIR writes them (see test/fuzz/run.sh).
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    if (*argc < 3 || std::string((*argv)[1]) != "-seeds")
        return 0;
    const std::string dir = (*argv)[2];
    auto write = [&](const std::string& name, unsigned nfds, unsigned type, const auto& value) {
        std::vector<std::byte> bytes;
        std::vector<int> fds;
        unix_ipc::serialization_codec::encode(value, bytes, fds);
        std::FILE* f = std::fopen((dir + "/" + name).c_str(), "wb");
        if (!f)
            std::exit(1);
        const unsigned char head[2] = {static_cast<unsigned char>(nfds), static_cast<unsigned char>(type)};
        std::fwrite(head, 1, 2, f);
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    };
    fuzz::null_fd();
    everything e;
    e.name = "name";
    e.values = {1, 2, 3};
    e.bytes = {'a', 'b'};
    e.tags["k"] = {"v1", "v2"};
    e.maybe = "here";
    e.choice = std::string("text");
    e.fd = unix_ipc::handle<unix_ipc::unique_fd>(unix_ipc::unique_fd(fuzz::new_fd()));
    e.more_fds.emplace_back(unix_ipc::unique_fd(fuzz::new_fd()));
    auto d = std::make_unique<dog>();
    d->name = "rex";
    e.pet = std::move(d);
    e.shared = std::make_shared<node>();
    e.shared_again = e.shared;
    e.flag = true;
    write("everything", 2, 0, e);
    write("strings", 0, 1, std::vector<std::string>{"a", "bc", ""});
    auto n = std::make_shared<node>();
    write("map", 0, 2, std::map<std::int32_t, std::shared_ptr<node>>{{1, n}, {2, n}, {3, nullptr}});
    std::unique_ptr<animal> a = std::make_unique<dog>();
    write("pet", 0, 3, a);
    auto sq = std::make_shared<square>();
    write("shapes", 0, 4, std::vector<std::shared_ptr<shape>>{sq, sq, std::make_shared<square>()});
    std::exit(0);
}
