/* text.h: makes program output safe to put in a JSON report and to print on a terminal.
 *
 * Learner programs write arbitrary bytes. Before any of it reaches a report or a terminal it goes
 * through text_safe(), which guarantees valid UTF-8 without NUL bytes and without terminal control
 * sequences, within a byte budget. The rules, in order of the input:
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
 *   line feed (CRLF); a lone one becomes "␍" because it would let a line overwrite itself. The C1
 *   controls U+0080..U+009F (valid UTF-8, but CSI to some terminals) become U+FFFD.
 * - Everything else is copied unchanged.
 *
 * Every function does work linear in its input and allocates at most the output size plus a
 * constant. None keeps state between calls. */
#ifndef GRADER_TEXT_H
#define GRADER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Which end of a text to keep when it does not fit its budget. A crash is best understood from
 * its tail (the last lines of a traceback or a panic); ordinary output from its head. */
enum text_keep {
	TEXT_KEEP_HEAD,
	TEXT_KEEP_TAIL,
};

/* Safe text and what was done to make it safe. The flags `had_nul`, `had_invalid` and
 * `had_control` describe the whole input that was given, not just the part that was kept. */
struct text_safe {
	char *data;          /* malloc'ed, valid UTF-8, NUL-terminated, no NUL inside */
	size_t len;          /* bytes in data, not counting the terminating NUL; <= the budget */
	bool truncated;      /* part of the input was left out to fit the budget or line count */
	bool had_nul;        /* the input held at least one NUL byte (shown as U+2400) */
	bool had_invalid;    /* the input held invalid UTF-8 (shown as U+FFFD) */
	bool had_control;    /* the input held other control characters (shown as pictures) */
	size_t omitted;      /* bytes of the input that were left out */
};

/* Makes `len` bytes of `in` safe (see the rules above) and keeps at most `max_bytes` bytes of the
 * result, from the head or the tail of the text, cutting only between whole characters, so the
 * result may be up to 3 bytes shorter than the budget. `in` may be NULL when `len` is 0. Returns
 * 0, or -1 when memory runs out (then `out` holds nothing to free). Free with text_safe_free(). */
int text_safe(const char *in, size_t len, size_t max_bytes, enum text_keep keep,
	      struct text_safe *out);

/* Like text_safe() keeping the tail, but keeps at most the last `max_lines` lines as well (a
 * final line feed does not start a new line), then at most `max_bytes` bytes of them. This is
 * what a report shows of a traceback or a panic. `max_lines` 0 keeps nothing. */
int text_safe_tail_lines(const char *in, size_t len, size_t max_lines, size_t max_bytes,
			 struct text_safe *out);

/* Frees the text of `t` and clears it; safe on a zeroed or already freed struct. */
void text_safe_free(struct text_safe *t);

/* Counts the words of `len` bytes of text: runs of letters and digits. ASCII letters and digits
 * are word characters; so is every valid non-ASCII character outside the ranges of spaces,
 * punctuation and symbols that Unicode keeps apart (U+0080..U+00BF, U+00D7, U+00F7,
 * U+2000..U+2BFF, U+3000..U+303F, U+FE30..U+FE4F, U+FF00..U+FF0F, U+FEFF, U+FFF0..U+FFFF), so that
 * "élève" is one word and "a—b" two. Invalid bytes separate words. A run of CJK ideographs, which
 * are written without spaces, counts as one word. */
size_t text_count_words(const char *in, size_t len);

/* Decodes one character at `in[0]` (len >= 1). Sets *cp to the code point, or to -1 when the
 * bytes are invalid UTF-8, and returns how many bytes were consumed (1 to 4; for invalid input
 * the maximal invalid subpart). Used by other modules to count columns in characters. */
size_t text_decode(const char *in, size_t len, long *cp);

#endif
