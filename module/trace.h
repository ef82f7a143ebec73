/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: tracepoints of the mount side, under the "nsmodel" system of
 * tracefs (events/nsmodel/).  copy_mnt_ns() is traced step by step so
 * that its two passes can be watched: every mount pass one copies or
 * skips, every pair pass two visits (and whether the task's root or cwd
 * moved there), and the result.  Mount, umount and propagation events
 * show how trees change; copy_tree()'s callers, open_tree(), the attach
 * of a tree and the dissolution of a detached one are traced too (see
 * docs/design.md, "copy_tree's three callers").  Every event carries the
 * world id, so a reader can tell apart worlds that run at the same time.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nsmodel

#if !defined(_NSMODEL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NSMODEL_TRACE_H

#include <linux/tracepoint.h>

/* copy_mnt_ns() starts: which namespace is copied into which */
TRACE_EVENT(nsm_copy_mnt_ns_start,
	TP_PROTO(u64 world, unsigned int old_ns, unsigned int new_ns,
		 int copy_flags),
	TP_ARGS(world, old_ns, new_ns, copy_flags),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(unsigned int, old_ns)
		__field(unsigned int, new_ns)
		__field(int, copy_flags)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->old_ns = old_ns;
		__entry->new_ns = new_ns;
		__entry->copy_flags = copy_flags;
	),
	TP_printk("world=%llu old_ns=%u new_ns=%u copy_flags=0x%x",
		  __entry->world, __entry->old_ns, __entry->new_ns,
		  __entry->copy_flags)
);

/* copy_tree(): one mount cloned (pass one of copy_mnt_ns, rbind, ...) */
TRACE_EVENT(nsm_copy_tree_mnt,
	TP_PROTO(u64 world, int src_id, int copy_id, int parent_copy_id,
		 int flags),
	TP_ARGS(world, src_id, copy_id, parent_copy_id, flags),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, src_id)
		__field(int, copy_id)
		__field(int, parent_copy_id)
		__field(int, flags)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->src_id = src_id;
		__entry->copy_id = copy_id;
		__entry->parent_copy_id = parent_copy_id;
		__entry->flags = flags;
	),
	TP_printk("world=%llu src=%d copy=%d parent_copy=%d flags=0x%x",
		  __entry->world, __entry->src_id, __entry->copy_id,
		  __entry->parent_copy_id, __entry->flags)
);

/*
 * copy_tree(): a subtree left out; why: 1 = unbindable without
 * CL_COPY_UNBINDABLE, 2 = a mount namespace file without CL_COPY_MNT_NS_FILE
 */
TRACE_EVENT(nsm_copy_tree_skip,
	TP_PROTO(u64 world, int src_id, int why),
	TP_ARGS(world, src_id, why),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, src_id)
		__field(int, why)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->src_id = src_id;
		__entry->why = why;
	),
	TP_printk("world=%llu src=%d why=%d", __entry->world,
		  __entry->src_id, __entry->why)
);

/* copy_mnt_ns() pass two: one old/new pair visited */
TRACE_EVENT(nsm_copy_mnt_ns_pair,
	TP_PROTO(u64 world, int old_id, int new_id, unsigned int ns,
		 bool root_moved, bool pwd_moved),
	TP_ARGS(world, old_id, new_id, ns, root_moved, pwd_moved),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, old_id)
		__field(int, new_id)
		__field(unsigned int, ns)
		__field(bool, root_moved)
		__field(bool, pwd_moved)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->old_id = old_id;
		__entry->new_id = new_id;
		__entry->ns = ns;
		__entry->root_moved = root_moved;
		__entry->pwd_moved = pwd_moved;
	),
	TP_printk("world=%llu old=%d new=%d ns=%u root_moved=%d pwd_moved=%d",
		  __entry->world, __entry->old_id, __entry->new_id,
		  __entry->ns, __entry->root_moved, __entry->pwd_moved)
);

/* copy_mnt_ns() pass two: an old mount with no copy, stepped over */
TRACE_EVENT(nsm_copy_mnt_ns_skip,
	TP_PROTO(u64 world, int old_id),
	TP_ARGS(world, old_id),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, old_id)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->old_id = old_id;
	),
	TP_printk("world=%llu old=%d", __entry->world, __entry->old_id)
);

/* copy_mnt_ns() ends: the new namespace and its mount count, or an error */
TRACE_EVENT(nsm_copy_mnt_ns_result,
	TP_PROTO(u64 world, unsigned int new_ns, unsigned int mounts, int err),
	TP_ARGS(world, new_ns, mounts, err),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(unsigned int, new_ns)
		__field(unsigned int, mounts)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->new_ns = new_ns;
		__entry->mounts = mounts;
		__entry->err = err;
	),
	TP_printk("world=%llu new_ns=%u mounts=%u err=%d", __entry->world,
		  __entry->new_ns, __entry->mounts, __entry->err)
);

/* commit_tree(): a mount (tree) joins a namespace under a parent */
TRACE_EVENT(nsm_mount,
	TP_PROTO(u64 world, int mnt_id, int parent_id, unsigned int ns,
		 int mnt_flags),
	TP_ARGS(world, mnt_id, parent_id, ns, mnt_flags),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, mnt_id)
		__field(int, parent_id)
		__field(unsigned int, ns)
		__field(int, mnt_flags)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->mnt_id = mnt_id;
		__entry->parent_id = parent_id;
		__entry->ns = ns;
		__entry->mnt_flags = mnt_flags;
	),
	TP_printk("world=%llu mnt=%d parent=%d ns=%u mnt_flags=0x%x",
		  __entry->world, __entry->mnt_id, __entry->parent_id,
		  __entry->ns, __entry->mnt_flags)
);

