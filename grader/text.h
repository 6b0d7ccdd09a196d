/* text.h: makes learner text safe to put in a JSON report and to show on a terminal.
 *
 * Learners control much of what the grader shows: their programs' output, compiler messages
 * about their code, file names, manifest keys and values, commit authors and messages, YAML
 * answers. A terminal obeys escape sequences in what it prints (ESC [ 2 J clears it, ESC ] 0 ;
 * retitles it, ESC [ 1 A moves the cursor up over the grader's own lines), and bidi overrides
 * reorder what a person reads. So two functions stand between learner bytes and any output:
 *
 * text_visible() renders text for a view (the terminal summary, log lines on standard error, the
 * CSV grade sheet, the strings of the JSON report). Every character that could control a
 * terminal or reorder text is shown as a backslash escape, ASCII only, so that a person sees that
 * it was there:
 *
 *   \n \t \r      line feed, tab, carriage return, where they are not kept (see below)
 *   \xHH          any other C0 control (U+0000..U+001F, including NUL as \x00 and ESC as \x1b),
 *                 DEL (\x7f), and each byte that is not part of valid UTF-8 (a raw 0x9b is \x9b)
 *   \uHHHH        the C1 controls U+0080..U+009F (U+009B, CSI to some terminals, is \u009b) and
 *                 the characters that reorder or break text without being seen: U+061C, U+200E,
 *                 U+200F (marks), U+2028, U+2029 (line and paragraph separators), U+202A..U+202E
 *                 (embeddings and overrides: U+202E is \u202e), U+2066..U+2069 (isolates)
 *
 * H is a lowercase hex digit. Everything else, including every other valid UTF-8 character, is
 * copied unchanged, so the result is valid UTF-8 whenever it is not cut by the caller. A
 * backslash is not escaped: a view is for people, and "\x1b" in it may also be four characters
 * the learner wrote; what matters is that no raw control character reaches the screen. In a
 * one-line context (an id, a name, a CSV cell, a log line) line feed, tab and carriage return are
 * escaped too, so that learner text can never start a line of its own that looks like the
 * grader's (a fake "total ... PASSED"). In a multi-line context (a compiler message, an output
 * excerpt) tab and line feed are kept, a carriage return only right before a line feed, and the
 * caller's prefix follows every line feed, so that every continuation line is visibly indented
 * under the field it belongs to.
 *
 * text_safe() normalises program output before it is stored as evidence in the result model. It
 * guarantees valid UTF-8 without NUL bytes and without terminal control sequences, within a byte
 * budget. The rules, in order of the input:
 *
 * - Invalid UTF-8 becomes U+FFFD (the replacement character, 3 bytes). Overlong encodings, UTF-16
 *   surrogates (U+D800..U+DFFF), code points above U+10FFFF, stray continuation bytes and sequences
 *   cut short are invalid. Each maximal invalid subpart (the longest prefix of a would-be sequence
 *   that could still have been valid, or else one byte) becomes one U+FFFD, as the Unicode
 *   standard recommends; decoding resumes right after it.
 * - A NUL byte becomes U+2400 (SYMBOL FOR NULL, "␀", 3 bytes), and the result says that NULs were
 *   present. We picked the visible symbol over an escape such as "\0" because an escape would be
 *   ambiguous with a program that printed a backslash and a zero.
 * - The other C0 control characters except tab and line feed, and DEL, become their Control
 *   Pictures (U+2401..U+241F, U+2421), so that an escape sequence (ESC = "␛") cannot move the
 *   cursor or recolour the grader's own terminal. A carriage return is kept only right before a
 *   line feed (CRLF); a lone one becomes "␍" because it would let a line overwrite itself.
 * - The characters that have no control picture, the C1 controls U+0080..U+009F (valid UTF-8, but
 *   CSI to some terminals) and the bidi and line-breaking characters listed for text_visible(),
 *   become the same \uHHHH escapes as in text_visible() (6 bytes).
 * - Everything else is copied unchanged.
 * Text made safe this way shows unchanged through text_visible() (a control picture is an
 * ordinary character), except that a view on one line escapes its tabs and line feeds.
 *
 * Every function does work linear in its input and allocates at most the output size plus a
 * constant. None keeps state between calls. */
