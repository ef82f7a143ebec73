// SPDX-License-Identifier: GPL-2.0
/*
 * trace_test: the nsmodel tracepoints, read back through tracefs.  A copy
 * of a known tree must produce exactly the expected pass-one and pass-two
 * events; a mount on a shared mount must show its propagation, and a
 * umount each mount it removes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mount.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"
#include "mountinfo_parse.h"

#define INIT	NSM_INIT_TASK
#define TRACING	"/sys/kernel/tracing"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int enable(const char *event, int on)
{
	char path[256];

	snprintf(path, sizeof(path), TRACING "/events/nsmodel/%s/enable",
		 event);
	return write_file(path, on ? "1" : "0");
}

/*
 * The events of world @world in the trace buffer, one per line, as
 * "event: fields" with the world field removed.
 */
static char *read_events(__u64 world)
{
	char tag[48], line[1024], *out;
	size_t len = 0, cap = 1 << 16;
	FILE *f = fopen(TRACING "/trace", "r");

	out = calloc(1, cap);
	if (!f || !out) {
		if (f)
			fclose(f);
		free(out);
		return NULL;
	}
	snprintf(tag, sizeof(tag), "world=%llu ", (unsigned long long)world);
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, " nsm_"), *w;
		size_t n;

		if (!ev || line[0] == '#')
			continue;
		w = strstr(ev, tag);
		if (!w)
			continue;
		ev++;
		/* "nsm_x: " + the rest after the world field */
		n = (size_t)(w - ev);
		if (len + n + strlen(w) + 2 >= cap)
			break;
		memcpy(out + len, ev, n);
		len += n;
		strcpy(out + len, w + strlen(tag));
		len += strlen(w + strlen(tag));
	}
	fclose(f);
	return out;
}

static __u64 world_id(int fd)
{
	struct nsm_ns_info i;
	long nsfd = nsm_ns_open(fd, INIT, NSM_NS_MNT);
	__u64 id = 0;

	if (nsfd < 0)
		return 0;
	if (nsm_ns_info((int)nsfd, &i) == 0)
		id = i.world_id;
	close((int)nsfd);
	return id;
}

FIXTURE(tr) {
	int mon, fd;
	struct nsm_counters before;
	__u64 world;
};

FIXTURE_SETUP(tr)
{
	/*
	 * The events exist only on a kernel built with CONFIG_EVENT_TRACING
	 * and with tracefs mounted: without them there is nothing to test.
	 */
	if (access(TRACING "/events/nsmodel", F_OK))
		SKIP(return, "no nsmodel events in tracefs");
	NSM_WORLD_SETUP(self);
	self->world = world_id(self->fd);
	ASSERT_NE(0, self->world);
	/*
	 * Without this, enabling the first event also hooks the scheduler's
	 * tracepoints to record task names, which live-patches hot kernel
	 * text; under QEMU's TCG that patching has crashed the guest.  Our
	 * events only patch the module's own text.
	 */
	write_file(TRACING "/options/record-cmd", "0");
	ASSERT_EQ(0, write_file(TRACING "/tracing_on", "1"));
}

FIXTURE_TEARDOWN(tr)
{
	if (self->fd <= 0)
		return;
	write_file(TRACING "/events/nsmodel/enable", "0");
	NSM_WORLD_TEARDOWN(self);
}

