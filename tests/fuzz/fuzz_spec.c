/* fuzz_spec.c: the YAML a learner or an instructor writes: ydoc_load_string() and the typed
 * readers behind an exercise spec (spec_exercise_from_string()), a learner's exercise-4 manifest
 * and exercise-2 manifest (spec_conversion_from_string(), checked against the chapter's specs).
 * Every input goes to all of them: the same bytes are a spec to one and a manifest to another. */
#include "fuzz.h"

#include "spec.h"
#include "ydoc.h"

static struct spec_exercise *ex2, *ex4;

static struct spec_exercise *load(const char *rel)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	struct spec_exercise *e;

	fuzz_path(&path, rel);
	e = spec_load_exercise(path.data, &err);
	if (!e) {
		fprintf(stderr, "fuzz_spec: %s does not load: %s\n", path.data, err.data);
		exit(2);
	}
	buf_free(&path);
	buf_free(&err);
	return e;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ex2 = load("specs/ch01/ex2.yaml");
	ex4 = load("specs/ch01/ex4.yaml");
	return 0;
}

/* Walks a tree: every node must be what ydoc.h promises. Returns the number of nodes. */
static size_t walk(const struct ydoc_node *n, int depth)
{
	size_t count = 1;

	FUZZ_ASSERT(depth <= YDOC_MAX_DEPTH + 1);
	FUZZ_ASSERT(n->line >= 1 && n->col >= 1);
	if (n->type == YDOC_SCALAR) {
		FUZZ_ASSERT(n->value && n->value[n->len] == '\0');
		return 1;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->type == YDOC_MAP) {
			FUZZ_ASSERT(n->keys[i]);
			FUZZ_ASSERT(ydoc_get(n, n->keys[i]) == n->items[i]); /* no duplicate keys */
		}
		count += walk(n->items[i], depth + 1);
	}
	(void)ydoc_filled(n);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct buf err = BUF_INIT, path = BUF_INIT;
	struct ydoc *doc = ydoc_load_string("fuzz.yaml", text, size, &err);
	struct spec_exercise *e;
	struct spec_conversion *m;

	if (doc) {
		FUZZ_ASSERT(err.len == 0);
		if (doc->root)
			FUZZ_ASSERT(walk(doc->root, 0) <= YDOC_MAX_NODES);
		ydoc_free(doc);
	} else {
		FUZZ_ASSERT(err.len > 0); /* a refusal always says why */
	}
	buf_reset(&err);

	/* A spec beside the chapter's, so that the paths it names resolve as the real ones do. */
	buf_printf(&path, "%s/specs/ch01/fuzz.yaml", fuzz_root());
	e = spec_exercise_from_string(path.data, text, size, &err);
	FUZZ_ASSERT(e || err.len > 0);
	if (e) {
		FUZZ_ASSERT(e->id);
		for (size_t i = 0; i < e->nrequires; i++)
			(void)spec_points(e, e->requires[i]);
		spec_exercise_free(e);
	}
	buf_reset(&err);

	m = spec_conversion_from_string("ex4/exercise.yaml", text, size, ex4, false, &err);
	FUZZ_ASSERT(m || err.len > 0);
	spec_conversion_free(m);
	buf_reset(&err);
	m = spec_conversion_from_string("ex2/comparison.yaml", text, size, ex2, true, &err);
	FUZZ_ASSERT(m || err.len > 0);
	spec_conversion_free(m);

	buf_free(&err);
	buf_free(&path);
	return 0;
}
