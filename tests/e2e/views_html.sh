#!/usr/bin/env bash
# tests/e2e/views_html.sh: the HTML view's pages (views/html.c) as Chromium renders them: the text
# a reader sees, no request leaving the file even for a hostile report, no console error, and no
# horizontal overflow at 390 px. The pages come from the unit test test_views_html (VIEWS_OUT=DIR
# makes it write them). Screenshots at 1280 and 390 px go to $VIEWS_SHOTS when set (to look at).
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
UNIT=$GRADER_ROOT/build/san/tests/test_views_html
if [ ! -x "$CHROMIUM" ]; then
	skip "views_html" "no $CHROMIUM (make deps EXTRA_PKGS=chromium installs it)"
	exit 0
fi
if [ ! -x "$UNIT" ]; then
	fail "views_html" "$UNIT is missing (make build/san/tests/test_views_html)"
	exit 1
fi
OUT=$T/pages SHOTS=${VIEWS_SHOTS:-$T/shots}
mkdir -p "$OUT" "$SHOTS"

# A server on 127.0.0.1 that writes the path of every request it gets to $T/requests.
cat >"$T/server.py" <<'PY'
import http.server, sys
class Counter(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as f:
            f.write(self.command + " " + self.path + "\n")
        self.send_response(204)
        self.end_headers()
    do_POST = do_HEAD = do_GET
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Counter)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
: >"$T/requests"
python3 "$T/server.py" "$T/port" "$T/requests" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port" 2>/dev/null)
if [ -z "$PORT" ]; then fail "request counter starts" "no port"; exit 1; fi

if VIEWS_OUT=$OUT VIEWS_PORT=$PORT "$UNIT" >"$T/unit.out" 2>&1; then
	ok "test_views_html writes the pages"
else
	fail "test_views_html writes the pages" "$(tail -n 30 "$T/unit.out")"
	exit 1
fi

# chrome ARGS...: headless Chromium with a profile of its own, its log (console messages
# included) on stderr.
chrome() {
	timeout 90 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--user-data-dir="$T/profile" --enable-logging=stderr --v=0 "$@"
}

# The rendered document: its text as a reader sees it, and the tags of its elements.
cat >"$T/dom.py" <<'PY'
import html.parser, sys, collections
class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = collections.Counter(); self.stack = []; self.text = []; self.marks = []
        self.rows = []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1; self.stack.append(tag)
        if tag == "mark": self.marks.append("")
        if tag == "tr": self.rows.append([])
        if tag in ("td", "th") and self.rows: self.rows[-1].append("")
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
    def handle_data(self, data):
        if "style" not in self.stack and "head" not in self.stack: self.text.append(data)
        if "mark" in self.stack: self.marks[-1] += data
        if ("td" in self.stack or "th" in self.stack) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
d = Dom(); d.feed(open(sys.argv[1], encoding="utf-8").read())
what = sys.argv[2]
if what == "text": sys.stdout.write("".join(d.text))
elif what == "marks": print("\n".join(d.marks))
elif what == "tags": print(" ".join(sorted(d.tags)))
elif what == "rows": print("\n".join(" | ".join(r) for r in d.rows))
PY
dom() { python3 "$T/dom.py" "$@"; }

# console_clean NAME LOG: no console message, uncaught error or refused load in Chromium's log.
console_clean() {
	if grep -Eq 'CONSOLE|Uncaught|Refused to|Content Security Policy' "$2"; then
		fail "$1" "$(grep -E 'CONSOLE|Uncaught|Refused to|Content Security Policy' "$2" | head -5)"
	else
		ok "$1"
	fi
}

