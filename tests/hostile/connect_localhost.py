# expect: profile=python-run verdict=ok
# Connects to a server the test started on the host's 127.0.0.1: there is no network inside.
import os, socket
port = int(os.environ["HOSTILE_PORT"])
for host in ("127.0.0.1", "::1", "localhost"):
    try:
        s = socket.create_connection((host, port), timeout=2)
        s.sendall(b"ESCAPED\n")
        print("ESCAPED: connected to %s:%d" % (host, port))
    except OSError as e:
        print("no connection to %s: %s" % (host, e))
