#!/usr/bin/env bash
# End to end: files a manifest names in `outputs` are compared too, not only standard output.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

make_submission() { # DIR RUST-LINE-FOR-THE-FILE
	local d=$1
	mkdir -p "$d/ex4/python" "$d/ex4/rust/src" "$d/ex4/cases"
	cat >"$d/ex4/python/upper.py" <<'PY'
import sys
text = open(sys.argv[1]).read()
with open("result.txt", "w") as f:
    f.write(text.upper())
print(len(text.split()))
PY
	cat >"$d/ex4/rust/Cargo.toml" <<'TOML'
[package]
name = "upper"
version = "0.1.0"
edition = "2021"
TOML
	cat >"$d/ex4/rust/src/main.rs" <<RS
fn main() {
    let path = std::env::args().nth(1).expect("an input file");
    let text = std::fs::read_to_string(path).expect("readable input");
    $2
    println!("{}", text.split_whitespace().count());
}
RS
	printf 'python: {script: python/upper.py}\nrust: {package: rust}\nargs: ["{input}"]\noutputs: [result.txt]\n' >"$d/ex4/exercise.yaml"
	printf 'one two\n' >"$d/ex4/cases/a.txt"
	printf 'three\n' >"$d/ex4/cases/b.txt"
	printf 'Mixed Case words\n' >"$d/ex4/cases/c.txt"
}
make_submission "$T/good" 'std::fs::write("result.txt", text.to_uppercase()).expect("writable");'
make_submission "$T/bad" 'std::fs::write("result.txt", text.to_lowercase()).expect("writable");'
make_submission "$T/none" 'let _ = &text;'

for who in good bad none; do
	run_grader grade "$T/$who" --learner $who --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	cp "$T/out" "$T/out.$who"
done
verdict() { python3 -c "
import json; c = {k['id']: k for k in json.load(open('$T/r/$1/report.json'))['exercises'][0]['checks']}
print(c['correctness']['status'], c['correctness']['message'])"; }
v=$(verdict good)
case $v in pass*) ok "equal output files pass" ;; *) fail "equal output files pass" "$v" ;; esac
v=$(verdict bad)
case $v in fail*"output file result.txt differs"*) ok "a differing output file fails and is named" ;; *) fail "a differing output file fails and is named" "$v" ;; esac
v=$(verdict none)
case $v in fail*"did not write the output file result.txt"*) ok "a missing output file fails and is named" ;; *) fail "a missing output file fails and is named" "$v" ;; esac
