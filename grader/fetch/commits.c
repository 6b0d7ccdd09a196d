/* commits.c: commits, refs and the deadline: which commit of a repository is graded; and dates. */
#include "fetch/internal.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define MAX_HISTORY 200000 /* commits walked to apply a deadline */

/* ---- commits, refs and deadlines ----------------------------------------------------------- */

void fill_commit(struct fetch_commit *out, const git_commit *c)
{
	const git_signature *a = git_commit_author(c), *cm = git_commit_committer(c);
	const char *msg = git_commit_message(c);
	struct buf who = BUF_INIT;

	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(c));
	buf_printf(&who, "%s <%s>", a && a->name ? a->name : "", a && a->email ? a->email : "");
	free(out->author);
	out->author = clean_text(buf_str(&who), who.len, 256, NULL);
	buf_free(&who);
	out->author_time = a ? (int64_t)a->when.time : 0;
	out->author_offset = a ? a->when.offset : 0;
	out->time = (int64_t)git_commit_time(c);
	out->offset = cm ? cm->when.offset : git_commit_time_offset(c);
	free(out->summary);
	msg = msg ? msg : "";
	msg += strspn(msg, "\n");
	out->summary = clean_text(msg, strlen(msg), 200, "\n");
}

void free_commit(struct fetch_commit *c)
{
	free(c->author);
	free(c->summary);
	c->author = c->summary = NULL;
}

static bool is_hex(const char *s, size_t min)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");
	return n >= min && n <= 40 && s[n] == '\0';
}

static void list_branches(git_repository *repo, struct buf *out)
{
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	int n = 0;

	if (git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL) < 0)
		return;
	while (n < 10 && git_branch_next(&ref, &type, it) == 0) {
		const char *name = NULL;
		if (git_branch_name(&name, ref) == 0 && name)
			buf_printf(out, "%s%s", n++ ? ", " : "", name);
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
}

/* The full name of the ref to grade when none was named: `default_ref` (the remote's default
 * branch), or HEAD's when `default_ref` is NULL. Returns 0, or -1 with res set when there is none
 * with commits (an empty repository, an unborn default branch). */
static int default_name(git_repository *repo, const char *default_ref, const char *what,
			struct buf *name, struct fetch_result *res)
{
	git_reference *head = NULL, *any = NULL;
	git_reference_iterator *it = NULL;
	struct buf branches = BUF_INIT;
	bool empty;

	if (default_ref && *default_ref) {
		buf_puts(name, default_ref);
		return 0;
	}
	if (!default_ref && git_repository_head(&head, repo) == 0) {
		buf_puts(name, git_reference_name(head));
		git_reference_free(head);
		return 0;
	}
	empty = git_repository_is_empty(repo) == 1;
	if (git_reference_iterator_new(&it, repo) == 0 && git_reference_next(&any, it) == 0)
		empty = false;
	git_reference_free(any);
	git_reference_iterator_free(it);
	list_branches(repo, &branches);
	if (empty || !branches.len)
		set_error(res, FETCH_ERR_SOURCE, "%s: the repository is empty (no commits)", what);
	else
		set_error(res, FETCH_ERR_SOURCE,
			  "%s: the default branch has no commits; name a "
			  "branch with --ref (branches: %s)",
			  what, buf_str(&branches));
	buf_free(&branches);
	return -1;
}

/* What `ref` names: a full ref name, a branch or a tag (0, its full name in `name`), or a commit
 * id or a unique prefix of one, at least 4 digits (1, with `oid` and res->ref set). Returns -1
 * with res set when it names nothing, or an object that is not a commit. */
static int named_ref(git_repository *repo, const char *ref, const char *what, struct buf *name,
		     git_oid *oid, struct fetch_result *res)
{
	static const char *const prefixes[] = {"", "refs/heads/", "refs/tags/"};
	git_reference *r = NULL;
	git_object *obj = NULL, *peeled = NULL;
	struct buf branches = BUF_INIT;
	git_oid prefix;
	int rc = -1;

	for (size_t i = 0; i < 3 && !name->len; i++) {
		struct buf full = BUF_INIT;
		int valid = 0;
		buf_printf(&full, "%s%s", prefixes[i], ref);
		if ((i > 0 || !strncmp(ref, "refs/", 5)) &&
		    git_reference_name_is_valid(&valid, buf_str(&full)) == 0 && valid &&
		    git_reference_lookup(&r, repo, buf_str(&full)) == 0) {
			buf_puts(name, buf_str(&full));
			git_reference_free(r);
			r = NULL;
		}
		buf_free(&full);
	}
	if (name->len)
		return 0;
	if (is_hex(ref, 4) && git_oid_fromstrn(&prefix, ref, strlen(ref)) == 0 &&
	    git_object_lookup_prefix(&obj, repo, &prefix, strlen(ref), GIT_OBJECT_ANY) == 0) {
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			set_error(res, FETCH_ERR_SOURCE, "%s: %s is not a commit", what, ref);
		} else {
			git_oid_cpy(oid, git_object_id(peeled));
			res->ref = xmalloc(GIT_OID_HEXSZ + 1);
			git_oid_tostr(res->ref, GIT_OID_HEXSZ + 1, oid);
			rc = 1;
		}
		git_object_free(peeled);
		git_object_free(obj);
		return rc;
	}
	list_branches(repo, &branches);
	set_error(res, FETCH_ERR_SOURCE, "%s: no branch, tag or commit named '%s' (branches: %s)", what,
		  ref, branches.len ? buf_str(&branches) : "none");
	buf_free(&branches);
	return -1;
}

