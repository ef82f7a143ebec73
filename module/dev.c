// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: the /dev/nsmodel character device and its ioctl dispatch.
 *
 * Nothing of the model lives here: this file turns open() into a world,
 * close() into its end, and each ioctl into a call of the handler that
 * models the system call, with the arguments copied in and out under the
 * extensible-struct rules of include/uapi/linux/nsmodel.h.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>

#include "nsmodel.h"

unsigned int nsm_max_tasks = 100000;
module_param_named(max_tasks, nsm_max_tasks, uint, 0644);
MODULE_PARM_DESC(max_tasks, "Most tasks alive in one world (ENOSPC past it)");

unsigned int nsm_max_namespaces = 100000;
module_param_named(max_namespaces, nsm_max_namespaces, uint, 0644);
MODULE_PARM_DESC(max_namespaces,
		 "Most namespaces alive in one world (ENOSPC past it)");

unsigned int nsm_mount_max = 100000;
module_param_named(mount_max, nsm_mount_max, uint, 0644);
MODULE_PARM_DESC(mount_max,
		 "Most mounts in one mount namespace, as fs.mount-max");

unsigned int nsm_mountinfo_max = 64 << 20;
module_param_named(mountinfo_max, nsm_mountinfo_max, uint, 0644);
MODULE_PARM_DESC(mountinfo_max,
		 "Largest mountinfo snapshot in bytes (ENOMEM past it)");

/* The largest argument struct the model accepts, whatever its version. */
#define NSM_ARG_SIZE_MAX	PAGE_SIZE

/**
 * nsm_strndup_user - copy a string argument in
 * @w: the world (for accounting and fault injection)
 * @uptr: user pointer to a NUL-terminated string
 * @max: room including the NUL
 *
 * Returns the string, or ERR_PTR(-EFAULT) for a bad pointer,
 * ERR_PTR(-ENAMETOOLONG) when no NUL is found within @max bytes, or
 * ERR_PTR(-ENOMEM).  Free with nsm_strfree().
 */
char *nsm_strndup_user(struct nsm_world *w, u64 uptr, size_t max)
{
	const char __user *u = u64_to_user_ptr(uptr);
	char *s;
	long len;

	if (!uptr)
		return ERR_PTR(-EFAULT);
	if (nsm_should_fail(w))
		return ERR_PTR(-ENOMEM);
	s = kmalloc(max, GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(s, u, max);
	if (len < 0) {
		kfree(s);
		return ERR_PTR(len);
	}
	if (len == max) {
		kfree(s);
		return ERR_PTR(-ENAMETOOLONG);
	}
	return s;
}

void nsm_strfree(char *s)
{
	kfree(s);
}

static long nsm_ioctl_version(struct nsm_world *w, struct nsm_version *v)
{
	v->abi_version = NSM_ABI_VERSION;
	v->nr_obj_types = NSM_OBJ_MAX;
	v->nr_ns_kinds = NSM_NS_KIND_MAX;
	strscpy(v->release, init_utsname()->release, sizeof(v->release));
	snprintf(v->build, sizeof(v->build), "nsmodel abi %d built for %s",
		 NSM_ABI_VERSION, UTS_RELEASE);
	return 0;
}

/*
 * The module-wide part tells what every other world holds: only for a
 * caller with CAP_SYS_ADMIN in the initial user namespace (else zeros,
 * so a tool reading its own world works the same either way).
 */
static long nsm_ioctl_counters(struct nsm_world *w, struct nsm_counters *c)
{
	BUILD_BUG_ON(NSM_OBJ_MAX > NSM_OBJ_SLOTS);
	c->nr_types = NSM_OBJ_MAX;
	memset(c->global, 0, sizeof(c->global));
	c->global_bytes = 0;
	if (capable(CAP_SYS_ADMIN))
		nsm_global_counts(c->global, &c->global_bytes);
	nsm_world_counts(w, c->world, &c->world_bytes);
	return 0;
}

static long nsm_ioctl_fault(struct nsm_world *w, struct nsm_fault_args *f)
{
	f->nr_allocs = w->nr_allocs;
	w->nr_allocs = 0;
	w->fail_nth = f->fail_nth;
	return 0;
}

/*
 * One entry per ioctl: its argument size now and in version 0 of its
 * struct, the byte range of its output fields (empty for an input-only
 * struct), whether it returns a new fd, and a thunk that gives the handler
 * its own argument type.
 */
struct nsm_ioctl_desc {
	unsigned int cmd;
	size_t size;
	size_t size_ver0;
	size_t out_start, out_end;
	bool returns_fd;
	long (*fn)(struct nsm_world *w, void *args, struct file **filep);
};

#define NSM_IOCTL(_cmd, _type, _ver0, _fn, _first, _last)		\
	static long _fn##_thunk(struct nsm_world *w, void *args,	\
				struct file **filep)			\
	{								\
		return _fn(w, (_type *)args);				\
	}
#define NSM_IOCTL_IN(_cmd, _type, _ver0, _fn)				\
	NSM_IOCTL(_cmd, _type, _ver0, _fn, size, size)
#define NSM_IOCTL_FD(_cmd, _type, _ver0, _fn)				\
	static long _fn##_thunk(struct nsm_world *w, void *args,	\
				struct file **filep)			\
	{								\
		return _fn(w, (_type *)args, filep);			\
	}
#include "ioctls.h"
#undef NSM_IOCTL
#undef NSM_IOCTL_IN
#undef NSM_IOCTL_FD

