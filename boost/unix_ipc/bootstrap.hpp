//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_BOOTSTRAP_HPP
#define BOOST_UNIX_IPC_BOOTSTRAP_HPP

// The whole bootstrap layer:
//
// - <boost/unix_ipc/raw_bootstrap.hpp>: spawn, basic_child,
//   inherited_channel, basic_private_listener (raw channels only; no
//   Boost.Serialization);
// - <boost/unix_ipc/typed_bootstrap.hpp>: inherited_sender,
//   inherited_receiver, inherited_endpoint (the typed layer).

#include <boost/unix_ipc/raw_bootstrap.hpp>
#include <boost/unix_ipc/typed_bootstrap.hpp>

#endif
