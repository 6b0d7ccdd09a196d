#!/usr/bin/env bash
# End to end: docs/ci/github-class.yml, the workflow that grades a class in a matrix of shards and
# merges them. Its structure is checked with python3's yaml (workflow_dispatch, the pinned grader,
# a matrix `shard: [1..N]` without fail-fast, each shard's `grader batch --shard` and artifact, a
# merge job that `needs:` the matrix, downloads every shard's artifact and uploads the sheet). Then
# its jobs run here as the runner runs them: for each matrix value, the grading job's steps with
# the matrix and the other expressions substituted (RUNNER_TEMP, GITHUB_WORKSPACE and the other
# files in temporary folders, this tree's grader on PATH as `grader`), the artifacts uploaded and
# downloaded by copying folders; then the merge job. Steps that need the network or sudo (apt-get,
# cloning and building the grader, the sysctl) are checked, not run. The merged sheet must equal
# an unsharded `grader batch` of the same roster: six learners of submissions/examples/*, whose
# ids fall in all four shards.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
WF=${CI_WORKFLOW:-docs/ci/github-class.yml} # CI_WORKFLOW=FILE: check another copy

if ! /usr/bin/python3 -c 'import yaml' 2>"$T/py.out"; then
	fail "python3 yaml is installed (make deps: python3-yaml)" "$(cat "$T/py.out")"
	exit 0
fi

# The instructor's repository: the roster at its top, as the workflow's ROSTER names it.
mkdir -p "$T/course" "$T/bin"
cat >"$T/course/roster.csv" <<CSV
learner,source
alice,$GRADER_ROOT/submissions/examples/correct
bob,$GRADER_ROOT/submissions/examples/compile-error
carol,$GRADER_ROOT/submissions/examples/panic
dave,$GRADER_ROOT/submissions/examples/float-format
ivan,$GRADER_ROOT/submissions/examples/edge-case
mallory,$GRADER_ROOT/submissions/examples/correct
CSV
ln -s "$GRADER" "$T/bin/grader"

# The structure, then the run; the emulator prints one line per step run and, last, the sheet.
/usr/bin/python3 - "$WF" "$T" <<'PY' >"$T/ci.out" 2>&1
import fnmatch, os, re, shutil, subprocess, sys, yaml

wf_path, T = sys.argv[1], sys.argv[2]
wf = yaml.safe_load(open(wf_path).read())
on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
assert isinstance(on, dict) and "workflow_dispatch" in on, f"on: {on}"
env0 = {k: str(v) for k, v in (wf.get("env") or {}).items()}
assert env0.get("GRADER_REPO"), "no GRADER_REPO"
assert re.fullmatch(r"v\d+(\.\d+)*", env0.get("GRADER_REF", "")), f"GRADER_REF is not a release tag: {env0.get('GRADER_REF')}"
assert env0.get("ROSTER"), "no ROSTER"
jobs = wf["jobs"]
assert set(jobs) == {"grade", "merge"}, f"jobs: {list(jobs)}"
grade, merge = jobs["grade"], jobs["merge"]
for name, job in jobs.items():
    assert job.get("runs-on") == "ubuntu-24.04", f"{name}: runs-on {job.get('runs-on')}"
strategy = grade.get("strategy") or {}
shards = strategy.get("matrix", {}).get("shard")
assert isinstance(shards, list) and len(shards) >= 2 and shards == list(range(1, len(shards) + 1)), f"matrix.shard: {shards}"
assert strategy.get("fail-fast") is False, "fail-fast is not false: one failed shard would cancel the others"
assert set(strategy["matrix"]) == {"shard"}, f"matrix: {strategy['matrix']}"
needs = merge.get("needs")
assert needs == "grade" or needs == ["grade"], f"merge needs: {needs}"
assert "if" not in merge, f"the merge runs with if: {merge.get('if')} (it must need every shard to succeed)"

