/* similarity.c: pairs of learners with alike ports, from their fingerprints (see similarity.h). */
#include "similarity.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "fingerprint.h"
#include "fs.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_FILE ((size_t)64 << 20) /* bytes of one fingerprints.json */
#define MAX_PRINTS 200000           /* fingerprints read per learner and language */
#define GAP 4                       /* fingerprints a region may skip on either side and go on */

struct side {
	char **files;
	size_t nfiles;
	struct fp_print *prints; /* in file order, as written */
	size_t n;
	uint64_t *uniq; /* the distinct hashes, sorted */
	size_t nuniq;
	uint32_t *byhash; /* indices into prints, sorted by hash then index */
};

struct learner {
	char *id;
	char *path; /* its fingerprints.json */
	double threshold;
	struct side lang[FP_NLANGS];
};

struct class
{
	struct learner *l;
	size_t n;
	cJSON *without; /* learner ids */
	struct buf *err;
	int errors;
};

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->prints);
	free(s->uniq);
	free(s->byhash);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* for qsort_r-free sorting of indices by (hash, index) */
static const struct fp_print *sort_prints;
static int cmp_byhash(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint64_t x = sort_prints[i].hash, y = sort_prints[j].hash;
	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void side_index(struct side *s)
{
	size_t k = 0;

	s->uniq = xcalloc(s->n ? s->n : 1, sizeof(*s->uniq));
	s->byhash = xcalloc(s->n ? s->n : 1, sizeof(*s->byhash));
	for (size_t i = 0; i < s->n; i++) {
		s->uniq[i] = s->prints[i].hash;
		s->byhash[i] = (uint32_t)i;
	}
	qsort(s->uniq, s->n, sizeof(*s->uniq), cmp_u64);
	for (size_t i = 0; i < s->n; i++)
		if (i == 0 || s->uniq[i] != s->uniq[k - 1])
			s->uniq[k++] = s->uniq[i];
	s->nuniq = k;
	sort_prints = s->prints;
	qsort(s->byhash, s->n, sizeof(*s->byhash), cmp_byhash);
	sort_prints = NULL;
}

static bool whole(const cJSON *v, double min, double max)
{
	return cJSON_IsNumber(v) && v->valuedouble >= min && v->valuedouble <= max &&
	       floor(v->valuedouble) == v->valuedouble;
}

/* One language of a fingerprints.json into `s`; NULL, or what is wrong. */
static const char *read_side(const cJSON *o, struct side *s)
{
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(o, "files"),
		    *prints = cJSON_GetObjectItemCaseSensitive(o, "fingerprints"), *f;
	const double hmax = (double)(((uint64_t)1 << FINGERPRINT_HASH_BITS) - 1);

	if (!o)
		return NULL; /* a language with nothing */
	if (!cJSON_IsArray(files) || !cJSON_IsArray(prints))
		return "a language without its files and fingerprints";
	if (cJSON_GetArraySize(prints) > MAX_PRINTS)
		return "too many fingerprints";
	s->files = xcalloc((size_t)cJSON_GetArraySize(files) + 1, sizeof(*s->files));
	cJSON_ArrayForEach(f, files)
	{
		if (!cJSON_IsString(f))
			return "a file name that is not a string";
		s->files[s->nfiles++] = xstrdup(f->valuestring);
	}
	s->prints = xcalloc((size_t)cJSON_GetArraySize(prints) + 1, sizeof(*s->prints));
	cJSON_ArrayForEach(f, prints)
	{
		const cJSON *h = cJSON_GetArrayItem(f, 0), *fi = cJSON_GetArrayItem(f, 1),
			    *l0 = cJSON_GetArrayItem(f, 2), *l1 = cJSON_GetArrayItem(f, 3);
		if (cJSON_GetArraySize(f) != 4 || !whole(h, 0, hmax) || !whole(fi, 0, (double)s->nfiles - 1) ||
		    !whole(l0, 1, 1e9) || !whole(l1, l0 ? l0->valuedouble : 1, 1e9))
			return "a fingerprint that is not [hash, file, line, last line]";
		s->prints[s->n++] = (struct fp_print){.hash = (uint64_t)h->valuedouble,
						      .file = (int)fi->valuedouble,
						      .line = (int)l0->valuedouble,
						      .last = (int)l1->valuedouble};
	}
	side_index(s);
	return NULL;
}

/* Reads LEARNER's fingerprints at `path` into c->l[c->n] (or an error line). */
static void read_learner(struct class *c, const char *id, const char *path)
{
	struct buf data = BUF_INIT, shown = BUF_INIT;
	struct learner l = {0};
	cJSON *root = NULL;
	const cJSON *langs;
	const char *why = NULL;

	text_visible(&shown, path, strlen(path), NULL);
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->l[i].id, id)) {
			buf_printf(c->err, "%s: learner '%s' again (also in %s): name each shard once\n",
				   shown.data, id, c->l[i].path);
			c->errors++;
			goto out;
		}
	}
	if (fs_read_file(path, MAX_FILE, &data) < 0) {
		buf_printf(c->err, "%s: cannot be read: %s\n", shown.data, strerror(errno));
		c->errors++;
		goto out;
	}
	root = cJSON_ParseWithLength(data.data, data.len);
	if (!cJSON_IsObject(root) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "kind")) ||
	    strcmp(cJSON_GetObjectItemCaseSensitive(root, "kind")->valuestring, "grader-fingerprints")) {
		why = "not a grader fingerprints file";
	} else if (!whole(cJSON_GetObjectItemCaseSensitive(root, "schema_version"),
			  FINGERPRINTS_SCHEMA_VERSION, FINGERPRINTS_SCHEMA_VERSION)) {
		why = "a fingerprints file of another schema version: grade again with this grader";
	} else if (!whole(cJSON_GetObjectItemCaseSensitive(root, "k"), FINGERPRINT_K, FINGERPRINT_K) ||
		   !whole(cJSON_GetObjectItemCaseSensitive(root, "window"), FINGERPRINT_WINDOW,
			  FINGERPRINT_WINDOW)) {
		why = "fingerprints taken with another k or window: grade again with this grader";
	} else {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "threshold");
		l.threshold = cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble <= 1 ? t->valuedouble
											      : -1;
		langs = cJSON_GetObjectItemCaseSensitive(root, "languages");
		if (!cJSON_IsObject(langs))
			why = "no languages";
		for (int k = 0; k < FP_NLANGS && !why; k++)
			why = read_side(cJSON_GetObjectItemCaseSensitive(langs, fp_lang_names[k]), &l.lang[k]);
	}
	if (why) {
		buf_printf(c->err, "%s: %s\n", shown.data, why);
		c->errors++;
		for (int k = 0; k < FP_NLANGS; k++)
			side_free(&l.lang[k]);
		goto out;
	}
	l.id = xstrdup(id);
	l.path = buf_detach(&shown);
	c->l = xreallocarray(c->l, c->n + 1, sizeof(*c->l));
	c->l[c->n++] = l;
