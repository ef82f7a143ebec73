// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: a task's root and working directory.
 *
 * Models fs/fs_struct.c.  An fs_struct is shared by the tasks made with
 * CLONE_FS (@users counts them); it holds a reference on the mount and
 * dentry of its root and of its cwd through nsm_path_get(), which the
 * mount side implements (an empty path, mnt NULL, is never passed to it).
 * copy_mnt_ns() moves a private fs_struct onto the
 * copied mounts, which is why a new mount or user namespace needs an
 * fs_struct of its own.
 */
#include <kunit/visibility.h>

#include "nsmodel.h"

/**
 * nsm_copy_fs_struct - a private copy of an fs_struct
 * @w: the world
 * @old: the fs_struct to copy
 *
 * models: copy_fs_struct().  The copy has one user and its own path
 * references.  Returns NULL on allocation failure.
 */
struct nsm_fs_struct *nsm_copy_fs_struct(struct nsm_world *w,
					 struct nsm_fs_struct *old)
{
	struct nsm_fs_struct *fs;

	fs = nsm_alloc(w, NSM_OBJ_FS_STRUCT, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->users = 1;
	fs->world = w;
	fs->root = old->root;
	if (fs->root.mnt)
		nsm_path_get(&fs->root);
	fs->pwd = old->pwd;
	if (fs->pwd.mnt)
		nsm_path_get(&fs->pwd);
	return fs;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_copy_fs_struct);

/**
 * nsm_free_fs_struct - free an fs_struct that has no users left
 * @fs: the fs_struct
 *
 * models: free_fs_struct()
 */
void nsm_free_fs_struct(struct nsm_fs_struct *fs)
{
	if (fs->root.mnt)
		nsm_path_put(&fs->root);
	if (fs->pwd.mnt)
		nsm_path_put(&fs->pwd);
	nsm_free(fs->world, NSM_OBJ_FS_STRUCT, fs, sizeof(*fs));
}
EXPORT_SYMBOL_IF_KUNIT(nsm_free_fs_struct);

/**
 * nsm_exit_fs - a task lets go of its fs_struct
 * @tsk: the task
 *
 * models: exit_fs(): the last user frees it.
 */
void nsm_exit_fs(struct nsm_task *tsk)
{
	struct nsm_fs_struct *fs = tsk->fs;

	if (!fs)
		return;
	tsk->fs = NULL;
	if (!--fs->users)
		nsm_free_fs_struct(fs);
}

/**
 * nsm_set_fs_root - point an fs_struct's root at @path
 * @fs: the fs_struct
 * @path: the new root; a reference is taken
 *
 * models: set_fs_root(): the new reference is taken before the old one
 * is dropped, so @path may be the current root.
 */
void nsm_set_fs_root(struct nsm_fs_struct *fs, const struct nsm_path *path)
{
	struct nsm_path old_root = fs->root;

	if (path->mnt)
		nsm_path_get(path);
	fs->root = *path;
	if (old_root.mnt)
		nsm_path_put(&old_root);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_set_fs_root);

/**
 * nsm_set_fs_pwd - point an fs_struct's working directory at @path
 * @fs: the fs_struct
 * @path: the new cwd; a reference is taken
 *
 * models: set_fs_pwd()
 */
void nsm_set_fs_pwd(struct nsm_fs_struct *fs, const struct nsm_path *path)
{
	struct nsm_path old_pwd = fs->pwd;

	if (path->mnt)
		nsm_path_get(path);
	fs->pwd = *path;
	if (old_pwd.mnt)
		nsm_path_put(&old_pwd);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_set_fs_pwd);

static bool nsm_path_equal(const struct nsm_path *a, const struct nsm_path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/**
 * nsm_chroot_fs_refs - move every root and cwd at @old_root to @new_root
 * @w: the world, locked
 * @old_root: the root that pivot_root() replaced
 * @new_root: its replacement
 *
 * models: chroot_fs_refs(): every task's root and cwd that is exactly
 * @old_root (a cwd below it stays where it is).  The kernel walks every
 * thread of the system; the model's tasks are those of the world.  An
 * fs_struct shared by several tasks is met once per task, harmlessly: it
 * no longer matches after the first.
 */
void nsm_chroot_fs_refs(struct nsm_world *w, const struct nsm_path *old_root,
			const struct nsm_path *new_root)
{
	struct nsm_task *p;
	int id;

	idr_for_each_entry(&w->tasks, p, id) {
		struct nsm_fs_struct *fs = p->fs;

		if (!fs)
			continue;
		if (nsm_path_equal(&fs->root, old_root))
			nsm_set_fs_root(fs, new_root);
		if (nsm_path_equal(&fs->pwd, old_root))
			nsm_set_fs_pwd(fs, new_root);
	}
}
