#!/usr/bin/env python3
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#
"""Wire-format test of Boost.UnixIpc against a peer written in Python.

    python3 peer_test.py <path of cpp_peer>

Spawns cpp_peer with one end of a socketpair and speaks the raw-channel wire
format (version 1) to it, from this file alone (standard library only, no code
shared with the library):

- AF_UNIX SOCK_STREAM; a frame is a 16-byte header in host byte order,
  struct '=IIQ' (magic_and_version 0x55495001, fd_count, payload_size),
  then payload_size bytes;
- the frame's fds travel as SCM_RIGHTS on the sendmsg that carries the frame's
  first byte, at most 253 per sendmsg; with more, each batch but the last rides
  on exactly one byte of the frame;
- the receiver keeps a FIFO of received fds; a complete frame takes fd_count
  fds from its head.

Phase 1 sends frames to cpp_peer (which checks them and echoes what it got);
phase 2 receives frames with fds from cpp_peer and reads the files through
them. Prints PASS/FAIL per check; exits 0 only if every check passed.
"""

import array
import os
import socket
import struct
import subprocess
import sys
import tempfile

HEADER = struct.Struct("=IIQ")
MAGIC_AND_VERSION = 0x55495001
MAX_FDS_PER_SENDMSG = 253
TIMEOUT = 20.0

failures = 0


def check(ok, what):
    global failures
    print(("PASS" if ok else "FAIL") + ": python: " + what, flush=True)
    if not ok:
        failures += 1
    return ok


# --- sending ---------------------------------------------------------------

def encode(payload, fd_count):
    return HEADER.pack(MAGIC_AND_VERSION, fd_count, len(payload)) + payload


def sendmsg_all(sock, data, fds):
    """Sends data; fds (at most 253) go with its first byte."""
    view = memoryview(data)
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    n = sock.sendmsg([view], anc)
    if n < len(view):
        sock.sendall(view[n:])


def send_frame(sock, payload, fds=()):
    """One frame, the documented way: fds in batches of at most 253, each
    batch but the last on exactly one byte of the frame."""
    data = encode(payload, len(fds))
    fds = list(fds)
    pos = 0
    while len(fds) > MAX_FDS_PER_SENDMSG:
        batch, fds = fds[:MAX_FDS_PER_SENDMSG], fds[MAX_FDS_PER_SENDMSG:]
        sendmsg_all(sock, data[pos:pos + 1], batch)
        pos += 1
    sendmsg_all(sock, data[pos:], fds)


# --- receiving -------------------------------------------------------------

class FrameReader:
    """A frame parser with an fd FIFO."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.fds = []  # FIFO of received fds, oldest first
        self.truncated = False
        self.eof = False

    def _read(self):
        fd_size = array.array("i").itemsize
        data, anc, flags, _ = self.sock.recvmsg(
            1 << 20, socket.CMSG_SPACE(MAX_FDS_PER_SENDMSG * fd_size))
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                a = array.array("i")
                a.frombytes(cdata[:len(cdata) - len(cdata) % fd_size])
                self.fds.extend(a)
        if flags & socket.MSG_CTRUNC:
            self.truncated = True
        if not data:
            self.eof = True
        self.buf += data

    def next(self):
        """Returns (payload, [fds]) or None at end of stream; raises on a bad frame."""
        while True:
            if len(self.buf) >= HEADER.size:
                magic, fd_count, size = HEADER.unpack_from(self.buf)
                if magic != MAGIC_AND_VERSION:
                    raise ValueError("bad magic 0x%08x" % magic)
                if len(self.buf) >= HEADER.size + size:
                    if len(self.fds) < fd_count:
                        raise ValueError("frame declares %d fds, %d arrived" % (fd_count, len(self.fds)))
                    payload = bytes(self.buf[HEADER.size:HEADER.size + size])
                    del self.buf[:HEADER.size + size]
                    fds, self.fds = self.fds[:fd_count], self.fds[fd_count:]
                    return payload, fds
            if self.eof:
                if self.buf:
                    raise ValueError("stream ended inside a frame")
                return None
            self._read()


def read_file(fd):
    out = bytearray()
    while True:
        chunk = os.pread(fd, 65536, len(out))
        if not chunk:
            return bytes(out)
        out += chunk


def close_all(fds):
    for fd in fds:
        os.close(fd)


# --- files to send ---------------------------------------------------------

def file_with(text):
    """An unnamed file (memfd where available) holding text, offset at 0."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("peer_test", os.MFD_CLOEXEC)
    else:
        fd, path = tempfile.mkstemp()
        os.unlink(path)
    os.pwrite(fd, text.encode(), 0)
    return fd


# --- the test --------------------------------------------------------------

def echo_of(index, payload, files):
    return b"echo:%d:" % index + payload + b"|" + b",".join(f.encode() for f in files)


