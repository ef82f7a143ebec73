/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: mounts, mount namespaces, superblocks and dentries, private to
 * the mount side of the model as fs/mount.h and fs/pnode.h are to fs/.
 *
 * The model VFS has no inodes and no file data: a superblock owns a tree of
 * directory dentries, a mount shows one dentry of a superblock somewhere in
 * the mount tree, and paths are (mount, dentry) pairs.  Everything else -
 * the mount tree, peer groups, masters and slaves, reference counts that
 * make a mount "busy" - follows fs/namespace.c and fs/pnode.c.
 *
 * Everything here is protected by world->lock (see nsmodel.h), which plays
 * the part of both namespace_sem and mount_lock.
 */
#ifndef _NSMODEL_MOUNT_H
#define _NSMODEL_MOUNT_H

#include <linux/mount.h>
#include <linux/kdev_t.h>
#include <linux/rbtree.h>
#include "nsmodel.h"

/* models: struct super_block (one instance of a tmpfs-like filesystem) */
struct nsm_super_block {
	struct nsm_world *world;
	dev_t s_dev;			/* anon dev: major 0, minor from an ida */
	unsigned long s_flags;		/* SB_RDONLY, ... */
	struct nsm_dentry *s_root;
	const char *s_type;		/* the fs type name, "tmpfs" */
	int s_active;			/* mounts of this superblock */
	struct list_head s_mounts;	/* mounts via mnt_instance */
	struct nsm_user_namespace *s_user_ns;
	unsigned long next_ino;		/* inode numbers, as shmem's next_ino */
	unsigned int nr_dentries;
	/* unlinked dentries, kept until the superblock dies (no dcounts) */
	struct nsm_dentry *s_deleted;
	/* tmpfs options that mountinfo shows (shmem_show_options) */
	unsigned long max_blocks, max_inodes;
	/* max_inodes - free_inodes: the inodes not unlinked (the root too) */
	unsigned long inodes_used;
	int huge;
	bool noswap;			/* 6.12 */
	umode_t mode;
	u32 uid, gid;
	bool full_inums;		/* inode64 */
};

/*
 * models: struct dentry of a directory or a regular file (i_mode says
 * which), plus the struct mountpoint that the
 * kernel hangs off a mounted-on dentry (d_mounted counts its users).  The
 * mounts attached on it are found through the world's mount hash, keyed
 * by (parent mount, dentry) as the kernel's mount_hashtable.
 */
struct nsm_dentry {
	struct nsm_dentry *d_parent;	/* the root is its own parent */
	struct nsm_super_block *d_sb;
	struct rb_node d_child;		/* in d_parent->d_subdirs, by name */
	struct rb_root d_subdirs;
	unsigned long d_ino;
	/* the directory's inode, as far as permission checks need it */
	umode_t i_mode;
	u32 i_uid, i_gid;		/* kuid, kgid */
	unsigned int d_mounted;		/* mounts whose mountpoint this is */
	bool d_deleted;			/* unlinked or removed: d_unlinked() */
	struct nsm_dentry *d_next_deleted;	/* on d_sb->s_deleted */
	/*
	 * nsfs only (nsfs.c): the namespace this file stands for, one
	 * reference on it, and how many mounts (and lookups in progress)
	 * show this dentry as their root.
	 */
	struct nsm_ns_common *d_ns;
	unsigned int d_count;
	char d_name[];			/* "/" for the root */
};

/* models: struct mount, with the fields of its struct vfsmount inlined */
struct nsm_mount {
	struct nsm_world *world;
	/* in the world's mount hash, or on propagate_mnt()'s tree_list */
	struct hlist_node mnt_hash;
	struct nsm_mount *mnt_parent;
	struct nsm_dentry *mnt_mountpoint;
	/* struct vfsmount */
	struct nsm_dentry *mnt_root;
	struct nsm_super_block *mnt_sb;
	int mnt_flags;

	int mnt_count;			/* references, as mnt_get_count() */
	struct list_head mnt_mounts;	/* children, anchored here */
	struct list_head mnt_child;	/* and going through their mnt_child */
	struct list_head mnt_instance;	/* on mnt_sb->s_mounts */
	const char *mnt_devname;	/* the source, as mount(2) got it */
	struct list_head mnt_list;	/* in mnt_ns's list, or a tmp list */
	struct list_head mnt_expire;	/* fs-specific expiry list */
	struct list_head mnt_share;	/* circular list of shared peers */
	struct list_head mnt_slave_list;	/* list of slave mounts */
	struct list_head mnt_slave;	/* slave list entry */
	struct nsm_mount *mnt_master;	/* slave is on master->mnt_slave_list */
	struct nsm_mnt_namespace *mnt_ns;	/* containing namespace */
	struct nsm_dentry *mnt_mp;	/* where it is mounted (mountpoint) */
	struct hlist_node mnt_umount;	/* on world->unmounted until mntput */
	struct list_head mnt_umounting;	/* for umount propagation */
	int mnt_id;			/* mount identifier */
	int mnt_group_id;		/* peer group identifier */
	int mnt_expiry_mark;		/* true if marked for expiry */
	bool mnt_hashed;		/* mnt_hash is in the mount hash */
	u64 mnt_id_unique;		/* 6.12's never-reused id, for ordering */
};