out:
	cJSON_Delete(root);
	buf_free(&data);
	buf_free(&shown);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A PATH: a learner's folder (with fingerprints.json), or a reports folder of learners' folders. */
static void read_dir(struct class *c, const char *dir)
{
	struct buf p = BUF_INIT, shown = BUF_INIT;
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, before = c->n;

	text_visible(&shown, dir, strlen(dir), NULL);
	fs_join(&p, dir, "fingerprints.json");
	if (lstat(p.data, &st) == 0 && S_ISREG(st.st_mode)) {
		char *copy = xstrdup(dir), *base;
		size_t len = strlen(copy);
		while (len > 1 && copy[len - 1] == '/')
			copy[--len] = '\0';
		base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
		read_learner(c, base, p.data);
		free(copy);
		goto out;
	}
	if (!(d = opendir(dir))) {
		buf_printf(c->err, "%s: not a reports folder: %s\n", shown.data, strerror(errno));
		c->errors++;
		goto out;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct buf sub = BUF_INIT;
		fs_join(&sub, dir, names[i]);
		if (lstat(sub.data, &st) == 0 && S_ISDIR(st.st_mode)) {
			fs_join(&p, sub.data, "fingerprints.json");
			if (lstat(p.data, &st) == 0 && S_ISREG(st.st_mode)) {
				read_learner(c, names[i], p.data);
			} else {
				fs_join(&p, sub.data, "report.json");
				if (lstat(p.data, &st) == 0)
					cJSON_AddItemToArray(c->without, cJSON_CreateString(names[i]));
			}
		}
		buf_free(&sub);
		free(names[i]);
	}
	free(names);
	if (c->n == before && !n) {
		buf_printf(c->err, "%s: no LEARNER/fingerprints.json in it (grade the class first)\n",
			   shown.data);
		c->errors++;
	}
out:
	buf_free(&p);
	buf_free(&shown);
}

/* ---- comparing ---- */

