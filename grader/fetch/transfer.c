/* transfer.c: the network transfer: a child process that fetches with libgit2 and reports progress
 * over a pipe, and the parent that enforces the time, stall and size limits from outside. */
#include "fetch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "num.h"
#include "banned.h"

#define TRANSFER_FD 3 /* the progress pipe in an exec'ed transfer child */
#define FRAME_MAX 65536

/* A sanitizer build reserves terabytes of address space (shadow memory), and counts it as data
 * too: neither RLIMIT_AS nor RLIMIT_DATA can bound it, so only libgit2's own bounds apply there. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* libgit2 1.5.1+ds-1+deb12u2 (Debian 12's security update for CVE-2026-53585) adds
 * GIT_OPT_SET_PACK_MAX_OBJECT_SIZE, the largest object a delta may produce, as the value 38 after
 * GIT_OPT_SET_OWNER_VALIDATION (36): named by number, so that the grader still builds against
 * the headers of earlier 1.5 packages, whose library answers -1 ("invalid option"). */
#if LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR == 5
#define OPT_SET_PACK_MAX_OBJECT_SIZE 38
_Static_assert(GIT_OPT_SET_OWNER_VALIDATION == 36, "libgit2 1.5's option numbers");
#endif

/* ---- the transfer child -------------------------------------------------------------------- */

/* Frames on the progress pipe: a type byte, a 4-byte length in host order, the payload. */
enum {
	FRAME_PROGRESS = 'P', /* 4 x uint64: received bytes, received objects, total objects, deltas */
	FRAME_ALIVE = 'S',    /* the server said something (sideband) */
	FRAME_HEAD = 'H',     /* the remote's default branch, "" when it has none */
	FRAME_ERROR = 'E',    /* a kind byte (enum fetch_error) then the message */
};

enum auth_state {
	AUTH_UNUSED,
	AUTH_SENT,
	AUTH_MISSING, /* a token host asks, and there is no token */
	AUTH_REJECTED,
	AUTH_WRONG_HOST,   /* a redirect led to another host that asks */
	AUTH_UNLISTED,     /* a host that is not a token host asks: the submission is not readable */
	AUTH_SSH_UNLISTED, /* an ssh server that is not a token host: every ssh clone needs a key */
	AUTH_PLAIN_HTTP,   /* a token host asks over plain http (not loopback) */
	AUTH_SSH_NO_AGENT, /* a listed ssh server wants a key, and SSH_AUTH_SOCK is not set */
	AUTH_SSH_SENT,     /* the ssh agent's keys were offered */
	AUTH_SSH_REJECTED, /* ... and refused, twice */
};

struct child_ctx {
	int fd;
	const char *url;
	uint64_t max_bytes;
	uint64_t memory; /* the memory limit (fetch_limits.memory_bytes) */
	double last_sent;
	uint64_t last_bytes;
	int attempts;
	enum auth_state auth;
	bool limit_hit;
	bool hostkey_checked;         /* an ssh server's key was looked up... */
	enum hostkey_verdict hostkey; /* ... with this verdict */
	struct buf hostkey_file;      /* the known_hosts file that lists another key */
	struct buf ssh_user;          /* the user the agent's keys were offered for */
	struct buf host;
	const char *token_hosts; /* comma-separated, lower case */
	struct buf asking;       /* the host that asked for credentials */
};

static int write_frame(int fd, char type, const void *data, uint32_t len)
{
	char hdr[5];
	const char *parts[2] = {hdr, data};
	size_t lens[2] = {sizeof(hdr), len};

	hdr[0] = type;
	memcpy(hdr + 1, &len, 4);
	for (int i = 0; i < 2; i++) {
		const char *p = parts[i];
		size_t n = lens[i];
		while (n) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			p += w;
			n -= (size_t)w;
		}
	}
	return 0;
}

