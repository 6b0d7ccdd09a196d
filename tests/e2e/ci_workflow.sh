#!/usr/bin/env bash
# End to end: docs/ci/github-course.yml, the workflow a course repository copies. Its structure
# is checked with python3's yaml (push and pull_request, ubuntu-24.04, the pinned GRADER_REPO and
# GRADER_REF, the sysctl before the grading, the reports in $RUNNER_TEMP outside the clone, the
# upload with `if: always()`, the last step failing the job), then the steps that need no GitHub
# run here in bash as the runner runs them (bash -eo pipefail, RUNNER_TEMP, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE in temp folders), with this tree's grader on PATH as
# `grader`, on copies of submissions/examples/correct and compile-error committed as git
# repositories. The grading step needs `grader check --format/--out`: skipped while the grader
# has no --format.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"
WF=${CI_WORKFLOW:-docs/ci/github-course.yml} # CI_WORKFLOW=FILE: check another copy

if ! /usr/bin/python3 -c 'import yaml' 2>"$T/py.out"; then
	fail "python3 yaml is installed (make deps: python3-yaml)" "$(cat "$T/py.out")"
	exit 0
fi

# The structure; writes the grading step's and the last step's scripts (and the id of the
# grading step) into $T for the runs below.
if /usr/bin/python3 - "$WF" "$T" >"$T/py.out" 2>&1 <<'PY'; then ok "the workflow's structure (triggers, runner, pinned grader, sysctl, grading, upload if: always(), failing step)"; else fail "the workflow's structure" "$(cat "$T/py.out")"; fi
import os, re, sys, yaml
text = open(sys.argv[1]).read()
wf = yaml.safe_load(text)
out = sys.argv[2]
on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
assert isinstance(on, dict) and "push" in on and "pull_request" in on, f"on: {on}"
env = wf.get("env") or {}
assert env.get("GRADER_REPO"), "no GRADER_REPO at the top"
assert re.search(r"#.*placeholder", text[: text.index("GRADER_REPO:")], re.I | re.S), "GRADER_REPO is not explained as a placeholder in a comment above it"
assert re.fullmatch(r"v\d+(\.\d+)*", str(env.get("GRADER_REF", ""))), f"GRADER_REF is not a release tag: {env.get('GRADER_REF')}"
jobs = wf["jobs"]
assert len(jobs) == 1, f"jobs: {list(jobs)}"
job = next(iter(jobs.values()))
assert job.get("runs-on") == "ubuntu-24.04", f"runs-on: {job.get('runs-on')}"
steps = job["steps"]
run = lambda s: s.get("run") or ""
def index(pred, what):
    found = [i for i, s in enumerate(steps) if pred(s)]
    assert len(found) == 1, f"{len(found)} steps {what}"
    return found[0]
checkout = index(lambda s: str(s.get("uses", "")).startswith("actions/checkout@"), "check out the clone")
apt = index(lambda s: "apt-get install" in run(s), "install packages")
for p in "build-essential pkg-config libyaml-dev libgit2-dev libcjson-dev bubblewrap git python3 python3-numpy".split():
    assert re.search(r"(?<![\w.-])" + re.escape(p) + r"(?![\w.-])", run(steps[apt])), f"the apt step does not install {p}"
