//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_SRC_HPP
#define BOOST_UNIX_IPC_SRC_HPP

// The compiled part of Boost.UnixIpc as one translation unit: include this
// file in exactly one .cpp of a program that does not link libboost_unix_ipc.
// With the typed layer (BOOST_UNIX_IPC_HAS_SERIALIZATION undefined or 1) it
// includes the archive instantiations too; the program then links
// Boost.Serialization. With the bootstrap layer (BOOST_UNIX_IPC_HAS_BOOTSTRAP
// undefined or 1) it includes that layer's compiled part. (The library's own
// src.cpp defines BOOST_UNIX_IPC_SRC_NO_ARCHIVES and
// BOOST_UNIX_IPC_SRC_NO_BOOTSTRAP: archives.cpp and bootstrap.cpp compile
// those.)

#ifndef BOOST_UNIX_IPC_SOURCE
#define BOOST_UNIX_IPC_SOURCE
#endif

#include <boost/unix_ipc/detail/config.hpp>

#include <boost/unix_ipc/impl/credentials.ipp>
#include <boost/unix_ipc/impl/error.ipp>
#include <boost/unix_ipc/detail/impl/frame_reader.ipp>
#include <boost/unix_ipc/detail/impl/frame_writer.ipp>
#include <boost/unix_ipc/detail/impl/channel_state.ipp>
#include <boost/unix_ipc/detail/impl/socket_ops.ipp>
#include <boost/unix_ipc/impl/shared_memory.ipp>

#if (!defined(BOOST_UNIX_IPC_HAS_SERIALIZATION) || BOOST_UNIX_IPC_HAS_SERIALIZATION) && \
    !defined(BOOST_UNIX_IPC_SRC_NO_ARCHIVES)
#include <boost/unix_ipc/impl/ipc_archive.ipp>
#endif

#if (!defined(BOOST_UNIX_IPC_HAS_BOOTSTRAP) || BOOST_UNIX_IPC_HAS_BOOTSTRAP) && \
    !defined(BOOST_UNIX_IPC_SRC_NO_BOOTSTRAP)
#include <boost/unix_ipc/detail/impl/bootstrap_ops.ipp>
#endif

#endif