static int cb_progress(const git_indexer_progress *st, void *payload)
{
	struct child_ctx *c = payload;
	double now = clock_now();

	if (st->received_bytes > c->max_bytes) {
		c->limit_hit = true;
		return -1;
	}
	if (now - c->last_sent >= 0.05 || st->received_objects == st->total_objects) {
		uint64_t v[4] = {st->received_bytes, st->received_objects, st->total_objects, st->indexed_deltas};
		c->last_sent = now;
		if (write_frame(c->fd, FRAME_PROGRESS, v, sizeof(v)) < 0)
			return -1;
	}
	return 0;
}

static int cb_sideband(const char *str, int len, void *payload)
{
	struct child_ctx *c = payload;
	double now = clock_now();

	(void)str;
	(void)len;
	if (now - c->last_sent >= 0.05) {
		c->last_sent = now;
		if (write_frame(c->fd, FRAME_ALIVE, "", 0) < 0)
			return -1;
	}
	return 0;
}

static int cb_credentials(git_credential **out, const char *url, const char *user_from_url,
			  unsigned int allowed, void *payload)
{
	struct child_ctx *c = payload;
	const char *token = getenv(FETCH_TOKEN_ENV), *user;
	struct buf host = BUF_INIT;
	bool same_host, secure, listed;

	c->attempts++;
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user_from_url && *user_from_url ? user_from_url : "git");
	/* Credentials of any kind go only to the hosts the instructor listed: a roster row is
	 * learner-supplied, and a server the learner runs would receive the token. */
	url_host(url ? url : c->url, &host);
	buf_reset(&c->asking);
	buf_puts(&c->asking, buf_str(&host));
	listed = host_listed(c->token_hosts, buf_str(&host));
	same_host = !strcasecmp(buf_str(&host), buf_str(&c->host));
	secure = has_scheme(url ? url : "", "https") || has_scheme(url ? url : "", "ssh") ||
		 (url && !strstr(url, "://")) || /* scp-like: ssh */
		 !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) ||
		 (has_scheme(url ? url : "", "http") && is_loopback(buf_str(&host)));
	buf_free(&host);
	if (!listed) {
		/* ssh always wants a key, so an unlisted ssh host is the instructor's to list, while
		 * an https host that asks holds a repository the grader was not meant to read */
		c->auth = allowed & GIT_CREDENTIAL_SSH_KEY ? AUTH_SSH_UNLISTED : AUTH_UNLISTED;
		git_error_set_str(GIT_ERROR_NET, "credentials withheld");
		return GIT_EAUTH;
	}
	if (!same_host) {
		c->auth = AUTH_WRONG_HOST;
		git_error_set_str(GIT_ERROR_NET, "credentials withheld");
		return GIT_EAUTH;
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		const char *sock = getenv("SSH_AUTH_SOCK");
		user = user_from_url && *user_from_url ? user_from_url : "git";
		buf_reset(&c->ssh_user);
		buf_puts(&c->ssh_user, user);
		if (!sock || !*sock) {
			c->auth = AUTH_SSH_NO_AGENT;
			git_error_set_str(GIT_ERROR_SSH, "no ssh agent");
			return GIT_EAUTH;
		}
		if (c->attempts > 2) {
			c->auth = AUTH_SSH_REJECTED;
			git_error_set_str(GIT_ERROR_SSH, "keys rejected");
			return GIT_EAUTH;
		}
		c->auth = AUTH_SSH_SENT;
		return git_credential_ssh_key_from_agent(out, user);
	}
	if (!(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
		git_error_set_str(GIT_ERROR_NET, "the server asks for an unsupported kind of credentials");
		return GIT_EAUTH;
	}
	if (!secure) {
		c->auth = AUTH_PLAIN_HTTP;
		git_error_set_str(GIT_ERROR_NET, "credentials withheld");
		return GIT_EAUTH;
	}
	if (!token || !*token) {
		c->auth = AUTH_MISSING;
		git_error_set_str(GIT_ERROR_NET, "credentials required");
		return GIT_EAUTH;
	}
	if (c->attempts > 2) {
		c->auth = AUTH_REJECTED;
		git_error_set_str(GIT_ERROR_NET, "credentials rejected");
		return GIT_EAUTH;
	}
	c->auth = AUTH_SENT;
	user = user_from_url && *user_from_url ? user_from_url : getenv("GRADER_GIT_USER");
	return git_credential_userpass_plaintext_new(out, user && *user ? user : "x-access-token", token);
}

