/* ydoc.c: YAML documents as trees, with caps for untrusted input, and typed readers (see ydoc.h). */
#include "ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fs.h"
#include "num.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

struct loader {
	yaml_parser_t parser;
	const char *name;
	struct buf *err;
	size_t nodes;
	const char *data;
	size_t len;
};

static void node_free(struct ydoc_node *n)
{
	if (!n)
		return;
	free(n->value);
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			free(n->keys[i]);
		node_free(n->items[i]);
	}
	free(n->keys);
	free(n->key_lines);
	free(n->key_cols);
	free(n->items);
	free(n);
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	node_free(doc->root);
	free(doc->file);
	free(doc);
}

static void load_error(struct loader *l, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void load_error(struct loader *l, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	buf_printf(l->err, "%s:%zu:%zu: ", l->name, mark.line + 1, mark.column + 1);
	va_start(ap, fmt);
	buf_vprintf(l->err, fmt, ap);
	va_end(ap);
	buf_puts(l->err, "\n");
}

/* Turns libyaml's own error into a message with a position and, where it helps, a hint. */
static void parser_error(struct loader *l)
{
	yaml_parser_t *p = &l->parser;
	yaml_mark_t mark = p->problem_mark;
	const char *problem = p->problem ? p->problem : "unknown error";
	const char *hint = "";

	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark: turn it into line and column. */
		size_t line = 0, col = 0;
		for (size_t i = 0; i < p->problem_offset && i < l->len; i++) {
			if (l->data[i] == '\n') {
				line++;
				col = 0;
			} else if (((unsigned char)l->data[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		mark.line = line;
		mark.column = col;
		if (strstr(problem, "UTF-8") || strstr(problem, "octet"))
			hint = " (the file must be UTF-8 text)";
		else if (strstr(problem, "control characters"))
			hint = " (is this a binary file?)";
		load_error(l, mark, "%s%s", problem, hint);
		return;
	}
	if (mark.index < l->len && l->data[mark.index] == '\t')
		hint = " (tabs are not allowed for indentation in YAML; use spaces)";
	if (p->context)
		load_error(l, mark, "%s %s (started at line %zu, column %zu)%s", problem, p->context,
			   p->context_mark.line + 1, p->context_mark.column + 1, hint);
	else
		load_error(l, mark, "%s%s", problem, hint);
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev)) {
		parser_error(l);
		return -1;
	}
	return 0;
}

static struct ydoc_node *new_node(struct loader *l, enum ydoc_type t, yaml_mark_t mark)
{
	struct ydoc_node *n;

	if (++l->nodes > YDOC_MAX_NODES) {
		load_error(l, mark, "too many nodes (more than %d): refused", YDOC_MAX_NODES);
		return NULL;
	}
	n = xcalloc(1, sizeof(*n));
	n->type = t;
	n->line = (int)mark.line + 1;
	n->col = (int)mark.column + 1;
	return n;
}

static void push_item(struct ydoc_node *n, struct ydoc_node *item, char *key, yaml_mark_t km)
{
	n->items = xreallocarray(n->items, n->n + 1, sizeof(*n->items));
	if (n->type == YDOC_MAP) {
		n->keys = xreallocarray(n->keys, n->n + 1, sizeof(*n->keys));
		n->key_lines = xreallocarray(n->key_lines, n->n + 1, sizeof(*n->key_lines));
		n->key_cols = xreallocarray(n->key_cols, n->n + 1, sizeof(*n->key_cols));
		n->keys[n->n] = key;
		n->key_lines[n->n] = (int)km.line + 1;
		n->key_cols[n->n] = (int)km.column + 1;
	}
	n->items[n->n++] = item;
}

static struct ydoc_node *parse_node(struct loader *l, yaml_event_t *ev, int depth);

/* Parses the children of a map or sequence whose start event was just read. */
static int parse_children(struct loader *l, struct ydoc_node *n, int depth)
{
	yaml_event_t ev;
	yaml_event_type_t end = n->type == YDOC_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;

	for (;;) {
		char *key = NULL;
		yaml_mark_t km = {0, 0, 0};
		struct ydoc_node *child;

		if (next_event(l, &ev) < 0)
			return -1;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (n->type == YDOC_MAP) {
			km = ev.start_mark;
			if (ev.type == YAML_ALIAS_EVENT ||
			    (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.anchor)) {
				load_error(l, km, "anchors and aliases are not allowed");
				yaml_event_delete(&ev);
				return -1;
			}
			if (ev.type != YAML_SCALAR_EVENT) {
				load_error(l, km, "a map key must be a plain string, not a %s",
					   ev.type == YAML_MAPPING_START_EVENT ? "map" : "sequence");
				yaml_event_delete(&ev);
				return -1;
			}
			if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				load_error(l, km, "a map key contains a NUL byte");
				yaml_event_delete(&ev);
				return -1;
			}
			for (size_t i = 0; i < n->n; i++) {
				if (!strcmp(n->keys[i], (char *)ev.data.scalar.value)) {
					load_error(l, km, "duplicate key '%s' (first at line %d, column %d)",
						   n->keys[i], n->key_lines[i], n->key_cols[i]);
					yaml_event_delete(&ev);
					return -1;
				}
			}
			key = xstrdup((char *)ev.data.scalar.value);
			yaml_event_delete(&ev);
			if (next_event(l, &ev) < 0) {
				free(key);
				return -1;
			}
		}
		child = parse_node(l, &ev, depth + 1);
		if (!child) {
			free(key);
			return -1;
		}
		push_item(n, child, key, km);
	}
}

/* Builds a node from `ev` (which it consumes) and, for collections, the events up to its end. */
static struct ydoc_node *parse_node(struct loader *l, yaml_event_t *ev, int depth)
{
	struct ydoc_node *n = NULL;
	yaml_mark_t mark = ev->start_mark;

	if (depth > YDOC_MAX_DEPTH) {
		load_error(l, mark, "nesting deeper than %d levels: refused", YDOC_MAX_DEPTH);
		goto out;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		load_error(l, mark, "aliases (*%s) are not allowed", (char *)ev->data.alias.anchor);
		goto out;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			load_error(l, mark, "anchors (&%s) are not allowed", (char *)ev->data.scalar.anchor);
			goto out;
		}
		n = new_node(l, YDOC_SCALAR, mark);
		if (!n)
			goto out;
		n->len = ev->data.scalar.length;
		n->value = xmemdupz(ev->data.scalar.value, n->len);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
			    ev->data.scalar.style != YAML_ANY_SCALAR_STYLE;
		goto out;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
		if (anchor) {
			load_error(l, mark, "anchors (&%s) are not allowed", (char *)anchor);
			goto out;
		}
		yaml_event_delete(ev);
		n = new_node(l, map ? YDOC_MAP : YDOC_SEQ, mark);
		if (!n)
			return NULL;
		if (parse_children(l, n, depth) < 0) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	default:
		load_error(l, mark, "unexpected YAML event");
		goto out;
	}
out:
	yaml_event_delete(ev);
	return n;
}

