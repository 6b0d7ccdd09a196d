# expect: profile=python-run verdict=ok after=leave_files.sh
# Runs right after leave_files.sh: every run starts clean.
for d in /tmp /dev/shm /var/tmp; do
	if [ -e "$d/hostile-left" ]; then echo "ESCAPED: $d/hostile-left survived from the previous run"; fi
done
ls -la /tmp /dev/shm 2>&1
exit 0