TEST_F(tr, copy_of_a_known_tree_gives_exactly_these_events)
{
	long r, a, b, c, child, nr, nc, na, nb;
	__u64 old_ns, new_ns;
	char expect[4096], *got;

	/* / with /a, /a/b and /c, in that order */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/c"));
	r = mi_mnt_id(self->fd, INIT, "/");
	a = mi_mnt_id(self->fd, INIT, "/a");
	b = mi_mnt_id(self->fd, INIT, "/a/b");
	c = mi_mnt_id(self->fd, INIT, "/c");
	old_ns = nsm_ns_id(self->fd, INIT, NSM_NS_MNT);

	ASSERT_EQ(0, enable("nsm_copy_mnt_ns_start", 1));
	ASSERT_EQ(0, enable("nsm_copy_tree_mnt", 1));
	ASSERT_EQ(0, enable("nsm_copy_tree_skip", 1));
	ASSERT_EQ(0, enable("nsm_copy_mnt_ns_pair", 1));
	ASSERT_EQ(0, enable("nsm_copy_mnt_ns_skip", 1));
	ASSERT_EQ(0, enable("nsm_copy_mnt_ns_result", 1));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	write_file(TRACING "/events/nsmodel/enable", "0");

	new_ns = nsm_ns_id(self->fd, child, NSM_NS_MNT);
	nr = mi_mnt_id(self->fd, child, "/");
	na = mi_mnt_id(self->fd, child, "/a");
	nb = mi_mnt_id(self->fd, child, "/a/b");
	nc = mi_mnt_id(self->fd, child, "/c");
	/*
	 * The namespace's root is the unlisted rootfs under "/": in a fresh
	 * world it has the id just below "/", and its copy the id just
	 * below the copy of "/".  root and cwd sit on "/".
	 */
	snprintf(expect, sizeof(expect),
		 "nsm_copy_mnt_ns_start: old_ns=%llu new_ns=%llu copy_flags=0x5\n"
		 "nsm_copy_tree_mnt: src=%ld copy=%ld parent_copy=-1 flags=0x5\n"
		 "nsm_copy_tree_mnt: src=%ld copy=%ld parent_copy=%ld flags=0x5\n"
		 "nsm_copy_tree_mnt: src=%ld copy=%ld parent_copy=%ld flags=0x5\n"
		 "nsm_copy_tree_mnt: src=%ld copy=%ld parent_copy=%ld flags=0x5\n"
		 "nsm_copy_tree_mnt: src=%ld copy=%ld parent_copy=%ld flags=0x5\n"
		 "nsm_copy_mnt_ns_pair: old=%ld new=%ld ns=%llu root_moved=0 pwd_moved=0\n"
		 "nsm_copy_mnt_ns_pair: old=%ld new=%ld ns=%llu root_moved=1 pwd_moved=1\n"
		 "nsm_copy_mnt_ns_pair: old=%ld new=%ld ns=%llu root_moved=0 pwd_moved=0\n"
		 "nsm_copy_mnt_ns_pair: old=%ld new=%ld ns=%llu root_moved=0 pwd_moved=0\n"
		 "nsm_copy_mnt_ns_pair: old=%ld new=%ld ns=%llu root_moved=0 pwd_moved=0\n"
		 "nsm_copy_mnt_ns_result: new_ns=%llu mounts=5 err=0\n",
		 (unsigned long long)old_ns, (unsigned long long)new_ns,
		 r - 1, nr - 1,
		 r, nr, nr - 1, a, na, nr, b, nb, na, c, nc, nr,
		 r - 1, nr - 1, (unsigned long long)new_ns,
		 r, nr, (unsigned long long)new_ns,
		 a, na, (unsigned long long)new_ns,
		 b, nb, (unsigned long long)new_ns,
		 c, nc, (unsigned long long)new_ns,
		 (unsigned long long)new_ns);
	got = read_events(self->world);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(expect, got);
	free(got);
}

TEST_F(tr, a_failed_copy_reports_its_error)
{
	char *got;
	long n;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, enable("nsm_copy_mnt_ns_result", 1));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	/* fail the third allocation of the copy: the second mount */
	for (n = 1; n < 50; n++) {
		long child;

		nsm_fault(self->fd, n);
		child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
		nsm_fault(self->fd, 0);
		if (child > 0)
			break;
	}
	write_file(TRACING "/events/nsmodel/enable", "0");
	got = read_events(self->world);
	ASSERT_NE(NULL, got);
	EXPECT_NE(NULL, strstr(got, "mounts=0 err=-12\n")) TH_LOG("%s", got);
	EXPECT_NE(NULL, strstr(got, "mounts=3 err=0\n")) TH_LOG("%s", got);
	free(got);
}

TEST_F(tr, propagation_mount_and_umount_events)
{
	long s, p, ns, x, px;
	char expect[1024], *got;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/p"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/s", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/s", "/p"));
	s = mi_mnt_id(self->fd, INIT, "/s");
	p = mi_mnt_id(self->fd, INIT, "/p");
	ns = (long)nsm_ns_id(self->fd, INIT, NSM_NS_MNT);

	ASSERT_EQ(0, enable("nsm_mount", 1));
	ASSERT_EQ(0, enable("nsm_umount", 1));
	ASSERT_EQ(0, enable("nsm_propagate", 1));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/s/x"));
	x = mi_mnt_id(self->fd, INIT, "/s/x");
	px = mi_mnt_id(self->fd, INIT, "/p/x");
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/s/x", 0));
	write_file(TRACING "/events/nsmodel/enable", "0");

	/*
	 * propagate_one() copies the new mount for the peer, commit_tree()
	 * attaches the original and then the copy; umount_tree() takes the
	 * copy found by propagate_umount() after the original.
	 */
	snprintf(expect, sizeof(expect),
		 "nsm_propagate: source=%ld dest=%ld copy=%ld type=0x8\n"
		 "nsm_mount: mnt=%ld parent=%ld ns=%ld mnt_flags=0x1020\n"
		 "nsm_mount: mnt=%ld parent=%ld ns=%ld mnt_flags=0x1020\n"
		 "nsm_umount: mnt=%ld ns=%ld how=0x3 disconnect=1\n"
		 "nsm_umount: mnt=%ld ns=%ld how=0x3 disconnect=1\n",
		 x, p, px, x, s, ns, px, p, ns, x, ns, px, ns);
	got = read_events(self->world);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(expect, got);
	free(got);
}

