#!/usr/bin/env bash
# End to end: `make deb` builds a Debian package that installs a working grader. The package is
# built into $T (DEB_OUT), checked with dpkg-deb -I/-c (fields, Depends against the libraries the
# binary links, the same files as `make install`, root-owned, one mtime, reproducible), then
# unpacked with `dpkg -x` into a throwaway root, never into the machine's /usr: its grader, run
# with none of the tree's variables, must find grader-pid1 and its data relative to itself and
# grade submissions/examples/correct --no-perf as PASSED.
# GRADER_TEST_DPKG_INSTALL=1 (as root only) also installs it for real with `dpkg -i`, runs
# /usr/bin/grader, and removes it with `dpkg -r`; skipped when a grader is already installed there.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

clean_env=(env -u GRADER -u GRADER_REL -u GRADER_ROOT -u HELPERS -u GRADER_PID1 -u GRADER_DATA
	-u GRADER_PROFILES -u GRADER_SANDBOX_METHOD -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES)
for tool in dpkg-deb dpkg objdump; do
	command -v "$tool" >/dev/null || { skip "make deb" "$tool is not installed (a Debian machine has it)"; exit 0; }
done

version=$(sed -n 's/^#define GRADER_VERSION "\(.*\)"$/\1/p' grader/version.h)
arch=$(dpkg --print-architecture)
deb=$T/pkg/grader_${version}_${arch}.deb
"${clean_env[@]}" make -s deb DEB_OUT="$T/pkg" >"$T/make.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -f "$deb" ]; then
	ok "make deb builds grader_VERSION_ARCH.deb ($(basename "$deb"))"
else
	fail "make deb builds $deb (exit $rc)" "$(tail -n 20 "$T/make.out")" "$(ls -l "$T/pkg" 2>&1)"
	exit 0
fi

# The control file.
dpkg-deb -f "$deb" >"$T/control"
field() { sed -n "s/^$1: //p" "$T/control"; }
if [ "$(field Package)" = grader ] && [ "$(field Version)" = "$version" ] &&
	[ "$(field Architecture)" = "$arch" ] && [ "$(field Recommends)" = cargo ] &&
	[ "$(field Installed-Size)" -gt 0 ] && dpkg-deb -I "$deb" | grep -q '^ Description: .'; then
	ok "control: Package grader, Version $version (grader/version.h), Architecture $arch, Recommends cargo"
else
	fail "control: Package, Version, Architecture, Recommends" "$(cat "$T/control")"
fi
depends=$(field Depends)
if [[ ", $depends," == *", bubblewrap,"* ]] && [[ ", $depends," == *", python3,"* ]]; then
	ok "control: Depends names bubblewrap and python3"
else
	fail "control: Depends names bubblewrap and python3" "Depends: $depends"
fi

# Unpacked into a throwaway root: the machine's /usr is not touched.
mkdir -p "$T/root"
dpkg -x "$deb" "$T/root"
bin=$T/root/usr/bin/grader
# Each library the packaged binary links must come from a package that Depends names, with a
# minimum version; checked from the other side from mkdeb.sh: the package must ship that file.
bad=""
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
for lib in $needed; do
	found=""
	for dep in $(echo "$depends" | tr ',' '\n' | sed -n 's/^ *\([^ ]*\) (>= [^)]*)$/\1/p'); do
		dpkg -L "$dep" 2>/dev/null | grep -q "/$lib\$" && found=$dep
	done
	[ -n "$found" ] || bad="$bad $lib"
done
if [ -n "$needed" ] && [ -z "$bad" ]; then
	ok "control: Depends covers each library the binary links, with a version ($(echo $needed))"
else
	fail "control: Depends covers each library the binary links" "not covered:$bad" "Depends: $depends"
fi

# The contents: make install's files under /usr, plus the docs, owned by root, one mtime.
dpkg-deb -c "$deb" >"$T/contents"
"${clean_env[@]}" make -s install DESTDIR="$T/inst" PREFIX=/usr >/dev/null 2>&1
(cd "$T/inst" && find . -type f | LC_ALL=C sort) >"$T/want"
(cd "$T/root" && find . -type f ! -path './usr/share/doc/*' | LC_ALL=C sort) >"$T/got"
if [ -s "$T/want" ] && diff "$T/want" "$T/got" >"$T/diff"; then
	ok "contents: exactly make install's files (PREFIX=/usr) outside /usr/share/doc ($(wc -l <"$T/got") files)"
else
	fail "contents: exactly make install's files (PREFIX=/usr)" "$(head -n 20 "$T/diff")"
