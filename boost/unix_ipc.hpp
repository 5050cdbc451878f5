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
#include <boost/unix_ipc/shared_memory.hpp>
#include <boost/unix_ipc/unique_fd.hpp>

// The typed layer needs Boost.Serialization (the CMake option
// BOOST_UNIX_IPC_SERIALIZATION sets BOOST_UNIX_IPC_HAS_SERIALIZATION).
#if !defined(BOOST_UNIX_IPC_HAS_SERIALIZATION) || BOOST_UNIX_IPC_HAS_SERIALIZATION
#include <boost/unix_ipc/codec.hpp>
#include <boost/unix_ipc/handle.hpp>
#include <boost/unix_ipc/ipc_archive.hpp>
#include <boost/unix_ipc/ipc_iarchive.hpp>
#include <boost/unix_ipc/ipc_oarchive.hpp>
#include <boost/unix_ipc/remote_error.hpp>
#include <boost/unix_ipc/typed_channel.hpp>
#endif

// The bootstrap layer needs Boost.Process v2 and Boost.Filesystem (the CMake
// option BOOST_UNIX_IPC_BOOTSTRAP sets BOOST_UNIX_IPC_HAS_BOOTSTRAP).
// bootstrap.hpp is raw_bootstrap.hpp (no Boost.Serialization) and
// typed_bootstrap.hpp.
#if !defined(BOOST_UNIX_IPC_HAS_BOOTSTRAP) || BOOST_UNIX_IPC_HAS_BOOTSTRAP
#include <boost/unix_ipc/bootstrap.hpp>
#include <boost/unix_ipc/raw_bootstrap.hpp>
#include <boost/unix_ipc/typed_bootstrap.hpp>
#endif

#endif