struct ydoc *ydoc_load_string(const char *name, const char *data, size_t len, struct buf *err)
{
	struct loader l = {.name = name, .err = err, .data = data, .len = len};
	struct ydoc *doc;
	yaml_event_t ev;
	bool ok = false;
	int docs = 0;

	doc = xcalloc(1, sizeof(*doc));
	doc->file = xstrdup(name);
	if (len > YDOC_MAX_BYTES) {
		buf_printf(err, "%s: %zu bytes is larger than the %zu-byte limit for YAML files\n", name,
			   len, (size_t)YDOC_MAX_BYTES);
		ydoc_free(doc);
		return NULL;
	}
	if (!yaml_parser_initialize(&l.parser)) {
		buf_printf(err, "%s: cannot initialise the YAML parser\n", name);
		ydoc_free(doc);
		return NULL;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)data, len);
	for (;;) {
		if (next_event(&l, &ev) < 0)
			break;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			ok = true;
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			if (++docs > 1) {
				load_error(&l, ev.start_mark, "only one YAML document is allowed per file");
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		doc->root = parse_node(&l, &ev, 1);
		if (!doc->root)
			break;
	}
	yaml_parser_delete(&l.parser);
	if (!ok) {
		ydoc_free(doc);
		return NULL;
	}
	return doc;
}

/* Parses what fs read into `data` (freed here); `rc` is the read's result. */
static struct ydoc *load_read(const char *name, int rc, struct buf *data, struct buf *err)
{
	struct ydoc *doc = NULL;

	if (rc < 0) {
		if (errno == EFBIG)
			buf_printf(err, "%s: file is larger than the %zu-byte limit for YAML files\n",
				   name, (size_t)YDOC_MAX_BYTES);
		else if (errno == ELOOP || errno == EXDEV)
			buf_printf(err,
				   "%s: is a symbolic link (or leads out of its folder): the grader reads only "
				   "regular files\n",
				   name);
		else
			buf_printf(err, "%s: cannot read: %s\n", name, strerror(errno));
	} else {
		doc = ydoc_load_string(name, data->data, data->len, err);
	}
	buf_free(data);
	return doc;
}

struct ydoc *ydoc_load_file(const char *path, struct buf *err)
{
	struct buf data = BUF_INIT;

