# expect: profile=python-run verdict=ok
# Pushes characters into the controlling terminal's input (CVE-2017-5226); --new-session leaves
# the program without a controlling terminal.
import fcntl, os, termios
for target in ("/dev/tty", 0, 1, 2):
    try:
        fd = os.open(target, os.O_RDWR) if isinstance(target, str) else target
        fcntl.ioctl(fd, termios.TIOCSTI, b"x")
        print("ESCAPED: TIOCSTI on", target)
    except OSError as e:
        print("TIOCSTI on %s refused: %s" % (target, e.strerror))
