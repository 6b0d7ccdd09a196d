# expect: profile=python-run verdict=ok
# Tries to write into host places whose real paths it was told: the host /tmp, the grader's
# reports and cache directories. None is bound, so nothing may appear there on the host.
import os
for var in ("HOSTILE_HOST_TMP", "HOSTILE_REPORTS", "HOSTILE_CACHE"):
    path = os.path.join(os.environ[var], "hostile-was-here")
    try:
        with open(path, "w") as f:
            f.write("x")
        print("wrote %s inside the sandbox (the runner checks the host)" % path)
    except OSError as e:
        print("denied", path, e.strerror)
