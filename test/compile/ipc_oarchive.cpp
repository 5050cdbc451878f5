//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/ipc_oarchive.hpp (typed channel layer, the output archive) compiles
// alone, first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_SERIALIZATION), without the other archive.
#if BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/ipc_oarchive.hpp>
#include <boost/unix_ipc/ipc_oarchive.hpp> // and its include guard works

#ifdef BOOST_UNIX_IPC_IPC_IARCHIVE_HPP
#error "boost/unix_ipc/ipc_oarchive.hpp includes boost/unix_ipc/ipc_iarchive.hpp"
#endif
#endif
