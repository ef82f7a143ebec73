/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmctl: the scenario language v1 (see docs/language.md) and its two backends,
 * the nsmodel device ("model") and real processes ("kernel").
 */
#ifndef NSMCTL_H
#define NSMCTL_H

#include <stddef.h>
#include <stdio.h>

/* pidfd_open(2), pidfd_getfd(2): kernel.c, show_tree.c (glibc 2.36 has
 * the numbers, older headers may not) */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/*
 * Exit codes of nsmctl (documented in --help, nsmctl(1) and
 * docs/language.md); stable: scripts test them.
 */
#define NSMCTL_EXIT_OK		0	/* everything passed */
#define NSMCTL_EXIT_FAIL	1	/* a scenario (or its syntax) failed */
#define NSMCTL_EXIT_USAGE	2	/* bad command line */
#define NSMCTL_EXIT_ENV		3	/* environment: no device, no privileges */
#define NSMCTL_EXIT_FILE	4	/* a file could not be read or written */

/* nsmctl.c: messages and colors, util-linux style */
void warnx_nsm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_lines(const char *text);
int errtryhelp_nsm(const char *cmd);
enum color_kind { COLOR_OFF, COLOR_OK, COLOR_FAIL, COLOR_PENDING,
		  COLOR_DEL, COLOR_ADD, COLOR_HEAD };
const char *color_seq(enum color_kind k);
/* --color=WHEN: 0 on success, -1 for a bad WHEN */
int color_set(const char *when);

/* Result codes beyond errno values (errnos are > 0, success is 0). */
#define R_NOTASK	(-1)	/* the task does not exist in this backend */
#define R_DEAD		(-2)	/* the task died while running the command */
#define R_TIMEOUT	(-3)	/* the task did not answer in time */
#define R_INTERNAL	(-4)	/* the runner itself failed */

enum op {
	OP_CLONE, OP_UNSHARE, OP_SETNS, OP_EXIT, OP_SETUID, OP_HOSTNAME,
	OP_MKDIR, OP_MOUNT, OP_BIND, OP_MOVE, OP_UMOUNT, OP_MAKE, OP_CHROOT,
	OP_CHDIR, OP_EXPECT, OP_SHOW, OP_REMOUNT, OP_TOUCH, OP_UNLINK,
	OP_RMDIR, OP_NSBIND, OP_PIVOT_ROOT, OP_OPEN_TREE, OP_MOVE_MOUNT,
	OP_CLOSE, OP_SETATTR, OP_FSOPEN, OP_FSCONFIG, OP_FSMOUNT, OP_FSPICK,
};

/* fsconfig(2)'s commands (<linux/mount.h>; _CMD_CREATE_EXCL is 6.6's) */
#define NSMCTL_FSCONFIG_SET_FLAG	0
#define NSMCTL_FSCONFIG_SET_STRING	1
#define NSMCTL_FSCONFIG_CMD_CREATE	6
#define NSMCTL_FSCONFIG_CMD_RECONFIGURE	7
#define NSMCTL_FSCONFIG_CMD_CREATE_EXCL	8
#define NSMCTL_FSPICK_EMPTY_PATH	0x8
#define NSMCTL_FSOPEN_CLOEXEC		0x1
#define NSMCTL_FSPICK_CLOEXEC		0x1
#define NSMCTL_FSMOUNT_CLOEXEC		0x1

/*
 * The flag values of open_tree and move_mount, the kernel's own (the
 * build host's <linux/mount.h> may predate MOVE_MOUNT_BENEATH).
 */
#define NSMCTL_OPEN_TREE_CLONE		0x1		/* OPEN_TREE_CLONE */
#define NSMCTL_AT_RECURSIVE		0x8000		/* AT_RECURSIVE */
#define NSMCTL_MOVE_MOUNT_F_EMPTY_PATH	0x00000004
#define NSMCTL_MOVE_MOUNT_T_EMPTY_PATH	0x00000040
#define NSMCTL_MOVE_MOUNT_SET_GROUP	0x00000100
#define NSMCTL_MOVE_MOUNT_BENEATH	0x00000200

