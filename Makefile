# SPDX-License-Identifier: GPL-2.0
#
# nsmodel: build the module, the tools and the selftests; run them in a VM.
#
#   make                     module (against KDIR), tools, selftests, examples,
#                            and build/study.svg: the README's study scenario
#                            drawn by nsmctl graph on the host's kernel
#   make pictures            docs/img/study.{dot,svg}: the same drawn from the
#                            model, in the VM (KVER, default 6.1)
#   make W=1                 the same with the kernel's extra warnings
#   make module KVER=6.12    the module for an installed Debian kernel
#   make check               everything, tested in the VM on 6.1 and 6.12
#   make check-debug         everything again on the debug kernel (KASAN,
#                            lockdep, kmemleak), plus the fuzzer and stress
#   make soak                the long runs of that lane (1M fuzzer requests,
#                            4 x 100k stress, 1,000 load cycles, FAILSLAB)
#   make kunit               nsmodel.ko and the KUnit tests nsmodel_kunit.ko
#                            for the debug kernel (KVER=debug by default)
#   make demo                the story of unshare -m and copy_mnt_ns, on the
#                            model and on Linux side by side, in the VM
#   make fuzz-diff           random scenarios on the model and on Linux, both
#                            kernels (FUZZ_COUNT=1000 each); differences
#                            shrunk into scenarios/found/
#   make coverage            line and branch coverage of module/ by the whole
#                            suite on the debug kernel (gcov, lcov): an HTML
#                            report under build/coverage/
#   make bench               benchmarks, model against real kernel (6.1, 6.12)
#   make study               the study scenario's copy_mnt_ns traced in the VM
#                            as a step-through page, checked in headless
#                            Chromium: build/study/study.html and .png
#   make checkpatch sparse   static checks of module/ and include/
#   make dkms KVER=6.12      the module built by Debian's dkms (dkms.conf),
#                            in a private tree under build/
#   make install             the module to /lib/modules/RELEASE/updates (then
#                            depmod), nsmctl, nsmctl.1, nsmodel.4 and the
#                            bash completion under PREFIX (/usr/local);
#                            DESTDIR=DIR stages them in DIR
#   make uninstall           removes what make install put there
#   make install-test        make install and uninstall into a scratch DESTDIR
#   make shellcheck          static check of the shell scripts
#   make check-links         every link of README.md and docs/ resolves
#   make versions-page       docs/copy-mnt-ns-versions.md: nsmctl compare
#                            over the corpus, each difference with its cause
#   make tools-check         nsmctl's own tests, on the host's kernel (root)
#   make clean
#
# KDIR defaults to /lib/modules/$(uname -r)/build when it exists, else to
# the Debian 6.1 kernel's headers (unpacked into the cache by
# scripts/vm-kernels); KVER=6.1|6.12|RELEASE picks another one.  Kbuild's
# objects go to build/mod-RELEASE/ (a copy of the module sources), so the
# objects of several kernels live side by side.

TOP	:= $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
BUILD	:= $(TOP)/build
SCRIPTS	:= $(TOP)/scripts

# KVER=debug, debug-6.1 or debug-6.12 (or their "-nsmdebug" releases): the
# kbuild tree of the debug kernel that scripts/debug-kernel built (see
# "make check-debug").
ifneq ($(filter debug debug-% %-nsmdebug,$(KVER)),)
DVER	:= $(strip $(if $(filter debug,$(KVER)),6.1,$(if $(filter debug-%,$(KVER)),$(KVER:debug-%=%),\
	$(shell echo '$(KVER)' | sed -E 's/^([0-9]+\.[0-9]+).*/\1/'))))
KDIR	:= $(shell $(SCRIPTS)/debug-kernel --version $(DVER) --print)
endif
ifdef KVER
KREL	:= $(shell $(SCRIPTS)/kernel-release $(KVER))
KDIR	?= $(shell $(SCRIPTS)/vm-kernels --kdir "$(KREL)" 2>/dev/null)
endif
ifndef KDIR
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR	:= /lib/modules/$(shell uname -r)/build
else
KDIR	:= $(shell $(SCRIPTS)/vm-kernels --kdir \
		"$$($(SCRIPTS)/kernel-release 6.1 2>/dev/null)" 2>/dev/null)
endif
endif
# The release the tree builds for, as uname -r says it (Debian's
# include/config/kernel.release holds the upstream version instead).
KREL	?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR	:= $(BUILD)/mod-$(KREL)

