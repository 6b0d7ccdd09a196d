/* cmd_fetch.c: `grader fetch`: materialises exactly what would be graded and prints its record as JSON. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"
#include "fs.h"
#include "num.h"
#include "banned.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: grader fetch SOURCE DEST [OPTIONS]\n\n"
		"Fetches SOURCE (an https, http, ssh, git or file URL, a local repository, or a plain\n"
		"directory) the way `grader grade` does, writes the tree to grade into a fresh directory\n"
		"DEST/fetch-XXXXXX/tree (DEST is created if missing), and prints the recorded commit as\n"
		"JSON on standard output. A plain directory is not copied: its own path is reported.\n"
		"Nothing from the repository is run: no hooks, no submodules, no filters, no LFS.\n\n"
		"Options:\n"
		"  --ref REF             branch, tag or commit to grade (default: the default branch)\n"
		"  --deadline TIME       grade the newest commit dated at or before TIME, ISO 8601 with an\n"
		"                        offset (2026-12-01T23:59:00+01:00), and report later commits\n"
		"  --total-time D        network transfer time limit (default 300s)\n"
		"  --stall-time D        limit on time without transfer progress (default 30s)\n"
		"  --max-transfer SIZE   bytes received over the network (default 256MiB)\n"
		"  --max-checkout SIZE   bytes of all files written (default 256MiB)\n"
		"  --max-files N         files and directories written (default 20000)\n"
		"  --max-file-size SIZE  bytes of one file (default 50MiB)\n"
		"  --max-memory SIZE     memory the transfer may use to unpack what it receives\n"
		"                        (default 1GiB)\n"
		"  --status              for a local clone: list files that differ from HEAD or are\n"
		"                        untracked, and the commits the upstream lacks (what\n"
		"                        `grader check` warns about), then fetch\n\n"
		"  --token-host HOST     a host that credentials may go to (repeatable; also the\n"
		"                        comma-separated environment variable " FETCH_TOKEN_HOSTS_ENV ")\n\n"
		"Private repositories: put a token in the environment variable " FETCH_TOKEN_ENV "\n"
		"and list the course's git host with --token-host; the token goes only to listed hosts,\n"
		"over https (plain http only to a listed loopback address), and is never printed. A host\n"
		"that is not listed and asks for credentials fails the fetch as the source's error.\n"
		"See docs/fetch.md.\n\n"
		"On failure the JSON has \"error\" (source, limit, refused, timeout, auth, network, infra)\n"
		"and \"message\". The exit status says whose fault it is, as for `grader grade`: 1 for\n"
		"what the submission is (source: no such source, ref or commit; limit; refused), which\n"
		"grade records as the submission's error; 3 for the rest (timeout, auth, network, infra).\n\n%s",
		cli_exit_help);
}

static int need_value(int argc, char **argv, int i)
{
	if (i + 1 >= argc) {
		fprintf(stderr, "grader fetch: %s needs a value\n", argv[i]);
		return -1;
	}
	return 0;
}

static int parse_size(const char *opt, const char *v, uint64_t *out)
{
	if (num_parse_size(v, out) < 0 || *out == 0) {
		fprintf(stderr, "grader fetch: %s: invalid size '%s' (e.g. 512MiB)\n", opt, v);
		return -1;
	}
	return 0;
}

static int parse_duration(const char *opt, const char *v, double *out)
{
	if (num_parse_duration(v, out) < 0 || *out <= 0) {
		fprintf(stderr, "grader fetch: %s: invalid duration '%s' (e.g. 30s)\n", opt, v);
		return -1;
	}
	return 0;
}

static cJSON *status_json(const char *source)
{
	struct fetch_status st = {.message = BUF_INIT};
	cJSON *o, *arr;

	if (fetch_worktree_status(source, &st) < 0) {
		fprintf(stderr, "grader fetch: --status: %s\n", st.message.data);
		fetch_status_free(&st);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "has_head", st.has_head);
	cJSON_AddNumberToObject(o, "changed", (double)st.changed);
	arr = cJSON_AddArrayToObject(o, "paths");
	for (size_t i = 0; arr && i < st.npaths; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(st.paths[i]));
	/* where HEAD stands against its upstream, from the refs on disk */
	cJSON_AddItemToObject(o, "branch", st.branch ? cJSON_CreateString(st.branch) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "upstream",
			      st.upstream ? cJSON_CreateString(st.upstream) : cJSON_CreateNull());
	cJSON_AddBoolToObject(o, "detached", st.detached);
	cJSON_AddNumberToObject(o, "ahead", (double)st.ahead);
	cJSON_AddNumberToObject(o, "behind", (double)st.behind);
	if (st.changed)
		fprintf(stderr,
			"%zu file%s changed since your last commit: the instructor will grade the "
			"commit, not these changes\n",
			st.changed, st.changed == 1 ? "" : "s");
	fetch_status_free(&st);
	return o;
}

