#!/usr/bin/env bash
# End to end: `grader validate` on the real specs and on every kind of bad input.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

run_grader validate specs/ch01
expect "the chapter-1 specs validate cleanly" 0 '^0 errors'
run_grader validate specs/ch01/catalog/organisations.yaml specs/ch01/catalog/crates.yaml
expect "the catalogs validate cleanly" 0 '^0 errors'

good=specs/ch01/ex4.yaml
bad() { # NAME FILE-CONTENT-COMMAND EXPECTED-REGEX
	local name=$1 file=$T/$2 re=$3
	run_grader validate "$file"
	expect "$name" 2 "$re"
}
sed 's/memory: 512MiB/memroy: 512MiB/' $good >$T/typo.yaml
bad "a misspelt key names file, line, column and suggests the key" typo.yaml "typo.yaml:[0-9]+:[0-9]+: 'memroy' is not a key of 'limits' \(did you mean 'memory'\?\)"
: >$T/empty.yaml
bad "an empty file is an error" empty.yaml 'empty.yaml:1:1: the file is empty'
printf 'not: [yaml\n' >$T/notyaml.yaml
bad "not YAML gives the parser's position" notyaml.yaml "notyaml.yaml:2:1: did not find expected"
head -c 4000 /bin/ls >$T/binary.yaml
bad "a binary file is refused" binary.yaml 'binary.yaml:1:1: .*binary'
head -c 100000000 /dev/zero | tr '\0' '#' >$T/big.yaml
bad "a 100 MB file is refused with a size error" big.yaml 'big.yaml: file is larger than the 1048576-byte limit'
python3 -c "print('a:' + ' [' * 100000)" >$T/deep.yaml
bad "deep nesting is refused" deep.yaml 'deep.yaml:1:[0-9]+: nesting deeper than 32 levels'
python3 - "$T/bomb.yaml" <<'PY'
import sys
lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 9):
    lines.append(f'a{i}: &a{i} [' + ','.join([f'*a{i-1}'] * 9) + ']')
open(sys.argv[1], 'w').write('\n'.join(lines) + '\n')
PY
bad "a billion-laughs alias bomb is refused" bomb.yaml 'bomb.yaml:1:5: anchors \(&a0\) are not allowed'
printf 'id: caf\xe9\n' >$T/latin1.yaml
bad "non-UTF-8 is refused" latin1.yaml 'latin1.yaml:1:[0-9]+: .*UTF-8'
printf 'id: x\n\ttitle: y\n' >$T/tabs.yaml
bad "tab indentation is explained" tabs.yaml 'tabs.yaml:2:1: .*tabs are not allowed for indentation'
printf 'id: a\ntitle: b\nid: c\n' >$T/dup.yaml
bad "a duplicate key is refused" dup.yaml "dup.yaml:3:1: duplicate key 'id' \(first at line 1, column 1\)"
sed 's/kind: conversion/kind: convertion/' $good >$T/kind.yaml
bad "an unknown exercise kind is named" kind.yaml "kind.yaml:[0-9]+:7: unknown kind 'convertion' \(did you mean 'conversion'"
sed 's/require_speedup: 2.0/require_speedup: -1/' $good >$T/range.yaml
bad "an out-of-range value is refused" range.yaml "'require_speedup' is -1, out of range"
sed 's/wall: 10s/wall: 10/' $good >$T/unit.yaml
bad "a duration without a unit is refused" unit.yaml "'wall' must be a duration with a unit"
sed 's/wall: 10s/wall: [10s]/' $good >$T/type.yaml
bad "a wrong type is named" type.yaml "'wall' must be a duration, not a sequence"
grep -v '^id:' $good >$T/noid.yaml
bad "a missing required key is named" noid.yaml "missing the required key 'id'"
run_grader validate $T/does-not-exist.yaml
expect "a missing file is named" 2 'does-not-exist.yaml: no such file'
run_grader validate
expect "no path is a usage error" 2 'name at least one PATH'
run_grader validate --help
expect "--help explains the command" 0 'Usage: grader validate'
# Exercise 2's claim tolerances: only in a comparison spec, and within range.
{ cat specs/ch01/ex4.yaml; printf 'claims: {speedup_within: 2}\n'; } >$T/claims4.yaml
bad "'claims' in a conversion spec is refused" claims4.yaml "claims4.yaml:[0-9]+:[0-9]+: 'claims' applies only to a comparison exercise"
sed 's/speedup_within: 2.0 /speedup_within: 0.5 /' specs/ch01/ex2.yaml >$T/claims2.yaml
bad "a claim factor below 1 is out of range" claims2.yaml "claims2.yaml:[0-9]+:[0-9]+: .*speedup_within"
sed 's/loc_within: 0.15/loc_witin: 0.15/' specs/ch01/ex2.yaml >$T/claims3.yaml
bad "a misspelt claims key suggests the right one" claims3.yaml "claims3.yaml:[0-9]+:[0-9]+: 'loc_witin' is not a key of 'claims' \(did you mean 'loc_within'\?\)"

