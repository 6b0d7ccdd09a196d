# expect: profile=python-run verdict=ok
# Tries to leave the sandbox's root through /proc/1/root, /proc/1/cwd and /proc/self/root.
for p in /proc/1/root /proc/1/cwd /proc/self/root /proc/$PPID/root; do
	if cat "$p/etc/shadow" >/dev/null 2>&1; then echo "ESCAPED: $p/etc/shadow"; fi
	if ls "$p/root/.ssh" >/dev/null 2>&1; then echo "ESCAPED: $p/root/.ssh"; fi
	if [ -e "$p/etc/hostname" ] || [ -e "$p/home" ]; then echo "ESCAPED: host files under $p"; fi
done
echo done
