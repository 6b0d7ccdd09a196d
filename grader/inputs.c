/* inputs.c: a grading's inputs and their key (see inputs.h). */
#include "inputs.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <string.h>

#include "digest.h"
#include "sha256.h"
#include "xalloc.h"
#include "banned.h"

/* Feeds a field into the key: its name and its value (NULL and "" differ). */
static void feed(struct sha256 *s, const char *name, const char *value)
{
	sha256_update(s, name, strlen(name) + 1);
	if (value) {
		sha256_update(s, "=", 1);
		sha256_update(s, value, strlen(value) + 1);
	} else {
		sha256_update(s, "-", 1);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int inputs_take(const struct inputs_request *q, struct result_inputs *out, struct buf *err)
{
	char hex[SHA256_HEX + 1];
	struct sha256 s;
	struct result_inputs in = {0};

	result_inputs_free(out);
	if (q->commit) {
		in.submission = xstrdup(q->commit);
	} else {
		if (digest_path(q->tree, hex) < 0) {
			buf_printf(err, "cannot digest the submission's files: %s", strerror(errno));
			goto fail;
		}
		in.submission = xmalloc(5 + SHA256_HEX + 1);
		memcpy(in.submission, "tree:", 5);
		memcpy(in.submission + 5, hex, SHA256_HEX + 1);
	}
	if (digest_path("/proc/self/exe", hex) < 0) {
		buf_printf(err, "cannot read the grader's executable: %s", strerror(errno));
		goto fail;
	}
	in.grader_digest = xstrdup(hex);
	if (digest_path(q->spec_dir, hex) < 0) {
		buf_printf(err, "cannot digest the spec folder %s: %s", q->spec_dir, strerror(errno));
		goto fail;
	}
	in.spec_digest = xstrdup(hex);
	if (digest_path(q->profiles_dir, hex) < 0) {
		buf_printf(err, "cannot digest the profiles folder %s: %s", q->profiles_dir, strerror(errno));
		goto fail;
	}
	in.profiles_digest = xstrdup(hex);
	in.python = dup_or_null(q->python);
	in.rustc = dup_or_null(q->rustc);
	in.cargo = dup_or_null(q->cargo);
	in.no_perf = q->no_perf;
	in.only = dup_or_null(q->only);
	in.deadline = dup_or_null(q->deadline);
	in.extension = dup_or_null(q->extension);
	if (q->class_catalog) {
		if (digest_path(q->class_catalog, hex) < 0) {
			buf_printf(err, "cannot digest the class catalog %s: %s", q->class_catalog,
				   strerror(errno));
			goto fail;
		}
		in.class_catalog_digest = xstrdup(hex);
	}

	sha256_init(&s);
	feed(&s, "grader grading key", "v1");
	feed(&s, "learner", q->learner);
	feed(&s, "source", q->source);
	feed(&s, "ref", q->ref);
	feed(&s, "submission", in.submission);
	feed(&s, "grader", in.grader_digest);
	feed(&s, "spec", in.spec_digest);
	feed(&s, "profiles", in.profiles_digest);
	feed(&s, "python", in.python);
	feed(&s, "rustc", in.rustc);
	feed(&s, "cargo", in.cargo);
	feed(&s, "no_perf", in.no_perf ? "yes" : "no");
	feed(&s, "only", in.only);
	feed(&s, "deadline", in.deadline);
	feed(&s, "extension", in.extension);
	if (in.class_catalog_digest) /* fed only when given: the keys of gradings without one stay */
		feed(&s, "class_catalog", in.class_catalog_digest);
	sha256_final_hex(&s, hex);
	in.key = xstrdup(hex);
	*out = in;
	return 0;
fail:
	result_inputs_free(&in);
	return -1;
}

bool inputs_report_matches(const void *report, const struct result_inputs *in)
{
	const cJSON *r = report;
	const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(r, "inputs");
	const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(inputs, "key"));
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(r, "errors");

	return in->key && key && !strcmp(key, in->key) && cJSON_IsArray(errors) &&
	       cJSON_GetArraySize(errors) == 0;
}
