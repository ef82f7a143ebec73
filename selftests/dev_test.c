// SPDX-License-Identifier: GPL-2.0
/*
 * dev_test: the /dev/nsmodel character device and its two first ioctls.
 *
 * Each open() of the device creates a world and close() destroys it; the
 * module counts its live objects per type, so every test can check that
 * what it created is gone again.  The ioctl argument structs follow
 * copy_struct_from_user() rules (see include/uapi/linux/nsmodel.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/nsmodel.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"	/* skips without /dev/nsmodel */

#define DEV_PATH	"/dev/" NSM_DEVICE_NAME

static int open_dev(void)
{
	return open(DEV_PATH, O_RDWR | O_CLOEXEC);
}

static int get_counters(int fd, struct nsm_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return ioctl(fd, NSM_IOC_COUNTERS, c);
}

/* ioctl() expected to fail: return its errno, or 0 if it succeeded. */
static int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	errno = 0;
	if (ioctl(fd, cmd, arg) >= 0)
		return 0;
	return errno;
}

TEST(device_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(DEV_PATH, &st)) {
		TH_LOG("%s: %s (is the module loaded?)", DEV_PATH, strerror(errno));
	}
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

FIXTURE(world) {
	int fd;
};

FIXTURE_SETUP(world)
{
	self->fd = open_dev();
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", DEV_PATH, strerror(errno));
	}
}

FIXTURE_TEARDOWN(world)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(world, version)
{
	struct nsm_version v;
	struct utsname u;

	memset(&v, 0xff, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl(self->fd, NSM_IOC_VERSION, &v));
	ASSERT_EQ(0, uname(&u));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(NSM_ABI_VERSION, v.abi_version);
	EXPECT_EQ(NSM_OBJ_MAX, v.nr_obj_types);
	EXPECT_EQ(NSM_NS_KIND_MAX, v.nr_ns_kinds);
	ASSERT_NE(NULL, memchr(v.release, 0, sizeof(v.release)));
	ASSERT_NE(NULL, memchr(v.build, 0, sizeof(v.build)));
	EXPECT_STREQ(u.release, v.release);
	EXPECT_EQ(0, strncmp(v.build, "nsmodel ", 8)) {
		TH_LOG("build string: \"%s\"", v.build);
	}
	TH_LOG("%s, running on %s", v.build, v.release);
}

TEST_F(world, counters_of_a_new_world)
{
	struct nsm_counters c;
	int i;

	ASSERT_EQ(0, get_counters(self->fd, &c));
	EXPECT_EQ(NSM_OBJ_MAX, c.nr_types);
	EXPECT_EQ(1, c.world[NSM_OBJ_WORLD]);
	EXPECT_LE(1, c.world[NSM_OBJ_TASK]);
	EXPECT_LE(1, c.world[NSM_OBJ_NSPROXY]);
	for (i = 0; i < NSM_OBJ_SLOTS; i++) {
		EXPECT_LE(c.world[i], c.global[i]) {
			TH_LOG("type %d: world %llu > global %llu", i,
			       (unsigned long long)c.world[i],
			       (unsigned long long)c.global[i]);
		}
		if (i >= NSM_OBJ_MAX) {
			EXPECT_EQ(0, c.global[i]);
			EXPECT_EQ(0, c.world[i]);
		}
	}
	EXPECT_LE(c.world_bytes, c.global_bytes);
}

/*
 * Run alone in the VM, the only world alive is ours: every earlier test's
 * worlds are gone and the global counters are back to zero but for it.
 */
TEST_F(world, only_this_world_is_alive)
{
	struct nsm_counters c;
	int i;

	ASSERT_EQ(0, get_counters(self->fd, &c));
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		EXPECT_EQ(c.world[i], c.global[i]) {
			TH_LOG("type %d: %llu live outside this world", i,
			       (unsigned long long)(c.global[i] - c.world[i]));
		}
	}
}

TEST_F(world, open_close_creates_and_frees_a_world)
{
	struct nsm_counters before, during, after;
	int fd2, i;

	ASSERT_EQ(0, get_counters(self->fd, &before));
	fd2 = open_dev();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, get_counters(self->fd, &during));
	EXPECT_EQ(before.global[NSM_OBJ_WORLD] + 1, during.global[NSM_OBJ_WORLD]);
	EXPECT_LT(before.global[NSM_OBJ_TASK], during.global[NSM_OBJ_TASK]);
	EXPECT_LT(before.global[NSM_OBJ_NSPROXY], during.global[NSM_OBJ_NSPROXY]);
	/* The other world's objects are not ours. */
	for (i = 0; i < NSM_OBJ_MAX; i++)
		EXPECT_EQ(before.world[i], during.world[i]);
	ASSERT_EQ(0, close(fd2));

	ASSERT_EQ(0, get_counters(self->fd, &after));
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		EXPECT_EQ(before.global[i], after.global[i]) {
			TH_LOG("type %d: %llu before, %llu after", i,
			       (unsigned long long)before.global[i],
			       (unsigned long long)after.global[i]);
		}
	}
	EXPECT_EQ(before.global_bytes, after.global_bytes);
}

