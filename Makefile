# grader: build, test, demo, bench, install.  `make help` lists the targets; `make V=1` shows commands.
PREFIX ?= /usr/local
CC ?= cc
CFLAGS ?= -O2 -g
PKGS := yaml-0.1 libgit2 libcjson

# Debian packages the grader needs to build, test and run (make deps installs the missing ones).
DEB_PKGS := build-essential pkg-config libyaml-dev libgit2-dev libcjson-dev libcmocka-dev \
            bubblewrap git python3 python3-numpy python3-jsonschema python3-yaml \
            ca-certificates
# and the ones only the tests need: clang (the warnings must hold under it too), clang-format,
# chromium (the HTML view is tested in headless Chromium, tests/e2e/views_html.sh), and slurm-wlm
# with munge (tests/e2e/slurm.sh starts a single-node Slurm to run docs/slurm/grade-class.sbatch),
# openssh-server (tests/e2e/fetch_ssh.sh starts its own sshd on 127.0.0.1 to fetch over ssh://).
# libclang-rt-14-dev holds libFuzzer and the sanitizers' runtimes for clang (make fuzz, and the fuzz
# suite of make test): clang only recommends it, and an apt set not to install recommends skips it.
DEB_TEST_PKGS := clang libclang-rt-14-dev clang-format chromium slurm-wlm munge openssh-server
# make lint's analysers (cppcheck 2.10 and clang-tidy 14 on Debian 12), and make check-leaks'.
LINT_PKGS := cppcheck clang-tidy
LEAK_PKGS := valgrind

ifeq ($(V),1)
Q :=
else
Q := @
endif

# -Werror only in developers' and CI builds (DEVELOPER=1, as git has: on the command line, in the
# environment, or in an untracked config.mak; .ci/run sets it), so that a user's newer compiler
# with new warnings still builds the grader.
-include config.mak
WARN := -Wall -Wextra -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla \
        -Wwrite-strings -Wshadow -fno-common
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Igrader $(WARN)
DEPFLAGS := -MMD -MP
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g

# Evaluated lazily, so that `make deps` can install pkg-config and the libraries first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lm
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)
comma := ,

