# expect: profile=python-run verdict=ok
# The submission holds symbolic links to host files (the runner plants them): inside, they point
# at paths that do not exist in the sandbox.
import os
for name in sorted(os.listdir("/submission")):
    path = os.path.join("/submission", name)
    if os.path.islink(path):
        try:
            with open(path) as f:
                data = f.read()
            if "other-learner-secret" in data or "root:" in data:
                print("ESCAPED: read through", path)
            else:
                print("read", path, "harmlessly")
        except OSError as e:
            print("link %s -> %s: %s" % (path, os.readlink(path), e.strerror))
