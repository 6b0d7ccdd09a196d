/* profile.c: sandbox profiles: sandboxes/NAME.yaml (binds, tools, environment, limits) read into
 * struct profile. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/internal.h"
#include "xalloc.h"
#include "ydoc.h"
#include "banned.h"

static const struct sandbox_limits default_limits = {
	.wall = 10.0,
	.cpu = 5.0,
	.memory = (uint64_t)512 << 20,
	.output = (uint64_t)1 << 20,
	.file_size = (uint64_t)64 << 20,
	.tmp_size = (uint64_t)64 << 20,
	.pids = 64,
};

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **dup_strs(const char **src, size_t n)
{
	char **v = xcalloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

void profile_free(struct profile *p)
{
	free(p->name);
	free_strs(p->ro, p->nro);
	free_strs(p->ro_try, p->nro_try);
	strv_free(&p->env);
}

static int check_paths(struct yread *r, const struct ydoc_node *m, const char *key, const char **v, size_t n)
{
	const struct ydoc_node *list = ydoc_get(m, key);

	for (size_t i = 0; i < n; i++)
		if (v[i][0] != '/' || strstr(v[i], "/..") || strchr(v[i], '\n') || !strcmp(v[i], "/")) {
			yread_error(r, list && list->type == YDOC_SEQ ? list->items[i] : list,
				    "'%s': '%s' must be an absolute path other than '/' without '..'",
				    key, v[i]);
			return -1;
		}
	return 0;
}

/* The profile's `env`: a map of NAME: value. */
static void read_env(struct yread *r, const struct ydoc_node *root, struct profile *p)
{
	const struct ydoc_node *env = ydoc_get(root, "env");

	if (env && env->type != YDOC_MAP) {
		yread_error(r, env, "'env' must be a map of NAME: value");
	} else if (env) {
		for (size_t i = 0; i < env->n; i++) {
			const struct ydoc_node *v = env->items[i];
			const char *k = env->keys[i];
			if (!*k || strchr(k, '=') ||
			    k[strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")]) {
				yread_error(r, v, "env: '%s' is not a valid variable name", k);
				continue;
			}
			if (v->type != YDOC_SCALAR || strlen(v->value) != v->len) {
				yread_error(r, v, "env: the value of '%s' must be a string", k);
				continue;
			}
			strv_pushf(&p->env, "%s=%s", k, v->value);
		}
	}
}

/* The profile's `limits`, over the defaults. */
static void read_limits(struct yread *r, const struct ydoc_node *root, struct profile *p)
{
	static const char *const limit_keys[] = {"wall",      "cpu",      "memory", "output",
						 "file-size", "tmp-size", "pids",   NULL};
	const struct ydoc_node *lim = ydoc_get(root, "limits");

	p->limits = default_limits;
	if (lim && yread_map(r, lim, "limits", limit_keys, NULL) == 0) {
		struct sandbox_limits *l = &p->limits;
		l->wall = yread_duration(r, lim, "wall", 0.001, 86400, l->wall);
		l->cpu = yread_duration(r, lim, "cpu", 0.001, 86400, l->cpu);
		l->memory = yread_size(r, lim, "memory", (uint64_t)4 << 20, (uint64_t)1 << 40, l->memory);
		l->output = yread_size(r, lim, "output", 1, (uint64_t)1 << 30, l->output);
		l->file_size = yread_size(r, lim, "file-size", 1, (uint64_t)1 << 40, l->file_size);
		l->tmp_size = yread_size(r, lim, "tmp-size", (uint64_t)1 << 20, (uint64_t)1 << 40, l->tmp_size);
		l->pids = (int)yread_int(r, lim, "pids", 1, 100000, l->pids);
	}
}

/* Reads one profile file into `p`. Returns -1 with its errors (file:line:column) in `err`. */
static int load_profile(struct profile *p, const char *path, const char *name, struct buf *err)
{
	static const char *const keys[] = {"description", "tools", "ro",     "ro-optional", "proc",
					   "dev",         "env",   "limits", NULL};
	struct ydoc *doc = ydoc_load_file(path, err);
	struct yread r = {.file = path, .errors = err, .nerrors = 0};
	const struct ydoc_node *root;
	const char **tools = NULL, **ro = NULL, **ro_try = NULL;
	size_t ntools, nro, nro_try;

	memset(p, 0, sizeof(*p));
	if (!doc)
		return -1;
	root = doc->root;
	if (!root || root->type != YDOC_MAP) {
		yread_error(&r, root, "a sandbox profile must be a map of settings");
		ydoc_free(doc);
		return -1;
	}
	yread_map(&r, root, "the profile", keys, NULL);
	p->name = xstrdup(name);
	ntools = yread_strs(&r, root, "tools", &tools);
	for (size_t i = 0; i < ntools; i++) {
		if (!strcmp(tools[i], "python"))
			p->python = true;
		else if (!strcmp(tools[i], "rust"))
			p->rust = true;
		else
			yread_error(&r, ydoc_get(root, "tools"),
				    "unknown tool '%s' (expected one of: python, rust)", tools[i]);
	}
	nro = yread_strs(&r, root, "ro", &ro);
	nro_try = yread_strs(&r, root, "ro-optional", &ro_try);
	check_paths(&r, root, "ro", ro, nro);
	check_paths(&r, root, "ro-optional", ro_try, nro_try);
	p->ro = dup_strs(ro, nro);
	p->nro = nro;
	p->ro_try = dup_strs(ro_try, nro_try);
	p->nro_try = nro_try;
	p->proc = yread_bool(&r, root, "proc", true);
	p->dev = yread_bool(&r, root, "dev", true);
	read_env(&r, root, p);
	read_limits(&r, root, p);
	free(tools);
	free(ro);
	free(ro_try);
	ydoc_free(doc);
	return r.nerrors ? -1 : 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int load_profiles(struct sandbox *sb, const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct strv names = {0};
	int rc = 0;

	if (!d) {
		buf_printf(err, "%s: cannot open the sandbox profiles directory: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
			strv_push(&names, e->d_name);
	}
	closedir(d);
	if (!names.n) {
		buf_printf(err, "%s: no sandbox profiles (NAME.yaml) found\n", dir);
		strv_free(&names);
		return -1;
	}
	qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	sb->profiles = xcalloc(names.n, sizeof(*sb->profiles));
	for (size_t i = 0; i < names.n; i++) {
		struct buf path = BUF_INIT;
		size_t len = strlen(names.v[i]);
		names.v[i][len - 5] = '\0';
		buf_printf(&path, "%s/%s.yaml", dir, names.v[i]);
		if (load_profile(&sb->profiles[sb->nprofiles], path.data, names.v[i], err) < 0)
			rc = -1;
		sb->nprofiles++;
		buf_free(&path);
	}
	strv_free(&names);
	return rc;
}

const struct profile *find_profile(const struct sandbox *sb, const char *name)
{
	for (size_t i = 0; name && i < sb->nprofiles; i++)
		if (!strcmp(sb->profiles[i].name, name))
			return &sb->profiles[i];
	return NULL;
}
