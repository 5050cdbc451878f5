//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A program that compiles the library through <boost/unix_ipc/src.hpp>
// instead of linking libboost_unix_ipc: typed channels, polymorphic pointers
// included (they need the archive instantiations), link and work.

#include <boost/unix_ipc/src.hpp>
#include <boost/unix_ipc.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/serialization/base_object.hpp>
#include <boost/serialization/export.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/unique_ptr.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace src_hpp_test {

struct base
{
    virtual ~base() = default;
    std::string text;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & text;
    }
};

struct derived : base
{
    int n = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned)
    {
        ar & boost::serialization::base_object<base>(*this) & n;
    }
};

} // namespace src_hpp_test

BOOST_CLASS_EXPORT_GUID(src_hpp_test::derived, "src_hpp_test::derived")

int main()
{
    boost::asio::io_context ctx;
    auto [s, r] = boost::unix_ipc::make_channel<std::unique_ptr<src_hpp_test::base>>(ctx);
    auto d = std::make_unique<src_hpp_test::derived>();
    d->text = "through src.hpp";
    d->n = 42;
    std::unique_ptr<src_hpp_test::base> p = std::move(d);
    s.send(p);
    std::unique_ptr<src_hpp_test::base> out = r.receive();
    auto* got = dynamic_cast<src_hpp_test::derived*>(out.get());
    if (!got || got->n != 42 || got->text != "through src.hpp")
    {
        std::fputs("src_hpp: the value did not arrive\n", stderr);
        return 1;
    }
    return 0;
}
