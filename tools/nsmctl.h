/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmctl: the scenario language v1 (see docs/language.md) and its two backends,
 * the nsmodel device ("model") and real processes ("kernel").
 */
#ifndef NSMCTL_H
#define NSMCTL_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes of nsmctl (documented in --help and docs/language.md). */
#define NSMCTL_EXIT_OK		0	/* everything passed */
#define NSMCTL_EXIT_FAIL	1	/* a scenario or expectation failed */
#define NSMCTL_EXIT_USAGE	2	/* bad command line or scenario syntax */
#define NSMCTL_EXIT_ENV		3	/* environment: no device, no privileges */

/* Result codes beyond errno values (errnos are > 0, success is 0). */
#define R_NOTASK	(-1)	/* the task does not exist in this backend */
#define R_DEAD		(-2)	/* the task died while running the command */
#define R_TIMEOUT	(-3)	/* the task did not answer in time */
#define R_INTERNAL	(-4)	/* the runner itself failed */

enum op {
	OP_CLONE, OP_UNSHARE, OP_SETNS, OP_EXIT, OP_SETUID, OP_HOSTNAME,
	OP_MKDIR, OP_MOUNT, OP_BIND, OP_MOVE, OP_UMOUNT, OP_MAKE, OP_CHROOT,
	OP_CHDIR, OP_EXPECT, OP_SHOW, OP_REMOUNT, OP_TOUCH, OP_UNLINK,
	OP_RMDIR, OP_NSBIND, OP_PIVOT_ROOT,
};

enum expect_kind {
	EX_MOUNTED, EX_NOT_MOUNTED, EX_EXISTS, EX_ABSENT, EX_PROPAGATION,
	EX_SAME, EX_DIFFER, EX_HOSTNAME, EX_CWD, EX_FILE,
};

enum show_kind { SHOW_MOUNTS, SHOW_NS, SHOW_PID, SHOW_HOSTNAME, SHOW_CWD };

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
				 * MS_* (mount, remount), MNT_* (umount) */
	int kind;		/* expect same/differ, nsbind, setns @PATH:
				 * enum ns_kind */
	char *a1, *a2, *a3;	/* paths, names, as the op needs (setns
				 * @PATH: a1 is PATH, task2 NULL) */
	char *data;		/* mount: options that are not MS_* flags */
	unsigned int uid;
	int rec;		/* -r (bind, make), -l (umount) or
				 * -b (remount) given */
	int want;		/* errno after "=>", or 0 */
	int since;		/* "=> E since V": V as MAJOR << 16 | MINOR */
	int since_errno;	/* E: the want of kernels from V on */
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
/* how the normal form numbers namespaces in nsfs roots (NULL: as is) */
extern int (*mountinfo_ns_hook)(int kind, unsigned long long id);
int mnt_propagation(const struct mnt *m);
/* the mount at PATH (topmost of a stack), or NULL */
const struct mnt *mountinfo_find(const struct mnt *m, int nr, const char *path);
void path_unescape(const char *in, char *out, size_t len);
void path_normalize(const char *cwd, const char *path, char *out, size_t len);

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
void engine_print_cmd(FILE *f, const struct cmd *c, const struct cmd_result *r);
int engine_cmd(const struct backend_ops *ops, struct backend *b,
	       const struct cmd *c, struct cmd_result *r);

/* nsmctl.c: the model backend, or the fake one of nsmctl's own tests */
const struct backend_ops *model_ops(void);

/* fuzz.c: "nsmctl fuzz" */
int cmd_fuzz(int argc, char **argv);

/* compare.c: "nsmctl compare" */
int cmd_compare(int argc, char **argv);

/* json.c: a reader for nsmctl's own JSON reports */
enum json_type { J_NULL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };
struct json {
	enum json_type type;
	long long num;		/* J_NUMBER (true/false: 1/0) */
	char *str;		/* J_STRING */
	struct json **kids;	/* J_ARRAY, J_OBJECT */
	char **keys;		/* J_OBJECT */
	int nr;
};
struct json *json_parse(const char *text, const char **err);
void json_free(struct json *j);
const struct json *json_get(const struct json *j, const char *key);
const char *json_str_of(const struct json *j);

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
