/* views.c: which views of a report to make and where they go (see views.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "report.h"
#include "views/github.h"
#include "views/gradescope.h"
#include "views/html.h"
#include "views/junit.h"
#include "views/model.h"
#include "views/views.h"
#include "banned.h"

const char *const view_format_names[VIEW_NFORMATS] = {"text",   "json",       "junit",
						      "github", "gradescope", "html"};

/* The file each view writes in the output folder; NULL: standard output only. */
static const char *const file_names[VIEW_NFORMATS] = {NULL, "report.json",  "junit.xml",
						      NULL, "results.json", "report.html"};

int views_parse(const char *list, unsigned *set, struct buf *err)
{
	const char *p = list;

	*set = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int f;
		for (f = 0; f < VIEW_NFORMATS; f++)
			if (strlen(view_format_names[f]) == n && !strncmp(p, view_format_names[f], n))
				break;
		if (f == VIEW_NFORMATS) {
			buf_printf(err, "unknown format '%.*s' (known: text, json, junit, github, gradescope, html)",
				   (int)n, p);
			return -1;
		}
		*set |= 1u << f;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static bool has(unsigned set, enum view_format f)
{
	return set & (1u << f);
}

int views_check(const struct views_options *o, struct buf *err)
{
	if (!o->out_dir && has(o->set, VIEW_JSON) && (has(o->set, VIEW_TEXT) || has(o->set, VIEW_GITHUB))) {
		buf_puts(err, "the JSON report and the text or github view would share standard output: give --out DIR "
			      "for the JSON (DIR/report.json)");
		return -1;
	}
	if (!o->out_dir && !o->report_dir) {
		for (int f = 0; f < VIEW_NFORMATS; f++)
			if (f != VIEW_JSON && file_names[f] && has(o->set, (enum view_format)f)) {
				buf_printf(err, "the %s view is a file (%s): give --out DIR",
					   view_format_names[f], file_names[f]);
				return -1;
			}
	}
	return 0;
}

/* Writes `data` to DIR/NAME through a temporary file; a failure is a line in `err`. */
static int put_file(const char *dir, const char *name, const struct buf *data, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = 0;

	fs_join(&path, dir, name);
	if (fs_mkdirs(dir) < 0 || fs_write_atomic(path.data, data->data, data->len) < 0) {
		buf_printf(err, "%s: cannot write: %s\n", path.data, strerror(errno));
		rc = -1;
	}
	buf_free(&path);
	return rc;
}

/* Appends the github view's Markdown summary to $GITHUB_STEP_SUMMARY (GitHub reads that file once
 * the step ends; other steps append to it too, so it is appended to, never replaced). */
static int append_step_summary(const char *path, const struct buf *md, struct buf *err)
{
	FILE *f = fopen(path, "a");
	bool ok = f && fwrite(md->data, 1, md->len, f) == md->len;

	if (f && fclose(f) != 0)
		ok = false;
	if (!ok)
		buf_printf(err, "%s ($GITHUB_STEP_SUMMARY): cannot append the summary: %s\n", path,
			   strerror(errno));
	return ok ? 0 : -1;
}

/* Renders view `f` of `report` into `data` (not text, which prints the model). */
static int render(enum view_format f, const cJSON *report, const struct views_options *o, struct buf *data)
{
	char *text;
	struct gradescope_options gs = {o->hidden_visibility};

	switch (f) {
	case VIEW_JSON:
		text = cJSON_Print(report);
		if (!text)
			return -1;
		buf_puts(data, text);
		buf_puts(data, "\n");
		cJSON_free(text);
		return 0;
	case VIEW_JUNIT:
		return view_junit(report, data);
	case VIEW_GRADESCOPE:
		return view_gradescope(report, &gs, data);
	case VIEW_HTML:
		return view_html(report, data);
	case VIEW_GITHUB:
		return view_github_annotations(report, data);
	default:
		return -1;
	}
}

int views_write(const cJSON *report, const struct views_options *o, FILE *out, struct buf *err)
{
	const char *dir = o->out_dir ? o->out_dir : o->report_dir;
	int rc = 0;

	if (has(o->set, VIEW_TEXT)) {
		struct result_report *model = view_model_from_json(report);
		report_print_summary(model, out, o->color);
		if (o->report_path)
			fprintf(out, "  report   %s\n", o->report_path);
		result_report_free(model);
	}
	for (int f = VIEW_JSON; f < VIEW_NFORMATS; f++) {
		struct buf data = BUF_INIT;
		if (!has(o->set, (enum view_format)f))
			continue;
		if (render((enum view_format)f, report, o, &data) < 0) {
			buf_printf(err, "the %s view could not be made (it grew past its maximum size)\n",
				   view_format_names[f]);
			rc = -1;
		} else if (f == VIEW_GITHUB || (f == VIEW_JSON && !o->out_dir)) {
			fwrite(data.data, 1, data.len, out);
		} else if (put_file(dir, file_names[f], &data, err) < 0) {
			rc = -1;
		}
		buf_free(&data);
	}
	if (has(o->set, VIEW_GITHUB)) {
		struct buf md = BUF_INIT;
		const char *summary = getenv("GITHUB_STEP_SUMMARY");
		if (view_github_summary(report, &md) < 0) {
			buf_puts(err, "the github summary could not be made (it grew past its maximum size)\n");
			rc = -1;
		} else if (summary && *summary) {
			rc |= append_step_summary(summary, &md, err);
		} else if (dir) {
			rc |= put_file(dir, "summary.md", &md, err);
		}
		buf_free(&md);
	}
	fflush(out);
	return rc < 0 ? -1 : 0;
}
