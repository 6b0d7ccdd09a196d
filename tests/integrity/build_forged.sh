#!/usr/bin/env bash
# Integrity, forged builds: what runs is the binary target cargo built from the graded tree, at
# target/release/<name>, never a path named in cargo's JSON messages (a build script can write
# lines of its own to cargo's stdout) and never through a symbolic link.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

# Another learner's honest port, graded first: the binary a forger would like to pass off.
honest_port "$T/other"
commit_repo "$T/other"
run_grader grade "$T/other" --learner other --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "the other learner's honest port is graded" 0
foreign=$(find "$T/w/other" -type f -name wc -perm -u+x | head -n1)
if [ -x "$foreign" ]; then ok "the other learner's binary is on the host"; else fail "the other learner's binary is on the host" "none under $T/w/other"; fi
foreign_rel=${foreign#"$T/w/"}   # other/…/wc, as seen from the work folder

# forger DIR LINE...: the honest port whose build.rs writes LINEs to cargo's own stdout, the way
# cargo prints a `compiler-artifact` message.
forger() {
	local d=$1
	shift
	honest_port "$d"
	printf '%s\n' "$@" >"$d/ex4/rust/fake.jsonl"
	cat >"$d/ex4/rust/build.rs" <<'RS'
use std::io::Write;
fn main() {
    // cargo runs build scripts itself: its stdout is our parent's fd 1. Where the sandbox runs
    // as an unprivileged uid, the grader's pipe cannot be reopened: the forgery then fails here,
    // and the grade must come out the same either way.
    let cargo = std::os::unix::process::parent_id();
    if let Ok(mut out) = std::fs::OpenOptions::new().write(true).open(format!("/proc/{}/fd/1", cargo)) {
        let _ = out.write_all(include_str!("fake.jsonl").as_bytes());
    }
}
RS
}

# artifact NAME PATH: a line that looks like cargo's message for a built binary.
artifact() {
	printf '{"reason":"compiler-artifact","package_id":"path+file:///work#wc@0.1.0","manifest_path":"/work/Cargo.toml","target":{"kind":["bin"],"crate_types":["bin"],"name":"%s","src_path":"/work/src/main.rs","edition":"2021","doc":true,"doctest":false,"test":true},"profile":{"opt_level":"3","debuginfo":0,"debug_assertions":false,"overflow_checks":false,"test":false},"features":[],"filenames":["%s"],"executable":"%s","fresh":false}' "$1" "$2" "$2"
}

# (a) A library with no main at all, whose build announces another learner's binary.
forger "$T/lib" "$(artifact wc "/work/../../$foreign_rel")"
rm "$T/lib/ex4/rust/src/main.rs"
: >"$T/lib/ex4/rust/src/lib.rs"
commit_repo "$T/lib"
run_grader grade "$T/lib" --learner lib --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "a library whose build.rs announces another learner's binary does not pass" "$T/r/lib/report.json" ch01-ex4 \
	'c["correctness"]["status"] != "pass" and c["build"]["status"] == "fail"'
check_exercise "... and the build check says there is no binary target" "$T/r/lib/report.json" ch01-ex4 \
	'"no binary target" in c["build"]["message"]'

# The same library with rust.binary naming the binary the manifest expects.
cp -R "$T/lib" "$T/libnamed"
printf 'python: {script: python/wc.py}\nrust: {package: rust, binary: wc}\nargs: ["{input}"]\n' >"$T/libnamed/ex4/exercise.yaml"
commit_repo "$T/libnamed"
run_grader grade "$T/libnamed" --learner libnamed --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "... and with rust.binary set, the build check says there is no such binary target" "$T/r/libnamed/report.json" ch01-ex4 \
	'c["build"]["status"] == "fail" and "no binary target" in c["build"]["message"] and c["correctness"]["status"] != "pass"'

# (b) A fake artifact of the right name for a file outside target/ (planted beside the build
# directory, where /work/.. landed on the host when the build directory was bound at /work).
forger "$T/planted" "$(artifact wc /work/../planted)"
rm "$T/planted/ex4/rust/src/main.rs"
: >"$T/planted/ex4/rust/src/lib.rs"
commit_repo "$T/planted"
mkdir -p "$T/w/planted"
cp "$foreign" "$T/w/planted/planted"
run_grader grade "$T/planted" --learner planted --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "a fake artifact pointing outside target/ is not run" "$T/r/planted/report.json" ch01-ex4 \
	'c["correctness"]["status"] != "pass" and c["build"]["status"] == "fail"'

# (a) A main that prints nothing, its build announcing the other learner's binary under its own
# name: the main that was built runs, and is wrong.
forger "$T/silent" "$(artifact wc "/work/../../$foreign_rel")" "$(artifact wc "$foreign")"
printf 'fn main() {}\n' >"$T/silent/ex4/rust/src/main.rs"
commit_repo "$T/silent"
run_grader grade "$T/silent" --learner silent --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "a silent main whose build.rs announces another binary fails correctness" "$T/r/silent/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "fail"'

# (b) target/release/wc a symbolic link to the other learner's binary: the port's own linker
# (from its .cargo/config.toml) turns the linked output into a link, which cargo then copies as a
# link into target/release/.
honest_port "$T/link"
mkdir -p "$T/link/ex4/rust/.cargo"
printf '[target.x86_64-unknown-linux-gnu]\nlinker = "/work/tools/cc"\n[target.aarch64-unknown-linux-gnu]\nlinker = "/work/tools/cc"\n' \
	>"$T/link/ex4/rust/.cargo/config.toml"
mkdir -p "$T/link/ex4/rust/tools"   # named cc so that rustc passes it cc's options
cat >"$T/link/ex4/rust/tools/cc" <<SH
#!/bin/sh
/usr/bin/cc "\$@" || exit \$?
prev= out=
for a in "\$@"; do [ "\$prev" = -o ] && out=\$a; prev=\$a; done
# the link must resolve inside the sandbox too, or cargo leaves it out: the sandbox's own /tmp
# gets a file at the host path of the other learner's binary
case "\$out" in */deps/wc-*) mkdir -p "$(dirname "$foreign")" && mv "\$out" "$foreign" && ln -s "$foreign" "\$out" ;; esac
SH
chmod +x "$T/link/ex4/rust/tools/cc"
commit_repo "$T/link"
run_grader grade "$T/link" --learner link --work "$T/w" --reports "$T/r" --only ex4 --no-perf
check_exercise "target/release/wc as a symbolic link to another binary is refused" "$T/r/link/report.json" ch01-ex4 \
	'c["build"]["status"] == "fail" and "symbolic link" in c["build"]["message"] and c["correctness"]["status"] != "pass"'
