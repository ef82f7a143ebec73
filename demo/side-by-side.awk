# SPDX-License-Identifier: GPL-2.0
#
# side-by-side.awk: reads "nsmctl run -v" output of one scenario and prints
# each "show" view of the model and of the real kernel next to each other,
# with whether they agree (a view shown twice in one scenario is kept
# once: the demo's scenarios show each view once).  With -v ns=1 it also says, for each pair of
# "show TASK ns" views, which namespace kinds the two tasks do not share.
# Run by demo/run in the test VM (busybox awk).

function flush(   i, n, w, l, r, same, tag) {
	if (cur == "")
		return
	n = nl["model"] > nl["kernel"] ? nl["model"] : nl["kernel"]
	same = nl["model"] == nl["kernel"]
	for (i = 1; i <= n; i++)
		if (line["model", i] != line["kernel", i])
			same = 0
	tag = same ? "the same on both" : "DIFFERENT"
	printf "\n  %s   (%s)\n", cur, tag
	printf "  %-46s | %s\n", "model (/dev/nsmodel)", "Linux " release " (real system calls)"
	printf "  %-46s-+-%s\n", dashes(46), dashes(40)
	for (i = 1; i <= n; i++) {
		l = line["model", i]
		r = line["kernel", i]
		printf "  %-46s | %s\n", l, r
	}
	if (cur ~ / ns$/) {
		split(cur, w, " ")
		nsv[w[2]] = ""
		for (i = 1; i <= nl["model"]; i++)
			nsv[w[2]] = nsv[w[2]] "\n" line["model", i]
		order[++ntask] = w[2]
	}
	delete line
	delete nl
	cur = ""
}

function dashes(n,   s) {
	s = ""
	while (n-- > 0)
		s = s "-"
	return s
}

/^# [^ ]*:[0-9]+: show / {
	view = $0
	sub(/^# [^ ]*:[0-9]+: /, "", view)
	be = view
	sub(/.*\[/, "", be)
	sub(/\]$/, "", be)
	sub(/ \[[a-z]+\]$/, "", view)
	# Each backend prints its views in scenario order; collect both
	# and print them at the end, one pair per view.
	key = view
	if (!(key in idx))
		idx[key] = ++nviews
	vname[idx[key]] = key
	target = be
	next
}
/^(ok|FAIL|PENDING) / || /^[0-9]+ passed, / { target = ""; next }
target != "" {
	k = idx[key]
	cnt[target, k]++
	text[target, k, cnt[target, k]] = $0
}
END {
	for (k = 1; k <= nviews; k++) {
		cur = vname[k]
		nl["model"] = cnt["model", k] + 0
		nl["kernel"] = cnt["kernel", k] + 0
		for (i = 1; i <= nl["model"]; i++)
			line["model", i] = text["model", k, i]
		for (i = 1; i <= nl["kernel"]; i++)
			line["kernel", i] = text["kernel", k, i]
		flush()
	}
	if (ns && ntask >= 2) {
		a = order[1]
		b = order[2]
		na = split(nsv[a], la, "\n")
		split(nsv[b], lb, "\n")
		differ = ""
		for (i = 2; i <= na; i++)
			if (la[i] != lb[i]) {
				split(la[i], f, " ")
				differ = differ " " f[1]
			}
		printf "\n  %s and %s differ only in:%s\n", a, b, differ == "" ? " nothing" : differ
	}
}