# 'requires' names checks of the exercise's kind, with a suggestion for a typo, at the entry's place.
rq=$(grep -n '^requires:' $good | cut -d: -f1)
sed 's/^requires: \[build, correctness\]/requires: [build, corectness]/' $good >$T/req1.yaml
bad "a misspelt required check suggests the right one, at its place" req1.yaml "req1.yaml:$rq:19: 'requires' names 'corectness', which is not a check \(did you mean 'correctness'\? the checks of a conversion exercise: build, python, cases"
sed 's/^requires: \[build, correctness\]/requires: [build, speed]/' $good >$T/req2.yaml
bad "an unknown required check lists the kind's checks" req2.yaml "req2.yaml:$rq:19: 'requires' names 'speed', which is not a check \(the checks of a conversion exercise"
sed 's/^requires: \[build, correctness\]/requires: [build, sources]/' $good >$T/req3.yaml
bad "a check of another kind of exercise is not a check of this one" req3.yaml "req3.yaml:$rq:19: 'requires' names 'sources', which is not a check"

# A submission folder: the paths its manifests name exist beneath it, as the grader reads them.
sub=$T/sub
cp -R submissions/examples/correct "$sub"
run_grader validate "$sub"
expect "a complete submission validates with its manifests' paths" 0 '^0 errors'
sed -i 's|script: python/featreport.py|script: python/featreprot.py|; s|^cases: cases|cases: cazes|; s|script: gen/make_case.py|script: gen/nothere.py|' "$sub/ex4/exercise.yaml"
run_grader validate "$sub"
expect "a misspelt script is named at its key, with a suggestion" 2 "ex4/exercise.yaml:3:3: 'script' names the Python script \(ex4/python/featreprot.py in the submission\), which does not exist \(did you mean 'featreport.py'\?\)"
expect "a missing cases folder is named at its key" 2 "ex4/exercise.yaml:8:1: 'cases' names the cases folder \(ex4/cazes in the submission\), which does not exist \(did you mean 'cases'\?\)"
expect "a missing generator is named" 2 "ex4/exercise.yaml:12:3: 'script' names the generator \(ex4/gen/nothere.py in the submission\), which does not exist$"
expect "the count covers every missing path" 2 '^3 errors'
(cd "$sub" && "$GRADER" validate ex4/exercise.yaml) >"$T/out" 2>"$T/err"; rc=$?
expect "the manifest named alone in its submission gets the same checks" 2 "^ex4/exercise.yaml:3:3: 'script' names the Python script"
cp submissions/examples/correct/ex4/exercise.yaml "$sub/ex4/exercise.yaml"
rm "$sub/ex4/NOTES.md"
mv "$sub/ex2/rust" "$T/elsewhere"
ln -s "$T/elsewhere" "$sub/ex2/rust"
run_grader validate "$sub"
expect "a package reached through a link is refused, as the grader refuses it" 2 "ex2/comparison.yaml:4:8: 'package' names the Rust package \(ex2/rust in the submission\), which is a symbolic link or leads through one"
expect "missing notes are named" 2 "ex4/NOTES.md: does not exist: exercise ch01-ex4 asks for your notes in this file"
rm "$sub/ex2/rust"
mkdir "$sub/ex2/rust"
run_grader validate "$sub"
expect "a package folder without Cargo.toml is named" 2 "ex2/comparison.yaml:4:8: 'package' names rust \(ex2/rust in the submission\), which has no Cargo.toml"