int cli_fetch(int argc, char **argv)
{
	struct fetch_request req = {0};
	struct fetch_result res = {.message = BUF_INIT};
	const char *pos[2] = {NULL, NULL};
	const char *hosts[32];
	size_t nhosts = 0;
	bool want_status = false;
	cJSON *json, *status = NULL;
	char *text;
	int npos = 0, rc;

	if (argc > 1 && !strcmp(argv[1], "--transfer-child"))
		return fetch_transfer_child_main(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		long long n;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EXIT_GRADE_OK;
		} else if (!strcmp(a, "--status")) {
			want_status = true;
		} else if (!strcmp(a, "--token-host")) {
			if (need_value(argc, argv, i) < 0)
				return EXIT_USAGE;
			if (nhosts == sizeof(hosts) / sizeof(hosts[0])) {
				fprintf(stderr, "grader fetch: more than %zu --token-host options\n", nhosts);
				return EXIT_USAGE;
			}
			hosts[nhosts++] = argv[++i];
		} else if (!strcmp(a, "--ref")) {
			if (need_value(argc, argv, i) < 0)
				return EXIT_USAGE;
			req.ref = argv[++i];
		} else if (!strcmp(a, "--deadline")) {
			if (need_value(argc, argv, i) < 0)
				return EXIT_USAGE;
			if (fetch_parse_deadline(argv[++i], &req.deadline) < 0) {
				fprintf(stderr,
					"grader fetch: --deadline: '%s' is not an ISO 8601 date-time with an "
					"offset (e.g. 2026-12-01T23:59:00+01:00)\n",
					argv[i]);
				return EXIT_USAGE;
			}
			req.has_deadline = true;
		} else if (!strcmp(a, "--total-time") || !strcmp(a, "--stall-time")) {
			if (need_value(argc, argv, i) < 0 ||
			    parse_duration(a, argv[i + 1],
					   a[2] == 't' ? &req.limits.total_time : &req.limits.stall_time) < 0)
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "--max-transfer") || !strcmp(a, "--max-checkout") ||
			   !strcmp(a, "--max-file-size") || !strcmp(a, "--max-memory")) {
			uint64_t *dst = !strcmp(a, "--max-transfer")   ? &req.limits.transfer_bytes
					: !strcmp(a, "--max-checkout") ? &req.limits.checkout_bytes
					: !strcmp(a, "--max-memory")   ? &req.limits.memory_bytes
								       : &req.limits.file_bytes;
			if (need_value(argc, argv, i) < 0 || parse_size(a, argv[i + 1], dst) < 0)
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(a, "--max-files")) {
			if (need_value(argc, argv, i) < 0)
				return EXIT_USAGE;
			if (num_parse_int(argv[++i], 1, 100000000, &n) < 0) {
				fprintf(stderr, "grader fetch: --max-files: invalid count '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
			req.limits.files = (uint64_t)n;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "grader fetch: unknown option '%s' (see grader fetch --help)\n", a);
			return EXIT_USAGE;
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, "grader fetch: unexpected argument '%s'\n", a);
			return EXIT_USAGE;
		}
	}
	if (npos != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (fs_mkdirs(pos[1]) < 0) {
		fprintf(stderr, "grader fetch: cannot create %s: %s\n", pos[1], strerror(errno));
		return EXIT_INFRA;
	}
	if (want_status && !(status = status_json(pos[0])))
		return EXIT_USAGE;
	req.source = pos[0];
	req.parent = pos[1];
	req.token_hosts = hosts;
	req.ntoken_hosts = nhosts;
	req.transfer = FETCH_TRANSFER_EXEC;
	rc = fetch_run(&req, &res);
	json = fetch_result_to_json(&res);
	if (json && status)
		cJSON_AddItemToObject(json, "worktree", status);
	else
		cJSON_Delete(status);
	text = json ? cJSON_Print(json) : NULL;
	if (text)
		printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(json);
	if (rc < 0)
		fprintf(stderr, "grader fetch: %s\n", res.message.data);
	for (size_t i = 0; rc == 0 && i < res.nwarnings; i++)
		fprintf(stderr, "grader fetch: warning: %s\n", res.warnings[i]);
	/* one mapping (fetch_error_class, cli_exit_status): grade's and fetch's statuses agree */
	rc = cli_exit_status(rc == 0 ? ERROR_NONE : fetch_error_class(res.error));
	fetch_result_free(&res);
	return rc;
}