# grader/cli/ is the command line (main.c and one cmd_<name>.c per subcommand); everything else
# under grader/ is the library, libgrader.a, which the command, the unit tests and the benchmarks
# link. grader/sandbox/grader-pid1.c is a program of its own (bin/grader-pid1).
PID1_SRC := grader/sandbox/grader-pid1.c
SRCS := $(filter-out $(PID1_SRC),$(wildcard grader/*.c grader/*/*.c))
CLI_SRCS := $(wildcard grader/cli/*.c)
LIB_SRCS := $(filter-out $(CLI_SRCS),$(SRCS))
REL_LIB_OBJS := $(patsubst grader/%.c,build/rel/%.o,$(LIB_SRCS))
REL_CLI_OBJS := $(patsubst grader/%.c,build/rel/%.o,$(CLI_SRCS))
SAN_LIB_OBJS := $(patsubst grader/%.c,build/san/%.o,$(LIB_SRCS))
SAN_CLI_OBJS := $(patsubst grader/%.c,build/san/%.o,$(CLI_SRCS))
REL_OBJS := $(REL_LIB_OBJS) $(REL_CLI_OBJS)
SAN_OBJS := $(SAN_LIB_OBJS) $(SAN_CLI_OBJS)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRCS))
CALIB_SRCS := $(wildcard tests/calib/calib_*.c)
CALIB_BINS := $(patsubst tests/calib/%.c,build/san/calib/%,$(CALIB_SRCS))
# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c): the library again, built by clang with the fuzzer's
# coverage and the sanitizers into build/fuzz/obj (never mixed with the gcc objects), each harness
# linked with it into build/fuzz/bin/fuzz_NAME. tests/fuzz/run.sh runs them.
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g
FUZZ_LIB_OBJS := $(patsubst grader/%.c,build/fuzz/obj/%.o,$(LIB_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/bin/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 600
# make test-run builds the harnesses when clang and its libFuzzer are there (make test installs
# both); without them tests/e2e/fuzz.sh reports a skip, as clang-check does.
HAVE_FUZZER := $(shell f=$$($(FUZZ_CC) -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-$$(uname -m).a; \
		 [ -f "$$f" ] && echo yes)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,build/helpers/%,$(HELPER_SRCS))

.PHONY: all deps test test-run check demo demo-run bench bench-run install uninstall deb clean help clang-check format-check format \
	lint lint-run check-leaks check-leaks-run fuzz fuzz-build

all: bin/grader bin/grader-pid1

help:
	@echo "make            build bin/grader and bin/grader-pid1"
	@echo "make deps       install the missing Debian packages (apt-get; needs root)"
	@echo "make test       deps + build + all tests under AddressSanitizer/UBSan, suites in parallel"
	@echo "                (TEST_JOBS=N at a time; default: the number of CPUs)"
	@echo "make format     reformat grader/ with clang-format (make format-check: only check; part of make test)"
	@echo "make check      the fast tier: the unit tests that start no process and no sandbox"
	@echo "make lint       deps + cppcheck and clang-tidy (.clang-tidy) over grader/; fails on any finding"
	@echo "                (LINT_JOBS=N files at a time; default: the number of CPUs; part of CI)"
	@echo "make check-leaks deps + build + the release grader under valgrind memcheck over validate,"
	@echo "                summary, similarity, show, review, merge and gradings of the examples; fails on"
	@echo "                any leak or memory error (not in make test: minutes)"
	@echo "make demo       deps + build + grade the bundled examples in submissions/examples and check"
	@echo "                each grade against docs/examples.md (exit 1 on a mismatch or an infrastructure"
	@echo "                error); DEMO_FLAGS=--no-perf skips the measurements, DEMO_ONLY=correct,panic"
	@echo "                grades only those"
	@echo "make fuzz       build the libFuzzer harnesses (tests/fuzz/) with clang and run each for"
	@echo "                FUZZ_SECONDS (default 600; FUZZ_ONLY=spec,num: only those); new inputs go to"
	@echo "                build/fuzz/corpus, crashes to build/fuzz/crashes; exit 1 on a crash"
	@echo "make bench      deps + build + benchmarks, written to build/bench.json"
	@echo "make install    install to PREFIX (default /usr/local)"
	@echo "make deb        build/grader_VERSION_ARCH.deb: make install's files under /usr, the docs,"
	@echo "                Depends from the libraries the binary links (DEB_OUT=DIR: another folder)"
	@echo "make clean      remove build outputs"

deps:
	@missing=""; \
	for p in $(DEB_PKGS) $(EXTRA_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$$HOME/.cargo/bin/cargo" ]; then missing="$$missing cargo"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (or: sudo apt-get install$$missing)" >&2; exit 2; fi; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else echo "make deps: all dependencies present"; fi

build/rel/libgrader.a: $(REL_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

build/san/libgrader.a: $(SAN_LIB_OBJS)
	@echo "  AR-SAN  $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

bin/grader: $(REL_CLI_OBJS) build/rel/libgrader.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -pie -Wl,-z,relro,-z,now -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The sandbox's measuring init (see grader/sandbox/grader-pid1.c): static, so that it runs inside any
# sandbox profile without binding shared libraries, and small, so its children inherit a tiny maxrss.
bin/grader-pid1: $(PID1_SRC) grader/sandbox/pid1_proto.h grader/banned.h
	@mkdir -p $(@D)
	@echo "  LD      $@ (static)"
	$(Q)$(CC) $(BASE_CFLAGS) -O2 -static -o $@ $<

build/rel/%.o: grader/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASE_CFLAGS) $(DEPFLAGS) $(HARDEN) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: grader/%.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	$(Q)$(CC) $(BASE_CFLAGS) $(DEPFLAGS) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

build/san/grader: $(SAN_CLI_OBJS) build/san/libgrader.a
	@echo "  LD-SAN  $@"
	$(Q)$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c build/san/libgrader.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(BASE_CFLAGS) $(DEPFLAGS) -Wno-missing-prototypes $(SAN) $(PKG_CFLAGS) -o $@ $< \
		build/san/libgrader.a $(PKG_LIBS) $(CMOCKA_LIBS)

# Calibrations: cmocka tests that time real processes (not in make check; run alone by make test).
build/san/calib/%: tests/calib/%.c build/san/libgrader.a
	@mkdir -p $(@D)
	@echo "  CALIB   $@"
	$(Q)$(CC) $(BASE_CFLAGS) $(DEPFLAGS) -Wno-missing-prototypes $(SAN) $(PKG_CFLAGS) -o $@ $< \
		build/san/libgrader.a $(PKG_LIBS) $(CMOCKA_LIBS)

build/fuzz/obj/%.o: grader/%.c
	@mkdir -p $(@D)
	@echo "  CC-FUZZ $<"
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(DEPFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/libgrader.a: $(FUZZ_LIB_OBJS)
	@echo "  AR-FUZZ $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

build/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h build/fuzz/libgrader.a
	@mkdir -p $(@D)
	@echo "  FUZZER  $@"
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(DEPFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
		build/fuzz/libgrader.a $(PKG_LIBS)

fuzz-build: $(FUZZ_BINS)

# FUZZ_ONLY=NAME,...: only those harnesses (fuzz_NAME).
fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(subst $(comma), ,$(FUZZ_ONLY))

# Small programs the tests run (calibration workloads, fake servers); plain builds, no sanitizer.
build/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	@echo "  HELPER  $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $< -lm -lpthread

test:
	$(Q)$(MAKE) --no-print-directory deps EXTRA_PKGS="$(DEB_TEST_PKGS)"
	$(Q)$(MAKE) --no-print-directory test-run

# TEST_JOBS=N: suites run N at a time (tests/run.sh -j; default the number of CPUs).
test-run: bin/grader bin/grader-pid1 build/san/grader $(UNIT_BINS) $(CALIB_BINS) $(HELPER_BINS) $(if $(HAVE_FUZZER),$(FUZZ_BINS)) clang-check format-check
	$(Q)tests/run.sh

# The edit-compile loop's tier: unit tests of pure logic (no sandbox, no real process), in seconds.
check: $(UNIT_BINS)
	$(Q)tests/run.sh --check

# The same warnings must hold under clang; a syntax-only pass is enough to prove it.
clang-check:
	$(Q)if command -v clang >/dev/null 2>&1; then \
	  echo "  CLANG   -fsyntax-only grader/"; \
	  clang $(BASE_CFLAGS) $(PKG_CFLAGS) -fsyntax-only $(SRCS); \
	else echo "  CLANG   not installed: skipped"; fi

# The sources follow .clang-format (the style they were written in, applied once): format-check
# fails on any line clang-format would change, and `make format` changes them.
FORMAT_SRCS = $(wildcard grader/*.[ch] grader/*/*.[ch])
format-check:
	$(Q)if command -v clang-format >/dev/null 2>&1; then \
	  echo "  FORMAT  --dry-run grader/"; \
	  clang-format --dry-run -Werror $(FORMAT_SRCS); \
	else echo "  FORMAT  clang-format not installed: skipped"; fi