TEST_F(world, thousand_open_close_cycles_leak_nothing)
{
	struct nsm_counters before, after;
	int n, i;

	ASSERT_EQ(0, get_counters(self->fd, &before));
	for (n = 0; n < 1000; n++) {
		int fd2 = open_dev();

		ASSERT_LE(0, fd2) {
			TH_LOG("cycle %d: open: %s", n, strerror(errno));
		}
		ASSERT_EQ(0, close(fd2));
	}
	ASSERT_EQ(0, get_counters(self->fd, &after));
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		EXPECT_EQ(before.global[i], after.global[i]) {
			TH_LOG("type %d: %llu before, %llu after", i,
			       (unsigned long long)before.global[i],
			       (unsigned long long)after.global[i]);
		}
	}
	EXPECT_EQ(before.global_bytes, after.global_bytes);
}

TEST_F(world, unknown_ioctl_gives_enotty)
{
	struct nsm_version v = { .size = sizeof(v) };

	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, _IO(NSM_IOC_MAGIC, 0xff), &v));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, _IO(NSM_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd, _IO('x', 0x00), &v));
	/* Same number, other direction or size bits: another ioctl. */
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				     _IOWR(NSM_IOC_MAGIC, 0x00, struct nsm_version), &v));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->fd,
				     _IOR(NSM_IOC_MAGIC, 0x01, struct nsm_counters), &v));
}

TEST_F(world, bad_pointers_give_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct nsm_version *v;
	char *map;

	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_COUNTERS, NULL));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_VERSION, (void *)1));
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_COUNTERS,
				      (void *)0xffff800000000000ull));

	/* A struct whose tail runs into an unmapped page. */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	v = (struct nsm_version *)(map + page - 8);
	v->size = sizeof(*v);
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_VERSION, v));
	/* And one that is not mapped at all. */
	EXPECT_EQ(EFAULT, ioctl_errno(self->fd, NSM_IOC_COUNTERS, map + page));
	munmap(map, page);
}

TEST_F(world, short_struct_gives_einval)
{
	struct nsm_counters c;
	struct nsm_version v;
	__u32 sizes[] = { 0, 1, 4, 8, NSM_VERSION_SIZE_VER0 - 1 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&v, 0, sizeof(v));
		v.size = sizes[i];
		EXPECT_EQ(EINVAL, ioctl_errno(self->fd, NSM_IOC_VERSION, &v)) {
			TH_LOG("VERSION with size %u", sizes[i]);
		}
	}
	memset(&c, 0, sizeof(c));
	c.size = NSM_COUNTERS_SIZE_VER0 - 8;
	EXPECT_EQ(EINVAL, ioctl_errno(self->fd, NSM_IOC_COUNTERS, &c));
	c.size = 0;
	EXPECT_EQ(EINVAL, ioctl_errno(self->fd, NSM_IOC_COUNTERS, &c));
}

/* A struct from a newer user space: zero tail accepted, nonzero E2BIG. */
TEST_F(world, oversized_struct)
{
	struct {
		struct nsm_version v;
		char tail[64];
	} big;
	struct {
		struct nsm_counters c;
		__u64 tail[8];
	} bigc;
	unsigned int i;

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, NSM_IOC_VERSION, &big));
	EXPECT_EQ(NSM_ABI_VERSION, big.v.abi_version);
	for (i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0, big.tail[i]);

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	big.tail[sizeof(big.tail) - 1] = 1;
	EXPECT_EQ(E2BIG, ioctl_errno(self->fd, NSM_IOC_VERSION, &big));

	memset(&bigc, 0, sizeof(bigc));
	bigc.c.size = sizeof(bigc);
	ASSERT_EQ(0, ioctl(self->fd, NSM_IOC_COUNTERS, &bigc));
	EXPECT_EQ(1, bigc.c.world[NSM_OBJ_WORLD]);
	bigc.tail[0] = 1;
	EXPECT_EQ(E2BIG, ioctl_errno(self->fd, NSM_IOC_COUNTERS, &bigc));
}

TEST_HARNESS_MAIN
