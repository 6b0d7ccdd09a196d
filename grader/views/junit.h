/* junit.h: a written report (reports/schema.json) as JUnit XML, for CI servers (Jenkins, GitLab)
 * that show test results: one testsuite per exercise, one testcase per check. */
#ifndef GRADER_VIEWS_JUNIT_H
#define GRADER_VIEWS_JUNIT_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Appends the report as a JUnit XML document (UTF-8) to `out`, valid against the common JUnit
 * schema (Jenkins' junit-10.xsd):
 *
 *   <testsuites name tests failures errors time>       time: the report's duration_seconds
 *     <testsuite name=EXERCISE-ID tests failures errors skipped time timestamp>
 *       <testcase classname=EXERCISE-ID name=CHECK-ID>  one per check, in report order
 *         <failure message type=STATUS>   fail, partial, inconclusive, review (and any status
 *                                         this view does not know): text = message, hint and
 *                                         the evidence as indented JSON
 *         <error message type="error">    error: the same text
 *         <skipped message/>              skipped: the message says why
 *         <system-out>points: 3/5</system-out>
 *       <system-out>    the exercise's points, message and unmet requirements
 *     <testsuite name="grader">  only when the report has errors or the submission's error: one
 *                                error testcase each ("submission", "infrastructure error N")
 *
 * The schema has no `skipped` on <testsuites> and no time for a check, so neither is written.
 * Every string of the report is escaped for XML 1.0: & < > " ' as entities; in attributes tab
 * and line feed as &#9; &#10; (a parser would turn them into spaces); carriage return as &#13;;
 * the characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF) and invalid
 * UTF-8 as U+FFFD. So "]]>" never appears in raw text and no CDATA section is used.
 *
 * Returns 0, or -1 when `out` reaches its maximum (it then holds part of the document). */
int view_junit(const cJSON *report, struct buf *out);

#endif