static size_t shared_count(const struct side *a, const struct side *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->nuniq && j < b->nuniq) {
		if (a->uniq[i] < b->uniq[j])
			i++;
		else if (a->uniq[i] > b->uniq[j])
			j++;
		else
			n++, i++, j++;
	}
	return n;
}

struct region {
	int afile, afirst, alast, bfile, bfirst, blast;
	size_t count;
};

static int cmp_regions(const void *x, const void *y)
{
	const struct region *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->afile != b->afile)
		return a->afile - b->afile;
	return a->afirst - b->afirst;
}

/* The first index into b->byhash with hash >= h. */
static size_t lower_bound(const struct side *b, uint64_t h)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->prints[b->byhash[mid]].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static cJSON *place(const char *file, int first, int last)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "file", file);
	cJSON_AddNumberToObject(o, "first", first);
	cJSON_AddNumberToObject(o, "last", last);
	return o;
}

/* The matching regions of a and b: A's fingerprints in order, each paired with B's next
 * occurrence of its hash after the previous pairing (else its first), runs of pairings that go
 * forward on both sides within GAP fingerprints merged into one region. */
static cJSON *regions(const struct side *a, const struct side *b)
{
	struct region *rs = NULL, cur = {0};
	size_t nr = 0, last_i = 0, last_j = 0;
	bool open = false;
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < a->n; i++) {
		const struct fp_print *p = &a->prints[i], *q;
		size_t lo = lower_bound(b, p->hash), j, pick = SIZE_MAX;
		if (lo >= b->n || b->prints[b->byhash[lo]].hash != p->hash)
			continue;
		for (size_t k = lo; k < b->n && k < lo + 64 && b->prints[b->byhash[k]].hash == p->hash; k++)
			if (open && b->byhash[k] > last_j) {
				pick = b->byhash[k];
				break;
			}
		j = pick != SIZE_MAX ? pick : b->byhash[lo];
		q = &b->prints[j];
		if (open && p->file == cur.afile && q->file == cur.bfile && i - last_i <= GAP &&
		    j > last_j && j - last_j <= GAP) {
			cur.alast = p->last > cur.alast ? p->last : cur.alast;
			cur.blast = q->last > cur.blast ? q->last : cur.blast;
			cur.bfirst = q->line < cur.bfirst ? q->line : cur.bfirst;
			cur.count++;
		} else {
			if (open) {
				rs = xreallocarray(rs, nr + 1, sizeof(*rs));
				rs[nr++] = cur;
			}
			cur = (struct region){p->file, p->line, p->last, q->file, q->line, q->last, 1};
			open = true;
		}
		last_i = i;
		last_j = j;
	}
	if (open) {
		rs = xreallocarray(rs, nr + 1, sizeof(*rs));
		rs[nr++] = cur;
	}
	if (nr)
		qsort(rs, nr, sizeof(*rs), cmp_regions);
	for (size_t k = 0, shown = 0; k < nr && shown < SIMILARITY_MAX_REGIONS; k++) {
		cJSON *o;
		if (rs[k].count < 2 && shown)
			break; /* a lone fingerprint is shown only when nothing longer matched */
		o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "a", place(a->files[rs[k].afile], rs[k].afirst, rs[k].alast));
		cJSON_AddItemToObject(o, "b", place(b->files[rs[k].bfile], rs[k].bfirst, rs[k].blast));
		cJSON_AddNumberToObject(o, "fingerprints", (double)rs[k].count);
		cJSON_AddItemToArray(arr, o);
		shown++;
	}
	free(rs);
	return arr;
}

/* Rounded to 3 decimals, so that the JSON reads as people read it. */
static double r3(double x)
{
	return round(x * 1000) / 1000;
}

/* A pair of learners (indexes into the class) at or above the threshold, by language: its score
 * (-1: a side too small to judge) and shared fingerprints. Its JSON, with the regions, is made
 * only for the pairs listed (pair_json). */
struct scored {
	size_t a, b;
	double score;
	double s[FP_NLANGS];
	size_t shared[FP_NLANGS];
};

/* Scores the pair (a, b) into *out. Returns whether it reaches the threshold. */
static bool compare(const struct learner *a, const struct learner *b, double threshold, struct scored *out)
{
	double best = -1;

	for (int k = 0; k < FP_NLANGS; k++) {
		const struct side *x = &a->lang[k], *y = &b->lang[k];
		out->s[k] = -1;
		out->shared[k] = 0;
		if (x->nuniq < SIMILARITY_MIN_PRINTS || y->nuniq < SIMILARITY_MIN_PRINTS)
			continue;
		out->shared[k] = shared_count(x, y);
		out->s[k] = (double)out->shared[k] / (double)(x->nuniq < y->nuniq ? x->nuniq : y->nuniq);
		if (out->s[k] > best)
			best = out->s[k];
	}
	out->score = best;
	return !(best < 0 || best < threshold || best == 0);
}

