# expect: profile=python-run verdict=output_limit limit=output opts="--output 64KiB"
import sys
while True:
    sys.stderr.write("e" * 4096 + "\n")