/* models: struct mnt_namespace */
struct nsm_mnt_namespace {
	struct nsm_ns_common ns;
	struct nsm_mount *root;
	struct list_head list;		/* its mounts, via mnt_list */
	struct nsm_user_namespace *user_ns;
	unsigned int mounts;		/* # of mounts in the namespace */
	unsigned int pending_mounts;	/* # of mounts being added */
	u64 seq;			/* sequence number, for loop checks */
	u64 event;
};

/* fs/pnode.h */
#define NSM_IS_MNT_SHARED(m)	((m)->mnt_flags & MNT_SHARED)
#define NSM_IS_MNT_SLAVE(m)	((m)->mnt_master)
#define NSM_IS_MNT_NEW(m)	(!(m)->mnt_ns || nsm_is_anon_ns((m)->mnt_ns))
#define NSM_CLEAR_MNT_SHARED(m)	((m)->mnt_flags &= ~MNT_SHARED)
#define NSM_IS_MNT_UNBINDABLE(m) ((m)->mnt_flags & MNT_UNBINDABLE)
#define NSM_IS_MNT_MARKED(m)	((m)->mnt_flags & MNT_MARKED)
#define NSM_SET_MNT_MARK(m)	((m)->mnt_flags |= MNT_MARKED)
#define NSM_CLEAR_MNT_MARK(m)	((m)->mnt_flags &= ~MNT_MARKED)
#define NSM_IS_MNT_LOCKED(m)	((m)->mnt_flags & MNT_LOCKED)

#define CL_EXPIRE		0x01
#define CL_SLAVE		0x02
#define CL_COPY_UNBINDABLE	0x04
#define CL_MAKE_SHARED		0x08
#define CL_PRIVATE		0x10
#define CL_SHARED_TO_SLAVE	0x20
#define CL_COPY_MNT_NS_FILE	0x40

#define CL_COPY_ALL		(CL_COPY_UNBINDABLE | CL_COPY_MNT_NS_FILE)

/* who calls copy_tree(), for the nsm_copy_tree_call tracepoint */
enum nsm_copy_tree_caller {
	NSM_COPY_TREE_COPY_MNT_NS = 1,
	NSM_COPY_TREE_DO_LOOPBACK = 2,
	NSM_COPY_TREE_OPEN_TREE = 3,
};

/* models: enum umount_tree_flags */
enum nsm_umount_tree_flags {
	NSM_UMOUNT_SYNC = 1,
	NSM_UMOUNT_PROPAGATE = 2,
	NSM_UMOUNT_CONNECTED = 4,
};

static inline bool nsm_is_anon_ns(struct nsm_mnt_namespace *ns)
{
	return ns->seq == 0;
}

static inline bool nsm_mnt_has_parent(struct nsm_mount *mnt)
{
	return mnt != mnt->mnt_parent;
}

static inline void nsm_set_mnt_shared(struct nsm_mount *mnt)
{
	mnt->mnt_flags &= ~MNT_SHARED_MASK;
	mnt->mnt_flags |= MNT_SHARED;
}

/*
 * models: the parameters of struct fs_context for the model's tmpfs, as
 * mount(2)'s data string or fsconfig(2) gives them: the superblock flags
 * vfs_parse_sb_flag() knows, and shmem's parameters (shmem_parse_one()).
 */
struct nsm_fs_context {
	unsigned long sb_flags;
	unsigned long sb_flags_mask;
	const struct nsm_cred *cred;	/* the caller, for uid= and gid= */
	struct nsm_user_namespace *user_ns;	/* fc->user_ns */
	unsigned long blocks, inodes;
	bool blocks_set, inodes_set;
	umode_t mode;
	bool mode_set;
	u32 uid, gid;
	bool uid_set, gid_set;
	int huge;
	bool huge_set;
	bool noswap;
	bool full_inums;
	bool inums_set;
};

/* models: enum fs_context_phase */
enum nsm_fs_context_phase {
	NSM_FS_CONTEXT_CREATE_PARAMS,	/* fsopen(): parameters to create */
	NSM_FS_CONTEXT_CREATING,	/* CMD_CREATE running */
	NSM_FS_CONTEXT_AWAITING_MOUNT,	/* a superblock, for fsmount() */
	NSM_FS_CONTEXT_AWAITING_RECONF,	/* mounted or reconfigured */
	NSM_FS_CONTEXT_RECONF_PARAMS,	/* parameters to reconfigure */
	NSM_FS_CONTEXT_RECONFIGURING,	/* CMD_RECONFIGURE running */
	NSM_FS_CONTEXT_FAILED,		/* a create or reconfigure failed */
};

