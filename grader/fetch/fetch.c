/* fetch.c: fetches a submission (URL, local repository or directory) into a tree to grade (see fetch.h). */
#include "fetch/fetch.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "num.h"
#include "text.h"
#include "banned.h"

#define TRANSFER_FD 3              /* the progress pipe in an exec'ed transfer child */
#define MAX_PATH_BYTES 4096        /* longest path written into a tree */
#define MAX_DEPTH 128              /* deepest directory nesting written */
#define MAX_LINK_BYTES 4096        /* longest symbolic link target */
#define MAX_HISTORY 200000         /* commits walked to apply a deadline */
#define MAX_LISTED 5               /* paths named in one warning */
#define MAX_STATUS_PATHS 200
#define MAX_GITDIR_ENTRIES 1000000 /* entries of a local repository's git directory scanned */
#define FRAME_MAX 65536

/* ---- libgit2 lifetime ---------------------------------------------------------------------- */

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static int git_init_rc;

static void git_shutdown_at_exit(void)
{
	git_libgit2_shutdown();
}

static void git_init_once(void)
{
	git_init_rc = git_libgit2_init() < 0 ? -1 : 0;
	if (git_init_rc == 0) {
		git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
		atexit(git_shutdown_at_exit);
	}
}

static int fetch_init(void)
{
	pthread_once(&git_once, git_init_once);
	return git_init_rc;
}

/* libgit2 1.5 may have no error to report: never dereference git_error_last() blindly. */
static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message && *e->message ? e->message : "unknown libgit2 error";
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- text hygiene -------------------------------------------------------------------------- */

static int redact_urls(const char *in, struct buf *out)
{
	const char *p = in;

	while (*p) {
		const char *sep = strstr(p, "://");
		const char *auth, *end, *at, *colon;

		if (!sep)
			return buf_puts(out, p);
		auth = sep + 3;
		end = auth + strcspn(auth, "/ \t\n'\"");
		at = memchr(auth, '@', (size_t)(end - auth));
		colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (!colon) {
			if (buf_append(out, p, (size_t)(end - p)) < 0)
				return -1;
		} else if (buf_append(out, p, (size_t)(colon + 1 - p)) < 0 || buf_puts(out, "***") < 0 ||
			   buf_append(out, at, (size_t)(end - at)) < 0) {
			return -1;
		}
		p = end;
	}
	return 0;
}

int fetch_redact(const char *in, struct buf *out)
{
	const char *token = getenv(FETCH_TOKEN_ENV);
	struct buf tmp = BUF_INIT;
	const char *p = in;
	int rc;

	if (token && *token) {
		const char *hit;
		while ((hit = strstr(p, token))) {
			if (buf_append(&tmp, p, (size_t)(hit - p)) < 0 || buf_puts(&tmp, "***") < 0)
				goto fail;
			p = hit + strlen(token);
		}
	}
	if (buf_puts(&tmp, p) < 0)
		goto fail;
	rc = redact_urls(buf_str(&tmp), out);
	buf_free(&tmp);
	return rc;
fail:
	buf_free(&tmp);
	return -1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A malloc'ed copy of at most `max` bytes of `s` that is valid UTF-8 without control characters
 * (invalid bytes become U+FFFD, controls a space), cut at `stop` characters when given. */
static char *clean_text(const char *s, size_t n, size_t max, const char *stop)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t len = utf8_len(u, n - i);

		if (stop && len == 1 && strchr(stop, *u))
			break;
		if (b.len + (len > 1 ? 6 : 3) > max)
			break;
		if (len == 0) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
		} else if (len == 1 && (*u < 0x20 || *u == 0x7f)) {
			buf_puts(&b, " ");
			i++;
		} else {
			/* C1 controls and bidi characters are valid UTF-8: shown as escapes like every view. */
			text_visible(&b, (const char *)u, len, NULL);
			i += len;
		}
	}
	return buf_detach(&b);
}

/* ---- errors -------------------------------------------------------------------------------- */

/* Appends `text` redacted (fetch_redact) and cleaned (clean_text): names from a hostile tree and
 * libgit2 messages may hold any bytes, and messages go into JSON reports and terminals. */
static void append_clean(struct buf *out, const char *text)
{
	struct buf red = BUF_INIT;
	char *clean;

	if (fetch_redact(text, &red) < 0) {
		buf_puts(out, "out of memory while reporting an error");
		buf_free(&red);
		return;
	}
	clean = clean_text(buf_str(&red), red.len, 8192, NULL);
	buf_puts(out, clean ? clean : "");
	free(clean);
	buf_free(&red);
}

