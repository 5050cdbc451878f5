//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef UNIX_IPC_BOOTSTRAP_HELPERS_HPP
#define UNIX_IPC_BOOTSTRAP_HELPERS_HPP

#include <boost/unix_ipc/error.hpp>

#include <boost/test/unit_test.hpp>

#include <ostream>

#include <unistd.h>

#include <string>

namespace bootstrap_test {

// The child program: the first argument after `--` of the test module, else
// boost_unix_ipc_bootstrap_child next to this executable.
inline std::string child_binary()
{
    auto& suite = boost::unit_test::framework::master_test_suite();
    for (int i = 1; i < suite.argc; ++i)
        if (suite.argv[i][0] != '-')
            return suite.argv[i];
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string();
    dir = dir.substr(0, dir.rfind('/') + 1);
    for (const char* name : {"boost_unix_ipc_bootstrap_child", "bootstrap_child"})
        if (::access((dir + name).c_str(), X_OK) == 0)
            return dir + name;
    return dir + "boost_unix_ipc_bootstrap_child";
}

} // namespace bootstrap_test

namespace boost {
namespace unix_ipc {

// Lets BOOST_TEST(ec == error::eof) print both sides.
inline std::ostream& boost_test_print_type(std::ostream& os, error e)
{
    return os << make_error_code(e).message();
}

} // namespace unix_ipc
} // namespace boost

#endif
