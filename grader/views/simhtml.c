/* simhtml.c: the similarity of learners' ports as one HTML page (see simhtml.h). */
#include <string.h>

#include "views/rjson.h"
#include "views/simhtml.h"
#include "views/svg.h"
#include "banned.h"

/* as html.c's: nothing may be fetched, whatever the page holds */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
	"background:#fff;max-width:1100px;margin:0 auto;padding:12px 16px;overflow-wrap:anywhere}"
	"h1{font-size:1.5em;margin:.2em 0}"
	"h2{font-size:1.2em;margin:1.4em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #ccc}"
	"code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.9em}"
	".wrap{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.4em 0}"
	"th,td{text-align:left;padding:.25em .7em;border-bottom:1px solid #ddd;vertical-align:top}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".note{color:#444;font-size:.9em}";

static void place(struct svg_out *o, const cJSON *p)
{
	svg_puts(o, "<code>");
	svg_esc(o, rj_str(p, "file", "?"));
	svg_printf(o, ":%.0f&#8211;%.0f</code>", rj_num(p, "first", 0), rj_num(p, "last", 0));
}

static void pair_section(struct svg_out *o, const cJSON *p, int n)
{
	const cJSON *l, *r;

	svg_printf(o, "<h2 id=\"pair-%d\">", n);
	svg_esc(o, rj_str(p, "a", "?"));
	svg_puts(o, " &amp; ");
	svg_esc(o, rj_str(p, "b", "?"));
	svg_printf(o, ": %.2f</h2>\n", rj_num(p, "score", 0));
	cJSON_ArrayForEach(l, rj_obj(p, "languages"))
	{
		svg_puts(o, "<p>");
		svg_esc(o, l->string);
		svg_printf(o, ": %.2f, %.0f fingerprints shared (of %.0f and %.0f)</p>\n",
			   rj_num(l, "score", 0), rj_num(l, "shared", 0), rj_num(l, "a_fingerprints", 0),
			   rj_num(l, "b_fingerprints", 0));
		if (!cJSON_GetArraySize(rj_arr(l, "regions")))
			continue;
		svg_puts(o, "<div class=\"wrap\"><table><thead><tr><th>");
		svg_esc(o, rj_str(p, "a", "?"));
		svg_puts(o, "</th><th>");
		svg_esc(o, rj_str(p, "b", "?"));
		svg_puts(o, "</th><th class=\"num\">fingerprints</th></tr></thead><tbody>\n");
		cJSON_ArrayForEach(r, rj_arr(l, "regions"))
		{
			svg_puts(o, "<tr><td>");
			place(o, rj_obj(r, "a"));
			svg_puts(o, "</td><td>");
			place(o, rj_obj(r, "b"));
			svg_printf(o, "</td><td class=\"num\">%.0f</td></tr>\n", rj_num(r, "fingerprints", 0));
		}
		svg_puts(o, "</tbody></table></div>\n");
	}
}

int view_similarity_html(const cJSON *sim, struct buf *out)
{
	struct svg_out o = {.b = out};
	size_t start = out->len;
	const cJSON *pairs = rj_arr(sim, "pairs"), *p;
	int n = 0;

	svg_puts(&o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP "\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<title>Similarity between ports</title>\n<style>");
	svg_puts(&o, css);
	svg_puts(&o, "</style>\n</head>\n<body>\n<h1>Similarity between ports</h1>\n");
	svg_printf(&o, "<p>%d learners, %.0f pairs compared; %d pair%s at or above the threshold %.2f.</p>\n",
		   cJSON_GetArraySize(rj_arr(sim, "learners")), rj_num(sim, "pairs_compared", 0),
		   cJSON_GetArraySize(pairs), cJSON_GetArraySize(pairs) == 1 ? "" : "s",
		   rj_num(sim, "threshold", 0));
	svg_puts(&o, "<p class=\"note\">A score is the share of the smaller side's fingerprints (winnowed runs "
		     "of normalised tokens) that the other side has too: renaming, reformatting and reordering "
		     "do not lower it. A high score calls for a look at the regions, not for a verdict.</p>\n");
	if (cJSON_GetArraySize(pairs)) {
		svg_puts(&o, "<div class=\"wrap\"><table><thead><tr><th>learner</th><th>learner</th>"
			     "<th class=\"num\">score</th></tr></thead><tbody>\n");
		cJSON_ArrayForEach(p, pairs)
		{
			svg_printf(&o, "<tr><td><a href=\"#pair-%d\">", n++);
			svg_esc(&o, rj_str(p, "a", "?"));
			svg_puts(&o, "</a></td><td>");
			svg_esc(&o, rj_str(p, "b", "?"));
			svg_printf(&o, "</td><td class=\"num\">%.2f</td></tr>\n", rj_num(p, "score", 0));
		}
		svg_puts(&o, "</tbody></table></div>\n");
	}
	n = 0;
	cJSON_ArrayForEach(p, pairs) pair_section(&o, p, n++);
	if (cJSON_GetArraySize(rj_arr(sim, "without_fingerprints"))) {
		const cJSON *w;
		svg_puts(&o, "<h2>Without fingerprints</h2>\n<p>");
		cJSON_ArrayForEach(w, rj_arr(sim, "without_fingerprints"))
		{
			svg_esc(&o, cJSON_IsString(w) ? w->valuestring : "?");
			svg_puts(&o, " ");
		}
		svg_puts(&o, "</p>\n");
	}
	svg_puts(&o, "</body>\n</html>\n");
	if (o.err) {
		buf_setlen(out, start);
		return -1;
	}
	return 0;
}
