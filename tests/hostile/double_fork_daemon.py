# expect: profile=python-run verdict=ok
# The classic daemon: fork, setsid, fork again, close everything, then write into the work
# directory two seconds later. It must be dead before it writes (the runner checks /work).
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for fd in (0, 1, 2):
            os.close(fd)
        time.sleep(2)
        with open("/work/daemon-was-here", "w") as f:
            f.write("ESCAPED: daemon outlived the run\n")
        time.sleep(1000)
    os._exit(0)
os.wait()
print("daemonized")
