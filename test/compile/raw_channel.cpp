//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/raw_channel.hpp compiles alone, first in its translation unit.
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/raw_channel.hpp> // and its include guard works