static void set_error(struct fetch_result *res, enum fetch_error kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(struct fetch_result *res, enum fetch_error kind, const char *fmt, ...)
{
	struct buf raw = BUF_INIT;
	va_list ap;

	if (res->error != FETCH_OK)
		return; /* keep the first, most specific message */
	res->error = kind;
	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	buf_reset(&res->message);
	append_clean(&res->message, buf_str(&raw));
	buf_free(&raw);
}

static int add_warning(struct fetch_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_warning(struct fetch_result *res, const char *fmt, ...)
{
	struct buf raw = BUF_INIT, clean = BUF_INIT;
	char **w;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	append_clean(&clean, buf_str(&raw));
	buf_free(&raw);
	w = realloc(res->warnings, (res->nwarnings + 1) * sizeof(*w));
	if (!w) {
		buf_free(&clean);
		return -1;
	}
	res->warnings = w;
	w[res->nwarnings++] = buf_detach(&clean);
	return 0;
}

enum error_class fetch_error_class(enum fetch_error e)
{
	switch (e) {
	case FETCH_OK: return ERROR_NONE;
	case FETCH_ERR_SOURCE:
	case FETCH_ERR_LIMIT:
	case FETCH_ERR_REFUSED: return ERROR_LEARNER;
	case FETCH_ERR_TIMEOUT:
	case FETCH_ERR_AUTH:
	case FETCH_ERR_NETWORK:
	case FETCH_ERR_INFRA: return ERROR_INFRA;
	}
	return ERROR_INFRA;
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

/* ---- sources ------------------------------------------------------------------------------- */

static bool has_scheme(const char *s, const char *scheme)
{
	size_t n = strlen(scheme);
	return !strncmp(s, scheme, n) && !strncmp(s + n, "://", 3);
}

/* 1: a URL we accept; 0: not a URL; -1: a URL with a scheme we refuse (ext::, fd::, ftp://). */
static int classify_url(const char *s)
{
	static const char *const ok[] = {"https", "http", "ssh", "git", "file", "ssh+git", "git+ssh"};
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (has_scheme(s, ok[i]))
			return 1;
	if (strstr(s, "://") || strstr(s, "::"))
		return -1;
	/* scp-like [user@]host:path: a colon before any slash, and a host before it */
	if (colon && colon > s && (!slash || colon < slash))
		return 1;
	return 0;
}

/* The host of a URL (lower-case as given), or "" for scp-like syntax without one. */
static void url_host(const char *url, struct buf *out)
{
	const char *p = strstr(url, "://"), *end, *at;

	buf_reset(out);
	if (!p) { /* scp-like user@host:path */
		end = strchr(url, ':');
		at = end ? memchr(url, '@', (size_t)(end - url)) : NULL;
		p = at ? at + 1 : url;
		if (end)
			buf_append(out, p, (size_t)(end - p));
		return;
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memrchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (close)
			buf_append(out, p + 1, (size_t)(close - p - 1));
		return;
	}
	buf_append(out, p, strcspn(p, ":/?#") < (size_t)(end - p) ? strcspn(p, ":/?#") : (size_t)(end - p));
}

static int url_port(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at, *colon;
	long long port;
	char num[8];

	if (!p)
		return 22;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memrchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[')
		p = memchr(p, ']', (size_t)(end - p)) ? (const char *)memchr(p, ']', (size_t)(end - p)) : end;
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon || (size_t)(end - colon - 1) >= sizeof(num) || end == colon + 1)
		return has_scheme(url, "https") ? 443 : has_scheme(url, "http") ? 80 : 22;
	memcpy(num, colon + 1, (size_t)(end - colon - 1));
	num[end - colon - 1] = '\0';
	if (num_parse_int(num, 1, 65535, &port) < 0)
		return 22;
	return (int)port;
}

/* Only literal loopback addresses: a name like "127.example.org" can resolve anywhere. */
static bool is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* ---- ssh known hosts ----------------------------------------------------------------------- */

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 text of length n into out (capacity cap). Returns the length or -1. */
static long b64_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int v;
		if (s[i] == '=')
			break;
		v = b64_value((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (len >= cap)
				return -1;
			out[len++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)len;
}

bool fetch_known_hosts_match(const char *known_hosts, const char *host, int port,
			     const unsigned char *key, size_t keylen)
{
	struct buf want = BUF_INIT;
	const char *line = known_hosts;
	bool found = false;

	if (port == 22)
		buf_puts(&want, host);
	else
		buf_printf(&want, "[%s]:%d", host, port);
	while (line && *line && !found) {
		const char *eol = line + strcspn(line, "\n");
		const char *p = line, *hosts, *b64;
		size_t hlen, blen;

		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p == eol || *p == '#' || *p == '@' || *p == '|')
			goto next; /* comments, markers and hashed names are not used */
		hosts = p;
		hlen = strcspn(p, " \t\n");
		p += hlen;
		p += strspn(p, " \t");                   /* key type */
		p += strcspn(p, " \t\n");
		p += strspn(p, " \t");
		b64 = p;
		blen = strcspn(p, " \t\n");
		if (b64 >= eol || blen == 0)
			goto next;
		for (const char *h = hosts; h < hosts + hlen;) {
			size_t n = strcspn(h, ",");
			if (n > (size_t)(hosts + hlen - h))
				n = (size_t)(hosts + hlen - h);
			if (n == want.len && !memcmp(h, want.data, n)) {
				unsigned char *dec = malloc(blen);
				long dlen = dec ? b64_decode(b64, blen, dec, blen) : -1;
				found = dlen >= 0 && (size_t)dlen == keylen && !memcmp(dec, key, keylen);
				free(dec);
				break;
			}
			h += n + 1;
		}
next:
		line = *eol ? eol + 1 : eol;
	}
	buf_free(&want);
	return found;
}

static bool ssh_host_known(const char *host, int port, const unsigned char *key, size_t keylen)
{
	const char *env = getenv("GRADER_SSH_KNOWN_HOSTS"), *home = getenv("HOME");
	struct buf path = BUF_INIT, text = BUF_INIT;
	bool ok = false;

	for (int i = 0; i < 3 && !ok; i++) {
		buf_reset(&path);
		buf_reset(&text);
		if (i == 0 && env && *env)
			buf_puts(&path, env);
		else if (i == 1 && !(env && *env) && home)
			buf_printf(&path, "%s/.ssh/known_hosts", home);
		else if (i == 2 && !(env && *env))
			buf_puts(&path, "/etc/ssh/ssh_known_hosts");
		else
			continue;
		if (fs_read_file(buf_str(&path), 16u << 20, &text) == 0)
			ok = fetch_known_hosts_match(buf_str(&text), host, port, key, keylen);
	}
	buf_free(&path);
	buf_free(&text);
	return ok;
}

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
	AUTH_MISSING,    /* a token host asks, and there is no token */
	AUTH_REJECTED,
	AUTH_WRONG_HOST, /* a redirect led to another host that asks */
	AUTH_UNLISTED,   /* a host that is not a token host asks: the submission is not readable */
	AUTH_SSH_UNLISTED, /* an ssh server that is not a token host: every ssh clone needs a key */
	AUTH_PLAIN_HTTP, /* a token host asks over plain http (not loopback) */
};

struct child_ctx {
	int fd;
	const char *url;
	uint64_t max_bytes;
	double last_sent;
	uint64_t last_bytes;
	int attempts;
	enum auth_state auth;
	bool limit_hit;
	bool hostkey_unknown;
	struct buf host;
	const char *token_hosts; /* comma-separated, lower case */
	struct buf asking;       /* the host that asked for credentials */
};

/* Whether `host` is in `list` (comma-separated, lower case), ignoring case. */
static bool host_listed(const char *list, const char *host)
{
	size_t n = strlen(host);

	if (!n)
		return false;
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncasecmp(p, host, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

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
	double now = now_mono();

	if (st->received_bytes > c->max_bytes) {
		c->limit_hit = true;
		return -1;
	}
	if (now - c->last_sent >= 0.05 || st->received_objects == st->total_objects) {
		uint64_t v[4] = {st->received_bytes, st->received_objects, st->total_objects,
				 st->indexed_deltas};
		c->last_sent = now;
		if (write_frame(c->fd, FRAME_PROGRESS, v, sizeof(v)) < 0)
			return -1;
	}
	return 0;
}

static int cb_sideband(const char *str, int len, void *payload)
{
	struct child_ctx *c = payload;
	double now = now_mono();

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
		if (c->attempts > 2)
			return GIT_EAUTH;
		return git_credential_ssh_key_from_agent(out, user_from_url ? user_from_url : "git");
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
		if ((hk->type & GIT_CERT_SSH_RAW) && host &&
		    ssh_host_known(host, url_port(c->url), (const unsigned char *)hk->hostkey, hk->hostkey_len))
			return 0;
		c->hostkey_unknown = true;
		git_error_set_str(GIT_ERROR_SSH, "unknown ssh host key");
		return GIT_ECERTIFICATE;
	}
	return GIT_PASSTHROUGH;
}

static void child_fail(struct child_ctx *c, int rc)
{
	struct buf msg = BUF_INIT, clean = BUF_INIT;
	char kind = FETCH_ERR_NETWORK;

	if (c->limit_hit) {
		char sz[32];
		kind = FETCH_ERR_LIMIT;
		buf_printf(&msg, "clone of %s: more than %s received (transfer limit)", c->url,
			   num_format_size(c->max_bytes, sz, sizeof(sz)));
	} else if (c->auth == AUTH_MISSING) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: the server asks for credentials; set %s to a token that can "
			   "read the repository", c->url, FETCH_TOKEN_ENV);
	} else if (c->auth == AUTH_REJECTED || (c->auth == AUTH_SENT && rc == GIT_EAUTH)) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: the server rejected the token from %s (tried twice)", c->url,
			   FETCH_TOKEN_ENV);
	} else if (c->auth == AUTH_UNLISTED) {
		/* the instructor never vouched for this host: the submission is not readable as given */
		kind = FETCH_ERR_SOURCE;
		buf_printf(&msg, "clone of %s: %s asks for credentials, and it is not a token host: the "
			   "repository is not readable without them (credentials go only to hosts listed with "
			   "--token-host or %s)", c->url, buf_str(&c->asking), FETCH_TOKEN_HOSTS_ENV);
	} else if (c->auth == AUTH_SSH_UNLISTED) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: the ssh server %s wants a key, and it is not a token host: the "
			   "ssh agent's keys go only to hosts listed with --token-host or %s", c->url,
			   buf_str(&c->asking), FETCH_TOKEN_HOSTS_ENV);
	} else if (c->auth == AUTH_PLAIN_HTTP) {
		kind = FETCH_ERR_SOURCE;
		buf_printf(&msg, "clone of %s: the server asks for credentials over plain http; the token "
			   "is never sent over plain http (use the https URL)", c->url);
	} else if (c->auth == AUTH_WRONG_HOST) {
		kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: credentials requested by another host (%s, after a redirect); "
			   "the token from %s is only sent to the URL's own host", c->url, buf_str(&c->asking),
			   FETCH_TOKEN_ENV);
	} else if (c->hostkey_unknown) {
		buf_printf(&msg, "clone of %s: the ssh host key of %s is not in known_hosts (set "
			   "GRADER_SSH_KNOWN_HOSTS or add it to ~/.ssh/known_hosts)", c->url, buf_str(&c->host));
	} else {
		if (rc == GIT_EAUTH)
			kind = FETCH_ERR_AUTH;
		buf_printf(&msg, "clone of %s: %s", c->url, git_message());
	}
	fetch_redact(buf_str(&msg), &clean);
	{
		struct buf frame = BUF_INIT;
		buf_append(&frame, &kind, 1);
		buf_append(&frame, clean.data ? clean.data : "", clean.len > FRAME_MAX - 1 ? FRAME_MAX - 1 : clean.len);
		write_frame(c->fd, FRAME_ERROR, frame.data, (uint32_t)frame.len);
		buf_free(&frame);
	}
	buf_free(&msg);
	buf_free(&clean);
}

/* Fetches every branch and tag of `url` into a new bare repository at `gitdir`. */
static int transfer_child(const char *url, const char *gitdir, uint64_t max_bytes, const char *hosts, int fd)
{
	static const char *specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
	git_strarray refspecs = {(char **)specs, 2};
	struct child_ctx c = {.fd = fd, .url = url, .max_bytes = max_bytes, .token_hosts = hosts};
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
	    (ro.repository = repo, ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
					      GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC, 0) ||
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
	return rc;
}

int fetch_transfer_child_main(int argc, char **argv)
{
	unsigned long long max;
	char *end;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "grader fetch --transfer-child: internal use only\n");
		return 2;
	}
	errno = 0;
	max = strtoull(argv[3], &end, 10);
	if (errno || *end || fcntl(TRANSFER_FD, F_GETFD) < 0) {
		fprintf(stderr, "grader fetch --transfer-child: internal use only\n");
		return 2;
	}
	return transfer_child(argv[1], argv[2], max, argc == 5 ? argv[4] : "", TRANSFER_FD);
}

/* ---- the transfer parent ------------------------------------------------------------------- */

struct transfer_out {
	bool has_head;
	struct buf head;
	uint64_t bytes;
};

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
		int kind = data[0];
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

