/* sources.c: what a link that a learner cites as a source may be (see sources.h). */
#include "sources.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

bool source_host_within(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	if (!d || h < d || strcasecmp(host + h - d, domain))
		return false;
	return h == d || host[h - d - 1] == '.';
}

/* True when `host` is `name` under any top-level domain or two-part one ("google.com",
 * "www.google.co.uk" for "google"). */
static bool host_is_brand(const char *host, const char *name)
{
	size_t n = strlen(name);
	const char *p = host;

	for (;;) {
		if (!strncmp(p, name, n) && p[n] == '.') {
			const char *tld = p + n + 1, *dot = strchr(tld, '.');
			/* a top-level domain, or a two-letter one after a short second level */
			if (!dot || (strlen(dot + 1) == 2 && dot - tld <= 3))
				return true;
		}
		p = strchr(p, '.');
		if (!p)
			return false;
		p++;
	}
}

/* Whether `path` (from the first '/', may be "") starts with `prefix` as a whole segment. */
static bool path_starts(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(path, prefix, n) && (!path[n] || strchr("/?#", path[n]));
}

static bool is_search_page(const char *host, const char *path)
{
	static const struct {
		const char *host, *path; /* path NULL: any page of the host */
	} pages[] = {
		{"bing.com", "/search"},    {"duckduckgo.com", NULL},
		{"search.yahoo.com", NULL}, {"baidu.com", "/s"},
		{"ecosia.org", "/search"},  {"startpage.com", NULL},
		{"search.brave.com", NULL}, {"kagi.com", "/search"},
		{"perplexity.ai", NULL},    {"github.com", "/search"},
		{"gitlab.com", "/search"},  {"crates.io", "/search"},
		{"lib.rs", "/search"},      {"docs.rs", "/releases/search"},
		{"pypi.org", "/search"},    {"stackoverflow.com", "/search"},
		{"reddit.com", "/search"},  {"youtube.com", "/results"},
		{"medium.com", "/search"},  {"scholar.google.com", NULL},
		{"you.com", "/search"},
	};

	if ((host_is_brand(host, "google") || host_is_brand(host, "yandex")) &&
	    (path_starts(path, "/search") || path_starts(path, "/url") || !strncmp(path, "/?", 2) ||
	     !strncmp(path, "/webhp", 6)))
		return true;
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		if (source_host_within(host, pages[i].host) &&
		    (!pages[i].path || path_starts(path, pages[i].path)))
			return true;
	return false;
}

static bool is_shortener(const char *host)
{
	static const char *const hosts[] = {
		"bit.ly",  "tinyurl.com", "t.co",      "goo.gl",      "ow.ly",     "is.gd",
		"buff.ly", "rebrand.ly",  "cutt.ly",   "shorturl.at", "rb.gy",     "t.ly",
		"lnkd.in", "tiny.cc",     "s.id",      "v.gd",        "bl.ink",    "soo.gd",
		"clck.ru", "qr.ae",       "aka.ms",    "g.co",        "tr.im",     "x.co",
		"dlvr.it", "trib.al",     "shorte.st", "adf.ly",      "bitly.com", "tinyurl.is",
		"surl.li", "urlz.fr",     "1url.com",  "mcaf.ee",     NULL};

	for (size_t i = 0; hosts[i]; i++)
		if (!strcmp(host, hosts[i]))
			return true;
	return false;
}

static bool is_ai_chat(const char *host, const char *path)
{
	return ((!strcmp(host, "chatgpt.com") || !strcmp(host, "chat.openai.com")) &&
		(path_starts(path, "/share") || path_starts(path, "/c"))) ||
	       !strcmp(host, "gemini.google.com") || !strcmp(host, "claude.ai") || !strcmp(host, "poe.com");
}

static bool is_placeholder(const char *host, const char *url)
{
	static const char *const hosts[] = {"example.com", "example.org", "example.net", "example.edu",
					    "localhost",   "example",     "test",        "invalid",
					    "local",       "localdomain", NULL};
	static const char *const words[] = {"your-",    "your_",       "todo",    "tbd",
					    "xxx",      "placeholder", "insert-", "link-here",
					    "add-link", "changeme",    NULL};
	struct buf low = BUF_INIT;
	bool hit = false;

	for (size_t i = 0; hosts[i] && !hit; i++)
		hit = source_host_within(host, hosts[i]);
	for (const char *s = url; *s; s++)
		buf_append(&low, &(char){(char)tolower((unsigned char)*s)}, 1);
	for (size_t i = 0; words[i] && !hit; i++)
		hit = strstr(buf_str(&low), words[i]) != NULL;
	buf_free(&low);
	return hit;
}

