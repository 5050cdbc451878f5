//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// boost/unix_ipc/shared_memory.hpp compiles alone, first in its translation
// unit (with handle<shared_memory> when the typed layer is built).
#include <boost/unix_ipc/shared_memory.hpp>
#include <boost/unix_ipc/shared_memory.hpp> // and its include guard works