build = index(lambda s: "GRADER_REPO" in run(s), "build the grader")
assert '"$GRADER_REF"' in run(steps[build]) and "make" in run(steps[build]), run(steps[build])
sysctl = index(lambda s: "sysctl" in run(s), "set the sysctl")
assert "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" in run(steps[sysctl]), run(steps[sysctl])
grade = index(lambda s: "grader check" in run(s), "grade")
cmd = 'grader check . --format text,github,junit --out "$RUNNER_TEMP/grader" --no-perf'
assert cmd in run(steps[grade]), f"the grading step does not run: {cmd}"
m = re.search(r'--out "?([^" ]+)', run(steps[grade]))
assert m.group(1).startswith("$RUNNER_TEMP/"), f"the reports are not outside the clone: {m.group(1)}"
gid = steps[grade].get("id")
tolerant = steps[grade].get("continue-on-error") is True or "|| status=$?" in run(steps[grade])
assert tolerant and gid, "the grading step neither continues on error nor keeps the status, or has no id"
upload = index(lambda s: str(s.get("uses", "")).startswith("actions/upload-artifact@"), "upload")
assert steps[upload]["uses"] == "actions/upload-artifact@v4", steps[upload]["uses"]
assert steps[upload].get("if") == "always()", f"upload if: {steps[upload].get('if')}"
assert steps[upload]["with"]["path"] in ("${{ runner.temp }}/grader", "$RUNNER_TEMP/grader"), steps[upload]["with"]
last = len(steps) - 1
assert f"steps.{gid}.outputs.status" in str(steps[last].get("env", "")) + str(steps[last].get("if", "")) + run(steps[last]), "the last step does not read the grading status"
assert checkout < apt < build < grade and sysctl < grade < upload < last, f"order: checkout {checkout} apt {apt} build {build} sysctl {sysctl} grade {grade} upload {upload} last {last}"
assert "${{" not in run(steps[grade]) and "${{" not in run(steps[last]), "a run: script uses a GitHub expression (it could not run outside GitHub)"
open(os.path.join(out, "grade.sh"), "w").write(run(steps[grade]))
open(os.path.join(out, "last.sh"), "w").write(run(steps[last]))
print(len(steps), "steps")
PY
[ -f "$T/last.sh" ] || exit 0

# README's excerpt: five lines of steps, the same grading command, the upload if: always(), and a
# step that fails the job on the kept status; its grading line is run below too.
if /usr/bin/python3 - README.md "$T" >"$T/py.out" 2>&1 <<'PY'; then ok "README's CI excerpt: five lines, valid YAML, the same grading command, upload if: always(), failing step"; else fail "README's CI excerpt" "$(cat "$T/py.out")"; fi
import os, re, sys, yaml
text = open(sys.argv[1]).read()
sec = text[text.index("## CI on a course repository"):]
sec = sec[: sec.index("\n## ", 1)]
assert "docs/ci/github-course.yml" in sec, "the section does not link the workflow"
m = re.search(r"```yaml\n(.*?)```", sec, re.S)
block = m.group(1)
assert len(block.rstrip("\n").split("\n")) == 5, f"{len(block.splitlines())} lines, not five"
steps = yaml.safe_load(block)
assert isinstance(steps, list), steps
cmd = 'grader check . --format text,github,junit --out "$RUNNER_TEMP/grader" --no-perf'
grade = [s for s in steps if cmd in s.get("run", "")]
assert len(grade) == 1 and grade[0].get("id"), "no grading step with an id and the workflow's command"
assert '|| echo "status=$?" >>"$GITHUB_OUTPUT"' in grade[0]["run"], grade[0]["run"]
up = [s for s in steps if s.get("uses") == "actions/upload-artifact@v4"]
assert up and up[0].get("if") == "always()" and up[0]["with"]["path"] == "${{ runner.temp }}/grader", up
last = steps[-1]
assert last.get("if") == "steps.%s.outputs.status" % grade[0]["id"] and last.get("run") == "exit 1", last
assert any("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" == s.get("run") for s in steps), "no sysctl"
open(os.path.join(sys.argv[2], "readme_grade.sh"), "w").write(grade[0]["run"])
PY

# The last step, alone: it passes a 0 and fails anything else, saying which.
for st in 0 1 3; do
	GRADE_STATUS=$st bash --noprofile --norc -eo pipefail "$T/last.sh" >"$T/out" 2>"$T/err"
	rc=$?
	want=$([ $st = 0 ] && echo 0 || echo 1)
	if [ "$rc" -eq "$want" ] && { [ "$st" = 0 ] || grep -q "^::error::.*exit $st" "$T/out"; }; then
		ok "the last step exits $want for a grading status $st"
	else
		fail "the last step exits $want for a grading status $st (exit $rc)" "$(cat "$T/out" "$T/err")"
	fi
done

mkdir -p "$T/bin"
ln -s "$GRADER" "$T/bin/grader"
if ! "$T/bin/grader" check --help 2>&1 | grep -q -- '--format'; then
	skip "the grading step, run locally" "grader check has no --format yet"
	exit 0
fi

