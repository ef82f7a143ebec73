// SPDX-License-Identifier: GPL-2.0
/*
 * nsm_planted: one planted bug per detector of the debug kernels.
 *
 * Not part of the model.  scripts/prove-detectors loads it in the debug
 * kernel's VM with bug=NAME; the module's init commits that bug and fails
 * the load with -EAGAIN, so the same boot can load it again with another
 * name.  Each bug is one a detector of scripts/debug.config exists for,
 * and the proof is that vm-run and guest-debug-tests then report it:
 *
 *   ubsan	 an index past an array inside a struct and a shift by more
 *		 than the width (UBSAN_BOUNDS, UBSAN_SHIFT; KASAN sees
 *		 neither: no redzone inside a struct)
 *   vmalloc	 a read past a vmalloc'd buffer (KASAN_VMALLOC)
 *   stack	 a recursion that leaves under 1 KiB of the stack unused
 *		 (DEBUG_STACK_USAGE reports it when the task exits)
 *   rcu_stall	 25 s inside an RCU read-side critical section (preemptible:
 *		 no soft lockup; RCU_CPU_STALL_TIMEOUT is 21 s)
 *   softlockup	 25 s with preemption off (SOFTLOCKUP_DETECTOR: 20 s)
 *   hung	 70 s asleep in TASK_UNINTERRUPTIBLE (DETECT_HUNG_TASK; vm-run
 *		 sets hung_task_timeout_secs=30)
 *   usercopy	 copy_to_user() of 64 bytes from a 16-byte slab object
 *		 (HARDENED_USERCOPY: BUG, which panics the guest)
 *   fortify	 a memcpy() past a fixed-size field (FORTIFY_SOURCE; on
 *		 6.1 a BUG, which panics the guest)
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "The bug to commit at load");

struct nsm_planted_pair {
	int a[4];
	int b[4];
};

static noinline void nsm_planted_ubsan(void)
{
	struct nsm_planted_pair p = { };
	int i = 4, s = 40, x;

	OPTIMIZER_HIDE_VAR(i);
	OPTIMIZER_HIDE_VAR(s);
	p.a[i] = 1;			/* lands in p.b[0] */
	x = 1 << s;
	OPTIMIZER_HIDE_VAR(x);
	pr_info("nsm_planted: ubsan: %d %d\n", p.b[0], x);
}

static noinline void nsm_planted_vmalloc(void)
{
	char *p = vmalloc(1000);
	size_t i = 1000 + 8;
	char c;

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(i);
	c = READ_ONCE(p[i]);
	pr_info("nsm_planted: vmalloc: %d\n", c);
	vfree(p);
}

/* recurse until less than @left bytes of the stack are unused */
static noinline int nsm_planted_recurse(unsigned long left)
{
	char frame[256];
	unsigned long sp = (unsigned long)&frame[0];
	unsigned long bottom = (unsigned long)task_stack_page(current);

	memset(frame, 1, sizeof(frame));
	barrier_data(frame);	/* the frame is used: keep it */
	if (sp - bottom > left + 2 * sizeof(frame))
		return nsm_planted_recurse(left) + frame[0];
	return frame[0];
}

static noinline void nsm_planted_rcu_stall(void)
{
	rcu_read_lock();
	mdelay(25000);
	rcu_read_unlock();
}

static noinline void nsm_planted_softlockup(void)
{
	preempt_disable();
	mdelay(25000);
	preempt_enable();
}

static noinline void nsm_planted_usercopy(void)
{
	unsigned long uaddr;
	size_t n = 64, sz = 16;
	char *k;

	/* sizes the compiler cannot see: the check made at run time */
	OPTIMIZER_HIDE_VAR(sz);
	k = kmalloc(sz, GFP_KERNEL);
	OPTIMIZER_HIDE_VAR(k);
	if (!k)
		return;
	uaddr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!IS_ERR_VALUE(uaddr)) {
		OPTIMIZER_HIDE_VAR(n);
		if (copy_to_user((void __user *)uaddr, k, n))
			pr_info("nsm_planted: usercopy: fault\n");
		vm_munmap(uaddr, PAGE_SIZE);
	}
	kfree(k);
}

struct nsm_planted_name {
	char name[8];
	int after[4];
};

static noinline void nsm_planted_fortify(void)
{
	struct nsm_planted_name *d = kzalloc(sizeof(*d), GFP_KERNEL);
	static const char src[32] = "a string longer than the field";
	size_t n = 16;

	if (!d)
		return;
	OPTIMIZER_HIDE_VAR(n);
	memcpy(d->name, src, n);
	pr_info("nsm_planted: fortify: %d\n", d->after[0]);
	kfree(d);
}

static int __init nsm_planted_init(void)
{
	if (!strcmp(bug, "ubsan"))
		nsm_planted_ubsan();
	else if (!strcmp(bug, "vmalloc"))
		nsm_planted_vmalloc();
	else if (!strcmp(bug, "stack"))
		pr_info("nsm_planted: stack: %d\n", nsm_planted_recurse(1024));
	else if (!strcmp(bug, "rcu_stall"))
		nsm_planted_rcu_stall();
	else if (!strcmp(bug, "softlockup"))
		nsm_planted_softlockup();
	else if (!strcmp(bug, "hung"))
		schedule_timeout_uninterruptible(70 * HZ);
	else if (!strcmp(bug, "usercopy"))
		nsm_planted_usercopy();
	else if (!strcmp(bug, "fortify"))
		nsm_planted_fortify();
	else
		return -EINVAL;
	return -EAGAIN;
}

module_init(nsm_planted_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nsmodel: planted bugs that prove the debug kernels' detectors");
