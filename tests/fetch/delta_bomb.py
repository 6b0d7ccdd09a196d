#!/usr/bin/env python3
"""tests/fetch/delta_bomb.py: writes a bare git repository whose one commit holds a blob of SIZE
bytes of zeros stored as a delta against a 64 KiB blob of zeros: a pack of a few kilobytes that
expands to gigabytes when a client resolves its deltas (a "delta bomb").

Usage: delta_bomb.py GITDIR SIZE_MIB

GITDIR must be an empty bare repository (git init --bare). The pack and its index (version 2) are
written by hand, so that nothing on the test's side ever inflates the big blob: git would need
SIZE bytes of memory to index the pack itself. Only the big blob's object id needs its content,
which is hashed from a 1 MiB block of zeros without holding the blob. The delta is one copy
instruction per 64 KiB of output (a single byte each: copy 0x10000 bytes from offset 0 of the
base), so 1.5 GiB is a 24 KiB delta that zlib shrinks to a few dozen bytes. The branch main (and
HEAD) point at the commit; the tree has `small` (the base) and `big` (the delta)."""
import hashlib
import os
import struct
import sys
import zlib

BASE = 1 << 16  # bytes of the base blob: one copy instruction without size bytes copies 0x10000


def oid(kind, data=None, size=None, zeros=False):
    """The object id of a git object; with zeros=True, of `size` zero bytes without holding them."""
    h = hashlib.sha1(b"%s %d\0" % (kind, size if zeros else len(data)))
    if zeros:
        block = bytes(1 << 20)
        left = size
        while left:
            n = min(left, len(block))
            h.update(block[:n])
            left -= n
    else:
        h.update(data)
    return h.digest()


def varint(n):
    """A delta header's size: 7 bits a byte, least significant first."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def obj_header(kind, size):
    """A pack entry's type and size: 3 bits of type, then 4 + 7k bits of size."""
    b = (kind << 4) | (size & 0x0F)
    size >>= 4
    out = bytearray()
    while size:
        out.append(b | 0x80)
        b = size & 0x7F
        size >>= 7
    out.append(b)
    return bytes(out)


def ofs(distance):
    """An OFS_DELTA's distance back to its base, git's big-endian encoding with its off-by-one."""
    out = [distance & 0x7F]
    distance >>= 7
    while distance:
        distance -= 1
        out.append(0x80 | (distance & 0x7F))
        distance >>= 7
    return bytes(reversed(out))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    gitdir, size = sys.argv[1], int(sys.argv[2]) << 20
    if size % BASE:
        sys.exit("delta_bomb.py: SIZE_MIB must give a multiple of 64 KiB")

    small = bytes(BASE)
    small_id = oid(b"blob", small)
    big_id = oid(b"blob", size=size, zeros=True)
    delta = varint(BASE) + varint(size) + b"\x80" * (size // BASE)
    tree = b"100644 big\0" + big_id + b"100644 small\0" + small_id
    tree_id = oid(b"tree", tree)
    who = b"Ada Learner <ada@example.org> 1767225600 +0000"
    commit = b"tree %s\nauthor %s\ncommitter %s\n\na delta bomb\n" % (tree_id.hex().encode(), who, who)
    commit_id = oid(b"commit", commit)

    # entries: (object id, pack bytes); types 1 commit, 2 tree, 3 blob, 6 ofs-delta
    pack = bytearray(b"PACK" + struct.pack(">II", 2, 4))
    entries = []
    for kind, data, ident in ((1, commit, commit_id), (2, tree, tree_id), (3, small, small_id)):
        entries.append((ident, len(pack), obj_header(kind, len(data)) + zlib.compress(data, 9)))
        pack += entries[-1][2]
    base_offset = entries[2][1]
    raw = obj_header(6, len(delta)) + ofs(len(pack) - base_offset) + zlib.compress(delta, 9)
    entries.append((big_id, len(pack), raw))
    pack += raw
    pack_sum = hashlib.sha1(pack).digest()
    pack += pack_sum

    entries.sort(key=lambda e: e[0])
    idx = bytearray(b"\377tOc" + struct.pack(">I", 2))
    for first in range(256):
        idx += struct.pack(">I", sum(1 for e in entries if e[0][0] <= first))
    for e in entries:
        idx += e[0]
    for e in entries:
        idx += struct.pack(">I", zlib.crc32(e[2]) & 0xFFFFFFFF)
    for e in entries:
        idx += struct.pack(">I", e[1])
    idx += pack_sum
    idx += hashlib.sha1(idx).digest()

    name = os.path.join(gitdir, "objects", "pack", "pack-" + pack_sum.hex())
    with open(name + ".pack", "wb") as f:
        f.write(pack)
    with open(name + ".idx", "wb") as f:
        f.write(idx)
    os.makedirs(os.path.join(gitdir, "refs", "heads"), exist_ok=True)
    with open(os.path.join(gitdir, "refs", "heads", "main"), "w") as f:
        f.write(commit_id.hex() + "\n")
    with open(os.path.join(gitdir, "HEAD"), "w") as f:
        f.write("ref: refs/heads/main\n")
    print(commit_id.hex(), big_id.hex(), len(pack))


if __name__ == "__main__":
    main()
