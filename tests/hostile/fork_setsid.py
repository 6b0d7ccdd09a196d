# expect: profile=python-run verdict=ok
# A child leaves the process group and session (setsid) to dodge a group kill, then waits; the
# parent exits at once. The run must end with no process of it left anywhere.
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(1000)
    os._exit(0)
print("parent done")