fi
missing=""
for f in usr/bin/grader usr/bin/grader-pid1 usr/share/grader/specs/ch01/chapter.yaml \
	usr/share/grader/sandboxes/rust-build.yaml usr/share/grader/schema.json \
	usr/share/doc/grader/README.md usr/share/doc/grader/docs/sandbox.md; do
	grep -q " \./$f\$" "$T/contents" || missing="$missing $f"
done
[ -x "$T/root/usr/bin/grader" ] && [ -x "$T/root/usr/bin/grader-pid1" ] || missing="$missing (executable bits)"
if [ -z "$missing" ]; then
	ok "contents: the binaries, specs, profiles, schema, README and docs"
else
	fail "contents: the binaries, specs, profiles, schema, README and docs" "missing:$missing"
fi
stamp=$(date -u -d "@$(git log -1 --format=%ct)" '+%Y-%m-%d %H:%M')
owners=$(awk '{ print $2 }' "$T/contents" | sort -u)
stamps=$(TZ=UTC dpkg-deb -c "$deb" | awk '{ print $4, $5 }' | sort -u)
if [ "$owners" = root/root ] && [ "$stamps" = "$stamp" ]; then
	ok "contents: every file root/root, every mtime the last commit's ($stamp UTC)"
else
	fail "contents: every file root/root, every mtime the last commit's ($stamp)" "owners: $owners" "mtimes: $stamps"
fi

"${clean_env[@]}" make -s deb DEB_OUT="$T/pkg2" >"$T/make2.out" 2>&1
if cmp -s "$deb" "$T/pkg2/$(basename "$deb")"; then
	ok "make deb is reproducible: a second build is byte for byte the same"
else
	fail "make deb is reproducible" "$(sha256sum "$deb" "$T/pkg2/"*.deb 2>&1)" "$(tail -n 5 "$T/make2.out")"
fi

# The unpacked grader finds its pid1 and data relative to itself: no variable, no source tree.
cd "$T"
"${clean_env[@]}" "$bin" version >"$T/out" 2>"$T/err"
rc=$?
expect "the unpacked grader runs and reports version $version" 0 "$version"
"${clean_env[@]}" "$bin" grade "$GRADER_ROOT/submissions/examples/correct" --no-perf --learner correct \
	--work "$T/work" --reports "$T/reports" >"$T/out" 2>"$T/err"
rc=$?
expect "the unpacked grader (pid1 and /usr/share/grader found beside it) grades the correct example PASSED" 0 'PASSED'
cd "$GRADER_ROOT"

if [ "${GRADER_TEST_DPKG_INSTALL:-}" != 1 ]; then
	skip "dpkg -i and dpkg -r" "installs into the machine's /usr: set GRADER_TEST_DPKG_INSTALL=1 (as root)"
elif [ "$(id -u)" != 0 ]; then
	skip "dpkg -i and dpkg -r" "GRADER_TEST_DPKG_INSTALL=1 needs root"
elif dpkg-query -W -f='${Status}' grader 2>/dev/null | grep -q 'installed' || [ -e /usr/bin/grader ]; then
	skip "dpkg -i and dpkg -r" "a grader is already installed in /usr: left alone"
else
	dpkg -i "$deb" >"$T/dpkg.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && env -u GRADER_PID1 -u GRADER_DATA /usr/bin/grader version | grep -q "$version" &&
		[ -x /usr/bin/grader-pid1 ] && [ -f /usr/share/grader/schema.json ]; then
		ok "dpkg -i installs a working /usr/bin/grader"
	else
		fail "dpkg -i installs a working /usr/bin/grader (exit $rc)" "$(tail -n 10 "$T/dpkg.out")"
	fi
	# the installed grader, with its specs and profiles from /usr/share/grader, grades an example
	(cd "$T" && "${clean_env[@]}" /usr/bin/grader grade "$GRADER_ROOT/submissions/examples/correct" --no-perf \
		--learner installed --work "$T/iw" --reports "$T/ir") >"$T/installed.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q 'PASSED' "$T/installed.out" && grep -q '"spec":.*"ch01"' "$T/ir/installed/report.json"; then
		ok "the installed /usr/bin/grader grades an example to PASSED"
	else
		fail "the installed /usr/bin/grader grades an example to PASSED (exit $rc)" "$(tail -n 15 "$T/installed.out")"
	fi
	dpkg -r grader >"$T/dpkg-r.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -e /usr/bin/grader ] && [ ! -e /usr/share/grader ]; then
		ok "dpkg -r removes it, /usr/share/grader included"
	else
		fail "dpkg -r removes it (exit $rc)" "$(tail -n 10 "$T/dpkg-r.out")" "$(ls -d /usr/bin/grader /usr/share/grader 2>&1)"
	fi
fi