run = lambda s: s.get("run") or ""
uses = lambda s: str(s.get("uses", ""))
for name, job in jobs.items():
    for s in job["steps"]:
        assert "${{" not in run(s), f"{name}: a run: script uses a GitHub expression (it could not run outside GitHub): {run(s)[:80]}"
        assert not s.get("uses") or re.fullmatch(r"actions/(checkout|upload-artifact|download-artifact)@v4", uses(s)), f"{name}: uses {uses(s)}"

def one(steps, pred, what):
    found = [i for i, s in enumerate(steps) if pred(s)]
    assert len(found) == 1, f"{len(found)} steps {what}"
    return found[0]

gs = grade["steps"]
co = one(gs, lambda s: uses(s) == "actions/checkout@v4", "check out the repository")
apt = one(gs, lambda s: "apt-get install" in run(s), "install packages")
for p in "build-essential pkg-config libyaml-dev libgit2-dev libcjson-dev bubblewrap git python3 python3-numpy".split():
    assert re.search(r"(?<![\w.-])" + re.escape(p) + r"(?![\w.-])", run(gs[apt])), f"the grading job's apt step does not install {p}"
build = one(gs, lambda s: "GRADER_REPO" in run(s), "build the grader")
assert '"$GRADER_REF"' in run(gs[build]) and "make" in run(gs[build]), run(gs[build])
sysctl = one(gs, lambda s: "sysctl" in run(s), "set the sysctl")
assert "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" in run(gs[sysctl])
g = one(gs, lambda s: "grader batch" in run(s), "grade")
assert 'grader batch --shard "$SHARD/$SHARDS"' in run(gs[g]), run(gs[g])
assert gs[g].get("env", {}).get("SHARD") == "${{ matrix.shard }}", gs[g].get("env")
assert gs[g].get("env", {}).get("SHARDS") == "${{ strategy.job-total }}", gs[g].get("env")
assert "--no-perf" in run(gs[g]), "the shards measure speed on shared runners"
up = one(gs, lambda s: uses(s).startswith("actions/upload-artifact@"), "upload the shard")
assert "${{ matrix.shard }}" in gs[up]["with"]["name"], f"the artifact's name is not per shard: {gs[up]['with']['name']}"
assert gs[up]["with"].get("if-no-files-found") == "error", gs[up]["with"]
assert co < apt < build < g and sysctl < g < up, f"grading job's order: {co} {apt} {build} {sysctl} {g} {up}"

ms = merge["steps"]
mbuild = one(ms, lambda s: "GRADER_REPO" in run(s), "build the grader (merge)")
dl = one(ms, lambda s: uses(s).startswith("actions/download-artifact@"), "download the shards")
assert ms[dl]["with"].get("merge-multiple") is True, ms[dl]["with"]
m = one(ms, lambda s: re.search(r"grader (merge|summary)", run(s)), "merge")
mup = one(ms, lambda s: uses(s).startswith("actions/upload-artifact@"), "upload the sheet")
assert mbuild < dl < m < mup, f"merge job's order: {mbuild} {dl} {m} {mup}"
names = [gs[up]["with"]["name"].replace("${{ matrix.shard }}", str(i)) for i in shards]
assert all(fnmatch.fnmatchcase(n, ms[dl]["with"]["pattern"]) for n in names), f"pattern {ms[dl]['with']['pattern']} misses {names}"
assert not fnmatch.fnmatchcase(ms[mup]["with"]["name"], ms[dl]["with"]["pattern"]), "the sheet's artifact matches the shards' pattern"
for name, job in jobs.items():
    for s in job["steps"]:
        if s.get("run") and s is not gs[g] and s is not ms[m]:
            assert any(k in run(s) for k in ("apt-get", "GRADER_REPO", "sysctl")), f"{name}: a step this test neither runs nor knows: {run(s)[:80]}"
print(f"ok: the structure ({len(shards)} shards, {len(gs)} + {len(ms)} steps)")