#define NSM_IOCTL_DESC(_cmd, _type, _ver0, _fn, _start, _end, _fd)	\
	[_IOC_NR(_cmd)] = { .cmd = _cmd, .size = sizeof(_type),		\
			    .size_ver0 = _ver0, .out_start = _start,	\
			    .out_end = _end, .returns_fd = _fd,		\
			    .fn = _fn##_thunk },
#define NSM_IOCTL(_cmd, _type, _ver0, _fn, _first, _last)		\
	NSM_IOCTL_DESC(_cmd, _type, _ver0, _fn, offsetof(_type, _first),\
		       offsetofend(_type, _last), false)
#define NSM_IOCTL_IN(_cmd, _type, _ver0, _fn)				\
	NSM_IOCTL_DESC(_cmd, _type, _ver0, _fn, 0, 0, false)
#define NSM_IOCTL_FD(_cmd, _type, _ver0, _fn)				\
	NSM_IOCTL_DESC(_cmd, _type, _ver0, _fn, offsetof(_type, fd),	\
		       offsetofend(_type, fd), true)
static const struct nsm_ioctl_desc nsm_ioctls[] = {
#include "ioctls.h"
};
#undef NSM_IOCTL
#undef NSM_IOCTL_IN
#undef NSM_IOCTL_FD
#undef NSM_IOCTL_DESC

/*
 * Write the output fields of @karg back, as far as the caller's struct of
 * @usize bytes has them.  Before the handler runs this is the probe: the
 * bytes are still the caller's own, so rewriting them changes nothing,
 * and a fault then means the call fails before anything happened.
 */
static int nsm_copy_out(const struct nsm_ioctl_desc *d, void __user *uarg,
			const void *karg, u32 usize)
{
	size_t end = min_t(size_t, usize, d->out_end);

	if (end <= d->out_start)
		return 0;
	if (copy_to_user(uarg + d->out_start, karg + d->out_start,
			 end - d->out_start))
		return -EFAULT;
	return 0;
}

/**
 * nsm_dev_ioctl - the dispatch of every world ioctl
 * @file: the world fd
 * @cmd: the command
 * @arg: user pointer to the command's argument struct
 *
 * An EFAULT means nothing happened: the output fields are probed for
 * writing before the handler runs, input-only structs are never written,
 * and a new fd is installed only after its number has been written back
 * (the file is dropped otherwise).  Only if the caller's memory stops
 * being writable between the probe and the copy-out (another thread's
 * mprotect or munmap) does an operation that made no fd (CLONE) stay done
 * while the ioctl says EFAULT - as clone3() keeps the child whose
 * CLONE_PARENT_SETTID write faults; its return value still names it.
 */
static long nsm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct nsm_world *w = file->private_data;
	void __user *uarg = (void __user *)arg;
	const struct nsm_ioctl_desc *d;
	struct file *newfile = NULL;
	u32 usize;
	void *karg;
	long ret;

	if (_IOC_TYPE(cmd) != NSM_IOC_MAGIC ||
	    _IOC_NR(cmd) >= ARRAY_SIZE(nsm_ioctls))
		return -ENOTTY;
	d = &nsm_ioctls[_IOC_NR(cmd)];
	if (!d->fn || d->cmd != cmd)
		return -ENOTTY;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < d->size_ver0)
		return -EINVAL;
	if (usize > NSM_ARG_SIZE_MAX)
		return -E2BIG;

	karg = kmalloc(d->size, GFP_KERNEL_ACCOUNT);
	if (!karg)
		return -ENOMEM;
	ret = copy_struct_from_user(karg, d->size, uarg, usize);
	if (ret)
		goto out;
	ret = nsm_copy_out(d, uarg, karg, usize);
	if (ret)
		goto out;

	/* a task killed while it waits: -EINTR, never seen (it dies) */
	ret = mutex_lock_killable(&w->lock);
	if (ret)
		goto out;
	/* the profile is fixed once the world has been used */
	if (cmd != NSM_IOC_VERSION && cmd != NSM_IOC_COUNTERS &&
	    cmd != NSM_IOC_FAULT && cmd != NSM_IOC_PROFILE)
		w->used = true;
	ret = d->fn(w, karg, &newfile);
	mutex_unlock(&w->lock);

	if (ret >= 0 && nsm_copy_out(d, uarg, karg, usize)) {
		if (newfile) {
			put_unused_fd(ret);
			fput(newfile);
			newfile = NULL;
		}
		ret = -EFAULT;
	}
	if (newfile)
		fd_install(ret, newfile);
out:
	kfree(karg);
	return ret;
}

static int nsm_dev_open(struct inode *inode, struct file *file)
{
	struct nsm_world *w = nsm_world_open();

	if (IS_ERR(w))
		return PTR_ERR(w);
	file->private_data = w;
	return 0;
}

static int nsm_dev_release(struct inode *inode, struct file *file)
{
	nsm_world_close(file->private_data);
	return 0;
}

static const struct file_operations nsm_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= nsm_dev_open,
	.release	= nsm_dev_release,
	.unlocked_ioctl	= nsm_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice nsm_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= NSM_DEVICE_NAME,
	.fops	= &nsm_dev_fops,
	.mode	= 0600,
};

static int __init nsm_init(void)
{
	int err = nsm_accounting_init();

	if (err)
		return err;
	err = nsm_mnt_cache_init();
	if (err)
		goto out_accounting;
	err = misc_register(&nsm_misc);
	if (err)
		goto out_cache;
	return 0;

out_cache:
	nsm_mnt_cache_exit();
out_accounting:
	nsm_accounting_exit();
	return err;
}

static void __exit nsm_exit(void)
{
	misc_deregister(&nsm_misc);
	nsm_mnt_cache_exit();
	nsm_accounting_exit();
}

module_init(nsm_init);
module_exit(nsm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nsmodel: a runnable model of Linux namespaces and copy_mnt_ns");
MODULE_AUTHOR("nsmodel developers");