/* Puts the host of `rest` (what follows "https://") in lower case into `host`, without user,
 * port or "www."; returns where the path starts, or NULL when there is no valid host. */
static const char *split_host(const char *rest, struct buf *host)
{
	size_t n = strcspn(rest, "/?#");
	const char *at, *start = rest, *end = rest + n, *colon;

	buf_reset(host);
	at = memchr(rest, '@', n);
	if (at)
		start = at + 1;
	colon = memchr(start, ':', (size_t)(end - start));
	if (colon) {
		for (const char *p = colon + 1; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return NULL;
		end = colon;
	}
	if (end - start > 253 || end == start)
		return NULL;
	for (const char *p = start; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (!isalnum(c) && c != '.' && c != '-')
			return NULL;
		buf_append(host, &(char){(char)tolower(c)}, 1);
	}
	if (host->data[0] == '.' || host->data[0] == '-' || host->data[host->len - 1] == '-')
		return NULL;
	if (host->len && host->data[host->len - 1] == '.')
		host->data[--host->len] = '\0';
	if (!strncmp(host->data, "www.", 4)) {
		memmove(host->data, host->data + 4, host->len - 3);
		host->len -= 4;
	}
	return rest + n;
}

static bool is_address(const char *host)
{
	return strspn(host, "0123456789.") == strlen(host);
}

int source_check(const char *url, struct buf *host_out, struct buf *why)
{
	struct buf host = BUF_INIT;
	const char *path;
	int rc = -1;

	if (!url || !*url) {
		buf_puts(why, "gives no link");
		goto out;
	}
	for (const char *s = url; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			buf_puts(why, "is not a single link (it has spaces or control characters)");
			goto out;
		}
	if (!strncasecmp(url, "http://", 7)) {
		buf_puts(why, "is not https: use the https address of the page");
		goto out;
	}
	if (strncasecmp(url, "https://", 8)) {
		buf_puts(why, "is not an https link");
		goto out;
	}
	path = split_host(url + 8, &host);
	if (!path || !strchr(host.data, '.') || is_address(host.data)) {
		buf_puts(why, "has no real host name");
		goto out;
	}
	if (is_placeholder(host.data, url))
		buf_puts(why, "is a placeholder, not a real page");
	else if (is_search_page(host.data, path))
		buf_puts(why, "is a search-results page, not a source: open the result that supports the "
			      "entry and cite that page");
	else if (is_shortener(host.data))
		buf_puts(why, "is a shortened link, which hides where it goes: cite the page's own address");
	else if (is_ai_chat(host.data, path))
		buf_puts(why, "is a conversation with an AI assistant, not a source");
	else if (!*path || *path == '#' || (path[0] == '/' && (!path[1] || path[1] == '#')))
		buf_printf(why, "is the front page of %s: cite the page that supports the entry", host.data);
	else
		rc = 0;
	if (rc == 0 && host_out) {
		buf_reset(host_out);
		buf_puts(host_out, host.data);
	}
out:
	buf_free(&host);
	return rc;
}

bool source_general_host(const char *host)
{
	static const char *const hosts[] = {
		/* code and packages */
		"github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "sr.ht", "sourceforge.net",
		"github.io", "githubusercontent.com", "crates.io", "docs.rs", "lib.rs", "pypi.org",
		"readthedocs.io", "readthedocs.org", "rust-lang.org", "this-week-in-rust.org", "huggingface.co",
		/* papers, references, talks */
		"arxiv.org", "doi.org", "acm.org", "ieee.org", "wikipedia.org", "youtube.com",
		"youtu.be", "vimeo.com",
		/* blog platforms and news */
		"medium.com", "dev.to", "substack.com", "hashnode.dev", "hashnode.com", "blogspot.com",
		"wordpress.com", "infoq.com", "thenewstack.io", "lwn.net", "techcrunch.com",
		"theregister.com", "zdnet.com", "venturebeat.com", "wired.com", "arstechnica.com",
		"news.ycombinator.com", "businesswire.com", "prnewswire.com", NULL};

	for (size_t i = 0; hosts[i]; i++)
		if (source_host_within(host, hosts[i]))
			return true;
	return false;
}
