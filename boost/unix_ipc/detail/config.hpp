//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_CONFIG_HPP
#define BOOST_UNIX_IPC_DETAIL_CONFIG_HPP

#include <boost/config.hpp>

// Linux only: MSG_CMSG_CLOEXEC, SOCK_CLOEXEC, SO_PEERCRED, SCM_MAX_FD and the
// stream-socket fd delivery rules the wire format relies on.
#if !defined(__linux__)
#error "Boost.UnixIpc needs Linux (UNIX domain sockets with MSG_CMSG_CLOEXEC and SO_PEERCRED)"
#endif

#if defined(BOOST_NO_CXX17_HDR_OPTIONAL) || (__cplusplus < 201703L)
#error "Boost.UnixIpc needs C++17 or later"
#endif

// BOOST_UNIX_IPC_DECL marks the non-template functions compiled into
// libboost_unix_ipc (see boost/unix_ipc/src.hpp).
#if defined(BOOST_UNIX_IPC_DYN_LINK) || defined(BOOST_ALL_DYN_LINK)
#if defined(BOOST_UNIX_IPC_SOURCE)
#define BOOST_UNIX_IPC_DECL BOOST_SYMBOL_EXPORT
#else
#define BOOST_UNIX_IPC_DECL BOOST_SYMBOL_IMPORT
#endif
#else
#define BOOST_UNIX_IPC_DECL
#endif

namespace boost {
namespace unix_ipc {
namespace detail {

/// Linux's SCM_MAX_FD: at most this many fds ride on one sendmsg.
constexpr unsigned max_fds_per_sendmsg = 253;

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
