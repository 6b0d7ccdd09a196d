# expect: profile=python-run verdict=time_limit opts="--wall 3s --cpu 2s --pids 32"
# Forks without end, ignoring failures: the pids limit caps the tree, the time limit ends it.
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
