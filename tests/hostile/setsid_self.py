# expect: profile=python-run verdict=ok
# The program makes itself a session leader of a new session: harmless, and nothing breaks.
import os
try:
    os.setsid()
except OSError as e:
    print("setsid refused:", e)
print("done")
