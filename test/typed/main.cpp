//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The typed-channel suite: sender<T>, receiver<T>, endpoint<Out, In>, handles,
// the ipc archives, in-process and across forked processes.

#define BOOST_TEST_MODULE unix_ipc_typed
#include <boost/test/unit_test.hpp>
