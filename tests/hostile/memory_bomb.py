# expect: profile=python-run verdict=memory_limit opts="--memory 200MiB"
# Allocates and touches memory until something stops it.
chunks = []
while True:
    b = bytearray(16 << 20)
    for i in range(0, len(b), 4096):
        b[i] = 1
    chunks.append(b)