/* umount_tree(): one mount leaves its namespace */
TRACE_EVENT(nsm_umount,
	TP_PROTO(u64 world, int mnt_id, unsigned int ns, int how,
		 bool disconnect),
	TP_ARGS(world, mnt_id, ns, how, disconnect),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, mnt_id)
		__field(unsigned int, ns)
		__field(int, how)
		__field(bool, disconnect)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->mnt_id = mnt_id;
		__entry->ns = ns;
		__entry->how = how;
		__entry->disconnect = disconnect;
	),
	TP_printk("world=%llu mnt=%d ns=%u how=0x%x disconnect=%d",
		  __entry->world, __entry->mnt_id, __entry->ns, __entry->how,
		  __entry->disconnect)
);

/* propagate_one(): a copy of a new mount made for a peer or slave */
TRACE_EVENT(nsm_propagate,
	TP_PROTO(u64 world, int source_id, int dest_id, int copy_id, int type),
	TP_ARGS(world, source_id, dest_id, copy_id, type),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, source_id)
		__field(int, dest_id)
		__field(int, copy_id)
		__field(int, type)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->source_id = source_id;
		__entry->dest_id = dest_id;
		__entry->copy_id = copy_id;
		__entry->type = type;
	),
	TP_printk("world=%llu source=%d dest=%d copy=%d type=0x%x",
		  __entry->world, __entry->source_id, __entry->dest_id,
		  __entry->copy_id, __entry->type)
);

/*
 * copy_tree()'s callers: copy_mnt_ns() (a new mount namespace), do_loopback()
 * (mount --rbind) and open_tree(OPEN_TREE_CLONE | AT_RECURSIVE), each just
 * before its copy; the nsm_copy_tree_mnt events of that copy follow.
 * @caller: 1 copy_mnt_ns, 2 do_loopback, 3 open_tree (enum
 * nsm_copy_tree_caller of mount.h).
 */
TRACE_EVENT(nsm_copy_tree_call,
	TP_PROTO(u64 world, int caller, int src_id),
	TP_ARGS(world, caller, src_id),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, caller)
		__field(int, src_id)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->caller = caller;
		__entry->src_id = src_id;
	),
	TP_printk("world=%llu caller=%s src=%d", __entry->world,
		  __print_symbolic(__entry->caller, { 1, "copy_mnt_ns" },
				   { 2, "do_loopback" }, { 3, "open_tree" }),
		  __entry->src_id)
);

/*
 * open_tree() made a handle: on the mount @src_id, or (@copy_id >= 0) on
 * the root of the detached copy of it, of @mounts mounts, in an anonymous
 * namespace
 */
TRACE_EVENT(nsm_open_tree,
	TP_PROTO(u64 world, u32 task, int src_id, unsigned int flags,
		 int copy_id, unsigned int mounts),
	TP_ARGS(world, task, src_id, flags, copy_id, mounts),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(u32, task)
		__field(int, src_id)
		__field(unsigned int, flags)
		__field(int, copy_id)
		__field(unsigned int, mounts)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->task = task;
		__entry->src_id = src_id;
		__entry->flags = flags;
		__entry->copy_id = copy_id;
		__entry->mounts = mounts;
	),
	TP_printk("world=%llu task=%u src=%d flags=0x%x copy=%d mounts=%u",
		  __entry->world, __entry->task, __entry->src_id,
		  __entry->flags, __entry->copy_id, __entry->mounts)
);

/*
 * attach_recursive_mnt() put a tree in place: @how is 0 for a new tree
 * (a bind, a new mount, a detached tree attached by move_mount), 1 for a
 * move, plus 2 for MOVE_MOUNT_BENEATH
 */
TRACE_EVENT(nsm_attach_tree,
	TP_PROTO(u64 world, int mnt_id, int parent_id, unsigned int ns,
		 int how),
	TP_ARGS(world, mnt_id, parent_id, ns, how),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, mnt_id)
		__field(int, parent_id)
		__field(unsigned int, ns)
		__field(int, how)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->mnt_id = mnt_id;
		__entry->parent_id = parent_id;
		__entry->ns = ns;
		__entry->how = how;
	),
	TP_printk("world=%llu mnt=%d parent=%d ns=%u how=0x%x",
		  __entry->world, __entry->mnt_id, __entry->parent_id,
		  __entry->ns, __entry->how)
);

/* dissolve_on_fput(): the last handle on a detached tree went */
TRACE_EVENT(nsm_dissolve,
	TP_PROTO(u64 world, int mnt_id, unsigned int mounts),
	TP_ARGS(world, mnt_id, mounts),
	TP_STRUCT__entry(
		__field(u64, world)
		__field(int, mnt_id)
		__field(unsigned int, mounts)
	),
	TP_fast_assign(
		__entry->world = world;
		__entry->mnt_id = mnt_id;
		__entry->mounts = mounts;
	),
	TP_printk("world=%llu mnt=%d mounts=%u", __entry->world,
		  __entry->mnt_id, __entry->mounts)
);

#endif /* _NSMODEL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
