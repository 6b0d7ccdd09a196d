/* notes.h: checks a learner's written notes (ex4/NOTES.md): present, long enough, and with the
 * sections the spec names as Markdown headings. */
#ifndef GRADER_NOTES_H
#define GRADER_NOTES_H

#include "result.h"
#include "spec.h"

/* Fills check `c` from the notes file under `submission`. Half the points for the length, half
 * for the sections (in proportion to those found). */
void notes_check(const char *submission, const struct spec_notes *spec, struct result_check *c);

#endif