static int transfer(const struct fetch_request *req, const struct fetch_limits *lim, const char *url,
		    const char *gitdir, const char *hosts, struct transfer_out *t, struct fetch_result *res)
{
	char maxs[32], *argv[8];
	struct buf in = BUF_INIT;
	int fds[2], devnull, status = 0;
	double start = now_mono(), last = start;
	bool exec_self;
	pid_t pid;
	char dur[32];

	snprintf(maxs, sizeof(maxs), "%llu", (unsigned long long)lim->transfer_bytes);
	argv[0] = (char *)"grader";
	argv[1] = (char *)"fetch";
	argv[2] = (char *)"--transfer-child";
	argv[3] = (char *)url;
	argv[4] = (char *)gitdir;
	argv[5] = maxs;
	argv[6] = (char *)hosts;
	argv[7] = NULL;
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
			_exit(transfer_child(url, gitdir, lim->transfer_bytes, hosts, fds[1]));
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
	in.max = 4 * FRAME_MAX;
	for (;;) {
		double now = now_mono(), left_total = start + lim->total_time - now;
		double left_stall = last + lim->stall_time - now, left = left_total < left_stall ? left_total : left_stall;
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		char chunk[8192];
		ssize_t n;
		int pr;

		if (left_total <= 0 || left_stall <= 0) {
			kill_and_reap(pid);
			close(fds[0]);
			buf_free(&in);
			res->error = FETCH_OK; /* a limit is the real story, whatever the child said */
			if (left_total <= 0)
				set_error(res, FETCH_ERR_TIMEOUT, "clone of %s: took longer than %s (total time limit)",
					  url, num_format_duration(lim->total_time, dur, sizeof(dur)));
			else
				set_error(res, FETCH_ERR_TIMEOUT, "clone of %s: no progress for %s (stall limit)", url,
					  num_format_duration(lim->stall_time, dur, sizeof(dur)));
			return -1;
		}
		pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_append(&in, chunk, (size_t)n) < 0) {
			kill_and_reap(pid);
			close(fds[0]);
			buf_free(&in);
			set_error(res, FETCH_ERR_INFRA, "clone of %s: garbled progress from the transfer process", url);
			return -1;
		}
		for (;;) {
			uint32_t len;
			bool progress = false;
			if (in.len < 5)
				break;
			memcpy(&len, in.data + 1, 4);
			if (len > FRAME_MAX) {
				in.len = 0;
				break;
			}
			if (in.len < 5 + (size_t)len)
				break;
			handle_frame(in.data[0], in.data + 5, len, t, res, &progress);
			memmove(in.data, in.data + 5 + len, in.len - 5 - len);
			in.len -= 5 + len;
			if (progress)
				last = now_mono();
		}
		if (t->bytes > lim->transfer_bytes) {
			char sz[32];
			kill_and_reap(pid);
			close(fds[0]);
			buf_free(&in);
			res->error = FETCH_OK;
			set_error(res, FETCH_ERR_LIMIT, "clone of %s: more than %s received (transfer limit)", url,
				  num_format_size(lim->transfer_bytes, sz, sizeof(sz)));
			return -1;
		}
	}
	close(fds[0]);
	buf_free(&in);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->transfer_bytes = t->bytes;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && res->error == FETCH_OK)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		set_error(res, FETCH_ERR_INFRA, "clone of %s: could not start the transfer process "
			  "(/proc/self/exe fetch --transfer-child)", url);
	else if (WIFSIGNALED(status))
		set_error(res, FETCH_ERR_INFRA, "clone of %s: the transfer process died of signal %d", url,
			  WTERMSIG(status));
	else
		set_error(res, FETCH_ERR_NETWORK, "clone of %s: the transfer process failed (exit %d)", url,
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return -1;
}

/* ---- commits, refs and deadlines ----------------------------------------------------------- */

static void fill_commit(struct fetch_commit *out, const git_commit *c)
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

static void free_commit(struct fetch_commit *c)
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

/* Finds the commit `ref` names (NULL: `default_ref`, or HEAD when that is NULL too). */
static int resolve_ref(git_repository *repo, const char *ref, const char *default_ref, const char *what,
		       git_oid *oid, struct fetch_result *res)
{
	git_reference *r = NULL;
	git_object *obj = NULL;
	struct buf name = BUF_INIT, branches = BUF_INIT;
	int rc = -1;

	if (!ref) {
		if (default_ref && *default_ref) {
			buf_puts(&name, default_ref);
		} else if (!default_ref && git_repository_head(&r, repo) == 0) {
			buf_puts(&name, git_reference_name(r));
		} else {
			bool empty = git_repository_is_empty(repo) == 1;
			git_reference_iterator *it = NULL;
			git_reference *any = NULL;
			if (git_reference_iterator_new(&it, repo) == 0 && git_reference_next(&any, it) == 0)
				empty = false;
			git_reference_free(any);
			git_reference_iterator_free(it);
			list_branches(repo, &branches);
			if (empty || !branches.len)
				set_error(res, FETCH_ERR_SOURCE, "%s: the repository is empty (no commits)", what);
			else
				set_error(res, FETCH_ERR_SOURCE, "%s: the default branch has no commits; name a "
					  "branch with --ref (branches: %s)", what, buf_str(&branches));
			goto out;
		}
	} else {
		static const char *const prefixes[] = {"", "refs/heads/", "refs/tags/"};
		for (size_t i = 0; i < 3 && !name.len; i++) {
			struct buf full = BUF_INIT;
			int valid = 0;
			buf_printf(&full, "%s%s", prefixes[i], ref);
			if ((i > 0 || !strncmp(ref, "refs/", 5)) &&
			    git_reference_name_is_valid(&valid, buf_str(&full)) == 0 && valid &&
			    git_reference_lookup(&r, repo, buf_str(&full)) == 0) {
				buf_puts(&name, buf_str(&full));
				git_reference_free(r);
				r = NULL;
			}
			buf_free(&full);
		}
		if (!name.len && is_hex(ref, 4)) {
			git_oid prefix;
			if (git_oid_fromstrn(&prefix, ref, strlen(ref)) == 0 &&
			    git_object_lookup_prefix(&obj, repo, &prefix, strlen(ref), GIT_OBJECT_ANY) == 0) {
				git_object *peeled = NULL;
				if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
					set_error(res, FETCH_ERR_SOURCE, "%s: %s is not a commit", what, ref);
					goto out;
				}
				git_oid_cpy(oid, git_object_id(peeled));
				git_object_free(peeled);
				res->ref = malloc(GIT_OID_HEXSZ + 1);
				if (res->ref)
					git_oid_tostr(res->ref, GIT_OID_HEXSZ + 1, oid);
				rc = 0;
				goto out;
			}
		}
		if (!name.len) {
			list_branches(repo, &branches);
			set_error(res, FETCH_ERR_SOURCE, "%s: no branch, tag or commit named '%s' (branches: %s)",
				  what, ref, branches.len ? buf_str(&branches) : "none");
			goto out;
		}
	}
	git_reference_free(r);
	r = NULL;
	if (git_revparse_single(&obj, repo, buf_str(&name)) < 0) {
		list_branches(repo, &branches);
		if (!ref && (git_repository_is_empty(repo) == 1 || !branches.len))
			set_error(res, FETCH_ERR_SOURCE, "%s: the repository is empty (no commits)", what);
		else if (!ref)
			set_error(res, FETCH_ERR_SOURCE, "%s: the default branch %s has no commits; name a "
				  "branch with --ref (branches: %s)", what, buf_str(&name), buf_str(&branches));
		else
			set_error(res, FETCH_ERR_SOURCE, "%s: %s: %s", what, buf_str(&name), git_message());
		goto out;
	}
	{
		git_object *peeled = NULL;
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			set_error(res, FETCH_ERR_SOURCE, "%s: %s does not point to a commit", what, buf_str(&name));
			goto out;
		}
		git_oid_cpy(oid, git_object_id(peeled));
		git_object_free(peeled);
	}
	res->ref = clean_text(buf_str(&name), name.len, 1024, NULL);
	rc = 0;
out:
	git_object_free(obj);
	git_reference_free(r);
	buf_free(&name);
	buf_free(&branches);
	return rc;
}

/* Picks the newest commit reachable from `tip` dated at or before the deadline, and notes how late
 * the newest commit after it is. */
static int apply_deadline(git_repository *repo, const git_oid *tip, const struct fetch_request *req,
			  const char *what, git_oid *chosen, struct fetch_result *res)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	bool have = false;
	int64_t best = 0, newest = INT64_MIN;
	size_t n = 0;
	int rc = -1;
	char when[40];

	git_oid_cpy(chosen, tip);
	if (!req->has_deadline)
		return 0;
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_sorting(walk, GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, tip) < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: history walk: %s", what, git_message());
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
			set_error(res, FETCH_ERR_SOURCE, "%s: commit %s: %s", what, git_oid_tostr_s(&oid), git_message());
			goto out;
		}
		t = (int64_t)git_commit_time(c);
		git_commit_free(c);
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
	if (!have) {
		set_error(res, FETCH_ERR_SOURCE, "%s: no commit on %s is dated at or before the deadline %s",
			  what, res->ref ? res->ref : "the ref", fetch_format_time(req->deadline, 0, when, sizeof(when)));
		goto out;
	}
	if (newest != INT64_MIN) {
		res->late = true;
		res->late_by = newest - req->deadline;
	}
	rc = 0;
