# expect: profile=python-run verdict=ok opts="--tmp-size 16MiB"
# Fills the private /tmp: it is a size-capped tmpfs, so this ends with ENOSPC, not a full host.
import errno
n = 0
try:
    with open("/tmp/hostile-fill", "wb") as f:
        while True:
            f.write(b"x" * (1 << 20))
            f.flush()
            n += 1
except OSError as e:
    print("stopped after %d MiB: %s" % (n, errno.errorcode.get(e.errno, e.errno)))
if n > 20:
    print("ESCAPED: /tmp took %d MiB past its 16 MiB cap" % n)
