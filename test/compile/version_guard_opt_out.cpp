//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// ipc_archive.hpp compiles against a Boost it was not checked on when the
// program opts out of its version guard (see fail/version_guard.cpp for the
// refusal without the opt-out). The Boost version is faked by defining what
// boost/version.hpp would, before it is included.
#if BOOST_UNIX_IPC_HAS_SERIALIZATION
#define BOOST_VERSION_HPP
#define BOOST_VERSION 108200
#define BOOST_LIB_VERSION "1_82"
#define BOOST_UNIX_IPC_ALLOW_UNCHECKED_BOOST_SERIALIZATION
#include <boost/unix_ipc/ipc_archive.hpp>
#endif