out:
	git_revwalk_free(walk);
	return rc;
}

/* ---- writing a tree ------------------------------------------------------------------------ */

struct walk {
	git_repository *repo;
	git_odb *odb;
	const struct fetch_limits *lim;
	struct fetch_result *res;
	const char *what;
	struct buf path;      /* of the current entry, relative to the tree */
	uint64_t entries, bytes;
	int depth;
	size_t nlinks, nlfs, nsub;
	struct buf links, lfs, subs; /* the first few names of each, comma-separated */
};

/* Refuses names that could escape the tree or reach a repository's metadata on any filesystem. */
static const char *bad_name(const char *name)
{
	static const char *const git_names[] = {".git", "git~1"};

	if (!*name)
		return "an empty name";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "a '.' or '..' component";
	if (strchr(name, '/'))
		return "a '/' inside a name";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "a control character in a name";
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(git_names[i]);
		/* ".git", ".GIT", and the forms Windows and macOS treat as the same (".git.", ".git ") */
		if (!strncasecmp(name, git_names[i], n) && name[n + strspn(name + n, ". ")] == '\0')
			return "a '.git' component (in any case)";
	}
	return NULL;
}

static void note(struct buf *list, size_t *count, const char *path)
{
	if ((*count)++ < MAX_LISTED)
		buf_printf(list, "%s%s", list->len ? ", " : "", path);
}

static int push_name(struct walk *w, const char *name, size_t *saved)
{
	*saved = w->path.len;
	if ((w->path.len && buf_puts(&w->path, "/") < 0) || buf_puts(&w->path, name) < 0 ||
	    w->path.len > MAX_PATH_BYTES) {
		set_error(w->res, FETCH_ERR_REFUSED, "%s: a path longer than %d bytes under '%.200s'",
			  w->what, MAX_PATH_BYTES, buf_str(&w->path));
		return -1;
	}
	return 0;
}

static void pop_path(struct buf *path, size_t saved)
{
	path->len = saved;
	if (path->data)
		path->data[saved] = '\0';
}

static void pop_name(struct walk *w, size_t saved)
{
	pop_path(&w->path, saved);
}

/* True when the relative link `target` (len bytes), found at `linkpath` (relative to the tree's
 * root), names something outside the tree, read as text: absolute, or with more ".." than the
 * link's depth, or (when `git_too`) through a ".git" component. */
static bool link_leaves(const char *linkpath, const char *target, size_t len, bool git_too)
{
	int depth = 0;
	const char *p = target, *end = target + len;

	if (len == 0 || memchr(target, '\0', len) || target[0] == '/')
		return true;
	for (const char *c = linkpath; c && *c; c++) /* the link's own directory depth */
		depth += *c == '/';
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (n == 2 && !memcmp(p, "..", 2)) {
			if (--depth < 0)
				return true;
		} else if (git_too && n == 4 && !strncasecmp(p, ".git", 4)) {
			return true;
		} else if (n && !(n == 1 && *p == '.')) {
			depth++;
		}
		p += n + (slash ? 1 : 0);
	}
	return false;
}

static int check_link_target(struct walk *w, const char *target, size_t len)
{
	if (!link_leaves(w->path.data, target, len, true))
		return 0;
	set_error(w->res, FETCH_ERR_REFUSED, "%s: '%s' is a symbolic link to '%.*s', outside the tree; "
		  "the grader refuses it (commit the file itself instead)", w->what, buf_str(&w->path),
		  (int)(len > 200 ? 200 : len), target);
	return -1;
}

/* First pass: validates every name and mode and applies the caps, writing nothing. */
static int check_tree(struct walk *w, const git_tree *tree)
{
	size_t count = git_tree_entrycount(tree);
	char sz[32], sz2[32];

	if (++w->depth > MAX_DEPTH) {
		set_error(w->res, FETCH_ERR_REFUSED, "%s: directories nested deeper than %d under '%.200s'",
			  w->what, MAX_DEPTH, buf_str(&w->path));
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e), *why;
		git_filemode_t mode = git_tree_entry_filemode(e);
		size_t saved, len = 0;
		git_object_t type;
		int rc = 0;

		if (push_name(w, name, &saved) < 0)
			return -1;
		if ((why = bad_name(name))) {
			set_error(w->res, FETCH_ERR_REFUSED, "%s: the tree entry '%.200s' has %s; the grader "
				  "refuses it", w->what, buf_str(&w->path), why);
			return -1;
		}
		if (++w->entries > w->lim->files) {
			set_error(w->res, FETCH_ERR_LIMIT, "%s: more than %llu files and directories (file count "
				  "limit)", w->what, (unsigned long long)w->lim->files);
			return -1;
		}
		switch (mode) {
		case GIT_FILEMODE_TREE: {
			git_tree *sub;
			if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
				set_error(w->res, FETCH_ERR_SOURCE, "%s: directory '%s': %s", w->what,
					  buf_str(&w->path), git_message());
				return -1;
			}
			rc = check_tree(w, sub);
			git_tree_free(sub);
			break;
		}
		case GIT_FILEMODE_BLOB:
		case GIT_FILEMODE_BLOB_EXECUTABLE:
		case GIT_FILEMODE_LINK:
			if (git_odb_read_header(&len, &type, w->odb, git_tree_entry_id(e)) < 0 || type != GIT_OBJECT_BLOB) {
				set_error(w->res, FETCH_ERR_SOURCE, "%s: file '%s': missing or not a blob", w->what,
					  buf_str(&w->path));
				return -1;
			}
			if (len > w->lim->file_bytes) {
				set_error(w->res, FETCH_ERR_LIMIT, "%s: file '%s' is %s, more than %s (file size limit)",
					  w->what, buf_str(&w->path), num_format_size(len, sz, sizeof(sz)),
					  num_format_size(w->lim->file_bytes, sz2, sizeof(sz2)));
				return -1;
			}
			w->bytes += len;
			if (w->bytes > w->lim->checkout_bytes) {
				set_error(w->res, FETCH_ERR_LIMIT, "%s: more than %s of files (checkout size limit)",
					  w->what, num_format_size(w->lim->checkout_bytes, sz, sizeof(sz)));
				return -1;
			}
			if (mode == GIT_FILEMODE_LINK) {
				git_blob *b;
				if (len > MAX_LINK_BYTES) {
					set_error(w->res, FETCH_ERR_REFUSED, "%s: symbolic link '%s' has a %zu-byte target",
						  w->what, buf_str(&w->path), len);
					return -1;
				}
				if (git_blob_lookup(&b, w->repo, git_tree_entry_id(e)) < 0) {
					set_error(w->res, FETCH_ERR_SOURCE, "%s: link '%s': %s", w->what,
						  buf_str(&w->path), git_message());
					return -1;
				}
				rc = check_link_target(w, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
				git_blob_free(b);
			}
			break;
		case GIT_FILEMODE_COMMIT:
			break;
		default:
			set_error(w->res, FETCH_ERR_REFUSED, "%s: '%s' has an unknown file mode %o", w->what,
				  buf_str(&w->path), (unsigned)git_tree_entry_filemode_raw(e));
			return -1;
		}
		if (rc < 0)
			return -1;
		pop_name(w, saved);
	}
	w->depth--;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static bool is_lfs_pointer(const char *data, size_t len)
{
	static const char magic[] = "version https://git-lfs.github.com/spec/";
	return len < 1024 && len >= sizeof(magic) - 1 && !memcmp(data, magic, sizeof(magic) - 1);
}

static int write_file(struct walk *w, int dirfd, const char *name, const git_oid *id, mode_t mode, bool link)
{
	git_blob *b;
	const char *data;
	size_t len;
	int fd, rc;

	if (git_blob_lookup(&b, w->repo, id) < 0) {
		set_error(w->res, FETCH_ERR_SOURCE, "%s: file '%s': %s", w->what, buf_str(&w->path), git_message());
		return -1;
	}
	data = git_blob_rawcontent(b);
	len = (size_t)git_blob_rawsize(b);
	if (link)
		note(&w->links, &w->nlinks, buf_str(&w->path));
	else if (is_lfs_pointer(data, len))
		note(&w->lfs, &w->nlfs, buf_str(&w->path));
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		set_error(w->res, errno == EEXIST ? FETCH_ERR_REFUSED : FETCH_ERR_INFRA, "%s: writing '%s': %s",
			  w->what, buf_str(&w->path), errno == EEXIST ? "the tree names it twice" : strerror(errno));
		git_blob_free(b);
		return -1;
	}
	rc = write_all(fd, data, len);
	if (close(fd) < 0)
		rc = -1;
	git_blob_free(b);
	if (rc < 0) {
		set_error(w->res, FETCH_ERR_INFRA, "%s: writing '%s': %s", w->what, buf_str(&w->path), strerror(errno));
		return -1;
	}
	w->res->files++;
	w->res->bytes += len;
	return 0;
}

