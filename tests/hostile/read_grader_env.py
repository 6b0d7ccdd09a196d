# expect: profile=python-run verdict=ok
# Looks for the grader's environment (GITHUB_TOKEN is set there by the test) in its own
# environment and in every /proc/PID/environ and cmdline it can see, including its parent's.
import glob, os
if "GITHUB_TOKEN" in os.environ:
    print("ESCAPED: GITHUB_TOKEN in my environment")
for path in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline"):
    try:
        with open(path, "rb") as f:
            data = f.read()
            if b"GITHUB_TOKEN" in data or b"hostile-secret-token" in data:
                print("ESCAPED: token in", path)
    except OSError as e:
        print("denied", path, e.strerror)
print("environment:", sorted(os.environ))
