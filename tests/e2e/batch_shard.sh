#!/usr/bin/env bash
# End to end: `grader batch --shard I/N`. A roster of 30 learners whose sources do not exist (each
# grading ends at once with a report saying so, which is all a shard test needs) is graded in
# parts 1/N..N/N for N = 1..5: every learner must get exactly one report over the N parts, no part
# may be empty (30 learners over at most 5 parts), and the same roster shuffled must give every
# learner the same part. Malformed values are refused with exit status 2 before anything is graded.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

ids=()
for i in $(seq 1 30); do ids+=("learner-$i"); done
ids+=(Alice bob.smith c_3 z9) # letters in both cases, '.', '_', a digit
{
	echo "learner,source"
	for id in "${ids[@]}"; do echo "$id,$T/missing/$id"; done
} >"$T/roster.csv"
# The same rows in another order (a fixed shuffle, so that a failure can be replayed).
{
	echo "learner,source"
	tail -n +2 "$T/roster.csv" | sort -t, -k1,1 -r | awk 'NR % 2 { print; next } { held = held $0 "\n" } END { printf "%s", held }'
} >"$T/shuffled.csv"
if [ "$(tail -n +2 "$T/roster.csv" | sort)" != "$(tail -n +2 "$T/shuffled.csv" | sort)" ] ||
	[ "$(head -n 3 "$T/roster.csv")" = "$(head -n 3 "$T/shuffled.csv")" ]; then
	fail "the shuffled roster has the same rows in another order" "$(head -n 5 "$T/shuffled.csv")"
fi

# shard_members ROSTER I N OUT: grades part I of N of ROSTER; writes the learners that got a report
# to OUT, one a line, sorted. Sets $rc; the batch's stdout is in $T/out.
shard_members() {
	local dir=$T/run-$(basename "$1" .csv)-$2-$3
	run_grader batch -j 2 --shard "$2/$3" --reports "$dir/reports" --work "$dir/work" "$1"
	(cd "$dir/reports" 2>/dev/null && ls -d -- */ 2>/dev/null | sed 's:/$::' | LC_ALL=C sort) >"$4"
}

all=$(printf '%s\n' "${ids[@]}" | LC_ALL=C sort)
for n in 1 2 3 4 5; do
	: >"$T/union"
	bad=()
	for i in $(seq 1 "$n"); do
		shard_members "$T/roster.csv" "$i" "$n" "$T/part-$i-$n"
		k=$(wc -l <"$T/part-$i-$n")
		[ "$rc" -eq 0 ] || bad+=("part $i/$n: exit $rc: $(head -c 300 "$T/err")")
		grep -q Sanitizer "$T/err" && bad+=("part $i/$n: sanitizer: $(grep -A5 Sanitizer "$T/err" | head -8)")
		[ "$k" -gt 0 ] || bad+=("part $i/$n is empty")
		if [ "$n" -gt 1 ] && ! grep -qx "shard $i/$n: $k of the roster's ${#ids[@]} learners" "$T/out"; then
			bad+=("part $i/$n: no line 'shard $i/$n: $k of the roster's ${#ids[@]} learners': $(head -n 1 "$T/out")")
		fi
		grep -qx "$k learners\{0,1\}: .*, 0 with errors; .*" "$T/out" || bad+=("part $i/$n: $(tail -n 1 "$T/out")")
		cat "$T/part-$i-$n" >>"$T/union"
	done
	dups=$(LC_ALL=C sort "$T/union" | uniq -d | tr "\n" " ")
	[ -z "$dups" ] || bad+=("in more than one part: $dups")
	[ "$(LC_ALL=C sort -u "$T/union")" = "$all" ] ||
		bad+=("missing from every part: $(comm -23 <(echo "$all") <(LC_ALL=C sort -u "$T/union") | tr '\n' ' ')")
	if [ ${#bad[@]} -eq 0 ]; then
		ok "N=$n: each of the ${#ids[@]} learners is graded in exactly one of the $n parts, none empty"
	else
		fail "N=$n: each learner in exactly one part" "${bad[@]}"
	fi
done

# The shuffled roster: each part has the same learners as before.
bad=()
for n in 2 3 5; do
	for i in $(seq 1 "$n"); do
		shard_members "$T/shuffled.csv" "$i" "$n" "$T/shuf-$i-$n"
		[ "$rc" -eq 0 ] || bad+=("shuffled part $i/$n: exit $rc")
		cmp -s "$T/part-$i-$n" "$T/shuf-$i-$n" ||
			bad+=("part $i/$n: roster order $(tr '\n' ' ' <"$T/part-$i-$n"), shuffled $(tr '\n' ' ' <"$T/shuf-$i-$n")")
	done
done
if [ ${#bad[@]} -eq 0 ]; then ok "a shuffled roster gives every learner the same part (N=2,3,5)"; else fail "a shuffled roster gives the same parts" "${bad[@]}"; fi

# A learner's part depends on its id alone: a roster of one learner puts it in the same part.
shard_members "$T/roster.csv" 2 3 "$T/x" # part 2/3 of the whole roster, for comparison
printf 'learner,source\nbob.smith,%s/missing/bob.smith\n' "$T" >"$T/one.csv"
want=$(grep -l -x bob.smith "$T"/part-?-3 | sed 's/.*part-\([0-9]\)-3/\1/')
got=
for i in 1 2 3; do
	shard_members "$T/one.csv" "$i" 3 "$T/one-$i"
	[ -s "$T/one-$i" ] && got="$got$i"
done
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	ok "a learner's part depends on its id alone (bob.smith: part $want/3 in a roster of 1 and of ${#ids[@]})"
else
	fail "a learner's part depends on its id alone" "in the roster: part '$want', alone: part(s) '$got'"
fi

for v in 0/3 4/3 1/0 x 1/ /3 3 -1/3 1/3/3 1/1001 '' ' 1/3' 1.5/3; do
	run_grader batch --shard "$v" --reports "$T/refused/reports" --work "$T/refused/work" "$T/roster.csv"
	expect "--shard '$v' is refused with exit 2" 2 "--shard takes I/N with 1 <= I <= N"
done
if [ ! -e "$T/refused" ]; then ok "a refused --shard grades nothing"; else fail "a refused --shard grades nothing" "$(ls -R "$T/refused" | head)"; fi
