//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_IPC_ARCHIVE_IPP
#define BOOST_UNIX_IPC_IMPL_IPC_ARCHIVE_IPP

// Instantiations of Boost.Serialization's archive machinery for ipc_oarchive
// and ipc_iarchive: compiled by libs/unix_ipc/src/archives.cpp, or by
// boost/unix_ipc/src.hpp in a program that does not link the library.

#include <boost/unix_ipc/ipc_archive.hpp>

#include <boost/archive/impl/archive_serializer_map.ipp>

namespace boost {
namespace archive {
namespace detail {

template class archive_serializer_map<unix_ipc::ipc_oarchive>;
template class archive_serializer_map<unix_ipc::ipc_iarchive>;

} // namespace detail
} // namespace archive
} // namespace boost

#endif