/* Second pass: writes the checked tree under the directory `dirfd`. */
static int write_tree(struct walk *w, int dirfd, const git_tree *tree)
{
	size_t count = git_tree_entrycount(tree);

	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		size_t saved;
		int rc = 0;

		if (push_name(w, name, &saved) < 0)
			return -1;
		if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT) {
			if (mkdirat(dirfd, name, 0755) < 0) {
				set_error(w->res, errno == EEXIST ? FETCH_ERR_REFUSED : FETCH_ERR_INFRA,
					  "%s: creating directory '%s': %s", w->what, buf_str(&w->path),
					  errno == EEXIST ? "the tree names it twice" : strerror(errno));
				return -1;
			}
			if (mode == GIT_FILEMODE_COMMIT) {
				note(&w->subs, &w->nsub, buf_str(&w->path));
			} else {
				git_tree *sub;
				int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (fd < 0 || git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
					set_error(w->res, FETCH_ERR_INFRA, "%s: opening directory '%s': %s", w->what,
						  buf_str(&w->path), fd < 0 ? strerror(errno) : git_message());
					if (fd >= 0)
						close(fd);
					return -1;
				}
				rc = write_tree(w, fd, sub);
				git_tree_free(sub);
				close(fd);
			}
		} else {
			rc = write_file(w, dirfd, name, git_tree_entry_id(e),
					mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644, mode == GIT_FILEMODE_LINK);
		}
		if (rc < 0)
			return -1;
		pop_name(w, saved);
	}
	return 0;
}

static int materialise(git_repository *repo, const git_oid *commit_id, const struct fetch_limits *lim,
		       const char *what, const char *dest, struct fetch_result *res)
{
	struct walk w = {.repo = repo, .lim = lim, .res = res, .what = what};
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int dirfd = -1, rc = -1;

	if (git_commit_lookup(&commit, repo, commit_id) < 0 || git_commit_tree(&tree, commit) < 0 ||
	    git_repository_odb(&w.odb, repo) < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: commit %s: %s", what, git_oid_tostr_s(commit_id), git_message());
		goto out;
	}
	fill_commit(&res->commit, commit);
	res->has_commit = true;
	if (check_tree(&w, tree) < 0)
		goto out;
	if (mkdir(dest, 0755) < 0 ||
	    (dirfd = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		set_error(res, FETCH_ERR_INFRA, "%s: creating %s: %s", what, dest, strerror(errno));
		goto out;
	}
	buf_reset(&w.path);
	if (write_tree(&w, dirfd, tree) < 0)
		goto out;
	if (git_tree_entry_byname(tree, ".gitmodules") || w.nsub) {
		res->submodules = true;
		add_warning(res, "submodules present%s%s%s: they are not fetched, their directories are empty",
			    w.nsub ? " (" : "", buf_str(&w.subs), w.nsub > MAX_LISTED ? ", ...)" : w.nsub ? ")" : "");
	}
	if (w.nlfs) {
		res->lfs_pointers = true;
		add_warning(res, "%zu Git LFS pointer file%s found (%s%s): the grader sees the pointers, not "
			    "the large files", w.nlfs, w.nlfs == 1 ? "" : "s", buf_str(&w.lfs),
			    w.nlfs > MAX_LISTED ? ", ..." : "");
	}
	if (w.nlinks) {
		res->symlinks_neutralised = true;
		add_warning(res, "%zu symbolic link%s written as plain files holding the target (%s%s)",
			    w.nlinks, w.nlinks == 1 ? "" : "s", buf_str(&w.links), w.nlinks > MAX_LISTED ? ", ..." : "");
	}
	rc = 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	git_odb_free(w.odb);
	git_tree_free(tree);
	git_commit_free(commit);
	buf_free(&w.path);
	buf_free(&w.links);
	buf_free(&w.lfs);
	buf_free(&w.subs);
	return rc;
}

/* ---- trees on disk: plain directories and git directories ---------------------------------- */

/* Scans a directory on disk before anything reads it. In a plain directory (graded in place) a
 * symbolic link may stay inside; in a git directory there may be none: a link there (an object, a
 * pack, a ref) borrows another repository's content. */
enum scan_mode { SCAN_SUBMISSION, SCAN_GITDIR };

struct scan {
	enum scan_mode mode;
	int rootfd;
	const char *root;   /* real path of the directory scanned */
	const char *what;   /* how messages name the source */
	uint64_t max, entries;
	int depth;
	struct buf path;    /* of the current entry, relative to root */
	struct fetch_result *res;
	git_repository *repo; /* when set (grader check): skip what it ignores and does not track */
	git_index *index;
};

/* Whether the entry at s->path is ignored by the repository and not tracked: never part of a
 * commit, so never in what the instructor grades (a Python virtualenv's links to /usr/bin). */
static bool ignored_untracked(struct scan *s, bool dir)
{
	int ignored = 0;
	size_t pos;

	if (!s->repo || git_ignore_path_is_ignored(&ignored, s->repo, buf_str(&s->path)) < 0 || !ignored)
		return false;
	if (!s->index) /* no index to tell what is tracked: scan it */
		return false;
	if (!dir)
		return git_index_get_bypath(s->index, buf_str(&s->path), 0) == NULL;
	{
		struct buf prefix = BUF_INIT;
		bool tracked;
		buf_printf(&prefix, "%s/", buf_str(&s->path));
		tracked = git_index_find_prefix(&pos, s->index, buf_str(&prefix)) == 0;
		buf_free(&prefix);
		return !tracked;
	}
}

/* 1: `rel` (relative to rootfd) resolves beneath rootfd, following every link; 0: it does not
 * resolve (errno says why: EXDEV it leaves, ELOOP a loop, ENOENT/ENOTDIR dangling); -1: openat2 is
 * not available here. */
static int resolve_beneath(int rootfd, const char *rel)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};

	for (int tries = 0; tries < 16; tries++) {
		long fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
		if (fd >= 0) {
			close((int)fd);
			return 1;
		}
		if (errno == ENOSYS || errno == EPERM)
			return -1;
		if (errno != EAGAIN && errno != EINTR)
			return 0;
	}
	return 0;
}

/* The same without openat2: the real path of root/rel must be root or beneath it. */
static int resolve_realpath(const char *root, const char *rel)
{
	struct buf full = BUF_INIT;
	char *real;
	size_t n = strlen(root);
	int rc;

	fs_join(&full, root, rel);
	real = realpath(buf_str(&full), NULL);
	buf_free(&full);
	if (!real)
		return 0;
	rc = !strncmp(real, root, n) && (real[n] == '\0' || real[n] == '/' || !strcmp(root, "/"));
	free(real);
	if (!rc)
		errno = EXDEV;
	return rc;
}

static int scan_link(struct scan *s, int dirfd, const char *name)
{
	char target[MAX_LINK_BYTES + 1];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	const char *why;
	int r;

	if (n < 0) {
		set_error(s->res, FETCH_ERR_INFRA, "%s: reading the link '%s': %s", s->what, buf_str(&s->path),
			  strerror(errno));
		return -1;
	}
	target[n] = '\0';
	if (s->mode == SCAN_GITDIR) {
		set_error(s->res, FETCH_ERR_REFUSED, "%s: '%s' in the git directory %s is a symbolic link to "
			  "'%.200s'; the grader refuses links in a repository's git directory (they borrow "
			  "another repository's objects or refs)", s->what, buf_str(&s->path), s->root, target);
		return -1;
	}
	if ((size_t)n == sizeof(target) - 1) {
		set_error(s->res, FETCH_ERR_REFUSED, "%s: symbolic link '%s' has a target longer than %d bytes",
			  s->what, buf_str(&s->path), MAX_LINK_BYTES);
		return -1;
	}
	if (target[0] == '/')
		goto outside;
	r = resolve_beneath(s->rootfd, buf_str(&s->path));
	if (r < 0)
		r = resolve_realpath(s->root, buf_str(&s->path));
	if (r > 0)
		return 0;
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
		/* Dangling: nothing is reachable through it now; refuse it still if its text climbs out. */
		if (!link_leaves(buf_str(&s->path), target, (size_t)n, false))
			return 0;
		goto outside;
	case EXDEV:
		goto outside;
	case ELOOP:
		why = "a loop of symbolic links";
		break;
	default:
		why = strerror(errno);
		break;
	}
	set_error(s->res, FETCH_ERR_REFUSED, "%s: the symbolic link '%s' -> '%.200s' cannot be resolved "
		  "(%s); the grader refuses it", s->what, buf_str(&s->path), target, why);
	return -1;
outside:
	set_error(s->res, FETCH_ERR_REFUSED, "%s: '%s' is a symbolic link to '%.200s', outside the "
		  "submission; the grader refuses it (put the file itself in the submission instead)",
		  s->what, buf_str(&s->path), target);
	return -1;
}

