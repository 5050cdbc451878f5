//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IPC_ARCHIVE_HPP
#define BOOST_UNIX_IPC_IPC_ARCHIVE_HPP

// The archives of typed channels: ipc_oarchive (ipc_oarchive.hpp) and
// ipc_iarchive (ipc_iarchive.hpp, which refuses a Boost.Serialization other
// than 1.81 unless BOOST_UNIX_IPC_ALLOW_UNCHECKED_BOOST_SERIALIZATION is
// defined: see there).

#include <boost/unix_ipc/ipc_iarchive.hpp>
#include <boost/unix_ipc/ipc_oarchive.hpp>

#endif
