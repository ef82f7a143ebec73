// SPDX-License-Identifier: GPL-2.0
/*
 * nsm-demo: open /dev/nsmodel (which creates a world), print the module's
 * version and its live-object counters, close it.  Run by "make demo" in
 * the test VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/nsmodel.h>

static const char *const obj_names[NSM_OBJ_MAX] = {
	[NSM_OBJ_WORLD] = "world",	[NSM_OBJ_TASK] = "task",
	[NSM_OBJ_NSPROXY] = "nsproxy",	[NSM_OBJ_FS_STRUCT] = "fs_struct",
	[NSM_OBJ_CRED] = "cred",	[NSM_OBJ_PID] = "pid",
	[NSM_OBJ_MNT_NS] = "mnt_ns",	[NSM_OBJ_UTS_NS] = "uts_ns",
	[NSM_OBJ_IPC_NS] = "ipc_ns",	[NSM_OBJ_PID_NS] = "pid_ns",
	[NSM_OBJ_NET_NS] = "net_ns",	[NSM_OBJ_CGROUP_NS] = "cgroup_ns",
	[NSM_OBJ_TIME_NS] = "time_ns",	[NSM_OBJ_USER_NS] = "user_ns",
	[NSM_OBJ_MOUNT] = "mount",	[NSM_OBJ_SUPER] = "super",
	[NSM_OBJ_DENTRY] = "dentry",	[NSM_OBJ_NS_HANDLE] = "ns_handle",
	[NSM_OBJ_MOUNTINFO] = "mountinfo", [NSM_OBJ_OTHER] = "other",
};

int main(void)
{
	struct nsm_version v = { .size = sizeof(v) };
	struct nsm_counters c = { .size = sizeof(c) };
	const char *dev = "/dev/" NSM_DEVICE_NAME;
	unsigned int i;
	int fd;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nsm-demo: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	printf("opened %s: a new world\n", dev);
	if (ioctl(fd, NSM_IOC_VERSION, &v) < 0) {
		perror("nsm-demo: NSM_IOC_VERSION");
		return 1;
	}
	printf("version:  ABI %u, %s, running on %s\n",
	       v.abi_version, v.build, v.release);
	if (ioctl(fd, NSM_IOC_COUNTERS, &c) < 0) {
		perror("nsm-demo: NSM_IOC_COUNTERS");
		return 1;
	}
	printf("counters: %-10s %8s %8s\n", "type", "global", "world");
	for (i = 0; i < c.nr_types && i < NSM_OBJ_MAX; i++)
		if (c.global[i] || c.world[i])
			printf("          %-10s %8llu %8llu\n", obj_names[i],
			       (unsigned long long)c.global[i],
			       (unsigned long long)c.world[i]);
	printf("          %-10s %8llu %8llu\n", "bytes",
	       (unsigned long long)c.global_bytes,
	       (unsigned long long)c.world_bytes);
	close(fd);
	printf("closed: the world is gone\n");
	return 0;
}
