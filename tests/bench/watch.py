"""Runs one command for tests/bench/batch.sh and watches the process it starts (not its children).

  python3 tests/bench/watch.py [--series] OUT.json STDOUT_FILE PRELOAD.so -- COMMAND [ARG...]

Writes OUT.json: the exit status, the wall time in seconds, and the process's own open file
descriptors (the entries of /proc/PID/fd) and peak memory (VmHWM of /proc/PID/status) sampled
every 50 ms, their maxima, and the peak memory and descriptors at exit as the LD_PRELOAD library
PRELOAD.so (tests/bench/exit_usage.c) wrote them (null when it could not: the process was killed
or left with _exit). The command's standard output goes to STDOUT_FILE, its standard error is
passed through. Exits with the command's status.

With --series, OUT.json also has "series": every sample as [seconds since the start, open
descriptors, VmRSS in kB], and "lines": every line of standard output as [seconds, text], so that
a reader can tell the process's size when each learner ended (tests/bench/soak.sh)."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

PERIOD = 0.05


def sample(pid):
    """(open descriptors, VmHWM in kB, VmRSS in kB) of pid, or None once it has exited."""
    try:
        fds = len(os.listdir("/proc/%d/fd" % pid))
        hwm = rss = None
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        if hwm is not None and rss is not None:
            return fds, hwm, rss
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return None  # a zombie has no VmHWM line: it has exited


def copy_lines(src, dst, t0, lines):
    """Copies the command's standard output to dst, line by line, noting when each came."""
    for raw in iter(src.readline, b""):
        lines.append([round(time.monotonic() - t0, 3), raw.decode(errors="replace").rstrip("\n")])
        dst.write(raw)
        dst.flush()


def main(argv):
    series = len(argv) > 1 and argv[1] == "--series"
    if series:
        argv = argv[:1] + argv[2:]
    if len(argv) < 6 or argv[4] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    out, stdout_path, preload, cmd = argv[1], argv[2], argv[3], argv[5:]
    fd, usage_path = tempfile.mkstemp(prefix="exit-usage.", dir=os.path.dirname(os.path.abspath(out)))
    os.close(fd)
    env = dict(os.environ, LD_PRELOAD=os.path.abspath(preload), BENCH_EXIT_USAGE=usage_path)
    fds, hwm, points, lines = [], [], [], []
    with open(stdout_path, "wb") as so:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE if series else so, env=env)
        reader = None
        if series:
            reader = threading.Thread(target=copy_lines, args=(p.stdout, so, t0, lines))
            reader.start()
        while p.poll() is None:
            s = sample(p.pid)
            if s:
                fds.append(s[0])
                hwm.append(s[1])
                if series:
                    points.append([round(time.monotonic() - t0, 3), s[0], s[2]])
            time.sleep(PERIOD)
        wall = time.monotonic() - t0
        if reader:
            reader.join()
    with open(usage_path) as f:
        at_exit = f.read().split()
    os.unlink(usage_path)
    exit_hwm, exit_peak, exit_fds = (int(x) for x in at_exit) if len(at_exit) == 3 else (None, None, None)
    res = {
        "command": cmd,
        "exit_status": p.returncode,
        "wall_seconds": round(wall, 3),
        "samples": len(fds),
        "fds_max": max(fds) if fds else None,
        "vmhwm_kb_sampled_max": max(hwm) if hwm else None,
        "vmhwm_kb_at_exit": exit_hwm,
        "vmpeak_kb_at_exit": exit_peak,
        "fds_at_exit": exit_fds,
        # the peak memory: the value at exit when the library could write it (it includes the
        # end of the run, after the last sample), else the largest sample
        "vmhwm_kb": exit_hwm if exit_hwm is not None else (max(hwm) if hwm else None),
    }
    if series:
        res["series"] = points
        res["lines"] = lines
    with open(out, "w") as f:
        json.dump(res, f, indent=2)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
