//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/typed_bootstrap.hpp (bootstrap layer, typed ends) compiles
// alone, first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_BOOTSTRAP, which needs BOOST_UNIX_IPC_SERIALIZATION).
#if BOOST_UNIX_IPC_HAS_BOOTSTRAP && BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/typed_bootstrap.hpp>
#include <boost/unix_ipc/typed_bootstrap.hpp> // and its include guard works
#endif
