# expect: profile=python-run verdict=runtime_error
# Dumps core: RLIMIT_CORE is 0, so no core file lands in the work directory.
import os, resource
try:
    resource.setrlimit(resource.RLIMIT_CORE, (1 << 30, 1 << 30))
    print("ESCAPED: raised RLIMIT_CORE")
except (ValueError, OSError) as e:
    print("RLIMIT_CORE stays 0:", e)
os.abort()
