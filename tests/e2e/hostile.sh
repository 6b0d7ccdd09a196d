#!/usr/bin/env bash
# tests/e2e/hostile.sh: runs the hostile corpus (tests/hostile/, see its README.md) through
# `grader run`: each case must end contained, with its expected verdict, the host unchanged and
# no process left, and the grader must go on to the next case.
. "$(dirname "$0")/lib.sh"
export GRADER_PROFILES=$GRADER_ROOT/sandboxes
export GITHUB_TOKEN=hostile-secret-token   # must never be readable inside
python3 - "$GRADER" "$GRADER_ROOT/tests/hostile" "$T" "${1:-}" <<'PY'
import concurrent.futures, hashlib, json, os, re, shlex, shutil, socket, subprocess, sys, threading, time, uuid
grader, corpus, tmp, only = sys.argv[1:5]

def check(name, ok, *detail):
    print(("ok - " if ok else "not ok - ") + name, flush=True)
    if not ok:
        for d in detail:
            for line in str(d).splitlines()[:30]:
                print("    " + line)

# a TCP server on the host's loopback that counts connections: the sandbox must never reach it
hits = []
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
port = srv.getsockname()[1]
def serve():
    while True:
        try:
            c, _ = srv.accept()
        except OSError:
            return
        hits.append(1)
        c.close()
threading.Thread(target=serve, daemon=True).start()

