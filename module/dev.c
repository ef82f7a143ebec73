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
#include <linux/mount.h>
#include <uapi/linux/mount.h>
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

unsigned long nsm_world_bytes_max = 256UL << 20;
module_param_named(world_bytes_max, nsm_world_bytes_max, ulong, 0644);
MODULE_PARM_DESC(world_bytes_max,
		 "Most bytes the objects of one world may hold (ENOMEM past it; 0: no bound)");

unsigned int nsm_mountinfo_files_max = 256;
module_param_named(mountinfo_files_max, nsm_mountinfo_files_max, uint, 0644);
MODULE_PARM_DESC(mountinfo_files_max,
		 "Most mountinfo snapshots open at once in one world (ENFILE past it)");

/* The largest argument struct the model accepts, whatever its version. */
#define NSM_ARG_SIZE_MAX	PAGE_SIZE

/*
 * The copy itself, as the system calls make it: a string must end within
 * @size bytes (ENAMETOOLONG), a page of mount options is cut at its last
 * byte, bytes are copied as they are.  Returns the buffer or an ERR_PTR.
 */
static char *nsm_ucopy_fetch(enum nsm_ucopy_kind kind, u64 uptr, size_t size)
{
	const char __user *u = u64_to_user_ptr(uptr);
	char *s;
	long len;

	s = kmalloc(max_t(size_t, size, 1), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	switch (kind) {
	case NSM_UCOPY_STRING:
		len = strncpy_from_user(s, u, size);
		if (len >= 0 && len == size)
			len = -ENAMETOOLONG;
		break;
	case NSM_UCOPY_PAGE:
		len = strncpy_from_user(s, u, size);
		s[size - 1] = '\0';
		break;
	default:
		len = copy_from_user(s, u, size) ? -EFAULT : 0;
		break;
	}
	if (len < 0) {
		kfree(s);
		return ERR_PTR(len);
	}
	return s;
}

/* Before the lock: copy in what the handler will ask for. */
static void nsm_call_prefetch(struct nsm_call *call, enum nsm_ucopy_kind kind,
			      u64 uptr, size_t size)
{
	struct nsm_ucopy *c;
	char *buf;

	/* a NULL string or page is no argument (the handlers say so) */
	if (!uptr && kind != NSM_UCOPY_BYTES)
		return;
	if (WARN_ON_ONCE(call->nr >= NSM_UCOPY_MAX))
		return;
	c = &call->in[call->nr++];
	c->uptr = uptr;
	c->size = size;
	c->kind = kind;
	buf = nsm_ucopy_fetch(kind, uptr, size);
	if (IS_ERR(buf))
		c->err = PTR_ERR(buf);
	else
		c->buf = buf;
}

/*
 * Under the lock: the copy dev.c made of @uptr.  A call from inside the
 * kernel (KUnit) has no struct nsm_call and copies on the spot; an ioctl
 * whose handler asks for a copy dev.c did not make is a bug in
 * nsm_call_prefetch_args(), which still works, more slowly.
 */
static char *nsm_call_take(struct nsm_world *w, enum nsm_ucopy_kind kind,
			   u64 uptr, size_t size)
{
	struct nsm_call *call = w->call;
	unsigned int i;
	char *buf;

	if (call) {
		for (i = 0; i < call->nr; i++) {
			struct nsm_ucopy *c = &call->in[i];

			if (c->taken || c->uptr != uptr || c->kind != kind ||
			    c->size != size)
				continue;
			c->taken = true;
			if (c->err)
				return ERR_PTR(c->err);
			buf = c->buf;
			c->buf = NULL;
			return buf;
		}
		WARN_ONCE(1, "nsmodel: a copy of user memory not made before the lock\n");
	}
	return nsm_ucopy_fetch(kind, uptr, size);
}

/**
 * nsm_strndup_user - a string argument, copied in
 * @w: the world, locked (for fault injection)
 * @uptr: user pointer to a NUL-terminated string
 * @max: room including the NUL
 *
 * models: strndup_user().  Returns the string, or ERR_PTR(-EFAULT) for a
 * bad pointer, ERR_PTR(-ENAMETOOLONG) when no NUL is found within @max
 * bytes, or ERR_PTR(-ENOMEM).  Free with nsm_strfree().
 */
char *nsm_strndup_user(struct nsm_world *w, u64 uptr, size_t max)
{
	if (!uptr)
		return ERR_PTR(-EFAULT);
	if (nsm_should_fail(w))
		return ERR_PTR(-ENOMEM);
	return nsm_call_take(w, NSM_UCOPY_STRING, uptr, max);
}

/**
 * nsm_copy_user_page - a page of mount options, copied in
 * @w: the world, locked
 * @uptr: user pointer, not NULL
 *
 * models: copy_mount_options() with path_mount()'s cut: the last byte of
 * the page is made NUL.  Free with nsm_strfree().
 */
char *nsm_copy_user_page(struct nsm_world *w, u64 uptr)
{
	if (nsm_should_fail(w))
		return ERR_PTR(-ENOMEM);
	return nsm_call_take(w, NSM_UCOPY_PAGE, uptr, PAGE_SIZE);
}

/**
 * nsm_copy_user_bytes - copy_from_user() of @size bytes into @dst
 * @w: the world, locked
 * @dst: kernel buffer of @size bytes
 * @uptr: user pointer
 * @size: bytes, at most a page
 *
 * Returns 0, -EFAULT, or -ENOMEM when the copy could not be held.
 */
int nsm_copy_user_bytes(struct nsm_world *w, void *dst, u64 uptr,
			size_t size)
{
	char *buf = nsm_call_take(w, NSM_UCOPY_BYTES, uptr, size);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	memcpy(dst, buf, size);
	kfree(buf);
	return 0;
}

/**
 * nsm_copy_struct_user - copy_struct_from_user() of an extensible struct
 * @w: the world, locked
 * @dst: kernel struct of @dsize bytes
 * @dsize: its size
 * @uptr: user pointer
 * @usize: the size user space gave, at most a page
 *
 * models: copy_struct_from_user(), from the copy dev.c made before the
 * lock: a shorter struct is zero-extended, a longer one is E2BIG unless
 * its extra bytes are zero.  Returns 0, -EFAULT, -E2BIG or -ENOMEM.
 */
int nsm_copy_struct_user(struct nsm_world *w, void *dst, size_t dsize,
			 u64 uptr, size_t usize)
{
	char *buf = nsm_call_take(w, NSM_UCOPY_BYTES, uptr, usize);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (usize > dsize && memchr_inv(buf + dsize, 0, usize - dsize)) {
		kfree(buf);
		return -E2BIG;
	}
	memset(dst, 0, dsize);
	memcpy(dst, buf, min(dsize, usize));
	kfree(buf);
	return 0;
}

/**
 * nsm_copy_out_unlocked - copy a result to user space once the lock is gone
 * @w: the world, locked
 * @uptr: user destination
 * @src: the bytes, inside @page
 * @len: how many
 * @page: an nsm_alloc(NSM_OBJ_OTHER) buffer the copy then frees
 * @page_size: its size
 *
 * Returns @len; the ioctl returns EFAULT instead if the copy faults.  A
 * call from inside the kernel copies at once.
 */
long nsm_copy_out_unlocked(struct nsm_world *w, u64 uptr, const void *src,
			   size_t len, void *page, size_t page_size)
{
	struct nsm_call *call = w->call;
	long ret = len;

	if (call && !call->out_page) {
		call->out_uptr = uptr;
		call->out_src = src;
		call->out_len = len;
		call->out_page = page;
		call->out_page_size = page_size;
		return ret;
	}
	if (copy_to_user(u64_to_user_ptr(uptr), src, len))
		ret = -EFAULT;
	nsm_free(w, NSM_OBJ_OTHER, page, page_size);
	return ret;
}

/* After the lock: the deferred copy out, and what the handler left. */
static long nsm_call_finish(struct nsm_world *w, struct nsm_call *call,
			    long ret)
{
	unsigned int i;

	if (call->out_page) {
		if (ret >= 0 && copy_to_user(u64_to_user_ptr(call->out_uptr),
					     call->out_src, call->out_len))
			ret = -EFAULT;
		nsm_free(w, NSM_OBJ_OTHER, call->out_page,
			 call->out_page_size);
	}
	for (i = 0; i < call->nr; i++)
		kfree(call->in[i].buf);
	return ret;
}

/*
 * Every string or byte range each ioctl's handler copies in, named here
 * so that dev.c copies them before it takes the lock.
 */
static void nsm_call_prefetch_args(struct nsm_call *call, unsigned int cmd,
				   const void *karg)
{
	switch (cmd) {
	case NSM_IOC_MKDIR:
	case NSM_IOC_CHDIR:
	case NSM_IOC_CHROOT:
	case NSM_IOC_UMOUNT:
	case NSM_IOC_STAT:
	case NSM_IOC_TOUCH:
	case NSM_IOC_UNLINK:
	case NSM_IOC_RMDIR: {
		const struct nsm_path_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_MOUNT: {
		const struct nsm_mount_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->fstype,
				  NSM_PATH_MAX);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->source,
				  NSM_PATH_MAX);
		nsm_call_prefetch(call, NSM_UCOPY_PAGE, a->data, PAGE_SIZE);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->target,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_PIVOT_ROOT: {
		const struct nsm_pivot_root_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->new_root,
				  NSM_PATH_MAX);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->put_old,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_NS_BIND: {
		const struct nsm_ns_bind_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_NS_OPEN: {
		const struct nsm_ns_open_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_OPEN_TREE: {
		const struct nsm_open_tree_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_MOVE_MOUNT: {
		const struct nsm_move_mount_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->from_path,
				  NSM_PATH_MAX);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->to_path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_FSOPEN: {
		const struct nsm_fsopen_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->fs_name,
				  PAGE_SIZE);
		break;
	}
	case NSM_IOC_FSCONFIG: {
		const struct nsm_fsconfig_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->key,
				  NSM_FSCONFIG_STRING_MAX);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->value,
				  NSM_FSCONFIG_STRING_MAX);
		break;
	}
	case NSM_IOC_FSPICK: {
		const struct nsm_fspick_args *a = karg;

		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_MOUNT_SETATTR: {
		const struct nsm_mount_setattr_args *a = karg;

		/* a size out of range is E2BIG or EINVAL before any copy */
		if (a->usize >= MOUNT_ATTR_SIZE_VER0 && a->usize <= PAGE_SIZE)
			nsm_call_prefetch(call, NSM_UCOPY_BYTES, a->uattr,
					  a->usize);
		nsm_call_prefetch(call, NSM_UCOPY_STRING, a->path,
				  NSM_PATH_MAX);
		break;
	}
	case NSM_IOC_SETHOSTNAME: {
		const struct nsm_hostname_args *a = karg;

		/* longer is EINVAL before any copy */
		if (a->len <= __NEW_UTS_LEN)
			nsm_call_prefetch(call, NSM_UCOPY_BYTES, a->name,
					  a->len);
		break;
	}
	}
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
	struct nsm_call call = {};
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

	nsm_call_prefetch_args(&call, cmd, karg);

	/* a task killed while it waits: -EINTR, never seen (it dies) */
	ret = mutex_lock_killable(&w->lock);
	if (ret)
		goto out_call;
	/* the profile is fixed once the world has been used */
	if (cmd != NSM_IOC_VERSION && cmd != NSM_IOC_COUNTERS &&
	    cmd != NSM_IOC_FAULT && cmd != NSM_IOC_PROFILE)
		w->used = true;
	w->call = &call;
	ret = d->fn(w, karg, &newfile);
	w->call = NULL;
	mutex_unlock(&w->lock);
	ret = nsm_call_finish(w, &call, ret);

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
	goto out;
out_call:
	nsm_call_finish(w, &call, ret);
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