enum expect_kind {
	EX_MOUNTED, EX_NOT_MOUNTED, EX_EXISTS, EX_ABSENT, EX_PROPAGATION,
	EX_SAME, EX_DIFFER, EX_HOSTNAME, EX_CWD, EX_FILE,
};

enum show_kind {
	SHOW_MOUNTS, SHOW_NS, SHOW_PID, SHOW_HOSTNAME, SHOW_CWD, SHOW_TREE,
};

/* Propagation types of "make" and "expect ... propagation". */
enum prop {
	PROP_SHARED, PROP_SLAVE, PROP_PRIVATE, PROP_UNBINDABLE,
	PROP_SLAVE_SHARED,
};

/* Namespace kinds, in the order /proc/PID/ns lists them. */
enum ns_kind {
	NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_PID_FOR_CHILDREN,
	NS_TIME, NS_TIME_FOR_CHILDREN, NS_USER, NS_UTS, NS_NR
};

struct cmd {
	int line;		/* 1-based line in the file */
	char *text;		/* the command as written, comment stripped */
	enum op op;
	int sub;		/* expect_kind, show_kind or prop */
	char *task;		/* the acting task */
	char *task2;		/* clone: child; setns: target; expect: other */
	unsigned long flags;	/* CLONE_* (clone, unshare, setns kinds),
				 * MS_* (mount, remount), MNT_* (umount),
				 * OPEN_TREE_CLONE, AT_RECURSIVE (open_tree),
				 * MOVE_MOUNT_BENEATH, _SET_GROUP (move_mount),
				 * VIEW_* (show tree; a1: its columns) */
	int kind;		/* expect same/differ, nsbind, setns @PATH:
				 * enum ns_kind */
	char *a1, *a2, *a3;	/* paths, names, as the op needs (setns
				 * @PATH: a1 is PATH, task2 NULL; open_tree:
				 * a1 the descriptor's name without '%', a2
				 * PATH; move_mount: a1 FROM, a2 TO, each a
				 * path or "%NAME"; close: a1 the name;
				 * fsopen: a1 the name, a2 FSTYPE; fsconfig:
				 * a1 the name, sub the FSCONFIG_* command,
				 * a2 KEY, a3 VALUE; fsmount: a1 the new
				 * name, then a2 "%CTX" (flags: MOUNT_ATTR_*)
				 * or a2 FSTYPE, a3 SOURCE, data OPTIONS;
				 * fspick: a1 the name, a2 a path or "%FD") */
	char *data;		/* mount: options that are not MS_* flags */
	unsigned int uid;
	int rec;		/* -r (bind, make, setattr), -l (umount) or
				 * -b (remount) given */
	/* setattr: struct mount_attr's attr_set, attr_clr, propagation */
	unsigned long long attr_set, attr_clr, attr_prop;
	int want;		/* errno after "=>", or 0 */
	int since;		/* "=> E since V": V as MAJOR << 16 | MINOR */
	int since_errno;	/* E: the want of kernels from V on */
	int until;		/* "=> E until V": E before V, success from V */
};

struct scenario {
	char *path;
	struct cmd *cmds;
	int nr;
};

/* scenario.c */
int scenario_parse(const char *path, const char *text, struct scenario *sc,
		   FILE *err);
int scenario_load(const char *path, struct scenario *sc, FILE *err);
int text_read(const char *path, char **text, FILE *err);
/* the kernel version (MAJOR << 16 | MINOR) expectations are read for */
void scenario_set_version(int v);
int scenario_get_version(void);
int running_kernel_version(void);
int kernel_version_parse(const char *s);
void scenario_free(struct scenario *sc);
const char *errno_name(int e);
int errno_value(const char *name);
const char *result_name(int r, char *buf, size_t len);
const char *prop_name(int p);
extern const char *const ns_kind_names[NS_NR];
extern const unsigned long ns_kind_clone[NS_NR];
char *flags_to_text(unsigned long clone_flags, char *buf, size_t len);

/*
 * The fsconfig(2) calls of "fsmount TASK %FD FSTYPE SOURCE [OPTIONS]",
 * the same on both backends: "source" SOURCE, then each option of the
 * comma list (empty ones skipped), KEY=VALUE as FSCONFIG_SET_STRING and
 * KEY as FSCONFIG_SET_FLAG, then FSCONFIG_CMD_CREATE.
 */