static int cb_certificate(git_cert *cert, int valid, const char *host, void *payload)
{
	struct child_ctx *c = payload;

	(void)valid; /* for TLS, libgit2's own verdict stands: we never turn an invalid cert valid */
	if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2) {
		const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
		/* called after the key exchange and before authentication: a refusal here means that
		 * no credential is ever offered to this server */
		c->hostkey_checked = true;
		c->hostkey = (hk->type & GIT_CERT_SSH_RAW) && host
				     ? ssh_host_known(host, url_port(c->url), (const unsigned char *)hk->hostkey,
						      hk->hostkey_len, &c->hostkey_file)
				     : HOSTKEY_UNKNOWN;
		if (c->hostkey == HOSTKEY_KNOWN)
			return 0;
		git_error_set_str(GIT_ERROR_SSH, "unknown ssh host key");
		return GIT_ECERTIFICATE;
	}
	return GIT_PASSTHROUGH;
}

/* Bounds the memory of the transfer child to `cap` bytes beyond what it holds now: libgit2's
 * mmap windows, object count and (where the option exists) unpacked object size, then the
 * address space (RLIMIT_AS) unless this is a sanitizer build. Returns 0, or -1 when the limit
 * cannot be set. */
static int cap_memory(uint64_t cap)
{
	size_t quarter = (size_t)(cap / 4 > SIZE_MAX ? SIZE_MAX : cap / 4);
	struct rlimit rl;
	rlim_t want;
	unsigned long long pages = 0;
	FILE *f;
	char line[128], *end;

	/* mmap windows over the pack being indexed: 32 MiB each, a quarter of the cap in all */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)32 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, quarter);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, (size_t)64);
	/* the indexer keeps an entry per object: about 100 bytes, so one object per KiB of cap */
	git_libgit2_opts(GIT_OPT_SET_PACK_MAX_OBJECTS, (size_t)(cap >> 10 > SIZE_MAX ? SIZE_MAX : cap >> 10));
#ifdef OPT_SET_PACK_MAX_OBJECT_SIZE
	/* applying a delta holds its base and its result: an object may take a quarter of the cap */
	if (!getenv(FETCH_NO_OBJECT_CAP_ENV) && git_libgit2_opts(OPT_SET_PACK_MAX_OBJECT_SIZE, quarter) < 0)
		git_error_clear();
#endif
	if (UNDER_ASAN)
		return 0;
	f = fopen("/proc/self/statm", "re");
	if (f && fgets(line, sizeof(line), f)) { /* the first field: the size in pages */
		errno = 0;
		pages = strtoull(line, &end, 10);
		if (errno || end == line)
			pages = 0;
	}
	if (f)
		fclose(f);
	want = (rlim_t)(pages * (unsigned long long)sysconf(_SC_PAGESIZE) + cap);
	/* a lower limit the host already set (ulimit -v) stays: only the hard limit's owner raises it */
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = want;
	return setrlimit(RLIMIT_AS, &rl);
}

/* Whether libgit2's last error is the memory limit: an allocation that failed under RLIMIT_AS,
 * an object larger than the object size bound, more objects than the object count bound. */
static bool out_of_memory(void)
{
	const git_error *e = git_error_last();

	return e && (e->klass == GIT_ERROR_NOMEMORY ||
		     (e->message && (strstr(e->message, "overly large object") ||
				     strstr(e->message, "too many objects"))));
}