/* A pair listed: its learners, scores and matching regions. */
static cJSON *pair_json(const struct learner *a, const struct learner *b, const struct scored *p)
{
	cJSON *pair = cJSON_CreateObject(), *langs;

	cJSON_AddStringToObject(pair, "a", a->id);
	cJSON_AddStringToObject(pair, "b", b->id);
	cJSON_AddNumberToObject(pair, "score", r3(p->score));
	langs = cJSON_AddObjectToObject(pair, "languages");
	for (int k = 0; k < FP_NLANGS; k++) {
		cJSON *o;
		if (p->s[k] < 0)
			continue;
		o = cJSON_AddObjectToObject(langs, fp_lang_names[k]);
		cJSON_AddNumberToObject(o, "score", r3(p->s[k]));
		cJSON_AddNumberToObject(o, "shared", (double)p->shared[k]);
		cJSON_AddNumberToObject(o, "a_fingerprints", (double)a->lang[k].nuniq);
		cJSON_AddNumberToObject(o, "b_fingerprints", (double)b->lang[k].nuniq);
		cJSON_AddItemToObject(o, "regions",
				      p->shared[k] ? regions(&a->lang[k], &b->lang[k]) : cJSON_CreateArray());
	}
	return pair;
}

/* Highest score first; pairs of equal scores stay in learner order. */
static int cmp_scored(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* Counts pair `p` in *nfound and keeps it among the SIMILARITY_MAX_PAIRS highest in top[0..*n):
 * memory stays bounded however many pairs a class puts above the threshold. */
static void keep_top(struct scored *top, size_t *n, const struct scored *p, size_t *nfound)
{
	size_t low = 0;

	(*nfound)++;
	if (*n < SIMILARITY_MAX_PAIRS) {
		top[(*n)++] = *p;
		return;
	}
	for (size_t i = 1; i < *n; i++)
		if (cmp_scored(&top[i], &top[low]) > 0)
			low = i; /* the one that sorts last: the lowest score, the latest pair */
	if (cmp_scored(p, &top[low]) < 0)
		top[low] = *p;
}

static int cmp_learners(const void *x, const void *y)
{
	return strcmp(((const struct learner *)x)->id, ((const struct learner *)y)->id);
}

int similarity_class(char *const *dirs, int ndirs, double threshold, void **json_out, struct buf *err)
{
	struct class c = {.err = err};
	struct scored *found = xcalloc(SIMILARITY_MAX_PAIRS, sizeof(*found));
	size_t nfound = 0, nkept = 0, compared = 0;
	cJSON *root, *learners, *pairs;

	c.without = cJSON_CreateArray();
	for (int i = 0; i < ndirs; i++)
		read_dir(&c, dirs[i]);
	if (!c.n && !c.errors) {
		buf_puts(err, "no learner has fingerprints (grade the class first)\n");
		c.errors++;
	}
	if (c.n)
		qsort(c.l, c.n, sizeof(*c.l), cmp_learners);
	if (threshold < 0) {
		for (size_t i = 0; i < c.n; i++)
			if (c.l[i].threshold >= 0 && (threshold < 0 || c.l[i].threshold < threshold))
				threshold = c.l[i].threshold;
		if (threshold < 0)
			threshold = SIMILARITY_DEFAULT_THRESHOLD;
	}
	for (size_t i = 0; i < c.n; i++)
		for (size_t j = i + 1; j < c.n; j++) {
			struct scored p = {.a = i, .b = j};
			compared++;
			if (compare(&c.l[i], &c.l[j], threshold, &p))
				keep_top(found, &nkept, &p, &nfound);
		}
	if (nkept)
		qsort(found, nkept, sizeof(*found), cmp_scored);

	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "schema_version", SIMILARITY_SCHEMA_VERSION);
	cJSON_AddStringToObject(root, "kind", "grader-similarity");
	cJSON_AddNumberToObject(root, "threshold", threshold);
	cJSON_AddStringToObject(root, "measure",
				"shared distinct fingerprints / distinct fingerprints of the smaller side");
	cJSON_AddNumberToObject(root, "k", FINGERPRINT_K);
	cJSON_AddNumberToObject(root, "window", FINGERPRINT_WINDOW);
	cJSON_AddNumberToObject(root, "min_fingerprints", SIMILARITY_MIN_PRINTS);
	learners = cJSON_AddArrayToObject(root, "learners");
	for (size_t i = 0; i < c.n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "learner", c.l[i].id);
		for (int k = 0; k < FP_NLANGS; k++)
			cJSON_AddNumberToObject(o, fp_lang_names[k], (double)c.l[i].lang[k].nuniq);
		cJSON_AddItemToArray(learners, o);
	}
	cJSON_AddItemToObject(root, "without_fingerprints", c.without);
	cJSON_AddNumberToObject(root, "pairs_compared", (double)compared);
	cJSON_AddNumberToObject(root, "pairs_above_threshold", (double)nfound);
	cJSON_AddNumberToObject(root, "pairs_listed_max", SIMILARITY_MAX_PAIRS);
	pairs = cJSON_AddArrayToObject(root, "pairs");
	for (size_t i = 0; i < nkept; i++)
		cJSON_AddItemToArray(pairs, pair_json(&c.l[found[i].a], &c.l[found[i].b], &found[i]));
	free(found);
	for (size_t i = 0; i < c.n; i++) {
		for (int k = 0; k < FP_NLANGS; k++)
			side_free(&c.l[i].lang[k]);
		free(c.l[i].id);
		free(c.l[i].path);
	}
	free(c.l);
	*json_out = root;
	return c.errors ? -1 : (int)c.n;
}

