//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The compiled part of the bootstrap layer (built only with
// BOOST_UNIX_IPC_BOOTSTRAP).

#ifndef BOOST_UNIX_IPC_SOURCE
#define BOOST_UNIX_IPC_SOURCE
#endif

#include <boost/unix_ipc/detail/impl/bootstrap_ops.ipp>