static void child_fail(struct child_ctx *c, int rc)
{
	struct buf msg = BUF_INIT, clean = BUF_INIT;
	char kind = FETCH_ERR_NETWORK;
	char sz[32];

	if (c->limit_hit) {
		kind = FETCH_ERR_LIMIT;
		buf_printf(&msg, "clone of %s: more than %s received (transfer limit)", c->url,
			   num_format_size(c->max_bytes, sz, sizeof(sz)));
	} else if (out_of_memory()) {
		/* the pack is the learner's: a delta that expands past the cap is theirs to fix */
		kind = FETCH_ERR_LIMIT;
		buf_printf(&msg, "clone of %s: the repository needs more than %s to unpack (memory limit): %s",
			   c->url, num_format_size(c->memory, sz, sizeof(sz)), libgit2_message());
	} else if (c->auth == AUTH_MISSING) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg,
			   "clone of %s: the server asks for credentials; set %s to a token that can "
			   "read the repository",
			   c->url, FETCH_TOKEN_ENV);
	} else if (c->auth == AUTH_REJECTED || (c->auth == AUTH_SENT && rc == GIT_EAUTH)) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: the server rejected the token from %s (tried twice)",
			   c->url, FETCH_TOKEN_ENV);
	} else if (c->auth == AUTH_UNLISTED) {
		/* the instructor never vouched for this host: the submission is not readable as given */
		kind = FETCH_ERR_SOURCE;
		buf_printf(&msg,
			   "clone of %s: %s asks for credentials, and it is not a token host: the "
			   "repository is not readable without them (credentials go only to hosts listed with "
			   "--token-host or %s)",
			   c->url, buf_str(&c->asking), FETCH_TOKEN_HOSTS_ENV);
	} else if (c->auth == AUTH_SSH_UNLISTED) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg,
			   "clone of %s: the ssh server %s wants a key, and it is not a token host: the "
			   "ssh agent's keys go only to hosts listed with --token-host or %s",
			   c->url, buf_str(&c->asking), FETCH_TOKEN_HOSTS_ENV);
	} else if (c->auth == AUTH_PLAIN_HTTP) {
		kind = FETCH_ERR_SOURCE;
		buf_printf(&msg,
			   "clone of %s: the server asks for credentials over plain http; the token "
			   "is never sent over plain http (use the https URL)",
			   c->url);
	} else if (c->auth == AUTH_WRONG_HOST) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg,
			   "clone of %s: credentials requested by another host (%s, after a redirect); "
			   "the token from %s is only sent to the URL's own host",
			   c->url, buf_str(&c->asking), FETCH_TOKEN_ENV);
	} else if (c->auth == AUTH_SSH_NO_AGENT) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg,
			   "clone of %s: the ssh server %s wants a key, and no ssh agent is running "
			   "(SSH_AUTH_SOCK is not set): start ssh-agent and ssh-add the key that reads the "
			   "course's repositories",
			   c->url, buf_str(&c->asking));
	} else if (c->auth == AUTH_SSH_REJECTED || (c->auth == AUTH_SSH_SENT && rc == GIT_EAUTH)) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg,
			   "clone of %s: the ssh server %s refused the ssh agent's keys for the user '%s' "
			   "(tried twice; 'ssh-add -l' lists them): give that account the public key, or "
			   "ssh-add the key it accepts",
			   c->url, buf_str(&c->asking), buf_str(&c->ssh_user));
	} else if (c->hostkey_checked && c->hostkey == HOSTKEY_CHANGED) {
		char name[300], opt[32] = "";
		int port = url_port(c->url);
		if (port == 22) {
			snprintf(name, sizeof(name), "%s", buf_str(&c->host));
		} else {
			snprintf(name, sizeof(name), "[%s]:%d", buf_str(&c->host), port);
			snprintf(opt, sizeof(opt), " -p %d", port);
		}
		buf_printf(&msg,
			   "clone of %s: the ssh host key of %s does not match the one %s lists for it: "
			   "refused, and no credential was offered (the server may not be the one it "
			   "claims; if its key really changed, replace that line with the output of "
			   "'ssh-keyscan%s %s')",
			   c->url, name, buf_str(&c->hostkey_file), opt, buf_str(&c->host));
	} else if (c->hostkey_checked && c->hostkey == HOSTKEY_UNKNOWN) {
		buf_printf(&msg,
			   "clone of %s: the ssh host key of %s is not in known_hosts (set "
			   "GRADER_SSH_KNOWN_HOSTS or add it to ~/.ssh/known_hosts); no credential was offered",
			   c->url, buf_str(&c->host));
	} else {
		if (rc == GIT_EAUTH)
			kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: %s", c->url, libgit2_message());
	}
	fetch_redact(buf_str(&msg), &clean);
	{
		struct buf frame = BUF_INIT;
		buf_append(&frame, &kind, 1);
		buf_append(&frame, clean.data, clean.len > FRAME_MAX - 1 ? FRAME_MAX - 1 : clean.len);
		write_frame(c->fd, FRAME_ERROR, frame.data, (uint32_t)frame.len);
		buf_free(&frame);
	}
	buf_free(&msg);
	buf_free(&clean);
}