#ifndef GRADER_TEXT_H
#define GRADER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Which end of a text to keep when it does not fit its budget. A crash is best understood from
 * its tail (the last lines of a traceback or a panic); ordinary output from its head. */
enum text_keep {
	TEXT_KEEP_HEAD,
	TEXT_KEEP_TAIL,
};

/* Safe text and what was done to make it safe. The flags `had_nul`, `had_invalid` and
 * `had_control` describe the whole input that was given, not just the part that was kept. */
struct text_safe {
	char *data;       /* malloc'ed, valid UTF-8, NUL-terminated, no NUL inside */
	size_t len;       /* bytes in data, not counting the terminating NUL; <= the budget */
	bool truncated;   /* part of the input was left out to fit the budget or line count */
	bool had_nul;     /* the input held at least one NUL byte (shown as U+2400) */
	bool had_invalid; /* the input held invalid UTF-8 (shown as U+FFFD) */
	bool had_control; /* the input held other control characters (pictures or escapes) */
	size_t omitted;   /* bytes of the input that were left out */
};

/* Makes `len` bytes of `in` safe (see the rules above) and keeps at most `max_bytes` bytes of the
 * result, from the head or the tail of the text, cutting only between whole characters, so the
 * result may be up to 5 bytes shorter than the budget. `in` may be NULL when `len` is 0. Always
 * returns 0 (memory running out ends the process, see xalloc.h). Free with text_safe_free(). */
int text_safe(const char *in, size_t len, size_t max_bytes, enum text_keep keep, struct text_safe *out);

/* Like text_safe() keeping the tail, but keeps at most the last `max_lines` lines as well (a
 * final line feed does not start a new line), then at most `max_bytes` bytes of them. This is
 * what a report shows of a traceback or a panic. `max_lines` 0 keeps nothing. */
int text_safe_tail_lines(const char *in, size_t len, size_t max_lines, size_t max_bytes, struct text_safe *out);

/* Appends `len` bytes of `in` (NUL bytes included) to `out` as text for a view, with every
 * control, C1, bidi and invalid byte escaped as described at the top of this file. With
 * `line_prefix` NULL the text is shown on one line (line feeds, tabs and carriage returns are
 * escaped as well); otherwise tabs and line feeds are kept and `line_prefix` (which may be "") is
 * appended after each line feed. `in` may be NULL when `len` is 0. Returns 0, or -1 (EFBIG) when
 * `out` reaches its maximum (then it may hold part of the text). The result grows at most 6 times
 * over, plus the prefixes. */
int text_visible(struct buf *out, const char *in, size_t len, const char *line_prefix);

/* Frees the text of `t` and clears it; safe on a zeroed or already freed struct. */
void text_safe_free(struct text_safe *t);

/* Counts the words of `len` bytes of text: runs of letters and digits. ASCII letters and digits
 * are word characters; so is every valid non-ASCII character outside the ranges of spaces,
 * punctuation and symbols that Unicode keeps apart (U+0080..U+00BF, U+00D7, U+00F7,
 * U+2000..U+2BFF, U+3000..U+303F, U+FE30..U+FE4F, U+FF00..U+FF0F, U+FEFF, U+FFF0..U+FFFF), so that
 * "élève" is one word and "a—b" two. Invalid bytes separate words. A run of CJK ideographs, which
 * are written without spaces, counts as one word. */
size_t text_count_words(const char *in, size_t len);

/* Edit distance between two strings of bytes: insertions, deletions, substitutions and swaps of
 * two neighbours ("linfaa" and "linfa" 1, "candel" and "candle" 1). Strings longer than 64 bytes
 * give 99 (too far for a typo). */
size_t text_edit_distance(const char *a, const char *b);

/* Decodes one character at `in[0]` (len >= 1). Sets *cp to the code point, or to -1 when the
 * bytes are invalid UTF-8, and returns how many bytes were consumed (1 to 4; for invalid input
 * the maximal invalid subpart). Used by other modules to count columns in characters. */
size_t text_decode(const char *in, size_t len, long *cp);

#endif
