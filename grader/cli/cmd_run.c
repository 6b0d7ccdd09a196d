/* cmd_run.c: `grader run`: runs one command in a sandbox profile and prints its result as JSON. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli/cli.h"
#include "fs.h"
#include "num.h"
#include "sandbox/sandbox.h"
#include "text.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_BINDS 32
#define MAX_ENV 64
#define SHOWN_OUTPUT (64 << 10) /* bytes of stdout/stderr shown in the JSON */

static void usage(FILE *f)
{
	fprintf(f, "Usage: grader run --profile NAME [OPTIONS] -- COMMAND [ARGS...]\n\n"
		   "Runs one command in a sandbox profile (sandboxes/NAME.yaml) and prints its verdict,\n"
		   "exit status or signal, CPU time, wall time, peak memory, the measuring method and\n"
		   "its output as JSON. For instructors trying a generator, and for anyone checking what\n"
		   "the sandbox allows. A zero limit or an absent option means the profile's own limit.\n\n"
		   "Options:\n"
		   "  --profile NAME       python-run, rust-build, rust-run, ... (required)\n"
		   "  --profiles DIR       where the profiles are (default: $GRADER_PROFILES, else the\n"
		   "                       sandboxes/ directory of the grader's installation or source tree)\n"
		   "  --wall DURATION      wall-clock limit, e.g. 2s, 500ms\n"
		   "  --cpu DURATION       CPU time limit of the whole process tree\n"
		   "  --memory SIZE        peak memory limit, e.g. 256MiB (files in /tmp count)\n"
		   "  --output SIZE        bytes of stdout+stderr kept; more is an output_limit\n"
		   "  --file-size SIZE     largest file the program may write\n"
		   "  --tmp-size SIZE      size of the private /tmp\n"
		   "  --pids N             processes and threads alive at once\n"
		   "  --stdin FILE         feed FILE as standard input (default: /dev/null)\n"
		   "  --workdir DIR        bind DIR writable at /work (default: a fresh empty directory,\n"
		   "                       removed afterwards)\n"
		   "  --bind HOST:INSIDE   bind a host path read-only (repeatable)\n"
		   "  --bind-rw HOST:INSIDE  the same, writable\n"
		   "  --env NAME=VALUE     add a variable to the program's fresh environment (repeatable)\n"
		   "  --pin-cpu N          run the whole process tree on CPU N only\n"
		   "  --method METHOD      cgroup (default where possible) or rusage-pid1 (the fallback)\n\n"
		   "Exit status: 0 the verdict is ok; 1 another verdict of the program (time_limit,\n"
		   "memory_limit, output_limit, runtime_error); 2 usage error or invalid profile;\n"
		   "3 sandbox_error (infrastructure).\n");
}

static char *default_profiles(void)
{
	const char *env = getenv("GRADER_PROFILES");
	static const char *const rel[] = {"../sandboxes", "../../sandboxes", "../share/grader/sandboxes"};
	char *self, *slash, *found = NULL;

	if (env && *env)
		return xstrdup(env);
	self = fs_realpath("/proc/self/exe");
	if (!self)
		return NULL;
	slash = strrchr(self, '/');
	*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]) && !found; i++) {
		struct buf p = BUF_INIT;
		buf_printf(&p, "%s/%s", self, rel[i]);
		if (fs_is_dir(p.data))
			found = buf_detach(&p);
		buf_free(&p);
	}
	free(self);
	return found;
}

static int parse_bind(const char *arg, bool writable, struct sandbox_bind *b, char **store)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || !colon[1])
		return -1;
	*store = xstrndup(arg, (size_t)(colon - arg));
	b->host = *store;
	b->inside = colon + 1;
	b->writable = writable;
	return 0;
}

static void add_text(cJSON *o, const char *key, const struct buf *b)
{
	struct text_safe t;

	text_safe(b->data, b->len, SHOWN_OUTPUT, TEXT_KEEP_HEAD, &t);
	cJSON_AddStringToObject(o, key, t.data);
	text_safe_free(&t);
}

