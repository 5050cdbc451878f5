//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The archive instantiations and the bootstrap layer have sources of their own
// (archives.cpp, bootstrap.cpp), built only with their layers.
#define BOOST_UNIX_IPC_SRC_NO_ARCHIVES
#define BOOST_UNIX_IPC_SRC_NO_BOOTSTRAP

#include <boost/unix_ipc/src.hpp>