format:
	$(Q)clang-format -i $(FORMAT_SRCS)

# Static analysis: cppcheck and clang-tidy with the build's own flags (tests/lint.sh; the checks
# and why some are off are in .clang-tidy, cppcheck's library macros and suppressions in
# tests/lint/). Run by CI (.ci/run) between make demo and make test.
lint:
	$(Q)$(MAKE) --no-print-directory deps EXTRA_PKGS="$(LINT_PKGS)"
	$(Q)$(MAKE) --no-print-directory lint-run

lint-run:
	$(Q)LINT_CFLAGS="$(BASE_CFLAGS) $(PKG_CFLAGS)" tests/lint.sh

# Leaks and memory errors of the release build under valgrind memcheck (tests/check-leaks.sh),
# over commands that need no sandbox under valgrind; make test's suites run the ASan+LSan build.
check-leaks:
	$(Q)$(MAKE) --no-print-directory deps EXTRA_PKGS="$(LEAK_PKGS)"
	$(Q)$(MAKE) --no-print-directory check-leaks-run

check-leaks-run: bin/grader bin/grader-pid1
	$(Q)tests/check-leaks.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory demo-run

# DEMO_FLAGS=--no-perf: the fast mode (no speed or memory measurements), checked against the
# "points with --no-perf" column of docs/examples.md; DEMO_ONLY=EX,... and DEMO_EXPECT=FILE go to
# tests/demo.sh through the environment.
demo-run: bin/grader bin/grader-pid1
	$(Q)tests/demo.sh $(DEMO_FLAGS)

bench: deps
	$(Q)$(MAKE) --no-print-directory bench-run

bench-run: bin/grader bin/grader-pid1 $(HELPER_BINS)
	$(Q)tests/bench.sh

install: bin/grader bin/grader-pid1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/grader
	install -m 0755 bin/grader $(DESTDIR)$(PREFIX)/bin/grader
	install -m 0755 bin/grader-pid1 $(DESTDIR)$(PREFIX)/bin/grader-pid1
	cp -R specs sandboxes $(DESTDIR)$(PREFIX)/share/grader/
	install -m 0644 reports/schema.json $(DESTDIR)$(PREFIX)/share/grader/schema.json
	install -m 0644 reports/summary.schema.json $(DESTDIR)$(PREFIX)/share/grader/summary.schema.json

# The Debian package: exactly make install's files (PREFIX=/usr, so the grader finds grader-pid1
# beside it and its data in /usr/share/grader), the README and docs/ in /usr/share/doc/grader, and
# a control file that packaging/mkdeb.sh writes (Depends from the binary's libraries, at build time).
DEB_VERSION = $(shell sed -n 's/^\#define GRADER_VERSION "\(.*\)"/\1/p' grader/version.h)
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_OUT ?= build
DEB_ROOT = $(DEB_OUT)/deb-root

deb: bin/grader bin/grader-pid1
	$(Q)rm -rf $(DEB_ROOT)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr >/dev/null
	$(Q)install -d $(DEB_ROOT)/usr/share/doc/grader
	$(Q)cp -R README.md docs $(DEB_ROOT)/usr/share/doc/grader/
	$(Q)packaging/mkdeb.sh $(DEB_ROOT) $(DEB_OUT)/grader_$(DEB_VERSION)_$(DEB_ARCH).deb $(DEB_VERSION) $(DEB_ARCH)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/grader $(DESTDIR)$(PREFIX)/bin/grader-pid1
	rm -rf $(DESTDIR)$(PREFIX)/share/grader

clean:
	rm -rf build bin

-include $(REL_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(UNIT_BINS:=.d) $(CALIB_BINS:=.d) $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_BINS:=.d)
