// SPDX-License-Identifier: GPL-2.0
/*
 * clone_newns: copy_mnt_ns at work, through /dev/nsmodel.
 *
 * Opens the device (a new world, whose init task has a tmpfs as its root),
 * builds a small mount tree as init:
 *
 *	mkdir /a /b
 *	mount -t tmpfs a /a
 *	mount --make-shared /a
 *	mount --bind /a /b		(a peer of /a: shared, same group)
 *
 * then clones a child with CLONE_NEWNS and prints the mountinfo of both.
 * The child's table is the copy copy_mnt_ns made: the same tree under new
 * mount ids, each copy of a shared mount in the peer group of the mount
 * it copies.  The program checks exactly that, so it doubles as a test:
 * exit status 0 when the copy looks right, 1 (with the errno of the call
 * that failed, if one did) otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/sched.h>

#include <linux/nsmodel.h>

#define PROG	"clone_newns"

/* Issue one ioctl; on failure, say which call failed and its errno. */
static long nsm(int fd, unsigned long cmd, void *arg, const char *what)
{
	long ret = ioctl(fd, cmd, arg);

	if (ret < 0)
		fprintf(stderr, PROG ": %s: %s (errno %d)\n", what,
			strerror(errno), errno);
	return ret;
}

static long nsm_mkdir(int fd, __u32 task, const char *path)
{
	struct nsm_path_args a = { .size = sizeof(a), .task = task,
				   .path = (uintptr_t)path };

	return nsm(fd, NSM_IOC_MKDIR, &a, path);
}

/* mount(2) of @task; NULL strings are passed as 0, as the ABI wants. */
static long nsm_mount(int fd, __u32 task, const char *source,
		      const char *target, const char *fstype, __u64 flags,
		      const char *what)
{
	struct nsm_mount_args a = { .size = sizeof(a), .task = task,
				    .source = (uintptr_t)source,
				    .target = (uintptr_t)target,
				    .fstype = (uintptr_t)fstype,
				    .flags = flags };

	return nsm(fd, NSM_IOC_MOUNT, &a, what);
}

/*
 * @task's mount table: NSM_IOC_MOUNTINFO gives an fd holding a snapshot in
 * the /proc/PID/mountinfo format; read it to the end into @buf.
 */
static int mount_table(int fd, __u32 task, char *buf, size_t len)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a), .task = task };
	size_t off = 0;
	ssize_t n;

	if (nsm(fd, NSM_IOC_MOUNTINFO, &a, "NSM_IOC_MOUNTINFO") < 0)
		return -1;
	while ((n = read(a.fd, buf + off, len - off - 1)) > 0)
		off += (size_t)n;
	if (n < 0)
		fprintf(stderr, PROG ": read mountinfo: %s (errno %d)\n",
			strerror(errno), errno);
	close(a.fd);
	buf[off] = '\0';
	return n < 0 ? -1 : 0;
}

/*
 * The mount id and peer group (shared:N, 0 if none) of the mount on
 * @point in the mountinfo text @mi; -1 when nothing is mounted there.
 */
static int find_mount(const char *mi, const char *point, int *group)
{
	char mp[256];
	const char *line, *sh, *end;
	int id;

	for (line = mi; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		/* ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS ... */
		if (sscanf(line, "%d %*d %*s %*s %255s", &id, mp) != 2 ||
		    strcmp(mp, point))
			continue;
		/* the optional fields come before the " - " separator */
		sh = strstr(line, " shared:");
		*group = sh && sh < strstr(line, " - ") ? atoi(sh + 8) : 0;
		return id;
	}
	return -1;
}

/* The child's copy of @point: a new mount in the parent's peer group. */
static int check_copy(const char *parent, const char *child,
		      const char *point)
{
	int pid, cid, pgroup, cgroup;

	pid = find_mount(parent, point, &pgroup);
	cid = find_mount(child, point, &cgroup);
	if (pid < 0 || cid < 0) {
		fprintf(stderr, PROG ": no mount on %s in the %s\n", point,
			pid < 0 ? "parent" : "child");
		return -1;
	}
	if (cid == pid || !pgroup || cgroup != pgroup) {
		fprintf(stderr, PROG ": %s: parent's mount %d shared:%d, child's %d shared:%d: not a copy in its peer group\n",
			point, pid, pgroup, cid, cgroup);
		return -1;
	}
	printf("%s: parent's mount %d copied as the child's %d, both shared:%d\n",
	       point, pid, cid, pgroup);
	return 0;
}

int main(void)
{
	static char parent[16384], child[16384];
	struct nsm_clone_args c = { .size = sizeof(c), .parent = NSM_INIT_TASK,
				    .flags = CLONE_NEWNS };
	const __u32 init = NSM_INIT_TASK;
	int fd, ret = 1;

	/* Each open() is a world of its own, gone again at close(). */
	fd = open("/dev/" NSM_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, PROG ": /dev/" NSM_DEVICE_NAME ": %s (errno %d)\n",
			strerror(errno), errno);
		return 1;
	}

	if (nsm_mkdir(fd, init, "/a") < 0 || nsm_mkdir(fd, init, "/b") < 0 ||
	    nsm_mount(fd, init, "a", "/a", "tmpfs", 0, "mount tmpfs /a") < 0 ||
	    nsm_mount(fd, init, NULL, "/a", NULL, MS_SHARED,
		      "make-shared /a") < 0 ||
	    nsm_mount(fd, init, "/a", "/b", NULL, MS_BIND, "bind /a /b") < 0)
		goto out;

	/* clone3(CLONE_NEWNS) of init: copy_mnt_ns copies init's tree. */
	if (nsm(fd, NSM_IOC_CLONE, &c, "clone CLONE_NEWNS") < 0)
		goto out;

	if (mount_table(fd, init, parent, sizeof(parent)) ||
	    mount_table(fd, c.child, child, sizeof(child)))
		goto out;
	printf("parent (task %u) mountinfo:\n%s", init, parent);
	printf("child (task %u, CLONE_NEWNS) mountinfo:\n%s", c.child, child);

	if (check_copy(parent, child, "/a") || check_copy(parent, child, "/b"))
		goto out;
	ret = 0;
out:
	close(fd);
	return ret;
}
