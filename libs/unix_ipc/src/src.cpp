//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The archive instantiations have a source of their own (archives.cpp), built
// only with the typed layer.
#define BOOST_UNIX_IPC_SRC_NO_ARCHIVES

#include <boost/unix_ipc/src.hpp>
