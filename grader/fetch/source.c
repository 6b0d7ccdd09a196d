/* source.c: what a source is (URL, scheme, host, port), where credentials may go, redaction of
 * secrets from messages, ssh known hosts, and the check of a file:// URL's repository. */
#include "fetch/internal.h"

#include <arpa/inet.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fs.h"
#include "num.h"
#include "xalloc.h"
#include "banned.h"

/* ---- sources ------------------------------------------------------------------------------- */

bool has_scheme(const char *s, const char *scheme)
{
	size_t n = strlen(scheme);
	return !strncmp(s, scheme, n) && !strncmp(s + n, "://", 3);
}

int classify_url(const char *s)
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

void url_host(const char *url, struct buf *out)
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

int url_port(const char *url)
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
bool is_loopback(const char *host)
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

int fetch_known_hosts_lookup(const char *known_hosts, const char *host, int port,
			     const unsigned char *key, size_t keylen)
{
	struct buf want = BUF_INIT;
	const char *line = known_hosts;
	bool found = false, listed = false;

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
		p += strspn(p, " \t"); /* key type */
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
				unsigned char *dec = xmalloc(blen);
				long dlen = b64_decode(b64, blen, dec, blen);
				found = dlen >= 0 && (size_t)dlen == keylen && !memcmp(dec, key, keylen);
				listed = true;
				free(dec);
				break;
			}
			h += n + 1;
		}
next:
		line = *eol ? eol + 1 : eol;
	}
	buf_free(&want);
	return found ? 1 : listed ? 0 : -1;
}

bool fetch_known_hosts_match(const char *known_hosts, const char *host, int port,
			     const unsigned char *key, size_t keylen)
{
	return fetch_known_hosts_lookup(known_hosts, host, port, key, keylen) == 1;
}

enum hostkey_verdict ssh_host_known(const char *host, int port, const unsigned char *key, size_t keylen,
				    struct buf *file)
{
	const char *env = getenv("GRADER_SSH_KNOWN_HOSTS"), *home = getenv("HOME");
	struct buf path = BUF_INIT, text = BUF_INIT;
	enum hostkey_verdict v = HOSTKEY_UNKNOWN;

	buf_reset(file);
	for (int i = 0; i < 3 && v != HOSTKEY_KNOWN; i++) {
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
		if (fs_read_file(buf_str(&path), 16u << 20, &text) < 0)
			continue;
		switch (fetch_known_hosts_lookup(buf_str(&text), host, port, key, keylen)) {
		case 1:
			v = HOSTKEY_KNOWN;
			break;
		case 0: /* listed with other keys: the first file that lists it is the one to name */
			if (v == HOSTKEY_UNKNOWN) {
				v = HOSTKEY_CHANGED;
				buf_reset(file);
				buf_puts(file, buf_str(&path));
			}
			break;
		default:
			break;
		}
	}
	buf_free(&path);
	buf_free(&text);
	return v;
}

/* ---- redaction ----------------------------------------------------------------------------- */

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
			buf_append(&tmp, p, (size_t)(hit - p));
			buf_puts(&tmp, "***");
			p = hit + strlen(token);
		}
	}
	buf_puts(&tmp, p);
	rc = redact_urls(tmp.data, out);
	buf_free(&tmp);
	return rc;
}

/* ---- token hosts --------------------------------------------------------------------------- */

bool host_listed(const char *list, const char *host)
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

/* The token hosts of a request and of GRADER_TOKEN_HOSTS, as one comma-separated list in lower
 * case (names are separated by commas or white space in the variable). */
void token_hosts(const struct fetch_request *req, struct buf *out)
{
	const char *env = getenv(FETCH_TOKEN_HOSTS_ENV);

	buf_reset(out);
	for (size_t i = 0; i < req->ntoken_hosts + 1; i++) {
		const char *p = i < req->ntoken_hosts ? req->token_hosts[i] : env ? env : "";
		while (*p) {
			size_t n = strcspn(p, ", \t\n");
			if (n) {
				if (out->len)
					buf_puts(out, ",");
				buf_append(out, p, n);
			}
			p += n + (p[n] != '\0');
		}
	}
	if (out->len) { /* lower case; "[::1]" listed as "::1", as url_host gives it */
		size_t j = 0;
		for (size_t i = 0; i < out->len; i++) {
			char ch = out->data[i];
			if (ch != '[' && ch != ']')
				out->data[j++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
		buf_setlen(out, j);
	}
}

/* ---- file:// URLs -------------------------------------------------------------------------- */

/* A file:// URL is read by libgit2's local transport, which opens the repository on this host,
 * alternates and all: it gets the same check as a local repository. Other URLs cannot bring
 * alternates: libgit2 1.5 speaks only the smart protocols, in which the server sends a pack of the
 * objects themselves (the dumb protocol's objects/info/http-alternates is never read), and the
 * repository they are written into is a fresh one that fetch made. */
int check_file_url(const char *url, const char *what, struct fetch_result *res)
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
