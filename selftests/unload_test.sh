#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unload_test: nsmodel cannot be unloaded while a world (an open fd of
# /dev/nsmodel) exists, and can once it is closed.  Runs in the test VM
# (busybox sh); needs the module loaded and /nsmodel.ko to load it again.
# TAP output; skips (status 4) without /dev/nsmodel.

ko=${NSMODEL_KO:-/nsmodel.ko}
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
}

loaded() {
	grep -q '^nsmodel ' /proc/modules
}

echo "TAP version 13"

# Without the module there is nothing to test: skip, as the C programs do
# (selftests/nsm_helpers.h), with kselftest's KSFT_SKIP status.
if [ ! -e /dev/nsmodel ]; then
	echo "1..0 # SKIP /dev/nsmodel absent (nsmodel not loaded)"
	exit 4
fi
echo "1..3"
if ! loaded || [ ! -c /dev/nsmodel ]; then
	echo "# /dev/nsmodel is not nsmodel's device"
	echo "not ok 1 rmmod_fails_while_open"
	echo "not ok 2 rmmod_succeeds_after_close"
	echo "not ok 3 module_loads_again"
	exit 1
fi

exec 3<>/dev/nsmodel
echo "# refcnt with a world open: $(cat /sys/module/nsmodel/refcnt)"
if rmmod nsmodel 2>/dev/null; then
	not_ok "rmmod_fails_while_open"
	echo "# rmmod succeeded with /dev/nsmodel open"
elif loaded && [ "$(cat /sys/module/nsmodel/refcnt)" -ge 1 ]; then
	ok "rmmod_fails_while_open"
else
	not_ok "rmmod_fails_while_open"
fi
exec 3<&-

if loaded && rmmod nsmodel && ! loaded; then
	ok "rmmod_succeeds_after_close"
else
	not_ok "rmmod_succeeds_after_close"
fi

if loaded || insmod "$ko"; then
	if [ -c /dev/nsmodel ]; then
		ok "module_loads_again"
	else
		not_ok "module_loads_again"
	fi
else
	not_ok "module_loads_again"
fi

echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ "$failed" -eq 0 ]
