# expect: profile=python-run verdict=time_limit limit=cpu opts="--cpu 1s --wall 10s"
while True:
    pass