/* Scans the directory `fd` (which it closes) and what it holds. */
static int scan_dir(struct scan *s, int fd)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	bool cargo;
	int rc = 0;

	if (++s->depth > MAX_DEPTH) {
		close(fd);
		set_error(s->res, FETCH_ERR_REFUSED, "%s: directories nested deeper than %d under '%.200s'",
			  s->what, MAX_DEPTH, buf_str(&s->path));
		return -1;
	}
	d = fdopendir(fd);
	if (!d) {
		set_error(s->res, FETCH_ERR_INFRA, "%s: reading '%s': %s", s->what,
			  s->path.len ? buf_str(&s->path) : ".", strerror(errno));
		close(fd);
		return -1;
	}
	/* cargo's build folder beside a Cargo.toml is the learner's build output, not the submission */
	cargo = s->mode == SCAN_SUBMISSION && fstatat(dirfd(d), "Cargo.toml", &st, AT_SYMLINK_NOFOLLOW) == 0;
	while (rc == 0) {
		size_t saved;
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				set_error(s->res, FETCH_ERR_INFRA, "%s: reading '%s': %s", s->what,
					  s->path.len ? buf_str(&s->path) : ".", strerror(errno));
				rc = -1;
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		saved = s->path.len;
		if ((s->path.len && buf_puts(&s->path, "/") < 0) || buf_puts(&s->path, de->d_name) < 0 ||
		    s->path.len > MAX_PATH_BYTES) {
			set_error(s->res, FETCH_ERR_REFUSED, "%s: a path longer than %d bytes under '%.200s'",
				  s->what, MAX_PATH_BYTES, buf_str(&s->path));
			rc = -1;
			break;
		}
		if (++s->entries > s->max) {
			set_error(s->res, FETCH_ERR_LIMIT, "%s: more than %llu files and directories (file count "
				  "limit)", s->what, (unsigned long long)s->max);
			rc = -1;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT) { /* removed since readdir: nothing to refuse */
				set_error(s->res, FETCH_ERR_INFRA, "%s: '%s': %s", s->what, buf_str(&s->path),
					  strerror(errno));
				rc = -1;
			}
		} else if (!S_ISREG(st.st_mode) && ignored_untracked(s, S_ISDIR(st.st_mode))) {
			/* not the learner's submission: skipped */
		} else if (S_ISLNK(st.st_mode)) {
			rc = scan_link(s, dirfd(d), de->d_name);
		} else if (S_ISDIR(st.st_mode)) {
			bool skip = s->mode == SCAN_SUBMISSION
					    ? !strcmp(de->d_name, ".git") || (cargo && !strcmp(de->d_name, "target"))
					    : s->depth == 1 && !strcmp(de->d_name, "hooks"); /* never read */
			if (!skip) {
				int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub < 0) {
					set_error(s->res, FETCH_ERR_INFRA, "%s: opening '%s': %s", s->what,
						  buf_str(&s->path), strerror(errno));
					rc = -1;
				} else {
					rc = scan_dir(s, sub);
				}
			}
		} else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			/* reading a pipe blocks forever; a device is not a file of the learner's */
			set_error(s->res, FETCH_ERR_REFUSED, "%s: '%s' is a %s, not a file; the grader refuses it",
				  s->what, buf_str(&s->path), S_ISFIFO(st.st_mode) ? "named pipe" : "device");
			rc = -1;
		}
		if (rc == 0)
			pop_path(&s->path, saved);
	}
	closedir(d);
	s->depth--;
	return rc;
}

/* Scans the directory `root` (a real path) in `mode`; at most `max` entries. With `repo` (whose
 * working tree is `root`), what it ignores and does not track is skipped. */
static int scan_tree(enum scan_mode mode, const char *root, uint64_t max, const char *what,
		     git_repository *repo, struct fetch_result *res)
{
	struct scan s = {.mode = mode, .root = root, .what = what, .max = max, .res = res, .repo = repo};
	int fd, rc;

	if (repo && git_repository_index(&s.index, repo) < 0)
		s.index = NULL;
	s.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.rootfd < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s: %s", what, root, strerror(errno));
		git_index_free(s.index);
		return -1;
	}
	fd = dup(s.rootfd);
	if (fd < 0) {
		set_error(res, FETCH_ERR_INFRA, "%s: %s", what, strerror(errno));
		close(s.rootfd);
		git_index_free(s.index);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	rc = scan_dir(&s, fd);
	close(s.rootfd);
	buf_free(&s.path);
	git_index_free(s.index);
	return rc;
}

enum fetch_error fetch_scan_directory(const char *dir, uint64_t max_entries, bool skip_ignored,
				      struct buf *message)
{
	struct fetch_result res = {0};
	char *real = fs_realpath(dir), *workdir = NULL;
	git_repository *repo = NULL;
	enum fetch_error e;

	if (!real) {
		buf_printf(message, "%s: %s", dir, strerror(errno));
		return FETCH_ERR_SOURCE;
	}
	if (fetch_init() < 0) {
		buf_printf(message, "libgit2 failed to initialise: %s", git_message());
		free(real);
		return FETCH_ERR_INFRA;
	}
	/* only when `dir` is the repository's working tree: then paths relative to it are the
	 * repository's own */
	if (skip_ignored && git_repository_open_ext(&repo, real, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    (git_repository_is_bare(repo) || !git_repository_workdir(repo) ||
	     !(workdir = fs_realpath(git_repository_workdir(repo))) || strcmp(workdir, real))) {
		git_repository_free(repo);
		repo = NULL;
	}
	res.error = FETCH_OK;
	scan_tree(SCAN_SUBMISSION, real, max_entries ? max_entries : FETCH_DEFAULT_FILES, real, repo, &res);
	e = res.error;
	if (e != FETCH_OK)
		buf_puts(message, buf_str(&res.message));
	fetch_result_free(&res);
	git_repository_free(repo);
	free(workdir);
	free(real);
	return e;
}

/* True when `path` is `root` or beneath it (both real paths). */
static bool path_inside(const char *root, const char *path)
{
	size_t n = strlen(root);
	return path && !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/' || !strcmp(root, "/"));
}

/* A local repository must be self-contained. libgit2 reads other repositories' objects through
 * objects/info/alternates, through a .git file or a worktree's commondir that point elsewhere,
 * and through symbolic links in the git directory; any of them grades a commit that is not in the
 * repository named, without a word. `source` is the path as given (a working tree or a bare
 * repository). */
static int check_self_contained(git_repository *repo, const char *source, const char *what,
				struct fetch_result *res)
{
	char *root = fs_realpath(source), *gitdir = NULL, *common = NULL;
	struct buf alt = BUF_INIT;
	struct stat st;
	int rc = -1;

	if (!root) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s", what, strerror(errno));
		return -1;
	}
	gitdir = fs_realpath(git_repository_path(repo));
	common = fs_realpath(git_repository_commondir(repo));
	if (!gitdir || !common) {
		set_error(res, FETCH_ERR_SOURCE, "%s: its git directory cannot be resolved: %s", what, strerror(errno));
		goto out;
	}
	if (!path_inside(root, gitdir)) {
		set_error(res, FETCH_ERR_REFUSED, "%s: its git directory is %s, outside it (a .git file or link "
			  "that points elsewhere); the grader reads only the repository it is given", what, gitdir);
		goto out;
	}
	if (!path_inside(root, common)) {
		set_error(res, FETCH_ERR_REFUSED, "%s: it is a worktree whose objects are in %s, outside it; "
			  "the grader reads only the repository it is given (name the main repository)", what, common);
		goto out;
	}
	fs_join(&alt, common, "objects/info/alternates");
	if (lstat(buf_str(&alt), &st) == 0) {
		set_error(res, FETCH_ERR_REFUSED, "%s: %s borrows objects from other repositories; the grader "
			  "refuses alternates (run 'git repack -a -d' and delete that file, or push the repository "
			  "and grade its URL)", what, buf_str(&alt));
		goto out;
	}
	if (scan_tree(SCAN_GITDIR, common, MAX_GITDIR_ENTRIES, what, NULL, res) < 0 ||
	    (strcmp(gitdir, common) && scan_tree(SCAN_GITDIR, gitdir, MAX_GITDIR_ENTRIES, what, NULL, res) < 0))
		goto out;
	rc = 0;
out:
	free(root);
	free(gitdir);
	free(common);
	buf_free(&alt);
	return rc;
}

/* A file:// URL is read by libgit2's local transport, which opens the repository on this host,
 * alternates and all: it gets the same check as a local repository. Other URLs cannot bring
 * alternates: libgit2 1.5 speaks only the smart protocols, in which the server sends a pack of the
 * objects themselves (the dumb protocol's objects/info/http-alternates is never read), and the
 * repository they are written into is a fresh one that fetch made. */
