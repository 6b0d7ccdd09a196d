# expect: profile=python-run verdict=output_limit limit=file opts="--file-size 8MiB"
# Writes one file without end into the work directory.
with open("/work/huge", "wb") as f:
    while True:
        f.write(b"x" * (1 << 20))
        f.flush()
