# expect: profile=python-run verdict=ok
# Writes invalid UTF-8, NUL bytes and terminal escapes: the JSON result must stay valid.
import sys
sys.stdout.buffer.write(b"ok \xff\xfe\x00 nul \x1b[2J \xc3( \xed\xa0\x80 end\n")
sys.stderr.buffer.write(b"\x00\x00\xff\n")
