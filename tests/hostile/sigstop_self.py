# expect: profile=python-run verdict=time_limit limit=wall opts="--wall 1s"
# Stops itself: it uses no CPU, so only the wall-clock limit can end it.
import os, signal
os.kill(os.getpid(), signal.SIGSTOP)
