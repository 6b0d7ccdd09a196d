/* banned.h: functions whose misuse has cost other C projects dearly; using one is a compile error.
 * Every .c file of grader/ includes it explicitly, as its last #include (after the system headers
 * and the grader's own, whose inline code it must not break); there is no -include in the Makefile. */
#ifndef GRADER_BANNED_H
#define GRADER_BANNED_H

#define BANNED(f) sorry_##f##_is_banned_use_buf_or_num_helpers

#undef strcpy
#define strcpy(...) BANNED(strcpy)
#undef strcat
#define strcat(...) BANNED(strcat)
#undef strncpy
#define strncpy(...) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(...) BANNED(strtok)
#undef atoi
#define atoi(...) BANNED(atoi)
#undef atol
#define atol(...) BANNED(atol)
#undef gets
#define gets(...) BANNED(gets)

#endif