/* Peels the ref `name` to its commit, into `oid`, and records `name` in res->ref. `ref` is what
 * the user named (NULL: the default branch), for the messages. */
static int peel_ref(git_repository *repo, const char *ref, const struct buf *name, const char *what,
		    git_oid *oid, struct fetch_result *res)
{
	git_object *obj = NULL, *peeled = NULL;
	struct buf branches = BUF_INIT;
	int rc = -1;

	if (git_revparse_single(&obj, repo, buf_str(name)) < 0) {
		list_branches(repo, &branches);
		if (!ref && (git_repository_is_empty(repo) == 1 || !branches.len))
			set_error(res, FETCH_ERR_SOURCE, "%s: the repository is empty (no commits)", what);
		else if (!ref)
			set_error(res, FETCH_ERR_SOURCE,
				  "%s: the default branch %s has no commits; name a "
				  "branch with --ref (branches: %s)",
				  what, buf_str(name), buf_str(&branches));
		else
			set_error(res, FETCH_ERR_SOURCE, "%s: %s: %s", what, buf_str(name), libgit2_message());
		goto out;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s does not point to a commit", what, buf_str(name));
		goto out;
	}
	git_oid_cpy(oid, git_object_id(peeled));
	res->ref = clean_text(buf_str(name), name->len, 1024, NULL);
	rc = 0;
out:
	git_object_free(peeled);
	git_object_free(obj);
	buf_free(&branches);
	return rc;
}

int resolve_ref(git_repository *repo, const char *ref, const char *default_ref, const char *what,
		git_oid *oid, struct fetch_result *res)
{
	struct buf name = BUF_INIT;
	int rc = ref ? named_ref(repo, ref, what, &name, oid, res)
		     : default_name(repo, default_ref, what, &name, res);

	if (rc == 0)
		rc = peel_ref(repo, ref, &name, what, oid, res);
	buf_free(&name);
	return rc < 0 ? -1 : 0;
}

/* Picks the newest commit reachable from `tip` dated at or before the deadline (or, with
 * req->grade_tip, `tip` itself), and notes how late the newest commit after the deadline is, how
 * many are dated after it and are not graded, and whether the graded one is late. */
int apply_deadline(git_repository *repo, const git_oid *tip, const struct fetch_request *req,
		   const char *what, git_oid *chosen, struct fetch_result *res)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	bool have = false;
	int64_t best = 0, newest = INT64_MIN, tip_time = 0;
	size_t n = 0;
	long after = 0;
	int rc = -1;
	char when[40];

	git_oid_cpy(chosen, tip);
	if (!req->has_deadline)
		return 0;
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_sorting(walk, GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, tip) < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: history walk: %s", what, libgit2_message());
		goto out;
	}
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c;
		int64_t t;
		if (++n > MAX_HISTORY) {
			set_error(res, FETCH_ERR_LIMIT, "%s: more than %d commits in the history (history limit)",
				  what, MAX_HISTORY);
			goto out;
		}
		if (git_commit_lookup(&c, repo, &oid) < 0) {
			set_error(res, FETCH_ERR_SOURCE, "%s: commit %s: %s", what,
				  git_oid_tostr_s(&oid), libgit2_message());
			goto out;
		}
		t = (int64_t)git_commit_time(c);
		git_commit_free(c);
		if (git_oid_equal(&oid, tip))
			tip_time = t;
		if (t > req->deadline)
			after++;
		if (t > req->deadline && t > newest) {
			newest = t;
			git_oid_tostr(res->newest_id, sizeof(res->newest_id), &oid);
		}
		if (t <= req->deadline && (!have || t > best)) {
			have = true;
			best = t;
			git_oid_cpy(chosen, &oid);
		}
	}
	if (req->grade_tip) {
		git_oid_cpy(chosen, tip);
		have = true;
		if (tip_time > req->deadline) {
			res->graded_late = true;
			res->graded_late_by = tip_time - req->deadline;
		}
		after = 0; /* the newest commit is graded: none comes after it */
	}
	if (!have) {
		set_error(res, FETCH_ERR_SOURCE, "%s: no commit on %s is dated at or before the deadline %s",
			  what, res->ref ? res->ref : "the ref",
			  fetch_format_time(req->deadline, 0, when, sizeof(when)));
		goto out;
	}
	if (newest != INT64_MIN) {
		res->late = true;
		res->late_by = newest - req->deadline;
	}
	res->later_commits = after;
	rc = 0;
out:
	git_revwalk_free(walk);
	return rc;
}

/* ---- dates --------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int fetch_parse_deadline(const char *s, int64_t *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	bool leap;

	if (!s || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++; /* fractions of a second do not move a deadline */
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om))
			return -1;
	} else {
		return -1;
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
	    h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

const char *fetch_format_time(int64_t t, int offset_min, char *out, unsigned size)
{
	int64_t local = t + (int64_t)offset_min * 60, days, y;
	int64_t secs;
	int m, d, off = offset_min < 0 ? -offset_min : offset_min;

	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, size, "%04lld-%02d-%02dT%02lld:%02lld:%02lld%c%02d:%02d", (long long)y, m, d,
		 (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60),
		 offset_min < 0 ? '-' : '+', off / 60, off % 60);
	return out;
}