/* Fetches every branch and tag of `url` into a new bare repository at `gitdir`. */
static int transfer_child(const char *url, const char *gitdir, uint64_t max_bytes, uint64_t memory,
			  const char *hosts, int fd)
{
	static const char *specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
	git_strarray refspecs = {(char **)specs, 2};
	struct child_ctx c = {.fd = fd, .url = url, .max_bytes = max_bytes, .memory = memory, .token_hosts = hosts};
	git_remote_callbacks cbs;
	git_fetch_options fo;
	git_proxy_options po;
	git_remote_create_options ro;
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	git_buf head = GIT_BUF_INIT;
	int rc;

	if (fetch_init() < 0) {
		char msg[] = "?libgit2 failed to initialise";
		msg[0] = FETCH_ERR_INFRA;
		write_frame(fd, FRAME_ERROR, msg, (uint32_t)strlen(msg));
		return 1;
	}
	if (cap_memory(memory) < 0) {
		struct buf msg = BUF_INIT;
		char kind = FETCH_ERR_INFRA;
		buf_append(&msg, &kind, 1);
		buf_printf(&msg, "clone of %s: cannot limit the transfer process's memory: %s", url,
			   strerror(errno));
		write_frame(fd, FRAME_ERROR, msg.data, (uint32_t)msg.len);
		buf_free(&msg);
		return 1;
	}
	git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	git_proxy_options_init(&po, GIT_PROXY_OPTIONS_VERSION);
	url_host(url, &c.host);
	cbs.transfer_progress = cb_progress;
	cbs.sideband_progress = cb_sideband;
	cbs.credentials = cb_credentials;
	cbs.certificate_check = cb_certificate;
	cbs.payload = &c;
	fo.callbacks = cbs;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	if ((rc = git_repository_init(&repo, gitdir, 1)) < 0 ||
	    (rc = git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION)) < 0 ||
	    (ro.repository = repo,
	     ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC, 0) ||
	    (rc = git_remote_create_with_opts(&remote, url, &ro)) < 0 ||
	    (rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &cbs, &po, NULL)) < 0)
		goto fail;
	rc = git_remote_default_branch(&head, remote);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		goto fail;
	if (write_frame(fd, FRAME_HEAD, rc == 0 ? head.ptr : "", rc == 0 ? (uint32_t)head.size : 0) < 0)
		goto out_quiet;
	if ((rc = git_remote_download(remote, &refspecs, &fo)) < 0 ||
	    (rc = git_remote_update_tips(remote, &cbs, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, NULL)) < 0)
		goto fail;
	git_remote_disconnect(remote);
	rc = 0;
	goto out;
fail:
	child_fail(&c, rc);
out_quiet:
	rc = 1;
out:
	git_buf_dispose(&head);
	git_remote_free(remote);
	git_repository_free(repo);
	buf_free(&c.host);
	buf_free(&c.asking);
	buf_free(&c.hostkey_file);
	buf_free(&c.ssh_user);
	return rc;
}

int fetch_transfer_child_main(int argc, char **argv)
{
	unsigned long long max, memory = 0;
	char *end;
	bool bad;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "grader fetch --transfer-child: internal use only\n");
		return 2;
	}
	errno = 0;
	max = strtoull(argv[3], &end, 10);
	bad = errno || *end;
	if (!bad) {
		memory = strtoull(argv[4], &end, 10);
		bad = errno || *end || !memory;
	}
	if (bad || fcntl(TRANSFER_FD, F_GETFD) < 0) {
		fprintf(stderr, "grader fetch --transfer-child: internal use only\n");
		return 2;
	}
	return transfer_child(argv[1], argv[2], max, memory, argc == 6 ? argv[5] : "", TRANSFER_FD);
}

