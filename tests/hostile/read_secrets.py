# expect: profile=python-run verdict=ok
# Looks for the host's secrets: /etc/shadow, SSH keys, other users' homes.
import glob, os
for pattern in ("/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/root/.ssh/*", "/home/*/.ssh/*",
                "/root/.bash_history", "/root/.cargo/credentials*", "/root/.git-credentials"):
    for path in glob.glob(pattern) or [pattern]:
        try:
            with open(path, "rb") as f:
                data = f.read(64)
            print("ESCAPED: read %s (%d bytes)" % (path, len(data)))
        except OSError as e:
            print("denied %s: %s" % (path, e.strerror))
