# expect: profile=python-run verdict=runtime_error|time_limit opts="--pids 32 --wall 5s"
# Starts thousands of threads: the pids limit makes thread creation fail.
import threading, time
threads = []
for i in range(5000):
    t = threading.Thread(target=time.sleep, args=(100,), daemon=True)
    t.start()
    threads.append(t)
print("ESCAPED: started %d threads" % len(threads))
