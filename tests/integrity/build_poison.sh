#!/usr/bin/env bash
# Integrity, build caches: nothing a previous grading left in the work folder changes this one.
# One repository, graded commit by commit into the same --work folder: a build.rs that plants a
# rustc-wrapper in the cargo home, then an honest port; a build.rs that turns the cargo home into
# a link to a host folder, then the honest port again; then a regrade that must not recompile.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

# A spec with a course registry, so that the grader writes a cargo config for every build.
mkdir -p "$T/spec/registry/index"
cp specs/ch01/*.yaml "$T/spec/" && cp -R specs/ch01/catalog "$T/spec/"
sed -i 's|^build:$|build:\n  registry: registry|' "$T/spec/ex4.yaml"
mkdir -p "$T/victim"

repo=$T/repo
honest_port "$repo"
commit_repo "$repo" honest
git -C "$repo" tag honest

# Commit 1: a build.rs that plants a rustc-wrapper (and its config, under both names cargo reads)
# wherever it can write: the cargo home, the target directory, the old places of both.
printf '[package]\nname = "wc"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n' >"$repo/ex4/rust/Cargo.toml"
cat >"$repo/ex4/rust/build.rs" <<'RS'
use std::os::unix::fs::PermissionsExt;
use std::{env, fs};
const WRAPPER: &str = "#!/bin/sh\nfor d in /work \"$CARGO_HOME\" \"$CARGO_TARGET_DIR\" /work/target /work/.grader-cargo-home; do : >\"$d/wrapper-ran\"; done\nexec \"$@\"\n";
fn plant(dir: &str) {
    let _ = fs::create_dir_all(dir);
    let w = format!("{}/wrapper.sh", dir);
    if fs::write(&w, WRAPPER).is_ok() {
        let _ = fs::set_permissions(&w, fs::Permissions::from_mode(0o755));
    }
    let cfg = format!("[build]\nrustc-wrapper = \"{}\"\n", w);
    let _ = fs::write(format!("{}/config.toml", dir), &cfg);
    let _ = fs::write(format!("{}/config", dir), &cfg);
}
fn main() {
    for v in ["CARGO_HOME", "CARGO_TARGET_DIR"] {
        if let Ok(d) = env::var(v) {
            plant(&d);
        }
    }
    for d in ["/work/.grader-cargo-home", "/work/.cargo-home", "/work/target"] {
        plant(d);
    }
}
RS
commit_repo "$repo" "plant a wrapper"
c1=$(git -C "$repo" rev-parse HEAD)

# Commit 2: the honest port again, byte for byte.
git -C "$repo" rm -q ex4/rust/build.rs
git -C "$repo" checkout -q honest -- ex4/rust/Cargo.toml
git -C "$repo" -c user.name=Learner -c user.email=learner@example.org commit -q -m "honest again"
c2=$(git -C "$repo" rev-parse HEAD)

# Commit 3: a build.rs that replaces the cargo homes, old and new, with links to a host folder.
printf '[package]\nname = "wc"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n' >"$repo/ex4/rust/Cargo.toml"
cat >"$repo/ex4/rust/build.rs" <<RS
use std::{env, fs};
fn main() {
    let mut dirs = vec!["/work/.grader-cargo-home".to_string(), "/work/.cargo-home".to_string()];
    if let Ok(h) = env::var("CARGO_HOME") {
        dirs.push(h);
    }
    for d in dirs {
        let _ = fs::remove_dir_all(&d);
        let _ = fs::remove_file(&d);
        let _ = std::os::unix::fs::symlink("$T/victim", &d);
    }
}
RS
commit_repo "$repo" "link the cargo home"
c3=$(git -C "$repo" rev-parse HEAD)

# Commit 4: honest once more (the same tree as commit 2).
git -C "$repo" rm -q ex4/rust/build.rs
git -C "$repo" checkout -q honest -- ex4/rust/Cargo.toml
git -C "$repo" -c user.name=Learner -c user.email=learner@example.org commit -q -m "honest once more"
c4=$(git -C "$repo" rev-parse HEAD)

grade() { run_grader grade "$repo" --ref "$1" --learner x --spec "$T/spec" --work "$T/w" --reports "$T/r" --only ex4 --no-perf; }
markers() { find "$T/w" -name wrapper-ran 2>/dev/null; }

grade "$c1"
expect "commit 1 (plants a rustc-wrapper) is graded" 0
find "$T/w" -name wrapper-ran -delete 2>/dev/null
grade "$c2"
expect "commit 2 (honest) is graded after it" 0
check_exercise "commit 2 builds and passes correctness in the work folder commit 1 used" "$T/r/x/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'
if [ -z "$(markers)" ]; then ok "the wrapper commit 1 planted never ran"; else fail "the wrapper commit 1 planted never ran" "markers: $(markers | tr '\n' ' ')"; fi

grade "$c3"   # whether it builds does not matter here
if [ "$rc" -le 1 ] && ! grep -q Sanitizer "$T/err"; then ok "commit 3 (links the cargo home to a host folder) is graded"
else fail "commit 3 (links the cargo home to a host folder) is graded" "exit $rc" "$(head -c 600 "$T/err")"; fi
grade "$c4"
expect "commit 4 (honest) is graded after it" 0
check_exercise "commit 4 builds and passes correctness" "$T/r/x/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'
if [ -z "$(find "$T/victim" -mindepth 1 | head -n1)" ]; then ok "nothing was written into the host folder the cargo home was linked to"
else fail "nothing was written into the host folder the cargo home was linked to" "$(find "$T/victim" -mindepth 1 | head)"; fi
if [ -z "$(markers)" ]; then ok "no wrapper ran in any later build"; else fail "no wrapper ran in any later build" "markers: $(markers | tr '\n' ' ')"; fi

# (d) The unchanged port regraded: cargo rebuilds nothing, so every executable it built keeps
# its inode and time, and no target directory is added.
built() { find "$T/w/x" -path '*release/wc' -type f -exec stat -c '%n %i %Y.%y' {} + 2>/dev/null | sort; }
before=$(built)
grade "$c4"
expect "the unchanged port is regraded" 0
check_exercise "the regrade builds and passes" "$T/r/x/report.json" ch01-ex4 \
	'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'
after=$(built)
if [ -n "$before" ] && [ "$before" = "$after" ]; then ok "a regrade of an unchanged port does not recompile it"
else fail "a regrade of an unchanged port does not recompile it" "before: $before" "after: $after"; fi
echo "# regrade build wall: $(report_field "$T/r/x/report.json" 'c["build"]["evidence"]["wall_seconds"]') s"

# A fourth tree: only the three most recently used target directories are kept, and the one
# the honest port uses is among them.
honest_dir=$(ls -t "$T"/w/x/*/targets/*.used | head -n1)   # the regrade's, the last used
honest_dir=${honest_dir%.used}
printf '// a comment makes a new tree\n' >>"$repo/ex4/rust/src/main.rs"
commit_repo "$repo" "a fourth tree"
grade "$(git -C "$repo" rev-parse HEAD)"
expect "a fourth distinct tree is graded" 0
n=$(find "$T/w/x" -mindepth 3 -maxdepth 3 -path '*/targets/*' -type d | wc -l)
if [ "$n" -eq 3 ] && [ -d "$honest_dir" ]; then ok "old target directories are collected, the last three kept"
else fail "old target directories are collected, the last three kept" "$n target dirs; honest one: $honest_dir"; fi
