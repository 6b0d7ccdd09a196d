# expect: profile=python-run verdict=ok
# Attaches with ptrace to its parent (the measurer, which could then be made to lie) and to the
# other processes it can see.
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
for pid in {os.getppid(), 1}:
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
        print("ESCAPED: ptrace attached to", pid)
        libc.ptrace(PTRACE_DETACH, pid, None, None)
    else:
        print("ptrace of %d refused: %s" % (pid, os.strerror(ctypes.get_errno())))
for path in ("/proc/1/mem", "/proc/1/environ", "/proc/1/fd/3"):
    try:
        open(path, "rb").close()
        print("ESCAPED: opened", path)
    except OSError as e:
        print("denied", path, e.strerror)
