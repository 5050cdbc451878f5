//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/ipc_iarchive.hpp (typed channel layer, the input archive) compiles
// alone, first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_SERIALIZATION), without the other archive.
#if BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/ipc_iarchive.hpp>
#include <boost/unix_ipc/ipc_iarchive.hpp> // and its include guard works

#ifdef BOOST_UNIX_IPC_IPC_OARCHIVE_HPP
#error "boost/unix_ipc/ipc_iarchive.hpp includes boost/unix_ipc/ipc_oarchive.hpp"
#endif
#endif
