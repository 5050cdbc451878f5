//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Must NOT compile: ipc_archive.hpp (through ipc_iarchive.hpp) refuses a
// Boost.Serialization other than the one its checks of hostile input were
// verified on (1.81), unless BOOST_UNIX_IPC_ALLOW_UNCHECKED_BOOST_SERIALIZATION
// is defined. The ctest entry compile_version_guard builds this TU and expects
// the guard's message.
// The Boost version is faked by defining what boost/version.hpp would.
#define BOOST_VERSION_HPP
#define BOOST_VERSION 108200
#define BOOST_LIB_VERSION "1_82"
#include <boost/unix_ipc/ipc_archive.hpp>

int main() {}
