//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/json_codec.hpp (typed channel layer, on Boost.JSON) compiles
// alone, first in its translation unit, when the layer is built
// (BOOST_UNIX_IPC_SERIALIZATION). It is not in the umbrella header: a program
// using it compiles Boost.JSON itself, as this one does below.
#if BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/json_codec.hpp>
#include <boost/unix_ipc/json_codec.hpp> // and its include guard works

#include <boost/json/src.hpp> // Boost.JSON's compiled part, once in the program
#endif
