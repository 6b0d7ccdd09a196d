# expect: profile=python-run verdict=ok
# In a batch, tries to read another learner's submission by its host path and by guessing.
import glob, os
paths = [os.environ["HOSTILE_OTHER"]] + glob.glob("/submissions/*/*") + glob.glob("/tmp/*/*")
for path in paths:
    try:
        with open(path) as f:
            if "other-learner-secret" in f.read():
                print("ESCAPED: read", path)
    except OSError as e:
        print("denied", path, e.strerror)