static int check_file_url(const char *url, const char *what, struct fetch_result *res)
{
	struct buf path = BUF_INIT;
	git_repository *repo = NULL;
	const char *p = url + strlen("file://");
	int rc = 0;

	if (!strncasecmp(p, "localhost/", 10))
		p += 9;
	while (*p) { /* percent-decoding, as libgit2 does */
		int hi, lo;
		if (p[0] == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
			char c = (char)(hi * 16 + lo);
			buf_append(&path, &c, 1);
			p += 3;
		} else {
			buf_append(&path, p++, 1);
		}
	}
	/* a path libgit2 cannot open fails the transfer itself, with libgit2's own message */
	if (path.len && path.data[0] == '/' &&
	    git_repository_open_ext(&repo, buf_str(&path), GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		rc = check_self_contained(repo, buf_str(&path), what, res);
	git_repository_free(repo);
	buf_free(&path);
	return rc;
}

/* ---- fetch_run ----------------------------------------------------------------------------- */

static void fill_limits(const struct fetch_limits *in, struct fetch_limits *out)
{
	*out = *in;
	if (out->total_time <= 0)
		out->total_time = FETCH_DEFAULT_TOTAL_TIME;
	if (out->stall_time <= 0)
		out->stall_time = FETCH_DEFAULT_STALL_TIME;
	if (!out->transfer_bytes)
		out->transfer_bytes = FETCH_DEFAULT_TRANSFER_BYTES;
	if (!out->checkout_bytes)
		out->checkout_bytes = FETCH_DEFAULT_CHECKOUT_BYTES;
	if (!out->files)
		out->files = FETCH_DEFAULT_FILES;
	if (!out->file_bytes)
		out->file_bytes = FETCH_DEFAULT_FILE_BYTES;
}

/* The token hosts of a request and of GRADER_TOKEN_HOSTS, as one comma-separated list in lower
 * case (names are separated by commas or white space in the variable). */
static int token_hosts(const struct fetch_request *req, struct buf *out)
{
	const char *env = getenv(FETCH_TOKEN_HOSTS_ENV);

	buf_reset(out);
	for (size_t i = 0; i < req->ntoken_hosts + 1; i++) {
		const char *p = i < req->ntoken_hosts ? req->token_hosts[i] : env ? env : "";
		while (*p) {
			size_t n = strcspn(p, ", \t\n");
			if (n) {
				if ((out->len && buf_puts(out, ",") < 0) || buf_append(out, p, n) < 0)
					return -1;
			}
			p += n + (p[n] != '\0');
		}
	}
	if (out->data) { /* lower case; "[::1]" listed as "::1", as url_host gives it */
		size_t j = 0;
		for (size_t i = 0; i < out->len; i++) {
			char ch = out->data[i];
			if (ch != '[' && ch != ']')
				out->data[j++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
		out->data[j] = '\0';
		out->len = j;
	}
	return 0;
}

static char *dup_redacted(const char *s)
{
	struct buf b = BUF_INIT;
	append_clean(&b, s);
	return buf_detach(&b);
}

int fetch_run(const struct fetch_request *req, struct fetch_result *res)
{
	struct fetch_limits lim;
	struct buf work = BUF_INIT, gitdir = BUF_INIT, tree = BUF_INIT, hosts = BUF_INIT;
	struct transfer_out t = {0};
	git_repository *repo = NULL;
	git_oid tip, chosen;
	const char *what;
	int url;

	fill_limits(&req->limits, &lim);
	res->error = FETCH_OK;
	res->has_deadline = req->has_deadline;
	res->deadline = req->deadline;
	if (!req->source || !*req->source || !req->parent) {
		set_error(res, FETCH_ERR_SOURCE, "fetch: no source or no work directory given");
		return -1;
	}
	res->source = dup_redacted(req->source);
	what = res->source ? res->source : "source";
	if (fetch_init() < 0) {
		set_error(res, FETCH_ERR_INFRA, "libgit2 failed to initialise: %s", git_message());
		return -1;
	}
	url = access(req->source, F_OK) == 0 ? 0 : classify_url(req->source);
	if (url < 0) {
		set_error(res, FETCH_ERR_SOURCE, "%s: unsupported URL scheme (use https, http, ssh, git or "
			  "file URLs, or a local path)", what);
		return -1;
	}
	if (!url && !fs_is_dir(req->source)) {
		set_error(res, FETCH_ERR_SOURCE, "%s: %s", what,
			  access(req->source, F_OK) == 0 ? "not a directory" : "no such directory or repository");
		return -1;
	}
	if (!url && git_repository_open_ext(&repo, req->source, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		/* a plain directory: graded in place, nothing to record */
		res->kind = FETCH_KIND_DIRECTORY;
		res->tree = fs_realpath(req->source);
		if (!res->tree) {
			set_error(res, FETCH_ERR_SOURCE, "%s: %s", what, strerror(errno));
			return -1;
		}
		if (req->ref || req->has_deadline) {
			set_error(res, FETCH_ERR_SOURCE, "%s: a plain directory (not a git repository) has no %s",
				  what, req->ref ? "refs for --ref" : "commit dates for --deadline");
			return -1;
		}
		/* graded in place: a link out of it would make a host file part of the submission */
		if (scan_tree(SCAN_SUBMISSION, res->tree, lim.files, what, NULL, res) < 0)
			return -1;
		res->plain_directory = true;
		add_warning(res, "%s is a plain directory, not a git repository: graded as it is, with no "
			    "commit to record", res->tree);
		return 0;
	}
	res->kind = url ? FETCH_KIND_URL : FETCH_KIND_REPOSITORY;
	if ((!url && check_self_contained(repo, req->source, what, res) < 0) ||
	    (url && has_scheme(req->source, "file") && check_file_url(req->source, what, res) < 0)) {
		git_repository_free(repo);
		return -1;
	}
	if (fs_mkdtemp(req->parent, "fetch-", &work) < 0) {
		set_error(res, FETCH_ERR_INFRA, "fetch: cannot create a work directory in %s: %s", req->parent,
			  strerror(errno));
		git_repository_free(repo);
		buf_free(&work);
		return -1;
	}
	res->workdir = fs_realpath(buf_str(&work));
	if (!res->workdir) {
		set_error(res, FETCH_ERR_INFRA, "fetch: %s: %s", buf_str(&work), strerror(errno));
		goto fail;
	}
	fs_join(&gitdir, res->workdir, "repo.git");
	fs_join(&tree, res->workdir, "tree");
	if (url) {
		if (token_hosts(req, &hosts) < 0) {
			set_error(res, FETCH_ERR_INFRA, "clone of %s: out of memory", what);
			goto fail;
		}
		if (transfer(req, &lim, req->source, buf_str(&gitdir), buf_str(&hosts), &t, res) < 0)
			goto fail;
		if (git_repository_open_bare(&repo, buf_str(&gitdir)) < 0) {
			set_error(res, FETCH_ERR_INFRA, "clone of %s: reopening %s: %s", what, buf_str(&gitdir),
				  git_message());
			goto fail;
		}
	}
	if (resolve_ref(repo, req->ref, url ? buf_str(&t.head) : NULL, what, &tip, res) < 0 ||
	    apply_deadline(repo, &tip, req, what, &chosen, res) < 0 ||
	    materialise(repo, &chosen, &lim, what, buf_str(&tree), res) < 0)
		goto fail;
	git_repository_free(repo);
	repo = NULL;
	if (url)
		fs_rmtree(buf_str(&gitdir)); /* the tree is all a grader needs; keep the disk free */
	res->tree = buf_detach(&tree);
	buf_free(&work);
	buf_free(&gitdir);
	buf_free(&hosts);
	buf_free(&t.head);
	return 0;
fail:
	git_repository_free(repo);
	fs_rmtree(res->workdir ? res->workdir : buf_str(&work));
	free(res->workdir);
	res->workdir = NULL;
	buf_free(&work);
	buf_free(&gitdir);
	buf_free(&tree);
	buf_free(&hosts);
	buf_free(&t.head);
	return -1;
}

void fetch_result_free(struct fetch_result *res)
{
	buf_free(&res->message);
	free(res->source);
	free(res->workdir);
	free(res->tree);
	free(res->ref);
	free_commit(&res->commit);
	for (size_t i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	res->source = res->workdir = res->tree = res->ref = NULL;
	res->warnings = NULL;
	res->nwarnings = 0;
}

static const char *error_name(enum fetch_error e)
{
	static const char *const names[] = {"ok", "source", "limit", "refused", "timeout", "auth", "network", "infra"};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

static cJSON *commit_json(const struct fetch_commit *c)
{
	cJSON *o = cJSON_CreateObject();
	char t1[40], t2[40];

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "author", c->author ? c->author : "");
	cJSON_AddStringToObject(o, "author_date", fetch_format_time(c->author_time, c->author_offset, t1, sizeof(t1)));
	cJSON_AddStringToObject(o, "date", fetch_format_time(c->time, c->offset, t2, sizeof(t2)));
	cJSON_AddStringToObject(o, "summary", c->summary ? c->summary : "");
	return o;
}

cJSON *fetch_result_to_json(const struct fetch_result *res)
{
	static const char *const kinds[] = {"url", "repository", "directory"};
	cJSON *o = cJSON_CreateObject(), *warn;
	char t[40];

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "source", res->source ? res->source : "");
	cJSON_AddStringToObject(o, "kind", kinds[res->kind]);
	if (res->error != FETCH_OK) {
		cJSON_AddStringToObject(o, "error", error_name(res->error));
		cJSON_AddStringToObject(o, "message", buf_str(&res->message));
		return o;
	}
	cJSON_AddStringToObject(o, "tree", res->tree ? res->tree : "");
	if (res->has_commit) {
		cJSON_AddItemToObject(o, "commit", commit_json(&res->commit));
		cJSON_AddStringToObject(o, "ref", res->ref ? res->ref : "");
	} else {
		cJSON_AddNullToObject(o, "commit");
	}
	if (res->has_deadline) {
		cJSON_AddStringToObject(o, "deadline", fetch_format_time(res->deadline, 0, t, sizeof(t)));
		cJSON_AddBoolToObject(o, "late", res->late);
		if (res->late) {
			cJSON_AddNumberToObject(o, "late_by_seconds", (double)res->late_by);
			cJSON_AddStringToObject(o, "newest_commit", res->newest_id);
		}
	}
	cJSON_AddNumberToObject(o, "files", (double)res->files);
	cJSON_AddNumberToObject(o, "bytes", (double)res->bytes);
	if (res->kind == FETCH_KIND_URL)
		cJSON_AddNumberToObject(o, "transfer_bytes", (double)res->transfer_bytes);
	warn = cJSON_AddArrayToObject(o, "warnings");
	for (size_t i = 0; warn && i < res->nwarnings; i++)
		cJSON_AddItemToArray(warn, cJSON_CreateString(res->warnings[i]));
	return o;
}

/* ---- grader check: the learner's working tree ---------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int fetch_discover_root(const char *path, char **root, struct buf *message)
{
	git_buf found = GIT_BUF_INIT;
	git_repository *repo = NULL;
	const char *ceiling = getenv("GIT_CEILING_DIRECTORIES");
	int rc;

	*root = NULL;
	if (fetch_init() < 0) {
		buf_printf(message, "libgit2 failed to initialise: %s", git_message());
		return -1;
	}
	rc = git_repository_discover(&found, path, 0, ceiling && *ceiling ? ceiling : NULL);
	if (rc == GIT_ENOTFOUND) {
		buf_printf(message, "no git repository contains %s", path);
		return 0;
	}
	if (rc < 0) {
		buf_printf(message, "%s: %s", path, git_message());
		return -1;
	}
	rc = git_repository_open(&repo, found.ptr);
	if (rc < 0) {
		buf_printf(message, "%s: %s", found.ptr, git_message());
		rc = -1;
	} else if (git_repository_is_bare(repo) || !git_repository_workdir(repo)) {
		buf_printf(message, "%s is in the bare repository %s, which has no working tree", path, found.ptr);
		rc = 0;
	} else if (!(*root = fs_realpath(git_repository_workdir(repo)))) {
		buf_printf(message, "%s: %s", git_repository_workdir(repo), strerror(errno));
		rc = -1;
	} else {
		rc = 1;
	}
	git_repository_free(repo);
	git_buf_dispose(&found);
	return rc;
}

/* The value of `key` in `cfg`, or NULL. */
static char *config_string(git_config *cfg, const char *key)
{
	git_buf b = GIT_BUF_INIT;
	char *v = NULL;

	if (git_config_get_string_buf(&b, cfg, key) == 0 && b.ptr)
		v = strdup(b.ptr);
	git_buf_dispose(&b);
	return v;
}

/* Where HEAD stands against its upstream (see struct fetch_status): local refs only.
 * The upstream is read from branch.NAME.remote and branch.NAME.merge and mapped to its
 * remote-tracking branch with git's default refspec (refs/heads/X of remote R is
 * refs/remotes/R/X). Not git_branch_upstream nor git_remote_list: in libgit2 1.5 their regular
 * expressions leak pcre2 match data on every call. */
static void push_status(git_repository *repo, git_reference *head, struct fetch_status *st)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct buf key = BUF_INIT, tracking = BUF_INIT;
	const char *name = git_reference_shorthand(head);
	char *remote = NULL, *merge = NULL;
	git_oid up;

	st->branch = clean_text(name, strlen(name), MAX_PATH_BYTES, NULL);
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return;
	buf_printf(&key, "branch.%s.remote", name);
	remote = config_string(cfg, key.data);
	buf_reset(&key);
	buf_printf(&key, "branch.%s.merge", name);
	merge = config_string(cfg, key.data);
	if (remote && merge && !strncmp(merge, "refs/heads/", 11)) {
		if (!strcmp(remote, "."))
			buf_puts(&tracking, merge);
		else
			buf_printf(&tracking, "refs/remotes/%s/%s", remote, merge + 11);
	}
	if (tracking.len && git_reference_name_to_id(&up, repo, tracking.data) == 0) {
		const git_oid *a = git_reference_target(head);
		const char *shown = tracking.data + (strcmp(remote, ".") ? 13 : 11);
		st->upstream = clean_text(shown, strlen(shown), MAX_PATH_BYTES, NULL);
		if (a && git_graph_ahead_behind(&st->ahead, &st->behind, repo, a, &up) < 0)
			st->ahead = st->behind = 0;
		goto out;
	}
	/* The remotes are the config's remote.NAME.url entries. */
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&e, it) == 0) {
			size_t n = strlen(e->name);
			if (strncmp(e->name, "remote.", 7) || n < 12 || strcmp(e->name + n - 4, ".url"))
				continue;
			/* the first remote, unless "origin" comes later */
			if (st->remote && (!strcmp(st->remote, "origin") || n != 17 || strncmp(e->name + 7, "origin", 6)))
				continue;
			free(st->remote);
			st->remote = clean_text(e->name + 7, n - 11, MAX_PATH_BYTES, NULL);
		}
	}
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	buf_free(&key);
	buf_free(&tracking);
	free(remote);
	free(merge);
}

int fetch_worktree_status(const char *path, struct fetch_status *st)
{
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	git_status_options so;
	git_reference *head = NULL;
	const char *ceiling;
	int rc = -1;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (fetch_init() < 0) {
		buf_printf(&st->message, "libgit2 failed to initialise: %s", git_message());
		return -1;
	}
	ceiling = getenv("GIT_CEILING_DIRECTORIES");
	if (git_repository_open_ext(&repo, path, 0, ceiling && *ceiling ? ceiling : NULL) < 0) {
		buf_printf(&st->message, "%s: not inside a git repository (%s)", path, git_message());
		return -1;
	}
	if (git_repository_is_bare(repo)) {
		buf_printf(&st->message, "%s: a bare repository has no working tree", path);
		goto out;
	}
	if (git_repository_head(&head, repo) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, repo, git_reference_target(head)) == 0) {
			fill_commit(&st->head, c);
			st->has_head = true;
			git_commit_free(c);
		}
		if (git_reference_is_branch(head))
			push_status(repo, head, st);
	}
	st->detached = git_repository_head_detached(repo) == 1;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	if (git_status_list_new(&list, repo, &so) < 0) {
		buf_printf(&st->message, "%s: status: %s", path, git_message());
		goto out;
	}
	for (size_t i = 0, n = git_status_list_entrycount(list); i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		const char *p;
		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED) || !d)
			continue;
		p = d->new_file.path ? d->new_file.path : d->old_file.path;
		st->changed++;
		if (st->npaths < MAX_STATUS_PATHS && p) {
			char **np = realloc(st->paths, (st->npaths + 1) * sizeof(*np));
			if (!np)
				continue;
			st->paths = np;
			st->paths[st->npaths] = clean_text(p, strlen(p), MAX_PATH_BYTES, NULL);
			if (st->paths[st->npaths])
				st->npaths++;
		}
	}
	if (st->npaths)
		qsort(st->paths, st->npaths, sizeof(*st->paths), cmp_str);
	rc = 0;