# has NAME FILE STRING...: FILE holds every STRING literally.
has() {
	local name=$1 file=$2 s miss=()
	shift 2
	for s in "$@"; do grep -qF -- "$s" "$file" || miss+=("$s"); done
	if [ ${#miss[@]} -eq 0 ]; then ok "$name"; else fail "$name" "missing: ${miss[*]}" "$(head -c 400 "$file")"; fi
}

# The methods first, on control pages, so that a pass below means something: a page with an image
# on the counter makes a request, and a page whose script logs an error shows in the log.
cat >"$T/control.html" <<EOF
<!DOCTYPE html><html><body><img src="http://127.0.0.1:$PORT/control">
<script>console.error("control-console-error")</script></body></html>
EOF
chrome --dump-dom "file://$T/control.html" >"$T/control.dom" 2>"$T/control.log"
sleep 0.5
if grep -q '^GET /control' "$T/requests"; then ok "control: the counter sees a page's request"; else
	fail "control: the counter sees a page's request" "requests: $(cat "$T/requests")"; fi
if grep -q 'control-console-error' "$T/control.log"; then ok "control: a console error shows in the log"; else
	fail "control: a console error shows in the log" "$(tail -5 "$T/control.log")"; fi
: >"$T/requests"

# Every page: rendered text, no console message.
for page in compile-error correct edge-case float-format panic shells-out vendored class hostile; do
	chrome --dump-dom "file://$OUT/$page.html" >"$T/$page.dom" 2>"$T/$page.log"
	dom "$T/$page.dom" text >"$T/$page.txt"
	console_clean "$page: no console message" "$T/$page.log"
	case $(dom "$T/$page.dom" tags) in
	*script* | *img* | *link* | *iframe*) fail "$page: no script, image or link element" "$(dom "$T/$page.dom" tags)" ;;
	*) ok "$page: no script, image or link element" ;;
	esac
done
for page in compile-error correct edge-case float-format panic shells-out vendored; do
	ids=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("\n".join(sorted({c["id"] for e in r["exercises"] for c in e["checks"]})))' "$GRADER_ROOT/tests/views/reports/$page.json")
	# shellcheck disable=SC2086
	has "$page: learner, score and every check id shown" "$T/$page.txt" "$page" $ids
done
has "correct: score and verdict" "$T/correct.txt" "PASSED score 90 / 90" "Python median 564 ms" \
	"required 2x" "Peak memory"
has "edge-case: score and verdict" "$T/edge-case.txt" "NOT PASSED score 66.83 / 90" \
	"First difference: case generated seed 2, line 11, column 5" "Needs attention" \
	"ch01-ex4 › correctness: 5 of 24 cases differ"
dom "$T/edge-case.dom" marks >"$T/edge-case.marks"
if [ "$(cat "$T/edge-case.marks")" = "$(printf 'Dune 8 1.50\nZodiac 10 1.50')" ]; then
	ok "edge-case: the first mismatch is marked from its first differing character"
else
	fail "edge-case: the first mismatch is marked from its first differing character" "marks: $(cat "$T/edge-case.marks")"
fi
has "compile-error: where the build fails" "$T/compile-error.txt" "At ex4/rust/src/main.rs:37:27"
has "class: learners and charts" "$T/class.txt" "7 learners, 3 passed, 4 did not pass." \
	"Score histogram" "Measured speedups"
dom "$T/class.dom" rows >"$T/class.rows"
has "class: failure rates and learners in tables" "$T/class.rows" "ch01-ex4 | correctness | 3 / 6 | 50%" \
	"edge-case | 66.83 / 90 | 74.3 | ✗ NOT PASSED | none"
if [ "$(sed -n 2p "$T/class.rows")" = "ch01-ex4 | correctness | 3 / 6 | 50%" ] &&
	[ "$(sed -n 3p "$T/class.rows")" = "ch01-ex4 | build | 1 / 7 | 14%" ]; then
	ok "class: the highest failure rate first"
else
	fail "class: the highest failure rate first" "$(head -4 "$T/class.rows")"
fi

# The hostile report: its markup is text on the page, and nothing was requested.
has "hostile: markup shows as text" "$T/hostile.txt" \
	"<script>alert(1)</script> <img src=\"http://127.0.0.1:$PORT/img\"> <link rel=\"stylesheet\" href=\"http://127.0.0.1:$PORT/css\">" \
	"<style>body{background:url(http://127.0.0.1:$PORT/bg)}</style>" "]]> \" '"