/* ---- the transfer parent ------------------------------------------------------------------- */

static int handle_frame(char type, const char *data, uint32_t len, struct transfer_out *t,
			struct fetch_result *res, bool *progress)
{
	if (type == FRAME_PROGRESS && len == 32) {
		uint64_t v[4];
		memcpy(v, data, sizeof(v));
		*progress = true;
		t->bytes = v[0];
	} else if (type == FRAME_ALIVE) {
		*progress = true;
	} else if (type == FRAME_HEAD) {
		t->has_head = true;
		buf_reset(&t->head);
		buf_append(&t->head, data, len);
		*progress = true;
	} else if (type == FRAME_ERROR && len >= 1) {
		int kind = (unsigned char)data[0];
		if (kind <= FETCH_OK || kind > FETCH_ERR_INFRA)
			kind = FETCH_ERR_NETWORK;
		set_error(res, (enum fetch_error)kind, "%.*s", (int)(len - 1), data + 1);
	}
	return 0;
}

/* Whether the running executable is the grader, which knows `fetch --transfer-child`. */
static bool running_grader(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *base;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	return !strncmp(base, "grader", 6);
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Starts the transfer child with the write end of a close-on-exec pipe as its progress channel
 * (on descriptor TRANSFER_FD when it executes the grader), its stdin and stdout on /dev/null.
 * Returns its pid with the read end in `*rd`, or -1 with res set. */
static pid_t start_child(const struct fetch_request *req, const struct fetch_limits *lim, const char *url,
			 const char *gitdir, const char *hosts, int *rd, struct fetch_result *res)
{
	char maxs[32], mems[32], *argv[9];
	int fds[2], devnull;
	bool exec_self;
	pid_t pid;

	snprintf(maxs, sizeof(maxs), "%llu", (unsigned long long)lim->transfer_bytes);
	snprintf(mems, sizeof(mems), "%llu", (unsigned long long)lim->memory_bytes);
	argv[0] = (char *)"grader";
	argv[1] = (char *)"fetch";
	argv[2] = (char *)"--transfer-child";
	argv[3] = (char *)url;
	argv[4] = (char *)gitdir;
	argv[5] = maxs;
	argv[6] = mems;
	argv[7] = (char *)hosts;
	argv[8] = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		set_error(res, FETCH_ERR_INFRA, "clone of %s: pipe: %s", url, strerror(errno));
		return -1;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	exec_self = req->transfer == FETCH_TRANSFER_EXEC ||
		    (req->transfer == FETCH_TRANSFER_AUTO && running_grader());
	pid = fork();
	if (pid < 0) {
		set_error(res, FETCH_ERR_INFRA, "clone of %s: fork: %s", url, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		if (devnull >= 0)
			close(devnull);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		if (!exec_self) {
			close(fds[0]);
			_exit(transfer_child(url, gitdir, lim->transfer_bytes, lim->memory_bytes, hosts,
					     fds[1]));
		}
		if (fds[1] == TRANSFER_FD)
			fcntl(TRANSFER_FD, F_SETFD, 0);
		else if (dup2(fds[1], TRANSFER_FD) < 0)
			_exit(127);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fds[1]);
	if (devnull >= 0)
		close(devnull);
	*rd = fds[0];
	return pid;
}

/* Handles the complete frames at the start of `in` and removes them; a length over FRAME_MAX
 * empties `in`. Returns true when one of them showed progress. */
static bool take_frames(struct buf *in, struct transfer_out *t, struct fetch_result *res)
{
	bool any = false;

	for (;;) {
		uint32_t len;
		bool progress = false;
		if (in->len < 5)
			break;
		memcpy(&len, in->data + 1, 4);
		if (len > FRAME_MAX) {
			buf_setlen(in, 0);
			break;
		}
		if (in->len < 5 + (size_t)len)
			break;
		handle_frame(in->data[0], in->data + 5, len, t, res, &progress);
		memmove(in->data, in->data + 5 + len, in->len - 5 - len);
		buf_setlen(in, in->len - 5 - len);
		any |= progress;
	}
	return any;
}

/* Reads the child's progress from `fd` until the child closes the pipe (0), or kills and reaps
 * the child when it passes a limit counted from `start` (time, stall, bytes) or its progress
 * cannot be read (-1 with res set: a limit replaces whatever the child said). */
static int watch_child(pid_t pid, int fd, double start, const struct fetch_limits *lim, const char *url,
		       struct transfer_out *t, struct fetch_result *res)
{
	struct buf in = BUF_INIT;
	double last = start;
	char dur[32], sz[32];
	int rc = -1;

	in.max = 4 * FRAME_MAX;
	for (;;) {
		double now = clock_now(), left_total = start + lim->total_time - now;
		double left_stall = last + lim->stall_time - now,
		       left = left_total < left_stall ? left_total : left_stall;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		char chunk[8192];
		ssize_t n;
		int pr;

		if (left_total <= 0 || left_stall <= 0) {
			kill_and_reap(pid);
			res->error = FETCH_OK; /* a limit is the real story, whatever the child said */
			if (left_total <= 0)
				set_error(res, FETCH_ERR_TIMEOUT,
					  "clone of %s: took longer than %s (total time limit)", url,
					  num_format_duration(lim->total_time, dur, sizeof(dur)));
			else
				set_error(res, FETCH_ERR_TIMEOUT, "clone of %s: no progress for %s (stall limit)",
					  url, num_format_duration(lim->stall_time, dur, sizeof(dur)));
			goto out;
		}
		pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_append(&in, chunk, (size_t)n) < 0) {
			kill_and_reap(pid);
			set_error(res, FETCH_ERR_INFRA,
				  "clone of %s: garbled progress from the transfer process", url);
			goto out;
		}
		if (take_frames(&in, t, res))
			last = clock_now();
		if (t->bytes > lim->transfer_bytes) {
			kill_and_reap(pid);
			res->error = FETCH_OK;
			set_error(res, FETCH_ERR_LIMIT, "clone of %s: more than %s received (transfer limit)",
				  url, num_format_size(lim->transfer_bytes, sz, sizeof(sz)));
			goto out;
		}
	}
	rc = 0;
out:
	buf_free(&in);
	return rc;
}

int transfer(const struct fetch_request *req, const struct fetch_limits *lim, const char *url,
	     const char *gitdir, const char *hosts, struct transfer_out *t, struct fetch_result *res)
{
	double start = clock_now();
	int fd = -1, status = 0;
	struct rusage ru = {0};
	char sz[32], rss[32];
	pid_t pid = start_child(req, lim, url, gitdir, hosts, &fd, res);

	if (pid < 0)
		return -1;
	if (watch_child(pid, fd, start, lim, url, t, res) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	res->transfer_bytes = t->bytes;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && res->error == FETCH_OK)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		set_error(res, FETCH_ERR_INFRA,
			  "clone of %s: could not start the transfer process "
			  "(/proc/self/exe fetch --transfer-child)",
			  url);
	else if (WIFSIGNALED(status) && (uint64_t)ru.ru_maxrss * 1024 >= lim->memory_bytes / 2)
		/* killed (the kernel's OOM killer, a cgroup's limit) or crashed on a failed allocation
		 * after growing to half the cap or more: the memory limit, not our machine's fault */
		set_error(res, FETCH_ERR_LIMIT,
			  "clone of %s: the repository needs more than %s to unpack (memory limit): the "
			  "transfer process died of signal %d at %s",
			  url, num_format_size(lim->memory_bytes, sz, sizeof(sz)), WTERMSIG(status),
			  num_format_size((uint64_t)ru.ru_maxrss * 1024, rss, sizeof(rss)));
	else if (WIFSIGNALED(status))
		set_error(res, FETCH_ERR_INFRA, "clone of %s: the transfer process died of signal %d",
			  url, WTERMSIG(status));
	else
		set_error(res, FETCH_ERR_NETWORK, "clone of %s: the transfer process failed (exit %d)",
			  url, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return -1;
}