def expect_echo(reader, index, payload, files, what):
    frame = reader.next()
    if not check(frame is not None, what + ": echo arrived"):
        return
    got, fds = frame
    close_all(fds)
    check(not fds, what + ": echo has no fds")
    check(got == echo_of(index, payload, files),
          what + ": cpp_peer saw payload and files as sent (echo of %d bytes)" % len(got))


def phase1(sock, reader):
    """Python -> C++ (the list matches expected_phase1() in cpp_peer.cpp)."""
    index = 0

    def one(payload, files, what):
        nonlocal index
        fds = [file_with(t) for t in files]
        try:
            send_frame(sock, payload, fds)
        finally:
            close_all(fds)  # sending does not consume: the kernel duplicated them
        expect_echo(reader, index, payload, files, what)
        index += 1

    one(b"hello from python", [], "text frame")
    one(b"", [], "zero-length frame")
    one(b"", ["fd-only file"], "fd-only frame")
    one(b"two files", ["first file", "second file"], "frame with 2 open files")
    one(b"300 fds", ["f%d" % i for i in range(300)], "frame with 300 fds in 2 batches")

    # Several frames in one sendall.
    multi = [b"multi 0", b"multi 1", b"", b"multi 3"]
    sock.sendall(b"".join(encode(p, 0) for p in multi))
    for p in multi:
        expect_echo(reader, index, p, [], "frame %d of one sendall" % index)
        index += 1

    # Two frames in one sendmsg; the first one's fd on the first byte.
    fd = file_with("m")
    try:
        sendmsg_all(sock, encode(b"multi fd", 1) + encode(b"multi 5", 0), [fd])
    finally:
        os.close(fd)
    expect_echo(reader, index, b"multi fd", ["m"], "frame with an fd, sharing a sendmsg")
    index += 1
    expect_echo(reader, index, b"multi 5", [], "frame after it in the same sendmsg")
    index += 1

    big = bytes(ord("a") + (i * 7) % 26 for i in range(1 << 20))
    one(big, ["big"], "1 MiB frame with an fd")


def phase2(reader):
    """C++ -> Python."""
    def frame(what):
        f = reader.next()
        check(f is not None, what + ": arrived")
        return f if f is not None else (b"", [])

    payload, fds = frame("memfd frame")
    check(payload == b"memfd" and len(fds) == 1, "memfd frame: payload and 1 fd")
    check(bool(fds) and read_file(fds[0]) == b"text from a C++ memfd", "memfd frame: file read through the fd")
    close_all(fds)

    payload, fds = frame("tmpfile frame")
    check(payload == b"tmpfile" and len(fds) == 1, "tmpfile frame: payload and 1 fd")
    check(bool(fds) and read_file(fds[0]) == b"text from a C++ temporary file",
          "tmpfile frame: file read through the fd")
    close_all(fds)

    payload, fds = frame("fd-only frame")
    check(payload == b"" and [read_file(f) for f in fds] == [b"fd-only 1", b"fd-only 2"],
          "fd-only frame: empty payload, 2 files in order")
    close_all(fds)

    payload, fds = frame("300-fd frame")
    check(payload == b"300 fds" and len(fds) == 300, "300-fd frame: payload and %d fds" % len(fds))
    check([read_file(f) for f in fds] == [b"c%d" % i for i in range(300)], "300-fd frame: files in order")
    close_all(fds)

    payload, fds = frame("zero-length frame")
    check(payload == b"" and not fds, "zero-length frame from C++")

    payload, fds = frame("3 MiB frame")
    big = bytes(ord("A") + (i * 11) % 26 for i in range(3 << 20))
    check(payload == big and not fds, "3 MiB frame: content")

    payload, fds = frame("last frame")
    check(payload == b"bye" and not fds, "last frame")
    check(not reader.fds, "no fds left over in the FIFO (%d)" % len(reader.fds))
    check(not reader.truncated, "no MSG_CTRUNC")


def main():
    if len(sys.argv) != 2:
        print("usage: peer_test.py <path of cpp_peer>", file=sys.stderr)
        return 2
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    env = dict(os.environ, UNIX_IPC_PEER_FD=str(theirs.fileno()))
    child = subprocess.Popen([sys.argv[1], str(theirs.fileno())], pass_fds=[theirs.fileno()], env=env)
    theirs.close()  # the child's end lives only in the child: its exit shows as EOF
    mine.settimeout(TIMEOUT)
    reader = FrameReader(mine)
    try:
        phase1(mine, reader)
        phase2(reader)
    except (OSError, ValueError) as e:  # includes socket.timeout
        check(False, "exception: %r" % (e,))
    finally:
        close_all(reader.fds)
        mine.close()  # cpp_peer waits for this: error::eof
    try:
        code = child.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        code = child.wait()
    check(code == 0, "cpp_peer exit status %d" % code)
    print("%s: peer_test (%d failed)" % ("PASS" if failures == 0 else "FAIL", failures), flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