/* ---- text ---- */

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : "?";
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void put_place(struct buf *b, const cJSON *p)
{
	const char *f = str(p, "file");

	text_visible(b, f, strlen(f), NULL);
	buf_printf(b, ":%.0f-%.0f", num(p, "first"), num(p, "last"));
}

void similarity_print(const void *json, FILE *f)
{
	const cJSON *root = json, *pairs = cJSON_GetObjectItemCaseSensitive(root, "pairs"), *p;
	struct buf b = BUF_INIT;

	buf_printf(&b, "similarity: %d learners, %.0f pairs compared, threshold %.2f: %.0f pair%s at or above",
		   cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "learners")),
		   num(root, "pairs_compared"), num(root, "threshold"),
		   num(root, "pairs_above_threshold"), num(root, "pairs_above_threshold") == 1 ? "" : "s");
	if (num(root, "pairs_above_threshold") > cJSON_GetArraySize(pairs))
		buf_printf(&b, " (the %d highest listed)", cJSON_GetArraySize(pairs));
	buf_puts(&b, "\n");
	cJSON_ArrayForEach(p, pairs)
	{
		const cJSON *langs = cJSON_GetObjectItemCaseSensitive(p, "languages"), *l, *r;
		const char *a = str(p, "a"), *bb = str(p, "b");
		const char *sep = "";
		buf_puts(&b, "\n");
		text_visible(&b, a, strlen(a), NULL);
		buf_puts(&b, " ~ ");
		text_visible(&b, bb, strlen(bb), NULL);
		buf_printf(&b, ": %.2f (", num(p, "score"));
		cJSON_ArrayForEach(l, langs)
		{
			buf_printf(&b, "%s%s %.2f: %.0f fingerprints shared, of %.0f and %.0f", sep,
				   l->string, num(l, "score"), num(l, "shared"),
				   num(l, "a_fingerprints"), num(l, "b_fingerprints"));
			sep = "; ";
		}
		buf_puts(&b, ")\n");
		cJSON_ArrayForEach(l, langs)
		{
			cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(l, "regions"))
			{
				buf_printf(&b, "  %-6s ", l->string);
				put_place(&b, cJSON_GetObjectItemCaseSensitive(r, "a"));
				buf_puts(&b, "  ~  ");
				put_place(&b, cJSON_GetObjectItemCaseSensitive(r, "b"));
				buf_printf(&b, "  (%.0f fingerprint%s)\n", num(r, "fingerprints"),
					   num(r, "fingerprints") == 1 ? "" : "s");
			}
		}
	}
	p = cJSON_GetObjectItemCaseSensitive(root, "without_fingerprints");
	if (cJSON_GetArraySize(p)) {
		const cJSON *w;
		buf_puts(&b, "\nwithout fingerprints (graded by an older grader, or not graded):");
		cJSON_ArrayForEach(w, p)
		{
			buf_puts(&b, " ");
			if (cJSON_IsString(w))
				text_visible(&b, w->valuestring, strlen(w->valuestring), NULL);
		}
		buf_puts(&b, "\n");
	}
	fputs(b.data, f);
	buf_free(&b);
}