struct fsmount_step {
	unsigned int cmd;	/* NSMCTL_FSCONFIG_* */
	char *key, *val;	/* NULL where the command takes none */
};
int fsmount_steps(const struct cmd *c, struct fsmount_step **steps);
void fsmount_steps_free(struct fsmount_step *steps, int nr);

/* A backend runs the commands of one scenario on one fresh world. */
struct backend;
struct backend_ops {
	const char *name;
	/* make a fresh world with the task "init"; 0 or an R_ / errno */
	int (*open)(struct backend **b, char *errbuf, size_t len);
	void (*close)(struct backend *b);
	/* the action ops (clone ... chdir): 0, an errno or R_* */
	int (*act)(struct backend *b, const struct cmd *c);
	/* views and probes, for expect and show */
	int (*mountinfo)(struct backend *b, const char *task, char **text);
	/*
	 * the tree behind TASK's mount descriptor %FD (without the '%'), as
	 * fdtree.c's pseudo-mountinfo: 0, an errno (EBADF: unbound) or R_*
	 */
	int (*fd_tree)(struct backend *b, const char *task, const char *fd,
		       char **text);
	/* stat(2) by the task: 0 or an errno; *mode gets st_mode if asked */
	int (*stat)(struct backend *b, const char *task, const char *path,
		    unsigned int *mode);
	/* the task's getcwd(2), "(unreachable)/..." included */
	int (*cwd)(struct backend *b, const char *task, char *buf, size_t len);
	/* ns ids, indexed by enum ns_kind; 0 when the kind is unreadable */
	int (*ns_ids)(struct backend *b, const char *task,
		      unsigned long long ids[NS_NR]);
	/* the pid numbers, outermost (the world's level) first */
	int (*nspid)(struct backend *b, const char *task, unsigned int *pids,
		     int max, int *nr);
	int (*hostname)(struct backend *b, const char *task, char *buf,
			size_t len);
	/*
	 * Of TASK's namespace of KIND: the owning user namespace and the
	 * parent namespace (user and pid; 0 for the others), as nsfs'
	 * NS_GET_USERNS and NS_GET_PARENT tell, ids as ns_ids gives them;
	 * 0 for one the caller cannot see (EPERM of those ioctls).
	 */
	int (*ns_rel)(struct backend *b, const char *task, int kind,
		      unsigned long long *owner, unsigned long long *parent);
	/* the mount ids (as mountinfo numbers them) of TASK's root and cwd */
	int (*fs_mnt)(struct backend *b, const char *task, int *root,
		      int *pwd);
};

extern const struct backend_ops kernel_backend;
extern const struct backend_ops model_backend;

/* model.c: the semantics profiles of the module (NSM_IOC_PROFILE) */
struct profile {
	const char *name;
	unsigned int id;	/* enum nsm_profile_id */
	int version;		/* MAJOR << 16 | MINOR; 0 for auto */
};
extern const struct profile profiles[];
extern const struct profile *model_profile;
const struct profile *profile_by_name(const char *name);
int profile_version(const struct profile *p);

/* kernel.c */
extern int kernel_timeout_ms;

/* mountinfo.c */
struct mnt {
	int id, parent;
	unsigned int major, minor;
	char *root, *point;	/* as written (octal escapes kept) */
	char *opts;		/* per-mount options */
	char *optional;		/* optional fields, space separated */
	char *fstype, *source, *super;
	int order;		/* position in the listing */
};
int mountinfo_parse(const char *text, struct mnt **out, int *nr);
void mountinfo_free(struct mnt *m, int nr);
char *mountinfo_normalize(const char *text);
/* the indexes of M in the order of the normal form (its ids are 1 + i) */
void mountinfo_order(struct mnt *m, int nr, int *order);
/* how the normal form numbers namespaces in nsfs roots (NULL: as is) */
extern int (*mountinfo_ns_hook)(int kind, unsigned long long id);
int mnt_propagation(const struct mnt *m);
/* the mount at PATH (topmost of a stack), or NULL */
const struct mnt *mountinfo_find(const struct mnt *m, int nr, const char *path);
void path_unescape(const char *in, char *out, size_t len);
void path_normalize(const char *cwd, const char *path, char *out, size_t len);