/*
 * models: struct fs_context as fsopen() and fspick() keep it behind their
 * file (fsopen.c): the parameters, the phase, the source, and fc->root's
 * superblock with one active reference once there is one.  The file owns
 * the context and the reference to fc.user_ns.
 */
struct nsm_fscontext {
	struct nsm_world *world;
	enum nsm_fs_context_phase phase;
	struct nsm_fs_context fc;
	char *source;			/* "source", or NULL */
	struct nsm_super_block *sb;	/* fc->root->d_sb, or NULL */
};

/* fsopen.c */
struct nsm_fscontext *nsm_fscontext_fget(struct nsm_world *w, int fd,
					 struct file **filep);
void nsm_vfs_clean_context(struct nsm_fscontext *ctx);

/* namespace.c: shmem's "huge=" names, parameters and superblocks */
const char *nsm_shmem_format_huge(int huge);
bool nsm_parse_sb_flag(struct nsm_fs_context *fc, const char *key);
int nsm_shmem_parse_one(struct nsm_fs_context *fc, char *opt, char *val);
struct nsm_super_block *nsm_tmpfs_get_tree(struct nsm_task *task,
					   struct nsm_fs_context *fc);
int nsm_reconfigure_super(struct nsm_super_block *sb,
			  const struct nsm_fs_context *fc);

/* dcache.c: superblocks, dentries and the path walk */
#define NSM_LOOKUP_CREATE	0x1	/* mkdir -p the missing components */
#define NSM_LOOKUP_DOWN		0x2	/* follow mounts on the start point */
#define NSM_LOOKUP_MOUNTPOINT	0x4	/* follow mounts on the end point */

struct nsm_super_block *nsm_alloc_super(struct nsm_world *w,
					const char *type,
					struct nsm_user_namespace *user_ns);
void nsm_deactivate_super(struct nsm_super_block *sb);
bool nsm_is_subdir(struct nsm_dentry *d, struct nsm_dentry *ancestor);
struct nsm_dentry *nsm_d_lookup(struct nsm_dentry *dir, const char *name,
				size_t len);
struct nsm_dentry *nsm_d_insert(struct nsm_dentry *dir, const char *name,
				size_t len, umode_t mode);
void nsm_d_remove(struct nsm_dentry *d);
void nsm_d_free(struct nsm_dentry *d);
int nsm_dentry_path(struct nsm_dentry *d, char *buf, int len);
char *nsm_d_path(const struct nsm_path *path, const struct nsm_path *root,
		 char *buf, int buflen);
int nsm_path_lookup(struct nsm_task *task, const char *name,
		    unsigned int flags, struct nsm_path *path);
int nsm_vfs_path_lookup(struct nsm_task *task, const struct nsm_path *start,
			const char *name, unsigned int flags,
			struct nsm_path *path);

/* namespace.c */
struct nsm_mount *nsm_lookup_mnt(struct nsm_mount *mnt,
				 struct nsm_dentry *dentry);
struct nsm_mount *nsm_next_mnt(struct nsm_mount *p, struct nsm_mount *root);
struct nsm_mount *nsm_skip_mnt_tree(struct nsm_mount *p);
struct nsm_mount *nsm_copy_tree(struct nsm_mount *mnt,
				struct nsm_dentry *dentry, int flag);
void nsm_mnt_set_mountpoint(struct nsm_mount *mnt, struct nsm_dentry *mp,
			    struct nsm_mount *child_mnt);
void nsm_mnt_change_mountpoint(struct nsm_mount *parent,
			       struct nsm_dentry *mp, struct nsm_mount *mnt);
int nsm_count_mounts(struct nsm_mnt_namespace *ns, struct nsm_mount *mnt);
void nsm_mnt_release_group_id(struct nsm_mount *mnt);
void nsm_umount_tree(struct nsm_mount *mnt, enum nsm_umount_tree_flags how);
void nsm_mntput(struct nsm_mount *mnt);
struct nsm_mount *nsm_mntget(struct nsm_mount *mnt);
struct nsm_mount *nsm_vfs_create_mount(struct nsm_super_block *sb,
				       const char *source);
int nsm_do_loopback_path(struct nsm_task *task, struct nsm_path *path,
			 struct nsm_path *old_path, int recurse);
bool nsm_is_local_mountpoint(struct nsm_task *task,
			      struct nsm_dentry *dentry);
