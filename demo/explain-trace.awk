# SPDX-License-Identifier: GPL-2.0
#
# explain-trace.awk: turns the nsmodel tracepoints of one copy_mnt_ns()
# (read from /sys/kernel/tracing/trace) into the two passes in words.
# Mount numbers are the model's mount ids (the raw ids, not the renumbered
# ones of "show TASK mounts").  Run by demo/run in the test VM.

# val(NAME): the value of NAME=VALUE in the current event.
function val(name,   i, kv) {
	for (i = 1; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}

function clflags(f,   s) {
	f = strtonum_(f)
	s = ""
	if (and_(f, 1)) s = s "|CL_EXPIRE"
	if (and_(f, 2)) s = s "|CL_SLAVE"
	if (and_(f, 4)) s = s "|CL_COPY_UNBINDABLE"
	if (and_(f, 8)) s = s "|CL_MAKE_SHARED"
	if (and_(f, 16)) s = s "|CL_PRIVATE"
	if (and_(f, 32)) s = s "|CL_SHARED_TO_SLAVE"
	if (and_(f, 64)) s = s "|CL_COPY_MNT_NS_FILE"
	return s == "" ? "0" : substr(s, 2)
}

# Portable (busybox and mawk) stand-ins for gawk's strtonum() and and().
function strtonum_(h,   n, i, c) {
	n = 0
	h = tolower(h)
	sub(/^0x/, "", h)
	for (i = 1; i <= length(h); i++) {
		c = index("0123456789abcdef", substr(h, i, 1)) - 1
		n = n * 16 + c
	}
	return n
}
function and_(n, bit) { return int(n / bit) % 2 }

function flush_copies(   i) {
	if (!ncopy && !nskip1)
		return
	print "  pass one, copy_tree(): copy the topology of the old tree"
	for (i = 1; i <= nout1; i++)
		printf out1[i], ncopy
	nout1 = 0; ncopy = 0; nskip1 = 0
}

/nsm_copy_mnt_ns_start:/ {
	printf "copy_mnt_ns(): mount namespace %s is copied into a new one, %s\n", val("old_ns"), val("new_ns")
	printf "  copy_tree() flags: %s\n", clflags(val("copy_flags"))
	ncopy = 0; nskip1 = 0; npair = 0
	next
}
/nsm_copy_tree_mnt:/ {
	ncopy++
	if (val("parent_copy") == "-1")
		where = "the root of the new tree"
	else
		where = "attached under mount " val("parent_copy")
	out1[++nout1] = sprintf("    copy %d of %%d: mount %s -> new mount %s, %s\n", ncopy, val("src"), val("copy"), where)
	next
}
/nsm_copy_tree_skip:/ {
	nskip1++
	why = val("why") == "1" ? "unbindable, and no CL_COPY_UNBINDABLE" : "a mount namespace file, and no CL_COPY_MNT_NS_FILE"
	out1[++nout1] = sprintf("    mount %s and everything under it left out: %s\n", val("src"), why)
	next
}
/nsm_copy_mnt_ns_pair:/ {
	if (!npair) {
		flush_copies()
		print "  pass two: walk the old and the new tree in step"
	}
	npair++
	what = ""
	if (val("root_moved") == "1") what = what "; the task's root moves onto it"
	if (val("pwd_moved") == "1") what = what "; the task's cwd moves onto it"
	printf "    pair %d: old mount %s <-> new mount %s: joins namespace %s, counted%s\n", npair, val("old"), val("new"), val("ns"), what
	if (val("root_moved") == "1" && npair > 1)
		print "      (the mounts of the pairs before this one are outside the task's root:\n       its mountinfo does not list them)"
	next
}
/nsm_copy_mnt_ns_skip:/ {
	printf "    old mount %s was not copied: step over it (next_mnt) to the next old mount that was\n", val("old")
	next
}
/nsm_copy_mnt_ns_result:/ {
	flush_copies()
	if (val("err") == "0")
		printf "  done: the new namespace %s holds %s mounts\n", val("new_ns"), val("mounts")
	else
		printf "  failed with error %s; everything copied is freed\n", val("err")
	next
}