# Screenshots; the pages render in full (images, styles) before Chromium writes them.
for page in correct edge-case class hostile; do
	for w in 1280 390; do
		chrome --screenshot="$SHOTS/$page-$w.png" --window-size=$w,2000 "file://$OUT/$page.html" \
			>/dev/null 2>"$T/$page-$w.log"
		width=$(python3 -c 'import struct, sys; d = open(sys.argv[1], "rb").read(24); print(struct.unpack(">I", d[16:20])[0] if d[:8] == b"\x89PNG\r\n\x1a\n" else 0)' "$SHOTS/$page-$w.png" 2>/dev/null)
		if [ "$width" = "$w" ]; then ok "$page: screenshot at $w px"; else
			fail "$page: screenshot at $w px" "width ${width:-none}" "$(tail -3 "$T/$page-$w.log")"; fi
	done
done
sleep 0.5
if [ -s "$T/requests" ]; then fail "hostile: no request leaves the file" "$(cat "$T/requests")"; else
	ok "hostile: no request leaves the file"; fi

# No horizontal overflow at 390 px. Headless Chromium lays a window out at least 500 px wide
# (--window-size=390 gives a 390 px screenshot but a 500 px viewport to scripts), so each page, as it
# is (its Content-Security-Policy kept), is loaded in an iframe 390 px wide, whose viewport is then
# 390 px, and a script of the outer page (allowed to read the file:// frame by
# --allow-file-access-from-files) measures it: the document's scroll width must not pass the
# viewport's. The elements that reach past it, outside any scrolling box, are named.
cat >"$T/measure.html" <<'EOF'
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="width:390px;height:2000px;border:0"></iframe>
<script>
const f = document.getElementById("f");
f.addEventListener("load", () => {
	const d = f.contentDocument, w = f.contentWindow;
	const vw = d.documentElement.clientWidth, sw = d.documentElement.scrollWidth, wide = [];
	for (const e of d.body.querySelectorAll("*")) {
		let clipped = false;
		for (let p = e.parentElement; p && p !== d.body; p = p.parentElement)
			if (w.getComputedStyle(p).overflowX !== "visible") { clipped = true; break; }
		const r = e.getBoundingClientRect();
		if (!clipped && r.right > vw + 0.5 && wide.length < 5)
			wide.push(e.tagName + "." + e.className + ":" + Math.round(r.right));
	}
	document.body.setAttribute("data-measure", vw + " " + sw + " " + wide.join(","));
});
f.src = location.hash.slice(1);
</script></body></html>
EOF
printf '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body><div style="width:600px">wide</div></body></html>\n' >"$OUT/control-wide.html"
for page in control-wide compile-error correct edge-case float-format panic shells-out vendored class hostile; do
	chrome --allow-file-access-from-files --dump-dom "file://$T/measure.html#file://$OUT/$page.html" \
		>"$T/$page-measure.dom" 2>/dev/null
	vw='' sw='' rest=''
	read -r vw sw rest < <(sed -n 's/.*data-measure="\([^"]*\)".*/\1/p' "$T/$page-measure.dom")
	if [ $page = control-wide ]; then
		if [ "${vw:-0}" -eq 390 ] && [ "${sw:-0}" -gt 390 ] && [ -n "$rest" ]; then
			ok "control: a page wider than 390 px is caught"
		else
			fail "control: a page wider than 390 px is caught" "viewport ${vw:-?}, document ${sw:-?}, $rest"
		fi
	elif [ -z "$vw" ]; then
		fail "$page: no horizontal overflow at 390 px" "no measure in the DOM dump"
	elif [ "$vw" -eq 390 ] && [ "$sw" -le "$vw" ] && [ -z "$rest" ]; then
		ok "$page: no horizontal overflow at 390 px"
	else
		fail "$page: no horizontal overflow at 390 px" "viewport $vw, document $sw; past the edge: ${rest:-none}"
	fi
done
