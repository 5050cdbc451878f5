//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the fuzz targets share: fds to hand the code under test, and a count
// of the open ones to prove each input leaves none behind.

#ifndef BOOST_UNIX_IPC_TEST_FUZZ_FDS_HPP
#define BOOST_UNIX_IPC_TEST_FUZZ_FDS_HPP

#include <fcntl.h>

namespace fuzz {

// /dev/null, opened once; the targets pass duplicates of it.
inline int null_fd()
{
    static const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    return fd;
}

// A new close-on-exec duplicate of null_fd().
inline int new_fd()
{
    return ::fcntl(null_fd(), F_DUPFD_CLOEXEC, 0);
}

// Open fds among the first 256 (the targets never get near that).
inline int open_fds()
{
    int n = 0;
    for (int fd = 0; fd < 256; ++fd)
        if (::fcntl(fd, F_GETFD) >= 0)
            ++n;
    return n;
}

} // namespace fuzz

#endif
