# expect: profile=python-run verdict=ok
# Shell-style escape: a background job in a new session with its signals ignored.
setsid sh -c 'trap "" HUP TERM INT; sleep 1000' </dev/null >/dev/null 2>&1 &
nohup sleep 1000 >/dev/null 2>&1 &
echo started