	return load_read(path, fs_read_file(path, YDOC_MAX_BYTES, &data), &data, err);
}

struct ydoc *ydoc_load_beneath(const char *dir, const char *rel, struct buf *err)
{
	struct buf data = BUF_INIT;

	return load_read(rel, fs_read_beneath(dir, rel, YDOC_MAX_BYTES, &data), &data, err);
}

const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
	if (!map || map->type != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

bool ydoc_filled(const struct ydoc_node *v)
{
	if (!v)
		return false;
	if (v->type == YDOC_SCALAR)
		return strspn(v->value, " \t\r\n") < v->len;
	if (v->type != YDOC_SEQ || v->n == 0)
		return false;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i]->type != YDOC_SCALAR || !ydoc_filled(v->items[i]))
			return false;
	return true;
}

const char *ydoc_type_name(enum ydoc_type t)
{
	switch (t) {
	case YDOC_SCALAR:
		return "scalar";
	case YDOC_MAP:
		return "map";
	case YDOC_SEQ:
		return "sequence";
	}
	return "?";
}

/* ---- typed readers ---- */

void yread_error(struct yread *r, const struct ydoc_node *at, const char *fmt, ...)
{
	va_list ap;

	buf_printf(r->errors, "%s:%d:%d: ", r->file, at ? at->line : 1, at ? at->col : 1);
	va_start(ap, fmt);
	buf_vprintf(r->errors, fmt, ap);
	va_end(ap);
	buf_puts(r->errors, "\n");
	r->nerrors++;
}

const char *ydoc_closest(const char *word, const char *const *choices)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t j = 0; choices && choices[j]; j++) {
		size_t d = text_edit_distance(word, choices[j]);
		if (d < best_d) {
			best_d = d;
			best = choices[j];
		}
	}
	return best;
}

static void list_choices(struct buf *b, const char *const *choices)
{
	for (size_t i = 0; choices[i]; i++)
		buf_printf(b, "%s%s", i ? ", " : "", choices[i]);
}

int yread_map(struct yread *r, const struct ydoc_node *node, const char *what,
	      const char *const *allowed, const char *const *required)
{
	int before = r->nerrors;

	if (!node || node->type != YDOC_MAP) {
		yread_error(r, node, "%s must be a map of keys to values, not a %s", what,
			    node ? ydoc_type_name(node->type) : "empty document");
		return -1;
	}
	for (size_t i = 0; i < node->n; i++) {
		const char *best = NULL;
		size_t best_d = 3;
		bool known = false;
		struct ydoc_node at = {.line = node->key_lines[i], .col = node->key_cols[i]};

		for (size_t j = 0; allowed[j]; j++) {
			size_t d;
			if (!strcmp(node->keys[i], allowed[j])) {
				known = true;
				break;
			}
			d = text_edit_distance(node->keys[i], allowed[j]);
			if (d < best_d) {
				best_d = d;
				best = allowed[j];
			}
		}
		if (known)
			continue;
		if (best) {
			yread_error(r, &at, "'%s' is not a key of %s (did you mean '%s'?)",
				    node->keys[i], what, best);
		} else {
			struct buf list = BUF_INIT;
			list_choices(&list, allowed);
			yread_error(r, &at, "'%s' is not a key of %s (expected one of: %s)",
				    node->keys[i], what, list.data);
			buf_free(&list);
		}
	}
	for (size_t j = 0; required && required[j]; j++)
		if (!ydoc_get(node, required[j]))
			yread_error(r, node, "%s is missing the required key '%s'", what, required[j]);
	return r->nerrors == before ? 0 : -1;
}

/* The scalar value of `key`, or NULL; records a type error when it is not a scalar. */
static const struct ydoc_node *scalar_at(struct yread *r, const struct ydoc_node *m, const char *key,
					 const char *expected)
{
	const struct ydoc_node *v = ydoc_get(m, key);

	if (!v)
		return NULL;
	if (v->type != YDOC_SCALAR) {
		yread_error(r, v, "'%s' must be %s, not a %s", key, expected, ydoc_type_name(v->type));
		return NULL;
	}
	if (strlen(v->value) != v->len) {
		yread_error(r, v, "'%s' contains a NUL byte", key);
		return NULL;
	}
	return v;
}

const char *yread_str(struct yread *r, const struct ydoc_node *m, const char *key, const char *def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a string");
	return v ? v->value : def;
}

long long yread_int(struct yread *r, const struct ydoc_node *m, const char *key, long long min,
		    long long max, long long def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a whole number");
	long long x;

	if (!v)
		return def;
	if (num_parse_int(v->value, LLONG_MIN, LLONG_MAX, &x) < 0) {
		yread_error(r, v, "'%s' must be a whole number, not '%s'", key, v->value);
		return def;
	}
	if (x < min || x > max) {
		yread_error(r, v, "'%s' is %lld, out of range [%lld, %lld]", key, x, min, max);
		return def;
	}
	return x;
}

