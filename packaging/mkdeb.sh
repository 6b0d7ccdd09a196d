#!/usr/bin/env bash
# packaging/mkdeb.sh: turns the staged tree of `make install DESTDIR=ROOT PREFIX=/usr` into a
# Debian package (make deb runs it). Usage: packaging/mkdeb.sh ROOT OUT.deb VERSION ARCH
# Depends: is computed here, at build time, from the libraries the binary links (its NEEDED
# entries, resolved by ldd, mapped to packages by dpkg -S, each at least the upstream version
# installed now), plus what the grader runs: bubblewrap and python3. Reproducible: modes are
# normalised, every mtime is SOURCE_DATE_EPOCH (default: the last commit's date) and the files
# belong to root, whoever builds.
set -euo pipefail
root=${1:?usage: mkdeb.sh ROOT OUT.deb VERSION ARCH} out=${2:?} version=${3:?} arch=${4:?}
bin=$root/usr/bin/grader
[ -x "$bin" ] || { echo "mkdeb.sh: $bin is missing (make install DESTDIR=$root PREFIX=/usr first)" >&2; exit 2; }
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) ||
		{ echo "mkdeb.sh: not a git checkout: set SOURCE_DATE_EPOCH" >&2; exit 2; }
fi
export SOURCE_DATE_EPOCH

# owner PATH: the package that ships the library at PATH. ldd gives the path the loader found,
# which on a merged-/usr system may be /lib/... while dpkg lists /usr/lib/... (or the reverse).
owner() {
	local p=$1 real cand
	real=$(readlink -f "$p")
	for cand in "$p" "$real" "/usr$p" "/usr$real" "${p#/usr}" "${real#/usr}"; do
		dpkg -S "$cand" 2>/dev/null | sed -n 's/^\([^:,]*\(:[a-z0-9-]*\)\{0,1\}\): .*/\1/p' | head -n 1 | grep . && return 0
	done
	return 1
}

deps=()
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
	path=$(ldd "$bin" | awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }')
	[ -n "$path" ] || { echo "mkdeb.sh: ldd does not resolve $lib" >&2; exit 1; }
	pkg=$(owner "$path") || { echo "mkdeb.sh: no installed package ships $path ($lib)" >&2; exit 1; }
	ver=$(dpkg-query -W -f='${Version}' "$pkg")
	ver=${ver%-*} # the upstream version: a rebuild's Debian revision does not change the ABI
	deps+=("${pkg%%:*} (>= $ver)")
done
depends=$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g')

# Modes as git records them (0644, or 0755 for an executable), whatever the builder's umask.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -perm /111 -exec chmod 0755 {} +
find "$root" -type f ! -perm /111 -exec chmod 0644 {} +

rm -rf "$root/DEBIAN"
mkdir -p "$root/DEBIAN"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
	xargs -0 md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: grader
Version: $version
Architecture: $arch
Maintainer: grader maintainers <grader@localhost>
Installed-Size: $size
Depends: $depends, bubblewrap, python3
Recommends: cargo
Section: devel
Priority: optional
Description: grades Rust ports of Python programs in a bubblewrap sandbox
 grader grades chapter 1 of a course that teaches Rust to machine-learning
 engineers: it builds a learner's Rust port in a sandbox, runs it and the
 Python original on the same inputs, checks their outputs agree, measures
 speed and memory, checks research answers and writes a JSON report.
CONTROL
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$(dirname "$out")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "  DEB     $out"
