#!/usr/bin/env bash
# End to end: a course-provided local cargo registry (spec build.registry) serves a port's crate
# dependency when the submission vendors nothing.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

# The registry: the tinystats crate of the vendored example, as a local-registry folder.
reg=$T/spec/registry
mkdir -p "$reg/index/ti/ny" "$T/pkg"
cp -R submissions/examples/vendored/ex4/rust/vendor/tinystats "$T/pkg/tinystats-0.2.1"
rm -f "$T/pkg/tinystats-0.2.1/.cargo-checksum.json"
tar -C "$T/pkg" --sort=name --mtime=@0 --owner=0 --group=0 -czf "$reg/tinystats-0.2.1.crate" tinystats-0.2.1
sum=$(sha256sum "$reg/tinystats-0.2.1.crate" | cut -d' ' -f1)
printf '{"name":"tinystats","vers":"0.2.1","deps":[],"cksum":"%s","features":{},"yanked":false}\n' "$sum" \
	>"$reg/index/ti/ny/tinystats"
cp specs/ch01/*.yaml "$T/spec/" && cp -R specs/ch01/catalog "$T/spec/"
sed -i 's|^build:$|build:\n  registry: registry|' "$T/spec/ex4.yaml"

# The submission: the vendored example without its vendor folder, cargo config or lock file.
sub=$T/alice
cp -R submissions/examples/vendored "$sub"
rm -rf "$sub/ex4/rust/vendor" "$sub/ex4/rust/.cargo" "$sub/ex4/rust/Cargo.lock"

run_grader validate "$T/spec"
expect "a spec naming a registry folder validates" 0 '^0 errors'
run_grader grade "$sub" --learner alice --spec "$T/spec" --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a crate from the course's local registry builds offline" 0 'ch01-ex4'
if python3 -c "
import json; c = {k['id']: k for k in json.load(open('$T/r/alice/report.json'))['exercises'][0]['checks']}
assert c['build']['status'] == 'pass' and c['correctness']['status'] == 'pass', c['build']" 2>"$T/py.err"; then
	ok "the port built from the registry agrees with its original"
else
	fail "the port built from the registry agrees with its original" "$(cat "$T/py.err")"
fi
run_grader grade "$sub" --learner bob --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "without the registry, the same submission fails to build and is told to vendor" 1 'cargo vendor'
