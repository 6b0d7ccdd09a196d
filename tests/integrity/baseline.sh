#!/usr/bin/env bash
# Integrity: a slow Python original cannot inflate the speedup where the grader can prevent it.
# When the spec names the original, the instructor's copy runs, never the learner's; when the
# learner chose the script, a baseline that waits more than it computes is flagged in the report.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

# 1. The spec fixes the original: the learner's own copy (slowed, and printing something else)
#    is never run.
cp -R specs/ch01 "$T/fixed"
mkdir -p "$T/fixed/originals"
honest_port "$T/instructor"
cp "$T/instructor/ex4/python/wc.py" "$T/fixed/originals/wc.py"
sed -i 's|^manifest: ex4/exercise.yaml$|manifest: ex4/exercise.yaml\noriginal: originals/wc.py|' "$T/fixed/ex4.yaml"
honest_port "$T/slowcopy"
printf 'import time\ntime.sleep(3)\nprint("the learner copy ran")\n' >>"$T/slowcopy/ex4/python/wc.py"
commit_repo "$T/slowcopy"
run_grader grade "$T/slowcopy" --learner fixed --spec "$T/fixed" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "with original: in the spec, the instructor's script is the one compared against" \
	"$T/r/fixed/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "pass" and any("python.script" in w and "ignored" in w for w in r["submission"]["warnings"])'

# 2. The learner's own original that sleeps: the speed check says the baseline waits.
cp -R specs/ch01 "$T/quick"
sed -i 's/^  runs: {min: 10, max: 40}/  runs: {min: 3, max: 3}/; s/^  warmup: 1/  warmup: 0/; s/^  min_python_cpu: 200ms/  min_python_cpu: 1ms/' "$T/quick/ex4.yaml"
no_scaling "$T/quick/ex4.yaml" # nothing here is about scaling, and its rounds take most of the time
honest_port "$T/sleepy"
printf 'import time\ntime.sleep(1.5)\n' >>"$T/sleepy/ex4/python/wc.py"
commit_repo "$T/sleepy"
run_grader grade "$T/sleepy" --learner sleepy --spec "$T/quick" --work "$T/w" --reports "$T/r" --only ex4
check_exercise "a Python original that mostly sleeps is flagged in the speed check" "$T/r/sleepy/report.json" ch01-ex4 \
	'c["performance"]["evidence"].get("python_waits") is True and "far above its CPU time" in c["performance"]["message"]'
honest_port "$T/awake"
commit_repo "$T/awake"
run_grader grade "$T/awake" --learner awake --spec "$T/quick" --work "$T/w" --reports "$T/r" --only ex4
check_exercise "an original that computes is not flagged" "$T/r/awake/report.json" ch01-ex4 \
	'"python_waits" not in c["performance"]["evidence"] and c["performance"]["status"] != "skipped"'
