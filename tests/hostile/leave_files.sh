# expect: profile=python-run verdict=ok
# Leaves files in /tmp, /dev/shm and /var/tmp for the next run (see find_left_files.sh).
for d in /tmp /dev/shm /var/tmp; do echo left >"$d/hostile-left" 2>/dev/null && echo "left $d"; done
exit 0