TEST_F(tr, rbind_reports_the_pruned_subtree)
{
	long u;
	char expect[256], *got;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/u"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a/u", MS_UNBINDABLE));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	u = mi_mnt_id(self->fd, INIT, "/a/u");
	ASSERT_EQ(0, enable("nsm_copy_tree_skip", 1));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/a", "/r"));
	write_file(TRACING "/events/nsmodel/enable", "0");
	snprintf(expect, sizeof(expect), "nsm_copy_tree_skip: src=%ld why=1\n",
		 u);
	got = read_events(self->world);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(expect, got);
	free(got);
}

/*
 * copy_tree()'s three callers, one after the other: copy_mnt_ns() (a
 * clone with CLONE_NEWNS), do_loopback() (a recursive bind) and
 * open_tree(OPEN_TREE_CLONE | AT_RECURSIVE); then move_mount()'s attach
 * of the detached tree, and the dissolution of a second one at its
 * handle's close.
 */
TEST_F(tr, copy_tree_callers_and_the_new_mount_api)
{
	long r, s, bnd, t, child, h, dis = -1;
	char expect[4096], *got, *p;
	struct nsm_open_tree_args ot = {
		.size = sizeof(ot), .task = INIT, .dfd = AT_FDCWD,
		.path = (uintptr_t)"/s", .flags = OPEN_TREE_CLONE | AT_RECURSIVE,
	};
	struct nsm_move_mount_args mm = {
		.size = sizeof(mm), .task = INIT, .to_dfd = AT_FDCWD,
		.from_path = (uintptr_t)"", .to_path = (uintptr_t)"/t",
		.flags = MOVE_MOUNT_F_EMPTY_PATH,
	};
	__u64 ns;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/t"));
	r = mi_mnt_id(self->fd, INIT, "/");
	s = mi_mnt_id(self->fd, INIT, "/s");
	ns = nsm_ns_id(self->fd, INIT, NSM_NS_MNT);

	ASSERT_EQ(0, enable("nsm_copy_tree_call", 1));
	ASSERT_EQ(0, enable("nsm_open_tree", 1));
	ASSERT_EQ(0, enable("nsm_attach_tree", 1));
	ASSERT_EQ(0, enable("nsm_dissolve", 1));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/s", "/b"));
	h = nsm_ioc(self->fd, NSM_IOC_OPEN_TREE, &ot);
	ASSERT_LE(0, h);
	mm.from_dfd = h;
	ASSERT_EQ(0, nsm_ioc(self->fd, NSM_IOC_MOVE_MOUNT, &mm));
	close(h);
	h = nsm_ioc(self->fd, NSM_IOC_OPEN_TREE, &ot);
	ASSERT_LE(0, h);
	close(h);
	write_file(TRACING "/events/nsmodel/enable", "0");

	bnd = mi_mnt_id(self->fd, INIT, "/b");
	t = mi_mnt_id(self->fd, INIT, "/t");
	got = read_events(self->world);
	ASSERT_NE(NULL, got);
	p = strstr(got, "nsm_dissolve: mnt=");
	ASSERT_NE(NULL, p);
	dis = strtol(p + strlen("nsm_dissolve: mnt="), NULL, 10);
	/* the namespace's root is the rootfs just below "/" */
	snprintf(expect, sizeof(expect),
		 "nsm_copy_tree_call: caller=copy_mnt_ns src=%ld\n"
		 "nsm_copy_tree_call: caller=do_loopback src=%ld\n"
		 "nsm_attach_tree: mnt=%ld parent=%ld ns=%llu how=0x0\n"
		 "nsm_copy_tree_call: caller=open_tree src=%ld\n"
		 "nsm_open_tree: task=1 src=%ld flags=0x8001 copy=%ld mounts=2\n"
		 "nsm_attach_tree: mnt=%ld parent=%ld ns=%llu how=0x0\n"
		 "nsm_copy_tree_call: caller=open_tree src=%ld\n"
		 "nsm_open_tree: task=1 src=%ld flags=0x8001 copy=%ld mounts=2\n"
		 "nsm_dissolve: mnt=%ld mounts=2\n",
		 r - 1, s, bnd, r, (unsigned long long)ns, s, s, t, t, r,
		 (unsigned long long)ns, s, s, dis, dis);
	EXPECT_STREQ(expect, got);
	free(got);
}

TEST_HARNESS_MAIN
