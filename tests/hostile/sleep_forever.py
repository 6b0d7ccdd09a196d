# expect: profile=python-run verdict=time_limit limit=wall opts="--wall 1s"
import time
time.sleep(10 ** 6)