/* fdtree.c: the tree behind a mount descriptor, as a walk finds it */
int fdtree_walk(int fd, char **text);
char *fdtree_from_mountinfo(const char *text);

/* views.c: "show TASK tree", findmnt's view built with libsmartcols */
#define VIEW_JSON	0x1	/* --json: findmnt --json's shape */
#define VIEW_RAW	0x2	/* --raw: findmnt --raw (a list) */
#define VIEW_FD		0x4	/* the tree behind a descriptor (fdtree.c) */
/* the tree of a mountinfo text (normalized first); NULL on bad columns */
char *view_tree(const char *mountinfo, const char *columns,
		unsigned int flags);
/* 0 if COLUMNS (NULL: the default) names known columns, or -1 and why */
int view_tree_check(const char *columns, unsigned int flags, char *err,
		    size_t len);
int view_tree_args(int n, char **w, char **columns, unsigned int *flags,
		   char *err, size_t len);
void view_tree_columns_help(FILE *f);
/* a libsmartcols table set up as every view prints it (lsns.c too) */
struct libscols_table;
struct libscols_table *view_table_new(const char *name, unsigned int flags);
/* "nsmctl show ... tree"; the world of a scenario's end state */
int cmd_show_tree(int argc, char **argv);
const struct backend_ops *backend_named(const char *s);
int view_world(const struct backend_ops *ops, const char *file,
	       struct scenario *sc, struct backend **bp);
int view_has_task(const char *task);

/* engine.c */
struct run_opts {
	int json;
	int verbose;
};
struct cmd_result {
	int res;		/* 0, errno or R_* */
	char *out;		/* show: normalized output */
	char *msg;		/* expect: why it failed (NULL if it held) */
};
struct run_result {
	struct cmd_result *r;
	int nr_run;		/* commands executed */
	char *abort_msg;	/* the backend could not go on */
};
int engine_run(const struct backend_ops *ops, const struct scenario *sc,
	       struct run_result *rr);
/* a fresh numbering of namespaces, the task list holding init */
void engine_begin(void);
void run_result_free(struct run_result *rr, int nr);
/* print a one-line result of command i for "shell" */
void engine_print_cmd(FILE *f, const char *path, const struct cmd *c,
		      const struct cmd_result *r);
int engine_cmd(const struct backend_ops *ops, struct backend *b,
	       const struct cmd *c, struct cmd_result *r);

/* engine.c: one world kept open for the views of its end state */
int engine_world_open(const struct backend_ops *ops,
		      const struct scenario *sc, struct backend **bp, FILE *err);
void engine_world_close(const struct backend_ops *ops, struct backend *b);
int engine_world_tasks(char ***names);
int engine_ns_number(int kind, unsigned long long id);

/* nsmctl.c: the model backend, or the fake one of nsmctl's own tests */
const struct backend_ops *model_ops(void);

/* trace.c: "nsmctl trace" */
int cmd_trace(int argc, char **argv);
void usage_trace(FILE *f);

/* fuzz.c: "nsmctl fuzz" */
int cmd_fuzz(int argc, char **argv);

/* graph.c: "nsmctl graph" */
int cmd_graph(int argc, char **argv);

/* lsns.c: "nsmctl lsns" */
int cmd_lsns(int argc, char **argv);

/* compare.c: "nsmctl compare" */
int cmd_compare(int argc, char **argv);

/* kernel.c: the inode number of the namespace an nsfs ioctl gives, or 0 */
unsigned long long ns_ioctl_ino(int fd, unsigned long req);
/* nsmctl.c: @s written as a JSON string */
void json_str(FILE *f, const char *s);

/* diff.c */
void unified_diff(FILE *f, const char *a, const char *b, const char *la,
		  const char *lb);

/* util */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sb_add(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sb_take(struct sbuf *b);
int sb_read_file(const char *path, char **out);

#endif
