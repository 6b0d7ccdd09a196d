/* version.h: the grader's own version. */
#ifndef GRADER_VERSION_H
#define GRADER_VERSION_H
#define GRADER_VERSION "0.1.0"
#endif