# ci_run NAME [SCRIPT [DIR]]: copies submissions/examples/NAME into a fresh git repository (the
# runner's clone) in DIR (default $T/NAME) and runs SCRIPT (default the workflow's grading step)
# there as the runner would; sets $rc and DIR/{out,err,output,summary.md,runner}.
ci_run() {
	local name=$1 script=${2:-$T/grade.sh} d=${3:-$T/$1}
	mkdir -p "$d/runner" && cp -R "submissions/examples/$name" "$d/ws"
	git -C "$d/ws" init -q && git -C "$d/ws" add -A &&
		git -C "$d/ws" -c user.name=ci -c user.email=ci@localhost commit -qm "$name" || return 1
	: >"$d/summary.md" && : >"$d/output"
	(cd "$d/ws" && PATH=$T/bin:$PATH RUNNER_TEMP=$d/runner GITHUB_WORKSPACE=$d/ws GITHUB_OUTPUT=$d/output \
		GITHUB_STEP_SUMMARY=$d/summary.md GITHUB_ACTIONS=true bash --noprofile --norc -eo pipefail "$script") \
		>"$d/out" 2>"$d/err"
	rc=$?
}

ci_run correct
d=$T/correct
if [ "$rc" -eq 0 ] && grep -qx 'status=0' "$d/output"; then
	ok "correct: the grading step succeeds with status=0 in GITHUB_OUTPUT"
else
	fail "correct: the grading step succeeds with status=0" "exit $rc" "output: $(cat "$d/output")" "$(tail -n 20 "$d/err")"
fi
if [ -n "$(ls -A "$d/runner/grader" 2>/dev/null)" ] && grep -rqs '<testsuite' "$d/runner/grader" && [ -s "$d/summary.md" ]; then
	ok "correct: the reports (junit included) are in \$RUNNER_TEMP/grader and the step summary is written"
else
	fail "correct: the reports in \$RUNNER_TEMP/grader and the step summary" "$(ls -lR "$d/runner" 2>&1 | head -20)" "summary: $(head -c 300 "$d/summary.md")"
fi
if [ -z "$(git -C "$d/ws" status --porcelain)" ] && ! grep -rqs '<testsuite' "$d/ws"; then
	ok "correct: the clone stays clean (git status empty, no report in it)"
else
	fail "correct: the clone stays clean" "$(git -C "$d/ws" status --porcelain | head)"
fi
GRADE_STATUS=$(sed -n 's/^status=//p' "$d/output") bash --noprofile --norc -eo pipefail "$T/last.sh" >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "correct: the last step passes the job"; else fail "correct: the last step passes the job (exit $rc)" "$(cat "$T/out")"; fi

ci_run compile-error
d=$T/compile-error
if [ "$rc" -eq 0 ] && grep -qx 'status=1' "$d/output"; then
	ok "compile-error: the grading step itself succeeds (so the upload runs) and keeps status=1"
else
	fail "compile-error: the grading step succeeds and keeps status=1" "exit $rc" "output: $(cat "$d/output")" "$(tail -n 20 "$d/err")"
fi
if grep -q '^::error' "$d/out"; then
	ok "compile-error: the step writes GitHub annotations on standard output"
else
	fail "compile-error: the step writes GitHub annotations on standard output" "$(head -n 20 "$d/out")"
fi
GRADE_STATUS=$(sed -n 's/^status=//p' "$d/output") bash --noprofile --norc -eo pipefail "$T/last.sh" >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "compile-error: the last step fails the job"; else fail "compile-error: the last step fails the job (exit $rc)" "$(cat "$T/out")"; fi

# README's grading line: it keeps a failing status in GITHUB_OUTPUT and writes none for a pass
# (the excerpt's last step runs only when there is one).
ci_run compile-error "$T/readme_grade.sh" "$T/readme-fail"
if [ "$rc" -eq 0 ] && grep -qx 'status=1' "$T/readme-fail/output"; then
	ok "README excerpt, compile-error: the grading line succeeds and keeps status=1"
else
	fail "README excerpt, compile-error: the grading line keeps status=1" "exit $rc" "output: $(cat "$T/readme-fail/output")"
fi
ci_run correct "$T/readme_grade.sh" "$T/readme-pass"
if [ "$rc" -eq 0 ] && [ ! -s "$T/readme-pass/output" ] && grep -rqs '<testsuite' "$T/readme-pass/runner/grader"; then
	ok "README excerpt, correct: the grading line succeeds, no status kept, the reports in \$RUNNER_TEMP/grader"
else
	fail "README excerpt, correct: no status kept" "exit $rc" "output: $(cat "$T/readme-pass/output")"
fi