double yread_double(struct yread *r, const struct ydoc_node *m, const char *key, double min, double max, double def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a number");
	double x;

	if (!v)
		return def;
	if (num_parse_double(v->value, &x) < 0) {
		yread_error(r, v, "'%s' must be a number, not '%s'", key, v->value);
		return def;
	}
	if (x < min || x > max) {
		yread_error(r, v, "'%s' is %g, out of range [%g, %g]", key, x, min, max);
		return def;
	}
	return x;
}

bool yread_bool(struct yread *r, const struct ydoc_node *m, const char *key, bool def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "true or false");

	if (!v)
		return def;
	if (!v->quoted && !strcmp(v->value, "true"))
		return true;
	if (!v->quoted && !strcmp(v->value, "false"))
		return false;
	/* YAML 1.1 also reads yes/no/on/off as booleans; we accept only true/false, and say so. */
	yread_error(r, v, "'%s' must be true or false, not '%s'", key, v->value);
	return def;
}

double yread_duration(struct yread *r, const struct ydoc_node *m, const char *key, double min,
		      double max, double def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a duration");
	char lo[32], hi[32];
	double x;

	if (!v)
		return def;
	if (num_parse_duration(v->value, &x) < 0) {
		yread_error(r, v, "'%s' must be a duration with a unit (e.g. 250ms, 10s, 2m), not '%s'",
			    key, v->value);
		return def;
	}
	if (x < min || x > max) {
		yread_error(r, v, "'%s' is %s, out of range [%s, %s]", key, v->value,
			    num_format_duration(min, lo, sizeof(lo)),
			    num_format_duration(max, hi, sizeof(hi)));
		return def;
	}
	return x;
}

uint64_t yread_size(struct yread *r, const struct ydoc_node *m, const char *key, uint64_t min,
		    uint64_t max, uint64_t def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a size");
	char lo[32], hi[32];
	uint64_t x;

	if (!v)
		return def;
	if (num_parse_size(v->value, &x) < 0) {
		yread_error(r, v, "'%s' must be a size with a unit (e.g. 512MiB, 64KiB), not '%s'", key,
			    v->value);
		return def;
	}
	if (x < min || x > max) {
		yread_error(r, v, "'%s' is %s, out of range [%s, %s]", key, v->value,
			    num_format_size(min, lo, sizeof(lo)), num_format_size(max, hi, sizeof(hi)));
		return def;
	}
	return x;
}

int yread_enum(struct yread *r, const struct ydoc_node *m, const char *key, const char *const *choices, int def)
{
	const struct ydoc_node *v = scalar_at(r, m, key, "a name");
	struct buf list = BUF_INIT;
	const char *best = NULL;
	size_t best_d = 3;

	if (!v)
		return def;
	for (int i = 0; choices[i]; i++) {
		size_t d;
		if (!strcmp(v->value, choices[i]))
			return i;
		d = text_edit_distance(v->value, choices[i]);
		if (d < best_d) {
			best_d = d;
			best = choices[i];
		}
	}
	list_choices(&list, choices);
	if (best)
		yread_error(r, v, "unknown %s '%s' (did you mean '%s'? expected one of: %s)", key,
			    v->value, best, list.data);
	else
		yread_error(r, v, "unknown %s '%s' (expected one of: %s)", key, v->value, list.data);
	buf_free(&list);
	return def;
}

size_t yread_strs(struct yread *r, const struct ydoc_node *m, const char *key, const char ***out)
{
	const struct ydoc_node *v = ydoc_get(m, key);
	const char **arr;

	*out = NULL;
	if (!v)
		return 0;
	if (v->type == YDOC_MAP) {
		yread_error(r, v, "'%s' must be a list of strings, not a map", key);
		return 0;
	}
	if (v->type == YDOC_SCALAR) {
		arr = xmalloc(sizeof(*arr));
		arr[0] = v->value;
		*out = arr;
		return 1;
	}
	if (!v->n)
		return 0; /* an empty list: NULL, as the callers that free only what they count expect */
	arr = xcalloc(v->n, sizeof(*arr));
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->type != YDOC_SCALAR) {
			yread_error(r, v->items[i], "item %zu of '%s' must be a string, not a %s", i + 1,
				    key, ydoc_type_name(v->items[i]->type));
			free(arr);
			return 0;
		}
		arr[i] = v->items[i]->value;
	}
	*out = arr;
	return v->n;
}
