/* program.c: running the Python original or the Rust port on one input (see program.h). */
#include "program.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "xalloc.h"
#include "banned.h"

const char *program_name(enum program_which which)
{
	return which == PROGRAM_PYTHON ? "Python" : "Rust";
}

void program_scratch(const struct program_pair *p, enum program_which which, struct buf *out)
{
	fs_join(out, p->scratch, which == PROGRAM_PYTHON ? "python" : "rust");
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Replaces every "{input}" in `arg` with `value`. */
static char *substitute(const char *arg, const char *value)
{
	struct buf b = BUF_INIT;
	const char *s = arg, *hit;

	while ((hit = strstr(s, "{input}"))) {
		buf_append(&b, s, (size_t)(hit - s));
		buf_puts(&b, value);
		s = hit + 7;
	}
	buf_puts(&b, s);
	return buf_detach(&b);
}

/* Records an internal failure (errno says why) as a sandbox error of this run, its buffers
 * initialised as sandbox_run() leaves them. */
static void fail(struct sandbox_result *res, const char *what, const char *path)
{
	int e = errno;

	memset(res, 0, sizeof(*res));
	buf_init(&res->out);
	buf_init(&res->err);
	buf_init(&res->message);
	res->verdict = SANDBOX_ERROR;
	res->exit_code = -1;
	buf_printf(&res->message, "%s %s: %s", what, path, strerror(e));
}

int program_run(struct sandbox *sb, const struct program_pair *p, enum program_which which,
		const char *input, struct sandbox_result *res)
{
	struct buf scratch = BUF_INIT, dst = BUF_INIT, inside_input = BUF_INIT, script = BUF_INIT,
		   port = BUF_INIT;
	const char **argv = xcalloc(p->nargs + 4, sizeof(*argv));
	char **owned = xcalloc(p->nargs + 1, sizeof(*owned));
	struct sandbox_bind binds[3];
	int nbinds = 0, argc = 0, rc = -1;
	struct sandbox_request req = {0};

	program_scratch(p, which, &scratch);
	if (fs_rmtree(scratch.data) < 0 || fs_mkdirs(scratch.data) < 0) {
		fail(res, "cannot prepare the scratch directory", scratch.data);
		goto out;
	}
	if (input) {
		fs_join(&dst, scratch.data, base_name(input));
		if (fs_copytree(input, dst.data) < 0) {
			fail(res, "cannot copy the input", input);
			goto out;
		}
		fs_join(&inside_input, "/work", base_name(input));
	}
	binds[nbinds++] = (struct sandbox_bind){.host = p->submission, .inside = "/submission"};
	if (which == PROGRAM_PYTHON) {
		program_python_paths(p, &script, NULL);
		if (p->python_dir)
			binds[nbinds++] = (struct sandbox_bind){.host = p->python_dir, .inside = "/original"};
		argv[argc++] = "python3";
		argv[argc++] = script.data;
		req.profile = "python-run";
	} else {
		fs_join(&port, "/port", base_name(p->rust_binary));
		binds[nbinds++] = (struct sandbox_bind){.host = p->rust_binary, .inside = port.data};
		argv[argc++] = port.data;
		req.profile = "rust-run";
	}
	for (size_t i = 0; i < p->nargs; i++) {
		owned[i] = substitute(p->args[i], input ? inside_input.data : "/dev/null");
		argv[argc++] = owned[i];
	}
	argv[argc] = NULL;
	req.argv = argv;
	req.workdir = scratch.data;
	req.binds = binds;
	req.nbinds = nbinds;
	req.stdin_path = input && p->stdin_input ? dst.data : NULL;
	req.limits = p->limits;
	req.pin_cpu = p->pin_cpu;
	req.cpu = p->cpu;
	memset(res, 0, sizeof(*res));
	rc = sandbox_run(sb, &req, res);
out:
	for (size_t i = 0; i < p->nargs; i++)
		free(owned[i]);
	free(owned);
	free(argv);
	buf_free(&scratch);
	buf_free(&dst);
	buf_free(&inside_input);
	buf_free(&script);
	buf_free(&port);
	return rc;
}

int program_run_file(struct sandbox *sb, const struct program_pair *p, enum program_which which,
		     const char *file, struct sandbox_result *res)
{
	struct buf scratch = BUF_INIT, inside = BUF_INIT;
	const char *argv[3] = {NULL};
	struct sandbox_bind binds[2] = {{.host = p->submission, .inside = "/submission"}};
	struct sandbox_request req = {
		.argv = argv, .binds = binds, .nbinds = 2, .limits = p->limits, .pin_cpu = p->pin_cpu, .cpu = p->cpu};
	int rc = -1;

	fs_join(&scratch, p->scratch, "startup");
	if (fs_rmtree(scratch.data) < 0 || fs_mkdirs(scratch.data) < 0) {
		fail(res, "cannot prepare the scratch directory", scratch.data);
		goto out;
	}
	fs_join(&inside, which == PROGRAM_PYTHON ? "/startup" : "/port", base_name(file));
	binds[1] = (struct sandbox_bind){.host = file, .inside = inside.data};
	if (which == PROGRAM_PYTHON) {
		argv[0] = "python3";
		argv[1] = inside.data;
	} else {
		argv[0] = inside.data;
	}
	req.profile = which == PROGRAM_PYTHON ? "python-run" : "rust-run";
	req.workdir = scratch.data;
	memset(res, 0, sizeof(*res));
	rc = sandbox_run(sb, &req, res);
out:
	buf_free(&scratch);
	buf_free(&inside);
	return rc;
}

void program_python_paths(const struct program_pair *p, struct buf *inside, struct buf *host)
{
	if (inside)
		fs_join(inside, p->python_dir ? "/original" : "/submission", p->python_script);
	if (host)
		fs_join(host, p->python_dir ? p->python_dir : p->submission, p->python_script);
}

int program_run_python_tool(struct sandbox *sb, const struct program_pair *p, const char *script,
			    const char *const *args, struct sandbox_result *res)
{
	struct buf scratch = BUF_INIT, inside = BUF_INIT;
	const char *argv[16];
	int argc = 0, rc = -1;
	struct sandbox_bind bind = {.host = p->submission, .inside = "/submission"};
	struct sandbox_request req = {0};

	fs_join(&scratch, p->scratch, "tool");
	if (fs_rmtree(scratch.data) < 0 || fs_mkdirs(scratch.data) < 0) {
		fail(res, "cannot prepare the scratch directory", scratch.data);
		goto out;
	}
	fs_join(&inside, "/submission", script);
	argv[argc++] = "python3";
	argv[argc++] = inside.data;
	for (size_t i = 0; args && args[i] && argc < 15; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	req.profile = "python-run";
	req.argv = argv;
	req.workdir = scratch.data;
	req.binds = &bind;
	req.nbinds = 1;
	req.limits = p->limits;
	memset(res, 0, sizeof(*res));
	rc = sandbox_run(sb, &req, res);
out:
	buf_free(&scratch);
	buf_free(&inside);
	return rc;
}
