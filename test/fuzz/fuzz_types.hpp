//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the typed fuzz targets share: the five types they decode (a struct of
// every kind of member, strings, a map of shared pointers, a polymorphic
// unique_ptr, shared pointers to an abstract base), decoding one of them as
// a typed channel does, and a well-formed message of each for the seeds.
// Include it in one translation unit of a program (it exports classes).

#ifndef BOOST_UNIX_IPC_TEST_FUZZ_TYPES_HPP
#define BOOST_UNIX_IPC_TEST_FUZZ_TYPES_HPP

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

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
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


// Decodes a payload and its fds as a T, as a typed channel's receive does:
// success or an exception (error::bad_message), nothing else.
template <class T>
void decode(const std::byte* data, std::size_t size, std::vector<boost::unix_ipc::unique_fd>& fds)
{
    T value{};
    try
    {
        boost::unix_ipc::serialization_codec::decode(value, boost::span<const std::byte>(data, size), fds,
                                                     boost::asio::any_io_executor());
    }
    catch (const std::exception& e)
    {
        if (std::getenv("FUZZ_VERBOSE"))
            std::fprintf(stderr, "decode failed: %s\n", e.what());
    }
}

// Decodes as the type numbered choice % 5.
inline void decode_as(unsigned choice, const std::byte* data, std::size_t size,
                      std::vector<boost::unix_ipc::unique_fd>& fds)
{
    switch (choice % 5)
    {
    case 0: decode<everything>(data, size, fds); break;
    case 1: decode<std::vector<std::string>>(data, size, fds); break;
    case 2: decode<std::map<std::int32_t, std::shared_ptr<node>>>(data, size, fds); break;
    case 3: decode<std::unique_ptr<animal>>(data, size, fds); break;
    default: decode<std::vector<std::shared_ptr<shape>>>(data, size, fds); break;
    }
}

// Calls write(name, fds, choice, bytes) with a well-formed message of each
// type: its payload, and how many fds it carries.
template <class Write>
void well_formed_messages(Write write)
{
    namespace unix_ipc = boost::unix_ipc;
    auto encode = [&](const char* name, unsigned type, const auto& value) {
        std::vector<std::byte> bytes;
        std::vector<int> fds;
        unix_ipc::serialization_codec::encode(value, bytes, fds);
        write(name, static_cast<unsigned>(fds.size()), type, bytes);
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
    encode("everything", 0, e);
    encode("strings", 1, std::vector<std::string>{"a", "bc", ""});
    auto n = std::make_shared<node>();
    encode("map", 2, std::map<std::int32_t, std::shared_ptr<node>>{{1, n}, {2, n}, {3, nullptr}});
    std::unique_ptr<animal> a = std::make_unique<dog>();
    encode("pet", 3, a);
    auto sq = std::make_shared<square>();
    encode("shapes", 4, std::vector<std::shared_ptr<shape>>{sq, sq, std::make_shared<square>()});
}

} // namespace fuzz_types

BOOST_CLASS_EXPORT_GUID(fuzz_types::dog, "fuzz_types::dog")
BOOST_CLASS_EXPORT_GUID(fuzz_types::square, "fuzz_types::square")

#endif
