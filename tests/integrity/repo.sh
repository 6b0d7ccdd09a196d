# tests/integrity/repo.sh: crafted submissions for the integrity tests; source it after
# ../e2e/lib.sh. Each test starts from an honest, tiny exercise-4 port and makes it hostile.
cd "$GRADER_ROOT" || exit 2

# honest_port DIR: a small correct port (word count of a file) with three cases and notes.
honest_port() {
	local d=$1
	mkdir -p "$d/ex4/python" "$d/ex4/rust/src" "$d/ex4/cases"
	cat >"$d/ex4/python/wc.py" <<'PY'
import sys
text = open(sys.argv[1]).read()
print(len(text.split()))
PY
	cat >"$d/ex4/rust/Cargo.toml" <<'TOML'
[package]
name = "wc"
version = "0.1.0"
edition = "2021"
TOML
	cat >"$d/ex4/rust/src/main.rs" <<'RS'
fn main() {
    let path = std::env::args().nth(1).expect("an input file");
    let text = std::fs::read_to_string(path).expect("readable input");
    println!("{}", text.split_whitespace().count());
}
RS
	printf 'python: {script: python/wc.py}\nrust: {package: rust}\nargs: ["{input}"]\n' >"$d/ex4/exercise.yaml"
	printf 'one two\n' >"$d/ex4/cases/a.txt"
	printf 'three\n' >"$d/ex4/cases/b.txt"
	printf 'four five six\n' >"$d/ex4/cases/c.txt"
	{
		echo "# Challenges"
		for i in $(seq 1 40); do echo "Ownership and borrowing of the text buffer took a while to learn."; done
		echo "# Solutions"
		for i in $(seq 1 40); do echo "I read the whole file into a String and split it on whitespace."; done
	} >"$d/ex4/NOTES.md"
}

# commit_repo DIR [MESSAGE]: makes DIR a git repository with everything committed.
commit_repo() {
	git -C "$1" init -q -b main 2>/dev/null || git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" -c user.name=Learner -c user.email=learner@example.org commit -q -m "${2:-work}"
}

# report_field REPORT PYTHON-EXPRESSION: prints an expression over the report `r` and `c`, the
# checks of ex4 by id (empty when ex4 is absent).
report_field() {
	python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ex = [e for e in r.get("exercises", []) if e["id"] == "ch01-ex4"]
c = {k["id"]: k for k in ex[0]["checks"]} if ex else {}
print(eval(sys.argv[2]))
PY
}

# no_secret NAME SECRET FILE...: passes when none of the files holds SECRET.
no_secret() {
	local name=$1 secret=$2
	shift 2
	if grep -rlF -- "$secret" "$@" >"$T/leak" 2>/dev/null; then
		fail "$name" "the secret is in: $(tr '\n' ' ' <"$T/leak")"
	else
		ok "$name"
	fi
}