# The run. Expressions the runner would substitute; any other is an error here.
art = os.path.join(T, "artifacts")
def subst(text, ctx):
    def one_expr(mo):
        e = mo.group(1).strip()
        if e in ctx:
            return ctx[e]
        if e.startswith("env.") and e[4:] in env0:
            return env0[e[4:]]
        raise AssertionError(f"unknown expression ${{{{ {e} }}}}")
    return re.sub(r"\$\{\{(.*?)\}\}", one_expr, str(text))

def run_job(name, job, ctx, tag):
    rt = os.path.join(T, f"runner-{tag}")
    ws = os.path.join(T, f"ws-{tag}")
    for d in (rt, ws):
        os.makedirs(d)
    ctx = dict(ctx, **{"runner.temp": rt})
    files = {k: os.path.join(rt, "_" + k) for k in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH", "GITHUB_ENV")}
    for f in files.values():
        open(f, "w").close()
    for s in job["steps"]:
        if uses(s) == "actions/checkout@v4":
            shutil.copytree(os.path.join(T, "course"), ws, dirs_exist_ok=True)
        elif uses(s).startswith("actions/upload-artifact@"):
            n, p = subst(s["with"]["name"], ctx), subst(s["with"]["path"], ctx)
            assert n not in os.listdir(art) if os.path.isdir(art) else True, f"{tag}: artifact {n} uploaded twice"
            shutil.copytree(p, os.path.join(art, n))
            assert any(files for _, _, files in os.walk(p)), f"{tag}: {n}: no files in {p}"
            print(f"{tag}: uploaded {n}: {sorted(os.listdir(p))}")
        elif uses(s).startswith("actions/download-artifact@"):
            p = subst(s["with"]["path"], ctx)
            got = sorted(a for a in os.listdir(art) if fnmatch.fnmatchcase(a, s["with"]["pattern"]))
            for a in got:
                shutil.copytree(os.path.join(art, a), p, dirs_exist_ok=True)
            print(f"{tag}: downloaded {got}")
        elif s is gs[g] or s is ms[m]:
            env = dict(os.environ, **env0, **{k: subst(v, ctx) for k, v in (job.get("env") or {}).items()})
            env.update({k: subst(v, ctx) for k, v in (s.get("env") or {}).items()})
            env.update(files, RUNNER_TEMP=rt, GITHUB_WORKSPACE=ws, GITHUB_ACTIONS="true", CI="true",
                       PATH=os.path.join(T, "bin") + ":" + os.environ["PATH"])
            script = os.path.join(rt, f"step-{job['steps'].index(s)}.sh")
            open(script, "w").write(run(s))
            # GitHub's default shell for run: on Linux is `bash -e {0}` (pipefail only with shell: bash)
            flags = "-eo pipefail" if s.get("shell") == "bash" else "-e"
            p = subprocess.run(["bash", "--noprofile", "--norc", *flags.split(), script], cwd=ws, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            open(os.path.join(T, f"{tag}.log"), "a").write(p.stdout)
            assert p.returncode == 0, f"{tag}: step '{s.get('name')}' exit {p.returncode}:\n{p.stdout[-1500:]}"
            assert "Sanitizer" not in p.stdout, f"{tag}: sanitizer report:\n{p.stdout[-1500:]}"
            print(f"{tag}: ran '{s.get('name')}'")
    return rt

for i in shards:
    run_job("grade", grade, {"matrix.shard": str(i), "strategy.job-total": str(len(shards))}, f"grade-{i}")
rt = run_job("merge", merge, {"strategy.job-total": "1"}, "merge")
sheet = os.path.join(art, subst(ms[mup]["with"]["name"], {}), "grades.csv")
assert os.path.isfile(sheet), f"no grades.csv in the sheet's artifact: {os.listdir(os.path.dirname(sheet))}"
open(os.path.join(T, "merge-step.sh"), "w").write(run(ms[m]))
open(os.path.join(T, "grade-step.sh"), "w").write(run(gs[g]))
print("sheet", sheet)
print("merge-class", os.path.join(rt, "class"))
PY
rc=$?
if [ "$rc" -eq 0 ]; then
	ok "$(grep '^ok: ' "$T/ci.out" | sed 's/^ok: //'), run locally for each shard, then the merge job"
else
	fail "the workflow's structure and jobs, run locally" "$(tail -n 30 "$T/ci.out")"
	exit 0
fi
sheet=$(sed -n 's/^sheet //p' "$T/ci.out")
mclass=$(sed -n 's/^merge-class //p' "$T/ci.out")

# Each shard job graded its part, each learner once, every part non-empty with this roster.
bad=()
all=
for i in 1 2 3 4; do
	log=$T/artifacts/reports-shard-$i/shard-$i-of-4/batch.log
	grep -q "^shard $i/4: [1-9] of the roster's 6 learners" "$log" 2>/dev/null || bad+=("shard $i: $(head -c 300 "$log" 2>&1)")
	for d in "$T/artifacts/reports-shard-$i/shard-$i-of-4"/*/; do [ -d "$d" ] && all="$all $(basename "$d")"; done
done
all=$(echo $all | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')
[ "$all" = "alice bob carol dave ivan mallory " ] || bad+=("the shards' learners: '$all'")
if [ ${#bad[@]} -eq 0 ]; then ok "each shard job graded its part (none empty), each learner once"; else fail "each shard job graded its part" "${bad[@]}"; fi

run_grader batch -j 2 --no-perf --reports "$T/whole/reports" --work "$T/whole/work" "$T/course/roster.csv"
expect "the unsharded batch grades the six learners" 0 '^6 learners: .*, 0 with errors;'
class_sheet "$T/whole/summary" "$T/whole/reports"
[ "$rc" -eq 0 ] || fail "the unsharded sheet" "exit $rc" "$(cat "$T/err")"
same_sheet "the merge job's sheet equals the unsharded run's" "$T/whole/summary/grades.csv" "$sheet"

# The merge step refuses a missing shard and shards of two different N.
merge_step() { (cd "$T/ws-merge" && PATH=$T/bin:$PATH RUNNER_TEMP=$1 GITHUB_STEP_SUMMARY=$1/_summary \
	bash --noprofile --norc -e "$T/merge-step.sh") >"$T/out" 2>"$T/err"; rc=$?; }
mkdir -p "$T/r1" "$T/r2"
cp -R "$mclass" "$T/r1/class" && rm -rf "$T/r1/class/summary" "$T/r1/class/shard-3-of-4"
merge_step "$T/r1"
expect "the merge step fails when a shard's artifact is missing" 1 '^::error::shard 3 of 4 is missing'
[ -e "$T/r1/class/summary/grades.csv" ] && fail "no sheet is written without shard 3" "$(ls "$T/r1/class/summary")"
cp -R "$mclass" "$T/r2/class" && rm -rf "$T/r2/class/summary" && mkdir "$T/r2/class/shard-1-of-2"
merge_step "$T/r2"
expect "the merge step fails on shards of two different N" 1 '^::error::the shards are not all of one N'

# The grading step fails when grader batch does (exit 3: a learner's infrastructure error), though
# its output goes through tee: then the merge job, which needs every shard, does not run.
mkdir -p "$T/fake" "$T/r3" "$T/ws3"
printf '#!/bin/sh\necho "grader batch: (fake) an infrastructure error"\nexit 3\n' >"$T/fake/grader"
chmod +x "$T/fake/grader"
(cd "$T/ws3" && PATH=$T/fake:$PATH RUNNER_TEMP=$T/r3 SHARD=2 SHARDS=4 ROSTER=roster.csv \
	bash --noprofile --norc -e "$T/grade-step.sh") >"$T/out" 2>"$T/err"
rc=$?
expect "the grading step fails with grader batch's exit status 3 (through tee)" 3 'fake. an infrastructure error'