static cJSON *result_json(const struct sandbox_request *req, const struct sandbox_result *r)
{
	cJSON *o = cJSON_CreateObject(), *cmd = cJSON_AddArrayToObject(o, "command");

	cJSON_AddStringToObject(o, "profile", req->profile);
	for (size_t i = 0; req->argv[i]; i++) {
		struct text_safe t;
		text_safe(req->argv[i], strlen(req->argv[i]), 4096, TEXT_KEEP_HEAD, &t);
		cJSON_AddItemToArray(cmd, cJSON_CreateString(t.data));
		text_safe_free(&t);
	}
	cJSON_AddStringToObject(o, "verdict", sandbox_verdict_name(r->verdict));
	if (r->limit)
		cJSON_AddStringToObject(o, "limit", r->limit);
	else
		cJSON_AddNullToObject(o, "limit");
	if (r->exit_code >= 0)
		cJSON_AddNumberToObject(o, "exit_code", r->exit_code);
	else
		cJSON_AddNullToObject(o, "exit_code");
	if (r->signal)
		cJSON_AddNumberToObject(o, "signal", r->signal);
	else
		cJSON_AddNullToObject(o, "signal");
	cJSON_AddNumberToObject(o, "cpu", r->cpu);
	cJSON_AddNumberToObject(o, "user", r->user);
	cJSON_AddNumberToObject(o, "sys", r->sys);
	cJSON_AddNumberToObject(o, "wall", r->wall);
	cJSON_AddNumberToObject(o, "peak_memory", (double)r->peak_memory);
	cJSON_AddNumberToObject(o, "cgroup_peak", (double)r->cgroup_peak); /* 0 without cgroups */
	cJSON_AddStringToObject(o, "method", r->method ? r->method : "");
	cJSON_AddBoolToObject(o, "oom_killed", r->oom_killed);
	if (r->tasks_peak)
		cJSON_AddNumberToObject(o, "tasks_peak", r->tasks_peak);
	cJSON_AddNumberToObject(o, "stdout_bytes", (double)r->out_total);
	cJSON_AddNumberToObject(o, "stderr_bytes", (double)r->err_total);
	cJSON_AddNumberToObject(o, "stdout_kept", (double)r->out.len);
	cJSON_AddNumberToObject(o, "stderr_kept", (double)r->err.len);
	cJSON_AddBoolToObject(o, "stdout_truncated", r->out_truncated);
	cJSON_AddBoolToObject(o, "stderr_truncated", r->err_truncated);
	add_text(o, "stdout", &r->out);
	add_text(o, "stderr", &r->err);
	add_text(o, "message", &r->message);
	return o;
}

struct opts {
	const char *profile, *profiles, *stdin_path, *workdir, *method;
	struct sandbox_limits lim;
	struct sandbox_bind binds[MAX_BINDS];
	char *bind_hosts[MAX_BINDS];
	int nbinds;
	const char *env[MAX_ENV + 1];
	int nenv;
	int pin_cpu; /* CPU + 1, or 0 for no pinning */
};

