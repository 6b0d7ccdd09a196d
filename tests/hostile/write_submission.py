# expect: profile=python-run verdict=ok
# Tries to change the submission, which is bound read-only at /submission.
import os
for path in ("/submission/main.py", "/submission/new-file"):
    try:
        with open(path, "a") as f:
            f.write("tampered\n")
        print("ESCAPED: wrote", path)
    except OSError as e:
        print("denied", path, e.strerror)
for op in (lambda: os.remove("/submission/main.py"), lambda: os.mkdir("/submission/d"),
           lambda: os.chmod("/submission/main.py", 0o777)):
    try:
        op()
        print("ESCAPED: changed the submission")
    except OSError as e:
        print("denied:", e.strerror)
