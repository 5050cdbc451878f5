//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/std_serialization.hpp (typed channel layer) compiles alone,
// first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_SERIALIZATION). It is not in the umbrella header: it defines
// boost::serialization overloads a program may define itself.
#if BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/std_serialization.hpp>
#include <boost/unix_ipc/std_serialization.hpp> // and its include guard works
#endif