# The kernel sources the build borrows from (never committed).
KSRC_TAR := $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz) \
		$(wildcard /usr/src/linux-source-*.tar.xz))
KSRC	:= $(BUILD)/ksrc
KSRC_FILES := scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch \
	tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	tools/testing/selftests/lib.mk \
	tools/testing/selftests/run_kselftest.sh \
	$(addprefix tools/testing/selftests/kselftest/,runner.sh prefix.pl module.sh)

HAVE_MODULE := $(wildcard $(TOP)/Kbuild)
HAVE_TOOLS  := $(wildcard $(TOP)/tools/Makefile)

CHECK_SRCS = $(wildcard $(TOP)/module/*.[ch] $(TOP)/include/uapi/linux/*.h \
	$(TOP)/kunit/*.[ch] $(TOP)/planted/*.c)

.PHONY: all module modules selftests tools demo check checkpatch sparse \
	shellcheck clean deps vm-prep ksrc help bench \
	fuzz check-debug debug-kernel soak kunit demo-run check-links planted \
	dkms install uninstall install-test examples fuzz-diff \
	tools-check study picture pictures coverage versions-page

all: module tools selftests examples picture

help:
	@sed -n '3,/^$$/{/^#/p}' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

modules: module

# Copy the module sources to build/mod-RELEASE (keeping mtimes, so kbuild
# rebuilds only what changed) and run kbuild there.
module:
ifeq ($(HAVE_MODULE),)
	@echo "make: no Kbuild yet, no module to build"
else
	@test -d $(KDIR) || { echo "make: no kernel build tree at KDIR=$(KDIR) (run scripts/deps)" >&2; exit 1; }
	@mkdir -p $(MODDIR)
	@rsync -a --delete --include=/Kbuild --include='/module/***' \
		--include='/include/***' --include='/kunit/***' \
		--exclude='*' $(TOP)/ $(MODDIR)/src/
	$(MAKE) -C $(KDIR) M=$(MODDIR)/src modules
	@cp $(MODDIR)/src/nsmodel.ko $(MODDIR)/nsmodel.ko
	@echo "  MODULE  $(MODDIR)/nsmodel.ko"
	@if [ -f $(MODDIR)/src/kunit/nsmodel_kunit.ko ]; then \
		cp $(MODDIR)/src/kunit/nsmodel_kunit.ko $(MODDIR)/; \
		echo "  MODULE  $(MODDIR)/nsmodel_kunit.ko"; \
	else rm -f $(MODDIR)/nsmodel_kunit.ko; fi
endif

tools:
ifneq ($(HAVE_TOOLS),)
	$(MAKE) -C $(TOP)/tools
endif

# Extracted again when this Makefile (KSRC_FILES) changes.
$(KSRC)/.stamp: $(TOP)/Makefile
	@test -n "$(KSRC_TAR)" || { echo "make: /usr/src/linux-source-6.1.tar.xz missing (run scripts/deps)" >&2; exit 1; }
	@echo "  EXTRACT $(KSRC_FILES) from $(KSRC_TAR)"
	@rm -rf $(KSRC) && mkdir -p $(KSRC)
	@tar -xJf $(KSRC_TAR) -C $(KSRC) --strip-components=1 --occurrence=1 \
		$(addprefix $(notdir $(KSRC_TAR:.tar.xz=))/,$(KSRC_FILES))
	@touch $@

ksrc: $(KSRC)/.stamp

# Built into build/selftests, installed as a kselftest tree (run_kselftest.sh)
# into build/kselftest, which scripts/vm-run packs.
selftests: $(KSRC)/.stamp
	$(MAKE) -C $(TOP)/selftests OUTPUT=$(BUILD)/selftests \
		KSFT_DIR=$(KSRC)/tools/testing/selftests \
		install INSTALL_PATH=$(BUILD)/kselftest

# examples/: programs of the ABI, static (they run in the VM's initramfs).
examples:
	$(MAKE) -C $(TOP)/examples OUTPUT=$(BUILD)/examples

# The README's study scenario as a picture (nsmctl graph, graphviz), drawn
# on the host's kernel in a user namespace of its own, and checked
# (scripts/study-picture); "make pictures" draws the committed one of
# docs/img/ from the model in the VM.
picture: tools
	@$(SCRIPTS)/study-picture $(BUILD)

# The README's picture and page screenshot, from the model in the VM.
pictures: vm-prep
	$(SCRIPTS)/study-picture --vm $(KREL) $(TOP)/docs/img
	$(SCRIPTS)/study-page --kernel $(KREL) --out $(BUILD)/study
	cp $(BUILD)/study/study.png $(TOP)/docs/img/study-page.png

# What scripts/vm-run needs for one kernel: the module, selftests, tools.
vm-prep: module selftests tools

# The demo first installs what it needs, then builds in a new make (whose
# KDIR then exists) and tells demo/run's story in the VM.
demo:
	$(SCRIPTS)/deps
	@$(MAKE) -f $(TOP)/Makefile --no-print-directory demo-run

demo-run: vm-prep
	@$(SCRIPTS)/vm-run --kernel $(KREL) --no-build --add $(TOP)/demo -- sh demo/run

check:
	$(SCRIPTS)/check

# The robustness lane (scripts/check-debug; fuzz/ holds its programs).
fuzz:
	$(MAKE) -C $(TOP)/fuzz OUTPUT=$(BUILD)/fuzz

debug-kernel:
	$(SCRIPTS)/debug-kernel
	$(SCRIPTS)/debug-kernel --version 6.12

check-debug:
	$(SCRIPTS)/check-debug

soak:
	$(SCRIPTS)/soak

# Coverage of module/ (gcov on the debug kernel, scripts/coverage).
coverage:
	$(SCRIPTS)/coverage

# nsmctl's own tests (tools/tests): the kernel backend on the host's kernel,
# real namespaces of its own, no module.
tools-check: tools
	$(MAKE) -C $(TOP)/tools check

# Differential fuzzing (nsmctl fuzz in the VM, scripts/fuzz-diff).
FUZZ_COUNT ?= 1000
FUZZ_SEED ?= 1
fuzz-diff: vm-prep
	$(SCRIPTS)/fuzz-diff --count $(FUZZ_COUNT) --seed $(FUZZ_SEED)

# The KUnit tests (kunit/) build only against a kernel with CONFIG_KUNIT,
# which of the kernels here only the debug kernel has; the module built
# with them exports what they call (EXPORT_SYMBOL_IF_KUNIT).  Run them with
#   scripts/vm-run --kernel debug --add build/mod-RELEASE/nsmodel_kunit.ko \
#       --add scripts/guest-debug-tests -- ./guest-debug-tests kunit
kunit:
	$(MAKE) -f $(TOP)/Makefile module KVER=$(or $(KVER),debug)
	@test -f $(BUILD)/mod-$(shell $(SCRIPTS)/kernel-release $(or $(KVER),debug))/nsmodel_kunit.ko || \
		{ echo "make: no nsmodel_kunit.ko: does the kernel have CONFIG_KUNIT?" >&2; exit 1; }

# Planted bugs, one per detector of the debug kernels (planted/, never
# part of nsmodel.ko): scripts/prove-detectors builds and loads them.
planted:
	@test -d $(KDIR) || { echo "make: no kernel build tree at KDIR=$(KDIR)" >&2; exit 1; }
	@mkdir -p $(BUILD)/planted-$(KREL)
	@rsync -a --delete $(TOP)/planted/ $(BUILD)/planted-$(KREL)/
	$(MAKE) -C $(KDIR) M=$(BUILD)/planted-$(KREL) modules
	@echo "  MODULE  $(BUILD)/planted-$(KREL)/nsm_planted.ko"

# The model's mount namespace operations against the real kernel's, in the
# VM, on 6.1 and 6.12 (KVER=... for one of them); results in bench/results/.
bench:
	$(SCRIPTS)/bench $(if $(KVER),--kernel $(KVER))

# The README's step-through page (scripts/study-page).
study: vm-prep
	$(SCRIPTS)/study-page --kernel $(KREL)

deps:
	$(SCRIPTS)/deps

# Kernel style, warnings fail.  module/compat.h, the one place where the
# kernel versions are told apart, may compare LINUX_VERSION_CODE;
# module/profile.c, the one place that answers ENOSYS (for the system
# calls an old profile's kernel did not have), may say ENOSYS.
CHECKPATCH = perl $(KSRC)/scripts/checkpatch.pl --no-tree --no-summary --terse
COMPAT_H = $(filter %/module/compat.h,$(CHECK_SRCS))
PROFILE_C = $(filter %/module/profile.c,$(CHECK_SRCS))

checkpatch: $(KSRC)/.stamp
	$(CHECKPATCH) -f $(filter-out $(COMPAT_H) $(PROFILE_C),$(CHECK_SRCS))
ifneq ($(COMPAT_H),)
	$(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $(COMPAT_H)
endif
ifneq ($(PROFILE_C),)
	$(CHECKPATCH) --ignore ENOSYS -f $(PROFILE_C)
endif
	@echo "checkpatch: clean ($(words $(CHECK_SRCS)) files)"

# C=2 runs sparse on every file, rebuilt or not; any sparse report fails.
sparse:
ifeq ($(HAVE_MODULE),)
	@echo "make: no Kbuild yet, nothing to check"
else
	@mkdir -p $(MODDIR)
	@rsync -a --delete --include=/Kbuild --include='/module/***' \
		--include='/include/***' --include='/kunit/***' \
		--exclude='*' $(TOP)/ $(MODDIR)/src/
	@$(MAKE) -C $(KDIR) M=$(MODDIR)/src C=2 CHECK=sparse modules \
		>$(BUILD)/sparse.log 2>&1; rc=$$?; cat $(BUILD)/sparse.log; \
		test $$rc -eq 0
	@if grep -Eq '(warning|error):' $(BUILD)/sparse.log; then \
		echo "sparse: reports above (build/sparse.log)" >&2; exit 1; fi
	@echo "sparse: clean"
endif

# dkms.conf at work: scripts/dkms-build runs "dkms build" for KVER (default
# 6.1) in a tree of its own, the host's dkms state untouched.
dkms:
	$(SCRIPTS)/dkms-build $(or $(KVER),6.1)

# DESTDIR stages the files (packaging, scripts/install-test), so depmod,
# which would index the live /lib/modules, runs only without it.
PREFIX	?= /usr/local
INSTALLED_KO  = $(DESTDIR)/lib/modules/$(KREL)/updates/nsmodel.ko
INSTALLED_BIN = $(DESTDIR)$(PREFIX)/bin/nsmctl
INSTALLED_MAN = $(DESTDIR)$(PREFIX)/share/man/man1/nsmctl.1
INSTALLED_MAN4 = $(DESTDIR)$(PREFIX)/share/man/man4/nsmodel.4
INSTALLED_COMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nsmctl
DEPMOD	= if [ -z "$(DESTDIR)" ] && command -v depmod >/dev/null; then \
		echo "  DEPMOD  $(KREL)"; depmod -a $(KREL); fi

install: module tools
	install -D -m 644 $(MODDIR)/nsmodel.ko $(INSTALLED_KO)
	install -D -m 755 $(TOP)/tools/nsmctl $(INSTALLED_BIN)
	install -D -m 644 $(TOP)/tools/nsmctl.1 $(INSTALLED_MAN)
	install -D -m 644 $(TOP)/docs/nsmodel.4 $(INSTALLED_MAN4)
	install -D -m 644 $(TOP)/tools/nsmctl.bash-completion $(INSTALLED_COMP)
	@$(DEPMOD)

uninstall:
	rm -f $(INSTALLED_KO) $(INSTALLED_BIN) $(INSTALLED_MAN) \
		$(INSTALLED_MAN4) $(INSTALLED_COMP)
	@$(DEPMOD)

install-test:
	$(SCRIPTS)/install-test $(KVER)

# Every shell script of the project (found by its #! line).
SHELL_SCRIPTS = $(shell grep -lsE '^\#!/bin/(ba)?sh' $(TOP)/scripts/* \
	$(TOP)/selftests/*.sh $(TOP)/.ci/* $(TOP)/tools/*.sh $(TOP)/demo/run)

shellcheck:
	shellcheck $(SHELL_SCRIPTS)
	@echo "shellcheck: clean ($(words $(SHELL_SCRIPTS)) scripts)"

# docs/copy-mnt-ns-versions.md from nsmctl compare over the corpus, in
# the VM (scripts/versions-page).
versions-page: vm-prep
	$(SCRIPTS)/versions-page

# The Markdown links of README.md and docs/*.md (scripts/check-links).
check-links:
	$(SCRIPTS)/check-links

clean:
	rm -rf $(BUILD)
ifneq ($(HAVE_TOOLS),)
	-$(MAKE) -C $(TOP)/tools clean
endif
ifneq ($(HAVE_MODULE),)
	@find $(TOP)/module -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' 2>/dev/null | xargs rm -f
	@rm -f $(TOP)/*.ko $(TOP)/*.mod* $(TOP)/modules.order $(TOP)/Module.symvers
endif
