/* sources.h: what a link that a learner cites as a source may be. A source must be an https page
 * that can support a claim: not a search-results page, a URL shortener, a site's front page, a
 * placeholder or an AI chat. Pure functions over strings; no network. */
#ifndef GRADER_SOURCES_H
#define GRADER_SOURCES_H

#include <stdbool.h>

#include "buf.h"

/* Checks the link `url`. Returns 0 when it may be a source, with its host (lower case, without
 * "www.", port or user) in `host` when `host` is not NULL; -1 when it is refused, with the reason
 * in `why` (a phrase that follows the link: "is a search-results page, not a source"). */
int source_check(const char *url, struct buf *host, struct buf *why);

/* True when `host` is `domain` or one of its subdomains ("blog.pola.rs" is within "pola.rs"). */
bool source_host_within(const char *host, const char *domain);

/* True for a host that publishes about anything: code hosts, package registries and their
 * documentation, papers, encyclopaedias, talks, news and blog platforms. A source there is related
 * to any entry. */
bool source_general_host(const char *host);

#endif
