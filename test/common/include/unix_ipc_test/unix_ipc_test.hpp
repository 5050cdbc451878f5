//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_TEST_UNIX_IPC_TEST_HPP
#define BOOST_UNIX_IPC_TEST_UNIX_IPC_TEST_HPP

// Every shared test helper (test/common).

#include "unix_ipc_test/fd_utils.hpp"
#include "unix_ipc_test/handler_recorder.hpp"
#include "unix_ipc_test/io_context.hpp"
#include "unix_ipc_test/wire.hpp"

#endif
