#!/usr/bin/env bash
# Integrity: output files a manifest names are read on the host without following links. A program
# that leaves `out.txt` as a link to /proc/self/environ (the grader's environment, token included,
# when read on the host) or to a host file gets a failed case, and the target's bytes reach no
# report, summary or log.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

secret="host-secret-$$-$RANDOM"
printf '%s\n' "$secret" >"$T/secret.txt"
export GRADER_GIT_TOKEN="token-$$-$RANDOM"

# port_writing DIR PYTHON-LINE RUST-LINE: the honest port, and both programs write out.txt.
port_writing() {
	honest_port "$1"
	printf 'python: {script: python/wc.py}\nrust: {package: rust}\nargs: ["{input}"]\noutputs: [out.txt]\n' >"$1/ex4/exercise.yaml"
	printf 'import os\n%s\n' "$2" >>"$1/ex4/python/wc.py"
	sed -i "s|^}\$|    $3\n}|" "$1/ex4/rust/src/main.rs"
	commit_repo "$1"
}
port_writing "$T/environ" 'os.symlink("/proc/self/environ", "out.txt")' 'std::fs::write("out.txt", "x").unwrap();'
port_writing "$T/hostfile" 'open("out.txt", "w").write("x")' \
	"let _ = std::fs::remove_file(\"out.txt\"); std::os::unix::fs::symlink(\"$T/secret.txt\", \"out.txt\").unwrap();"
port_writing "$T/honest" 'open("out.txt", "w").write("x")' 'std::fs::write("out.txt", "x").unwrap();'

for who in environ hostfile honest; do
	run_grader grade "$T/$who" --learner "$who" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	cp "$T/out" "$T/r/$who.stdout"
	cp "$T/err" "$T/r/$who.stderr"
done
check_exercise "a link to /proc/self/environ is not an output file" "$T/r/environ/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "fail" and "Python original wrote out.txt as a symbolic link" in c["correctness"]["message"]'
check_exercise "a link to a host file is not an output file" "$T/r/hostfile/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "fail" and "Rust port wrote out.txt as a symbolic link" in c["correctness"]["message"]'
check_exercise "a real output file is still compared" "$T/r/honest/report.json" ch01-ex4 \
	'c["correctness"]["status"] == "pass"'
no_secret "the grader's token reaches no report, summary or log" "$GRADER_GIT_TOKEN" "$T/r"
no_secret "the host file reaches no report, summary or log" "$secret" "$T/r"