/* Returns the index of the command after "--", 0 for --help, or -1 on a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t size;
		long long n;

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 0;
		if (!strcmp(a, "--"))
			return i + 1 < argc ? i + 1
					    : (fprintf(stderr, "grader run: no command after '--'\n"), -1);
		if (!v) {
			fprintf(stderr, "grader run: option '%s' needs a value (or unknown option)\n", a);
			return -1;
		}
		i++;
		if (!strcmp(a, "--profile")) {
			o->profile = v;
		} else if (!strcmp(a, "--profiles")) {
			o->profiles = v;
		} else if (!strcmp(a, "--stdin")) {
			o->stdin_path = v;
		} else if (!strcmp(a, "--workdir")) {
			o->workdir = v;
		} else if (!strcmp(a, "--method")) {
			if (strcmp(v, "cgroup") && strcmp(v, "rusage-pid1")) {
				fprintf(stderr,
					"grader run: --method '%s': expected cgroup or rusage-pid1\n", v);
				return -1;
			}
			o->method = v;
		} else if (!strcmp(a, "--wall") || !strcmp(a, "--cpu")) {
			double s;
			if (num_parse_duration(v, &s) < 0 || s <= 0 || s > 86400) {
				fprintf(stderr, "grader run: %s '%s': expected a duration such as 2s or 500ms\n",
					a, v);
				return -1;
			}
			*(!strcmp(a, "--wall") ? &o->lim.wall : &o->lim.cpu) = s;
		} else if (!strcmp(a, "--memory") || !strcmp(a, "--output") ||
			   !strcmp(a, "--file-size") || !strcmp(a, "--tmp-size")) {
			if (num_parse_size(v, &size) < 0 || !size) {
				fprintf(stderr, "grader run: %s '%s': expected a size such as 256MiB\n", a, v);
				return -1;
			}
			if (!strcmp(a, "--memory"))
				o->lim.memory = size;
			else if (!strcmp(a, "--output"))
				o->lim.output = size;
			else if (!strcmp(a, "--file-size"))
				o->lim.file_size = size;
			else
				o->lim.tmp_size = size;
		} else if (!strcmp(a, "--pids")) {
			if (num_parse_int(v, 1, 100000, &n) < 0) {
				fprintf(stderr,
					"grader run: --pids '%s': expected a number from 1 to 100000\n", v);
				return -1;
			}
			o->lim.pids = (int)n;
		} else if (!strcmp(a, "--bind") || !strcmp(a, "--bind-rw")) {
			if (o->nbinds == MAX_BINDS || parse_bind(v, !strcmp(a, "--bind-rw"), &o->binds[o->nbinds],
								 &o->bind_hosts[o->nbinds]) < 0) {
				fprintf(stderr, "grader run: %s '%s': expected HOST:INSIDE (at most %d)\n",
					a, v, MAX_BINDS);
				return -1;
			}
			o->nbinds++;
		} else if (!strcmp(a, "--pin-cpu")) {
			if (num_parse_int(v, 0, 1023, &n) < 0) {
				fprintf(stderr, "grader run: --pin-cpu '%s': expected a CPU number from 0\n", v);
				return -1;
			}
			o->pin_cpu = (int)n + 1;
		} else if (!strcmp(a, "--env")) {
			if (o->nenv == MAX_ENV || !strchr(v, '=') || v[0] == '=') {
				fprintf(stderr, "grader run: --env '%s': expected NAME=VALUE (at most %d)\n",
					v, MAX_ENV);
				return -1;
			}
			o->env[o->nenv++] = v;
		} else {
			fprintf(stderr, "grader run: unknown option '%s' (see grader run --help)\n", a);
			return -1;
		}
	}
	fprintf(stderr, "grader run: missing '-- COMMAND' (see grader run --help)\n");
	return -1;
}

int cli_run(int argc, char **argv)
{
	struct opts o;
	struct sandbox_options so = {0};
	struct sandbox_request req = {0};
	struct sandbox_result res;
	struct sandbox *sb = NULL;
	struct buf err = BUF_INIT, tmpdir = BUF_INIT;
	enum error_class cls = ERROR_INFRA;
	char *profiles = NULL, *json = NULL;
	cJSON *out = NULL;
	int cmd, rc = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	cmd = parse_args(argc, argv, &o);
	if (cmd == 0) {
		usage(stdout);
		return EXIT_GRADE_OK;
	}
	if (cmd < 0)
		goto out;
	if (!o.profile) {
		fprintf(stderr, "grader run: --profile NAME is required\n");
		goto out;
	}
	profiles = o.profiles ? xstrdup(o.profiles) : default_profiles();
	if (!profiles) {
		fprintf(stderr, "grader run: no sandboxes/ directory found beside the grader: "
				"pass --profiles DIR or set GRADER_PROFILES\n");
		goto out;
	}
	so.no_cgroups = o.method && !strcmp(o.method, "rusage-pid1");
	sb = sandbox_open_with(profiles, NULL, &so, &cls, &err);
	if (!sb) {
		fprintf(stderr, "grader run: %s", err.data);
		/* an invalid profile is a usage error; a missing bwrap or namespace is infrastructure */
		rc = cli_exit_status(cls);
		goto out;
	}
	if (o.method && !strcmp(o.method, "cgroup") && strcmp(sandbox_method(sb, NULL), "rusage-pid1") == 0) {
		const char *why;
		sandbox_method(sb, &why);
		fprintf(stderr, "grader run: --method cgroup: cgroups are not available: %s\n", why);
		rc = EXIT_INFRA;
		goto out;
	}
	if (!sandbox_has_profile(sb, o.profile)) {
		fprintf(stderr, "grader run: no profile '%s' in %s\n", o.profile, profiles);
		goto out;
	}
	if (!o.workdir) {
		if (fs_mkdtemp("/tmp", "grader-run-", &tmpdir) < 0) {
			fprintf(stderr, "grader run: cannot create a work directory in /tmp: %s\n",
				strerror(errno));
			rc = EXIT_INFRA;
			goto out;
		}
	}
	req.profile = o.profile;
	req.argv = (const char *const *)(argv + cmd);
	req.workdir = o.workdir ? o.workdir : tmpdir.data;
	req.binds = o.binds;
	req.nbinds = o.nbinds;
	req.env = o.env;
	req.stdin_path = o.stdin_path;
	req.limits = o.lim;
	req.pin_cpu = o.pin_cpu > 0;
	req.cpu = o.pin_cpu - 1;
	if (sandbox_run(sb, &req, &res) < 0) {
		fprintf(stderr, "grader run: %s\n", res.message.data);
		sandbox_result_free(&res);
		goto out;
	}
	out = result_json(&req, &res);
	json = out ? cJSON_Print(out) : NULL;
	if (json)
		printf("%s\n", json);
	rc = res.verdict == SANDBOX_OK      ? EXIT_GRADE_OK
	     : res.verdict == SANDBOX_ERROR ? EXIT_INFRA
					    : EXIT_GRADE_BELOW;
	if (res.verdict == SANDBOX_ERROR)
		fprintf(stderr, "grader run: sandbox error: %s\n", res.message.data);
	sandbox_result_free(&res);
out:
	if (tmpdir.len)
		fs_rmtree(tmpdir.data);
	buf_free(&tmpdir);
	cJSON_free(json);
	cJSON_Delete(out);
	sandbox_close(sb);
	for (int i = 0; i < o.nbinds; i++)
		free(o.bind_hosts[i]);
	free(profiles);
	buf_free(&err);
	return rc;
}
