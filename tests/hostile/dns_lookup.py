# expect: profile=python-run verdict=ok
import socket
for name in ("example.com", "github.com"):
    try:
        print("ESCAPED: resolved", name, socket.getaddrinfo(name, 443)[0][4])
    except OSError as e:
        print("no resolution of %s: %s" % (name, e))