out:
	git_status_list_free(list);
	git_reference_free(head);
	git_repository_free(repo);
	return rc;
}

struct fetch_ignore {
	git_repository *repo;
	git_index *index;
};

struct fetch_ignore *fetch_ignore_open(const char *workdir)
{
	struct fetch_ignore *ig;

	if (fetch_init() < 0 || !(ig = calloc(1, sizeof(*ig))))
		return NULL;
	if (git_repository_open_ext(&ig->repo, workdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_is_bare(ig->repo) || git_repository_index(&ig->index, ig->repo) < 0) {
		fetch_ignore_close(ig);
		return NULL;
	}
	return ig;
}

bool fetch_ignore_dir(struct fetch_ignore *ig, const char *rel)
{
	struct buf prefix = BUF_INIT;
	int ignored = 0;
	size_t pos;
	bool tracked;

	if (!ig || !*rel || git_ignore_path_is_ignored(&ignored, ig->repo, rel) < 0 || !ignored)
		return false;
	git_index_read(ig->index, 0); /* only when it changed on disk */
	buf_printf(&prefix, "%s/", rel);
	tracked = git_index_find_prefix(&pos, ig->index, buf_str(&prefix)) == 0;
	buf_free(&prefix);
	return !tracked;
}

void fetch_ignore_close(struct fetch_ignore *ig)
{
	if (!ig)
		return;
	git_index_free(ig->index);
	git_repository_free(ig->repo);
	free(ig);
}

void fetch_status_free(struct fetch_status *st)
{
	for (size_t i = 0; i < st->npaths; i++)
		free(st->paths[i]);
	free(st->paths);
	st->paths = NULL;
	st->npaths = 0;
	free_commit(&st->head);
	free(st->branch);
	free(st->upstream);
	free(st->remote);
	st->branch = st->upstream = st->remote = NULL;
	buf_free(&st->message);
}
