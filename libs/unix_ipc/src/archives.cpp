//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Instantiations of Boost.Serialization's archive machinery for ipc_oarchive
// and ipc_iarchive (built only with BOOST_UNIX_IPC_SERIALIZATION).

#ifndef BOOST_UNIX_IPC_SOURCE
#define BOOST_UNIX_IPC_SOURCE
#endif

#include <boost/unix_ipc/impl/ipc_archive.ipp>
