//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_HPP
#define BOOST_UNIX_IPC_HPP

// Umbrella header: every public header of Boost.UnixIpc.

#include <boost/unix_ipc/credentials.hpp>
#include <boost/unix_ipc/error.hpp>
#include <boost/unix_ipc/raw_acceptor.hpp>
#include <boost/unix_ipc/raw_channel.hpp>
#include <boost/unix_ipc/raw_message.hpp>
#include <boost/unix_ipc/receive_limits.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

#endif