# the host world the programs try to reach
def mkfile(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
sub, other = os.path.join(tmp, "submission"), os.path.join(tmp, "other-learner")
reports, cache, hosttmp = (os.path.join(tmp, d) for d in ("reports", "cache", "hosttmp"))
mkfile(os.path.join(other, "main.py"), "other-learner-secret\n")
for d in (reports, cache, hosttmp):
    mkfile(os.path.join(d, "keep.txt"), "keep\n")
def make_submission():
    shutil.rmtree(sub, ignore_errors=True)
    mkfile(os.path.join(sub, "main.py"), "print('learner')\n")
    os.symlink(os.path.join(other, "main.py"), os.path.join(sub, "link-to-other"))
    os.symlink("/etc/passwd", os.path.join(sub, "link-to-passwd"))
def snapshot(*dirs):
    h = hashlib.sha256()
    for d in dirs:
        for root, ds, fs in sorted(os.walk(d)):
            ds.sort()
            for n in sorted(fs) + ds:
                p = os.path.join(root, n)
                st = os.lstat(p)
                h.update(("%s %o %d\n" % (p, st.st_mode, st.st_size)).encode())
                if os.path.isfile(p) and not os.path.islink(p):
                    h.update(open(p, "rb").read())
    return h.hexdigest()
def host_tmp_litter():
    return sorted(n for n in os.listdir("/tmp") if n.startswith("hostile-"))

def survivors(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                if marker.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found

# expectations
cases = []
for name in sorted(os.listdir(corpus)):
    path = os.path.join(corpus, name)
    first = os.path.join(path, "Cargo.toml") if os.path.isdir(path) else path
    if name == "README.md":
        continue
    with open(first) as f:
        line = f.readline()
    m = re.match(r"^(#|//) expect: (.*)$", line.strip())
    if not m:
        check("%s has an expect: line" % name, False, line)
        continue
    exp = dict(kv.split("=", 1) for kv in shlex.split(m.group(2)))
    cases.append((name, path, exp))
# a case named in another's after= runs right before it
order = [c for c in cases if not any(o[2].get("after") == c[0] for o in cases)]
for c in cases:
    if c[2].get("after"):
        prev = next(o for o in cases if o[0] == c[2]["after"])
        order.insert(order.index(c), prev)
if only:
    order = [c for c in order if only in c[0]]

# Rust single files are compiled on the host first (rustc directly, no crates), in parallel
bins = os.path.join(tmp, "bin")
os.makedirs(bins)
def compile_rs(c):
    out = os.path.join(bins, c[0][:-3])
    p = subprocess.run(["rustc", "-O", "-o", out, c[1]], capture_output=True, text=True)
    return c[0], p.returncode, p.stderr
with concurrent.futures.ThreadPoolExecutor(2) as ex:
    for name, rc, err in ex.map(compile_rs, [c for c in order if c[0].endswith(".rs")]):
        if rc:
            check("compile %s" % name, False, err)

before = snapshot(other, reports, cache, hosttmp)
litter0 = host_tmp_litter()
hits0 = len(hits)
for name, path, exp in order:
    make_submission()
    sub_before = snapshot(sub)
    work = os.path.join(tmp, "work-" + name.replace(".", "_"))
    os.makedirs(work)
    if os.path.isdir(path):
        shutil.copytree(path, os.path.join(work, "crate"))
        argv = ["sh", "-c", "cd /work/crate && exec cargo build --release --offline"]
    elif name.endswith(".py"):
        shutil.copy(path, work)
        argv = ["python3", "/work/" + name]
    elif name.endswith(".sh"):
        shutil.copy(path, work)
        argv = ["sh", "/work/" + name]
    else:
        shutil.copy(os.path.join(bins, name[:-3]), work)
        argv = ["/work/" + name[:-3]]
    marker = "HOSTILE_MARK=" + uuid.uuid4().hex
    cmd = [grader, "run", "--profile", exp["profile"], "--workdir", work,
           "--bind", sub + ":/submission", "--env", marker, "--env", "HOSTILE_PORT=%d" % port,
           "--env", "HOSTILE_OTHER=" + os.path.join(other, "main.py"),
           "--env", "HOSTILE_HOST_TMP=" + hosttmp, "--env", "HOSTILE_REPORTS=" + reports,
           "--env", "HOSTILE_CACHE=" + cache] + shlex.split(exp.get("opts", "")) + ["--"] + argv
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - t0
    try:
        r = json.loads(p.stdout)
    except ValueError:
        check("%s: grader printed a JSON result" % name, False, p.stdout[-2000:], p.stderr[-2000:])
        continue
    verdicts = exp["verdict"].split("|")
    problems = []
    if r["verdict"] not in verdicts:
        problems.append("verdict %s (%s), wanted %s" % (r["verdict"], r["message"], exp["verdict"]))
    if "limit" in exp and r["limit"] != exp["limit"]:
        problems.append("limit %s, wanted %s" % (r["limit"], exp["limit"]))
    if "ESCAPED" in r["stdout"] + r["stderr"] + r["message"]:
        problems.append("the program reports an escape")
    if p.returncode not in (0, 1) or "Sanitizer" in p.stderr:
        problems.append("grader exit %d: %s" % (p.returncode, p.stderr[-1500:]))
    left = survivors(marker)
    if left:
        problems.append("processes survived the run: %s" % left)
        for pid in left:
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass
    if snapshot(sub) != sub_before:
        problems.append("the submission changed")
    if any(re.fullmatch(r"core(\.\d+)?", n) for n in os.listdir(work)):
        problems.append("a core file was written")
    if name == "double_fork_daemon.py":
        time.sleep(2.5)  # the daemon would write /work/daemon-was-here by now if it were alive
        if os.path.exists(os.path.join(work, "daemon-was-here")):
            problems.append("the daemon outlived the run")
    if name == "invalid_utf8.py" and not ("\ufffd" in r["stdout"] and "\u2400" in r["stdout"]):
        problems.append("invalid bytes and NULs not shown as U+FFFD and U+2400: %r" % r["stdout"])
    if name == "include_shadow" and re.search(r"root:[^:]*:\d+:", r["stderr"] + r["stdout"]):
        problems.append("shadow content in the output")
    check("%s: %s%s, contained (%.1fs)" % (name, r["verdict"], "/" + r["limit"] if r["limit"] else "", took),
          not problems, *problems, "stdout: " + r["stdout"][-800:], "stderr: " + r["stderr"][-800:])
    shutil.rmtree(work, ignore_errors=True)

check("host: other learner, reports, cache and host tmp dirs unchanged",
      snapshot(other, reports, cache, hosttmp) == before)
check("host: nothing new named hostile-* in /tmp", host_tmp_litter() == litter0, host_tmp_litter())
check("host: the 127.0.0.1 server saw no connection", len(hits) == hits0, len(hits) - hits0)
# the grader goes on to the next job: a plain run still works after the whole corpus
p = subprocess.run([grader, "run", "--profile", "python-run", "--", "python3", "-c", "print(6*7)"],
                   capture_output=True, text=True)
check("a normal run after the corpus is ok", p.returncode == 0 and '"42\\n"' in p.stdout, p.stdout, p.stderr)
srv.close()
PY
