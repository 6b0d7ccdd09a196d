# expect: profile=python-run verdict=ok
# Tries to regain privileges: a new user namespace (disabled), mounts, chroot, and raw sockets.
if unshare -U true 2>/dev/null; then echo "ESCAPED: created a user namespace"; fi
if mount -t tmpfs x /tmp 2>/dev/null; then echo "ESCAPED: mounted"; fi
if python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, 1)' 2>/dev/null; then echo "ESCAPED: raw socket"; fi
if python3 -c 'import socket; s=socket.socket(socket.AF_PACKET, socket.SOCK_RAW)' 2>/dev/null; then echo "ESCAPED: packet socket"; fi
echo done
