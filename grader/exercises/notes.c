/* notes.c: the written-notes check (see notes.h). */
#include "exercises/notes.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "fs.h"
#include "text.h"
#include "banned.h"

/* True when a Markdown heading line (# … ######) contains `name`, ignoring case. */
static bool has_heading(const char *text, const char *name)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		if (*line == '#') {
			struct buf h = BUF_INIT;
			buf_append(&h, line, n);
			if (strcasestr(h.data, name)) {
				buf_free(&h);
				return true;
			}
			buf_free(&h);
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

void notes_check(const char *submission, const struct spec_notes *spec, struct result_check *c)
{
	struct buf text = BUF_INIT, missing = BUF_INIT;
	struct result_ev *ev = result_check_ev(c);
	size_t words, found = 0;
	double points = 0;

	if (fs_read_beneath(submission, spec->file, 1 << 20, &text) < 0) {
		result_check_set(c, RESULT_FAIL, 0, "%s: %s", spec->file,
				 errno == ENOENT ? "not found"
				 : errno == ELOOP || errno == EXDEV
					 ? "a symbolic link (the grader reads only regular files in your repository)"
					 : strerror(errno));
		result_check_hint(c, "write %s: the challenges you met converting the script and how you overcame them",
				  spec->file);
		goto out;
	}
	words = text_count_words(text.data, text.len);
	result_ev_str(ev, "file", spec->file);
	result_ev_int(ev, "words", (long long)words);
	result_ev_int(ev, "min_words", spec->min_words);
	for (size_t i = 0; i < spec->nsections; i++) {
		if (has_heading(text.data, spec->sections[i]))
			found++;
		else
			buf_printf(&missing, "%s'%s'", missing.len ? ", " : "", spec->sections[i]);
	}
	result_ev_int(ev, "sections_found", (long long)found);
	result_ev_int(ev, "sections_required", (long long)spec->nsections);
	if ((int)words >= spec->min_words)
		points += c->max_points / 2;
	points += spec->nsections ? c->max_points / 2 * (double)found / (double)spec->nsections
				  : c->max_points / 2;
	if (points >= c->max_points - 1e-9) {
		result_check_set(c, RESULT_PASS, points, "%s: %zu words, every required section present",
				 spec->file, words);
	} else {
		result_check_set(c, points > 0 ? RESULT_PARTIAL : RESULT_FAIL, points,
				 "%s: %zu words (at least %d wanted)%s%s", spec->file, words, spec->min_words,
				 missing.len ? "; missing section headings: " : "", missing.data);
		result_check_hint(c, "use Markdown headings such as '## Challenges' and '## Solutions', and "
				     "describe each challenge and how you solved it");
	}
out:
	buf_free(&text);
	buf_free(&missing);
}
