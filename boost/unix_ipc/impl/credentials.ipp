//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_IMPL_CREDENTIALS_IPP
#define BOOST_UNIX_IPC_IMPL_CREDENTIALS_IPP

#include <boost/unix_ipc/credentials.hpp>

#include <boost/assert/source_location.hpp>

#include <sys/socket.h>

#include <cerrno>

namespace boost {
namespace unix_ipc {

credentials peer_credentials(int fd, system::error_code& ec) noexcept
{
    credentials c;
    struct ucred uc{};
    socklen_t len = sizeof(uc);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        ec.assign(errno, system::system_category(), &loc);
        return c;
    }
    ec.clear();
    c.pid = uc.pid;
    c.uid = uc.uid;
    c.gid = uc.gid;
    return c;
}

void set_pass_credentials(int fd, bool on, system::error_code& ec) noexcept
{
    int value = on ? 1 : 0;
    if (::setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &value, sizeof(value)) != 0)
    {
        static constexpr auto loc = BOOST_CURRENT_LOCATION;
        ec.assign(errno, system::system_category(), &loc);
        return;
    }
    ec.clear();
}

} // namespace unix_ipc
} // namespace boost

#endif
