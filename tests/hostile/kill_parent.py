# expect: profile=python-run verdict=ok
# Kills its parent (the sandbox's PID 1, the measurer) and signals it: in its namespace PID 1
# cannot be killed, and a stop request from inside is ignored. The run still ends normally.
import os, signal
for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGUSR1, signal.SIGSTOP):
    try:
        os.kill(os.getppid(), sig)
    except OSError as e:
        print("kill", sig, e)
print("still here, parent is", os.getppid())