void nsm_detach_mounts(struct nsm_dentry *dentry);
bool nsm_is_path_reachable(struct nsm_mount *mnt, struct nsm_dentry *dentry,
			   const struct nsm_path *root);
void nsm_namespace_unlock(struct nsm_world *w);
bool nsm_check_mnt(struct nsm_task *task, struct nsm_mount *mnt);
bool nsm_may_mount(struct nsm_task *task);
struct nsm_task *nsm_mnt_task(struct nsm_world *w, u32 id);
bool nsm_has_locked_children(struct nsm_mount *mnt,
			     struct nsm_dentry *dentry);
int nsm_may_change_propagation(struct nsm_task *task,
			       const struct nsm_mount *m);
struct nsm_mount *__nsm_do_loopback(struct nsm_task *task,
				    struct nsm_path *old_path, int recurse);
int nsm_do_move_mount(struct nsm_task *task, struct nsm_path *old_path,
		      struct nsm_path *new_path, bool beneath);
struct nsm_mnt_namespace *nsm_alloc_mnt_ns(struct nsm_world *w,
					   struct nsm_user_namespace *user_ns,
					   bool anon);
void nsm_free_mnt_ns(struct nsm_mnt_namespace *ns);
void nsm_dissolve_on_fput(struct nsm_mount *mnt);

/* namespace_fd.c: mount handles (open_tree(), fsmount() fds) */
struct file *nsm_mnt_handle_file(struct nsm_world *w,
				 const struct nsm_path *path,
				 bool need_unmount);
int nsm_mnt_handle_fd_path(struct nsm_world *w, int fd, struct nsm_path *path);
int nsm_user_path_at(struct nsm_task *task, int dfd, const char *name,
		     bool empty, struct nsm_path *path);

bool nsm_check_mnt(struct nsm_task *task, struct nsm_mount *mnt);
bool nsm_may_mount(struct nsm_task *task);
struct nsm_task *nsm_mnt_task(struct nsm_world *w, u32 id);
void nsm_touch_mnt_namespace(struct nsm_mnt_namespace *ns);
int nsm_invent_group_ids(struct nsm_mount *mnt, bool recurse);
void nsm_cleanup_group_ids(struct nsm_mount *mnt, struct nsm_mount *end);
bool nsm_can_change_locked_flags(struct nsm_mount *mnt,
				 unsigned int mnt_flags);

/* mount_setattr.c */
unsigned int nsm_attr_flags_to_mnt_flags(u64 attr_flags);

/* nsfs.c: namespace files as mount roots */
struct nsm_mount *nsm_nsfs_mnt(struct nsm_world *w);
struct nsm_dentry *nsm_ns_get_dentry(struct nsm_world *w,
				     struct nsm_ns_common *ns);
void nsm_nsfs_dput(struct nsm_dentry *d);
void nsm_nsfs_reap(struct nsm_world *w);
bool nsm_is_mnt_ns_file(const struct nsm_dentry *d);

/* pnode.c */
void nsm_change_mnt_propagation(struct nsm_mount *mnt, int type);
int nsm_propagate_mnt(struct nsm_mount *dest_mnt, struct nsm_dentry *dest_mp,
		      struct nsm_mount *source_mnt,
		      struct hlist_head *tree_list);
int nsm_propagate_umount(struct list_head *list);
int nsm_propagate_mount_busy(struct nsm_mount *mnt, int refcnt);
void nsm_propagate_mount_unlock(struct nsm_mount *mnt);
int nsm_get_dominating_id(struct nsm_mount *mnt, const struct nsm_path *root);
bool nsm_propagation_would_overmount(struct nsm_mount *from,
				     struct nsm_mount *to,
				     struct nsm_dentry *mp);

/* models: struct proc_mounts + its seq_file, as a finished snapshot */
struct nsm_mountinfo_file {
	struct nsm_world *world;
	char *buf;
	size_t len;
	size_t size;
};

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Static functions that the KUnit tests (kunit/) call: VISIBLE_IF_KUNIT
 * makes them global, and EXPORT_SYMBOL_IF_KUNIT exports them (and the
 * other functions the tests use) to the EXPORTED_FOR_KUNIT_TESTING
 * namespace, only on kernels built with KUnit.
 */
int nsm_path_mount(struct nsm_task *task, const char *dev_name,
		   struct nsm_path *path, const char *type_page,
		   unsigned long flags, char *data_page);
struct nsm_mountinfo_file *nsm_mountinfo_snapshot(struct nsm_world *w,
						  struct nsm_task *task);
struct nsm_mountinfo_file *
nsm_mountinfo_tree_snapshot(struct nsm_world *w, const struct nsm_path *root);
void nsm_mountinfo_free(struct nsm_mountinfo_file *mf);
#endif

#endif /* _NSMODEL_MOUNT_H */
