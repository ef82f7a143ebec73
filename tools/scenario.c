// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario language v1: tokenizer and parser.  Every error names the
 * file and line.  The parser also tracks which task names are alive, so a
 * scenario that uses a task before its clone (or after its exit) is
 * rejected before anything runs.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <linux/sched.h>

#include "nsmctl.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		perror("nsmctl");
		exit(NSMCTL_EXIT_ENV);
	}
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p) {
		perror("nsmctl");
		exit(NSMCTL_EXIT_ENV);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		perror("nsmctl");
		exit(NSMCTL_EXIT_ENV);
	}
	return p;
}

char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("nsmctl");
		exit(NSMCTL_EXIT_ENV);
	}
	va_end(ap);
	return s;
}

void sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("nsmctl");
		exit(NSMCTL_EXIT_ENV);
	}
	va_end(ap);
	sb_add(b, s);
	free(s);
}

char *sb_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/*
 * The whole text file at @path into *@out (to free); 0 or an errno.  For
 * /proc files too, which have no size to go by.
 */
int sb_read_file(const char *path, char **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	struct sbuf b = { 0 };
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return errno;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		sb_add(&b, buf);
	}
	err = n < 0 ? errno : 0;
	close(fd);
	if (err) {
		free(b.s);
		return err;
	}
	*out = sb_take(&b);
	return 0;
}

/* ---- names ------------------------------------------------------------ */

#define E(x) { #x, x }
static const struct {
	const char *name;
	int value;
} errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(EUSERS), E(EOPNOTSUPP),
	E(EOVERFLOW), E(ESTALE), E(EDQUOT), E(ENOTSUP), E(ECANCELED),
	E(EOWNERDEAD), E(ENOTUNIQ), E(EBADFD),
};
#undef E

const char *errno_name(int e)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return NULL;
}

int errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return 0;
}

const char *result_name(int r, char *buf, size_t len)
{
	const char *n;

	switch (r) {
	case 0: return "success";
	case R_NOTASK: return "no such task";
	case R_DEAD: return "task died";
	case R_TIMEOUT: return "timeout";
	case R_INTERNAL: return "runner error";
	}
	n = errno_name(r);
	if (n)
		return n;
	snprintf(buf, len, "errno %d", r);
	return buf;
}

static const struct {
	const char *name;
	unsigned long flag;
} clone_names[] = {
	{ "NEWNS", CLONE_NEWNS }, { "NEWUTS", CLONE_NEWUTS },
	{ "NEWIPC", CLONE_NEWIPC }, { "NEWPID", CLONE_NEWPID },
	{ "NEWNET", CLONE_NEWNET }, { "NEWCGROUP", CLONE_NEWCGROUP },
	{ "NEWTIME", CLONE_NEWTIME }, { "NEWUSER", CLONE_NEWUSER },
	{ "FS", CLONE_FS },
	/* beyond v1, for the rule that NEWIPC,SYSVSEM is EINVAL */
	{ "SYSVSEM", CLONE_SYSVSEM },
};

char *flags_to_text(unsigned long f, char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < sizeof(clone_names) / sizeof(clone_names[0]); i++) {
		if (!(f & clone_names[i].flag))
			continue;
		if (buf[0])
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, clone_names[i].name, len - strlen(buf) - 1);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

const char *const ns_kind_names[NS_NR] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
	"time_for_children", "user", "uts",
};

const unsigned long ns_kind_clone[NS_NR] = {
	CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNS, CLONE_NEWNET,
	CLONE_NEWPID, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWTIME,
	CLONE_NEWUSER, CLONE_NEWUTS,
};

/* The kinds the scenario language names (setns KINDS, expect same KIND). */
static const struct {
	const char *name;
	int kind;
} kind_names[] = {
	{ "mnt", NS_MNT }, { "uts", NS_UTS }, { "ipc", NS_IPC },
	{ "pid", NS_PID }, { "net", NS_NET }, { "cgroup", NS_CGROUP },
	{ "time", NS_TIME }, { "user", NS_USER },
	/* extension, for expect same/differ only */
	{ "pid_for_children", NS_PID_FOR_CHILDREN },
	{ "time_for_children", NS_TIME_FOR_CHILDREN },
};

static const char *const prop_names[] = {
	[PROP_SHARED] = "shared", [PROP_SLAVE] = "slave",
	[PROP_PRIVATE] = "private", [PROP_UNBINDABLE] = "unbindable",
	[PROP_SLAVE_SHARED] = "slave,shared",
};

const char *prop_name(int p)
{
	return prop_names[p];
}

static int parse_prop(const char *s, int allow_both)
{
	for (int i = 0; i <= PROP_SLAVE_SHARED; i++)
		if (!strcmp(s, prop_names[i]))
			return (i == PROP_SLAVE_SHARED && !allow_both) ? -1 : i;
	if (allow_both && !strcmp(s, "shared,slave"))
		return PROP_SLAVE_SHARED;
	return -1;
}

/* ---- the parser ------------------------------------------------------- */

struct parser {
	const char *path;
	int line;
	FILE *err;
	int errors;
	char **live;		/* task names alive at this point */
	int nr_live;
	/* descriptors held at this point: "TASK %NAME", and of each its
	 * kind: FD_MOUNT (a mount handle) or FD_FSCTX (an fs context) */
	char **fds;
	char *fd_kinds;
	int nr_fds;
};

enum { FD_ANY, FD_MOUNT, FD_FSCTX };

static void perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(p->err, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	p->errors++;
}

static int live_find(struct parser *p, const char *name)
{
	for (int i = 0; i < p->nr_live; i++)
		if (!strcmp(p->live[i], name))
			return i;
	return -1;
}

static int valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return 0;
	return 1;
}

/* Descriptors: "%NAME" held by a task. */
static int valid_fd_name(const char *s)
{
	if (*s != '%' || !s[1])
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int fd_find(struct parser *p, const char *task, const char *fd)
{
	size_t tl = strlen(task);

	for (int i = 0; i < p->nr_fds; i++)
		if (!strncmp(p->fds[i], task, tl) && p->fds[i][tl] == ' ' &&
		    !strcmp(p->fds[i] + tl + 1, fd))
			return i;
	return -1;
}

static void fd_add(struct parser *p, const char *task, const char *fd,
		   char kind)
{
	p->fds = xrealloc(p->fds, (p->nr_fds + 1) * sizeof(char *));
	p->fd_kinds = xrealloc(p->fd_kinds, p->nr_fds + 1);
	p->fd_kinds[p->nr_fds] = kind;
	p->fds[p->nr_fds++] = xasprintf("%s %s", task, fd);
}

static void fd_del(struct parser *p, int i)
{
	free(p->fds[i]);
	p->fds[i] = p->fds[--p->nr_fds];
	p->fd_kinds[i] = p->fd_kinds[p->nr_fds];
}

/*
 * A "%NAME" that TASK must hold here, of KIND (FD_ANY: either).  A
 * context where a mount handle is wanted (or the other way round) is a
 * syntax error: the model has no path for a context's anonymous inode.
 */
static int need_fd_kind(struct parser *p, const char *task, const char *fd,
			char kind)
{
	int i;

	if (!valid_fd_name(fd)) {
		perr(p, "bad descriptor name '%s' (want %%NAME)", fd);
		return -1;
	}
	i = fd_find(p, task, fd);
	if (i < 0) {
		perr(p, "task '%s' holds no descriptor '%s'", task, fd);
		return -1;
	}
	if (kind != FD_ANY && p->fd_kinds[i] != kind) {
		perr(p, "descriptor '%s' is %s", fd, kind == FD_MOUNT ?
		     "an fs context, not a mount" :
		     "a mount, not an fs context");
		return -1;
	}
	return 0;
}

static int need_fd(struct parser *p, const char *task, const char *fd)
{
	return need_fd_kind(p, task, fd, FD_MOUNT);
}

/* A new "%NAME" for TASK: well formed and not held yet. */
static int new_fd(struct parser *p, const char *verb, const char *task,
		  const char *fd)
{
	if (!valid_fd_name(fd)) {
		perr(p, "%s: bad descriptor name '%s' (want %%NAME)", verb, fd);
		return -1;
	}
	if (fd_find(p, task, fd) >= 0) {
		perr(p, "%s: task '%s' holds '%s' already (close it first)",
		     verb, task, fd);
		return -1;
	}
	return 0;
}

/* Optional flag words at w[at..n-1], each one of @flags, at most once. */
static int opt_flags(struct parser *p, char **w, int n, int at,
		     const char *const *flags, const unsigned long *bits,
		     unsigned long *out)
{
	for (int i = at; i < n; i++) {
		int k;

		for (k = 0; flags[k]; k++)
			if (!strcmp(w[i], flags[k]))
				break;
		if (!flags[k] || (*out & bits[k])) {
			perr(p, "unexpected '%s'", w[i]);
			return -1;
		}
		*out |= bits[k];
	}
	return 0;
}

/* A task that must be alive here. */
static int need_task(struct parser *p, const char *name)
{
	if (!valid_name(name)) {
		perr(p, "bad task name '%s'", name);
		return -1;
	}
	if (live_find(p, name) < 0) {
		perr(p, "unknown task '%s' (not cloned yet, or exited)", name);
		return -1;
	}
	return 0;
}

static int parse_clone_flags(struct parser *p, const char *s,
			     unsigned long *out)
{
	char *dup = xstrdup(s), *save = NULL, *tok;
	int ret = 0;

	*out = 0;
	if (!strcmp(s, "none")) {
		free(dup);
		return 0;
	}
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *n = tok;
		size_t i;

		if (!strncmp(n, "CLONE_", 6))
			n += 6;
		for (i = 0; i < sizeof(clone_names) / sizeof(clone_names[0]); i++)
			if (!strcmp(n, clone_names[i].name))
				break;
		if (i == sizeof(clone_names) / sizeof(clone_names[0])) {
			perr(p, "unknown flag '%s' (want NEWNS NEWUTS NEWIPC "
			     "NEWPID NEWNET NEWCGROUP NEWTIME NEWUSER FS)", tok);
			ret = -1;
			break;
		}
		*out |= clone_names[i].flag;
	}
	if (!ret && !*out && strcmp(s, "none")) {
		perr(p, "empty flag list");
		ret = -1;
	}
	free(dup);
	return ret;
}

static int parse_kind(const char *s, int ext)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(s, kind_names[i].name)) {
			if (!ext && (kind_names[i].kind == NS_PID_FOR_CHILDREN ||
				     kind_names[i].kind == NS_TIME_FOR_CHILDREN))
				return -1;
			return kind_names[i].kind;
		}
	return -1;
}

static int parse_kinds(struct parser *p, const char *s, unsigned long *out)
{
	char *dup = xstrdup(s), *save = NULL, *tok;
	int ret = 0;

	*out = 0;
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int k = parse_kind(tok, 0);

		if (k < 0) {
			perr(p, "unknown namespace kind '%s' (want mnt uts ipc "
			     "pid net cgroup time user)", tok);
			ret = -1;
			break;
		}
		*out |= ns_kind_clone[k];
	}
	if (!ret && !*out) {
		perr(p, "empty namespace kind list");
		ret = -1;
	}
	free(dup);
	return ret;
}

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0xffffffffUL)
		return -1;
	*out = v;
	return 0;
}

/* "-r" / "-l" as an optional last word. */
static int opt_flag(struct parser *p, char **w, int n, int at, const char *flag)
{
	if (n <= at)
		return 0;
	if (n == at + 1 && !strcmp(w[at], flag))
		return 1;
	perr(p, "unexpected '%s' (only '%s' may follow)", w[at], flag);
	return -1;
}

static const char *usage_of(const char *verb)
{
	static const char *const u[][2] = {
		{ "clone", "clone PARENT CHILD [FLAGS]" },
		{ "unshare", "unshare TASK FLAGS" },
		{ "setns", "setns TASK TARGET KINDS or setns TASK @PATH KIND" },
		{ "nsbind", "nsbind TASK OTHER KIND PATH" },
		{ "exit", "exit TASK" },
		{ "setuid", "setuid TASK UID" },
		{ "hostname", "hostname TASK NAME" },
		{ "mkdir", "mkdir TASK PATH" },
		{ "mount", "mount TASK FSTYPE SOURCE PATH [OPTIONS]" },
		{ "bind", "bind TASK SRC DST [-r]" },
		{ "move", "move TASK SRC DST" },
		{ "umount", "umount TASK PATH [-l]" },
		{ "remount", "remount TASK PATH OPTIONS [-b]" },
		{ "make", "make TASK shared|slave|private|unbindable PATH [-r]" },
		{ "chroot", "chroot TASK PATH" },
		{ "chdir", "chdir TASK PATH" },
		{ "pivot_root", "pivot_root TASK NEW_ROOT PUT_OLD" },
		{ "open_tree", "open_tree TASK %FD PATH [-c] [-r]" },
		{ "move_mount", "move_mount TASK FROM TO [-b] [-g]" },
		{ "close", "close TASK %FD" },
		{ "fsopen", "fsopen TASK %FC FSTYPE" },
		{ "fsconfig", "fsconfig TASK %FC flag KEY|set KEY VALUE|create|"
			      "create-excl|reconfigure" },
		{ "fsmount", "fsmount TASK %FD FSTYPE SOURCE [OPTIONS] or "
			     "fsmount TASK %FD %FC [ATTRS]" },
		{ "fspick", "fspick TASK %FC PATH|%FD" },
		{ "setattr", "setattr TASK PATH|%FD ATTRS [-r]" },
		{ "touch", "touch TASK PATH" },
		{ "unlink", "unlink TASK PATH" },
		{ "rmdir", "rmdir TASK PATH" },
		{ "expect", "expect TASK mounted|not-mounted|exists|absent|file PATH, "
			    "expect TASK propagation PATH TYPE, expect TASK "
			    "same|differ KIND OTHER, expect TASK hostname NAME "
			    "or expect TASK cwd PATH" },
		{ "show", "show TASK mounts|ns|pid|hostname|cwd|tree [-o LIST] [--json|--raw]" },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (!strcmp(u[i][0], verb))
			return u[i][1];
	return NULL;
}

static int nargs(struct parser *p, int n, int min, int max, const char *verb)
{
	if (n >= min && n <= max)
		return 0;
	perr(p, "%s: wrong number of arguments (usage: %s)", verb,
	     usage_of(verb));
	return -1;
}

/*
 * ATTRS of "setattr": a comma list, each word adding to struct
 * mount_attr as mount_setattr(2) reads it (nothing is checked here: the
 * system call decides).  A flag's name sets it in attr_set, its opposite
 * sets it in attr_clr; an atime value goes into attr_set with all of
 * MOUNT_ATTR__ATIME in attr_clr; a propagation type is OR'ed into
 * propagation, so that two of them reach the kernel as two.  set=N,
 * clr=N and prop=N OR a number into the field as it is.
 */
static int parse_setattr(struct parser *p, const char *s, struct cmd *c)
{
	static const struct {
		const char *name;
		unsigned long long set, clr, prop;
	} words[] = {
		{ "ro", MOUNT_ATTR_RDONLY, 0, 0 },
		{ "rw", 0, MOUNT_ATTR_RDONLY, 0 },
		{ "nosuid", MOUNT_ATTR_NOSUID, 0, 0 },
		{ "suid", 0, MOUNT_ATTR_NOSUID, 0 },
		{ "nodev", MOUNT_ATTR_NODEV, 0, 0 },
		{ "dev", 0, MOUNT_ATTR_NODEV, 0 },
		{ "noexec", MOUNT_ATTR_NOEXEC, 0, 0 },
		{ "exec", 0, MOUNT_ATTR_NOEXEC, 0 },
		{ "noatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, 0 },
		{ "relatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, 0 },
		{ "strictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, 0 },
		{ "nodiratime", MOUNT_ATTR_NODIRATIME, 0, 0 },
		{ "diratime", 0, MOUNT_ATTR_NODIRATIME, 0 },
		{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0, 0 },
		{ "symfollow", 0, MOUNT_ATTR_NOSYMFOLLOW, 0 },
		{ "shared", 0, 0, MS_SHARED },
		{ "slave", 0, 0, MS_SLAVE },
		{ "private", 0, 0, MS_PRIVATE },
		{ "unbindable", 0, 0, MS_UNBINDABLE },
	};
	char *dup = xstrdup(s), *save = NULL, *tok;
	int ret = 0;

	for (tok = strtok_r(dup, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long long *field = NULL, v;
		size_t i;
		char *end;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strcmp(tok, words[i].name))
				break;
		if (i < sizeof(words) / sizeof(words[0])) {
			c->attr_set |= words[i].set;
			c->attr_clr |= words[i].clr;
			c->attr_prop |= words[i].prop;
			continue;
		}
		if (!strncmp(tok, "set=", 4))
			field = &c->attr_set;
		else if (!strncmp(tok, "clr=", 4))
			field = &c->attr_clr;
		else if (!strncmp(tok, "prop=", 5))
			field = &c->attr_prop;
		if (field) {
			const char *num = strchr(tok, '=') + 1;

			errno = 0;
			v = strtoull(num, &end, 0);
			if (isdigit((unsigned char)*num) && !*end && !errno) {
				*field |= v;
				continue;
			}
		}
		perr(p, "setattr: unknown attribute '%s' (want ro rw nosuid "
		     "suid nodev dev noexec exec noatime relatime strictatime "
		     "nodiratime diratime nosymfollow symfollow shared slave "
		     "private unbindable, or set=N clr=N prop=N)", tok);
		ret = -1;
	}
	free(dup);
	return ret;
}

/*
 * "fsconfig TASK %FC WHAT ...": one fsconfig(2) call on a context the
 * task holds; WHAT names the command (flag KEY: FSCONFIG_SET_FLAG, set
 * KEY VALUE: FSCONFIG_SET_STRING, create, create-excl, reconfigure).
 */
static int parse_fsconfig(struct parser *p, char **w, int n, struct cmd *c)
{
	static const struct { const char *what; int cmd, args; } t[] = {
		{ "flag", NSMCTL_FSCONFIG_SET_FLAG, 1 },
		{ "set", NSMCTL_FSCONFIG_SET_STRING, 2 },
		{ "create", NSMCTL_FSCONFIG_CMD_CREATE, 0 },
		{ "create-excl", NSMCTL_FSCONFIG_CMD_CREATE_EXCL, 0 },
		{ "reconfigure", NSMCTL_FSCONFIG_CMD_RECONFIGURE, 0 },
	};
	size_t i;

	c->op = OP_FSCONFIG;
	if (nargs(p, n, 4, 6, "fsconfig") ||
	    need_fd_kind(p, w[1], w[2], FD_FSCTX))
		return -1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(w[3], t[i].what))
			break;
	if (i == sizeof(t) / sizeof(t[0])) {
		perr(p, "fsconfig: unknown command '%s' (want flag, set, "
		     "create, create-excl or reconfigure)", w[3]);
		return -1;
	}
	if (n != 4 + t[i].args)
		return nargs(p, n, 0, -1, "fsconfig");
	c->a1 = xstrdup(w[2] + 1);
	c->sub = t[i].cmd;
	if (t[i].args)
		c->a2 = xstrdup(w[4]);
	if (t[i].args > 1)
		c->a3 = xstrdup(w[5]);
	return 0;
}

/*
 * ATTRS of "fsmount TASK %FD %FC ATTRS": a comma list of MOUNT_ATTR_*
 * names (ro nosuid nodev noexec nodiratime nosymfollow idmap, and the
 * atime values relatime noatime strictatime), or set=N to OR a number
 * in; nothing is checked here, fsmount(2) decides.
 */
static int parse_fsmount_attrs(struct parser *p, const char *s,
			       unsigned long *out)
{
	static const struct { const char *name; unsigned long bit; } a[] = {
		{ "ro", 0x1 }, { "nosuid", 0x2 }, { "nodev", 0x4 },
		{ "noexec", 0x8 }, { "relatime", 0x0 }, { "noatime", 0x10 },
		{ "strictatime", 0x20 }, { "nodiratime", 0x80 },
		{ "idmap", 0x100000 }, { "nosymfollow", 0x200000 },
	};
	char *dup = xstrdup(s), *save = NULL, *tok, *end;
	int ret = 0;

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
			if (!strcmp(tok, a[i].name))
				break;
		if (i < sizeof(a) / sizeof(a[0])) {
			*out |= a[i].bit;
			continue;
		}
		if (!strncmp(tok, "set=", 4) && isdigit((unsigned char)tok[4])) {
			unsigned long long v;

			errno = 0;
			v = strtoull(tok + 4, &end, 0);
			if (!*end && !errno && v <= 0xffffffffULL) {
				*out |= v;
				continue;
			}
		}
		perr(p, "fsmount: unknown attribute '%s' (want ro nosuid "
		     "nodev noexec relatime noatime strictatime nodiratime "
		     "idmap nosymfollow, or set=N)", tok);
		ret = -1;
	}
	free(dup);
	return ret;
}

/*
 * "fsmount TASK %FD %FC [ATTRS]": fsmount(2) of a context the task
 * holds; "fsmount TASK %FD FSTYPE SOURCE [OPTIONS]": the whole sequence,
 * fsopen, "source", one fsconfig per option, create, fsmount, close.
 */
static int parse_fsmount(struct parser *p, char **w, int n, struct cmd *c)
{
	c->op = OP_FSMOUNT;
	if (nargs(p, n, 4, 6, "fsmount") || new_fd(p, "fsmount", w[1], w[2]))
		return -1;
	c->a1 = xstrdup(w[2] + 1);
	if (w[3][0] == '%') {
		if (n > 5)
			return nargs(p, n, 0, -1, "fsmount");
		if (need_fd_kind(p, w[1], w[3], FD_FSCTX))
			return -1;
		c->a2 = xstrdup(w[3]);
		return n == 5 ? parse_fsmount_attrs(p, w[4], &c->flags) : 0;
	}
	if (n < 5)
		return nargs(p, n, 0, -1, "fsmount");
	c->a2 = xstrdup(w[3]);
	c->a3 = xstrdup(w[4]);
	if (n == 6)
		c->data = xstrdup(w[5]);
	return 0;
}

int fsmount_steps(const struct cmd *c, struct fsmount_step **steps)
{
	char *dup = xstrdup(c->data ? c->data : ""), *save = NULL, *tok;
	struct fsmount_step *st = xrealloc(NULL, sizeof(*st));
	int nr = 0;

	st[nr++] = (struct fsmount_step){ NSMCTL_FSCONFIG_SET_STRING,
					  xstrdup("source"), xstrdup(c->a3) };
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		st = xrealloc(st, (nr + 1) * sizeof(*st));
		if (eq)
			*eq++ = 0;
		st[nr++] = (struct fsmount_step){
			eq ? NSMCTL_FSCONFIG_SET_STRING :
			     NSMCTL_FSCONFIG_SET_FLAG,
			xstrdup(tok), eq ? xstrdup(eq) : NULL };
	}
	st = xrealloc(st, (nr + 1) * sizeof(*st));
	st[nr++] = (struct fsmount_step){ NSMCTL_FSCONFIG_CMD_CREATE, NULL,
					  NULL };
	free(dup);
	*steps = st;
	return nr;
}

void fsmount_steps_free(struct fsmount_step *steps, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(steps[i].key);
		free(steps[i].val);
	}
	free(steps);
}

/* Parse one line's words into c; 0 or -1 (error printed). */
static int parse_words(struct parser *p, char **w, int n, struct cmd *c)
{
	const char *v = w[0];
	int r;

	if (!usage_of(v)) {
		perr(p, "unknown command '%s'", v);
		return -1;
	}
	if (n < 2) {
		perr(p, "%s: missing arguments (usage: %s)", v, usage_of(v));
		return -1;
	}
	if (need_task(p, w[1]))
		return -1;
	c->task = xstrdup(w[1]);

	if (!strcmp(v, "clone")) {
		c->op = OP_CLONE;
		if (nargs(p, n, 3, 4, v))
			return -1;
		if (!valid_name(w[2])) {
			perr(p, "bad task name '%s'", w[2]);
			return -1;
		}
		if (live_find(p, w[2]) >= 0) {
			perr(p, "task '%s' already exists", w[2]);
			return -1;
		}
		c->task2 = xstrdup(w[2]);
		if (n == 4 && parse_clone_flags(p, w[3], &c->flags))
			return -1;
	} else if (!strcmp(v, "unshare")) {
		c->op = OP_UNSHARE;
		if (nargs(p, n, 3, 3, v) || parse_clone_flags(p, w[2], &c->flags))
			return -1;
	} else if (!strcmp(v, "setns") && n == 4 && w[2][0] == '@') {
		c->op = OP_SETNS;
		c->kind = parse_kind(w[3], 0);
		if (c->kind < 0) {
			perr(p, "setns: unknown namespace kind '%s' (want mnt uts "
			     "ipc pid net cgroup time user)", w[3]);
			return -1;
		}
		if (!w[2][1]) {
			perr(p, "setns: empty path after '@'");
			return -1;
		}
		c->flags = ns_kind_clone[c->kind];
		c->a1 = xstrdup(w[2] + 1);
	} else if (!strcmp(v, "setns")) {
		c->op = OP_SETNS;
		if (nargs(p, n, 4, 4, v) || need_task(p, w[2]) ||
		    parse_kinds(p, w[3], &c->flags))
			return -1;
		c->task2 = xstrdup(w[2]);
	} else if (!strcmp(v, "nsbind")) {
		c->op = OP_NSBIND;
		if (nargs(p, n, 5, 5, v) || need_task(p, w[2]))
			return -1;
		c->kind = parse_kind(w[3], 1);
		if (c->kind < 0) {
			perr(p, "nsbind: unknown namespace kind '%s'", w[3]);
			return -1;
		}
		if (w[4][0] != '/') {
			perr(p, "nsbind: the path must be absolute");
			return -1;
		}
		c->task2 = xstrdup(w[2]);
		c->a1 = xstrdup(w[4]);
	} else if (!strcmp(v, "exit")) {
		c->op = OP_EXIT;
		if (nargs(p, n, 2, 2, v))
			return -1;
	} else if (!strcmp(v, "setuid")) {
		c->op = OP_SETUID;
		if (nargs(p, n, 3, 3, v))
			return -1;
		if (parse_uint(w[2], &c->uid)) {
			perr(p, "setuid: bad uid '%s'", w[2]);
			return -1;
		}
	} else if (!strcmp(v, "hostname")) {
		c->op = OP_HOSTNAME;
		if (nargs(p, n, 3, 3, v))
			return -1;
		c->a1 = xstrdup(w[2]);
	} else if (!strcmp(v, "mkdir") || !strcmp(v, "chroot") ||
		   !strcmp(v, "chdir") || !strcmp(v, "touch") ||
		   !strcmp(v, "unlink") || !strcmp(v, "rmdir")) {
		c->op = !strcmp(v, "mkdir") ? OP_MKDIR :
			!strcmp(v, "chroot") ? OP_CHROOT :
			!strcmp(v, "touch") ? OP_TOUCH :
			!strcmp(v, "unlink") ? OP_UNLINK :
			!strcmp(v, "rmdir") ? OP_RMDIR : OP_CHDIR;
		if (nargs(p, n, 3, 3, v))
			return -1;
		c->a1 = xstrdup(w[2]);
	} else if (!strcmp(v, "mount")) {
		c->op = OP_MOUNT;
		if (nargs(p, n, 5, 6, v))
			return -1;
		c->a1 = xstrdup(w[2]);	/* fstype */
		c->a2 = xstrdup(w[3]);	/* source */
		c->a3 = xstrdup(w[4]);	/* path */
		if (n == 6)
			c->data = xstrdup(w[5]);	/* options, see below */
	} else if (!strcmp(v, "bind") || !strcmp(v, "move")) {
		c->op = !strcmp(v, "bind") ? OP_BIND : OP_MOVE;
		if (nargs(p, n, 4, c->op == OP_BIND ? 5 : 4, v))
			return -1;
		c->a1 = xstrdup(w[2]);
		c->a2 = xstrdup(w[3]);
		if (c->op == OP_BIND) {
			r = opt_flag(p, w, n, 4, "-r");
			if (r < 0)
				return -1;
			c->rec = r;
		}
	} else if (!strcmp(v, "remount")) {
		c->op = OP_REMOUNT;
		if (nargs(p, n, 4, 5, v))
			return -1;
		c->a1 = xstrdup(w[2]);
		c->data = xstrdup(w[3]);	/* options, as for mount */
		r = opt_flag(p, w, n, 4, "-b");
		if (r < 0)
			return -1;
		c->rec = r;
	} else if (!strcmp(v, "pivot_root")) {
		c->op = OP_PIVOT_ROOT;
		if (nargs(p, n, 4, 4, v))
			return -1;
		c->a1 = xstrdup(w[2]);	/* new_root */
		c->a2 = xstrdup(w[3]);	/* put_old */
	} else if (!strcmp(v, "open_tree")) {
		static const char *const f[] = { "-c", "-r", NULL };
		static const unsigned long bits[] = {
			NSMCTL_OPEN_TREE_CLONE, NSMCTL_AT_RECURSIVE,
		};

		c->op = OP_OPEN_TREE;
		if (nargs(p, n, 4, 6, v))
			return -1;
		if (new_fd(p, v, w[1], w[2]))
			return -1;
		c->a1 = xstrdup(w[2] + 1);
		c->a2 = xstrdup(w[3]);
		if (opt_flags(p, w, n, 4, f, bits, &c->flags))
			return -1;
	} else if (!strcmp(v, "move_mount")) {
		static const char *const f[] = { "-b", "-g", NULL };
		static const unsigned long bits[] = {
			NSMCTL_MOVE_MOUNT_BENEATH, NSMCTL_MOVE_MOUNT_SET_GROUP,
		};

		c->op = OP_MOVE_MOUNT;
		if (nargs(p, n, 4, 6, v))
			return -1;
		for (int i = 2; i <= 3; i++)
			if (w[i][0] == '%' && need_fd(p, w[1], w[i]))
				return -1;
		c->a1 = xstrdup(w[2]);
		c->a2 = xstrdup(w[3]);
		if (opt_flags(p, w, n, 4, f, bits, &c->flags))
			return -1;
	} else if (!strcmp(v, "close")) {
		c->op = OP_CLOSE;
		if (nargs(p, n, 3, 3, v) || need_fd_kind(p, w[1], w[2], FD_ANY))
			return -1;
		c->a1 = xstrdup(w[2] + 1);
	} else if (!strcmp(v, "fsopen")) {
		c->op = OP_FSOPEN;
		if (nargs(p, n, 4, 4, v) || new_fd(p, v, w[1], w[2]))
			return -1;
		c->a1 = xstrdup(w[2] + 1);
		c->a2 = xstrdup(w[3]);
	} else if (!strcmp(v, "fspick")) {
		c->op = OP_FSPICK;
		if (nargs(p, n, 4, 4, v) || new_fd(p, v, w[1], w[2]))
			return -1;
		if (w[3][0] == '%' && need_fd(p, w[1], w[3]))
			return -1;
		c->a1 = xstrdup(w[2] + 1);
		c->a2 = xstrdup(w[3]);
	} else if (!strcmp(v, "fsconfig")) {
		if (parse_fsconfig(p, w, n, c))
			return -1;
	} else if (!strcmp(v, "fsmount")) {
		if (parse_fsmount(p, w, n, c))
			return -1;
	} else if (!strcmp(v, "setattr")) {
		c->op = OP_SETATTR;
		if (nargs(p, n, 4, 5, v) || parse_setattr(p, w[3], c))
			return -1;
		if (w[2][0] == '%' && need_fd(p, w[1], w[2]))
			return -1;
		c->a1 = xstrdup(w[2]);
		r = opt_flag(p, w, n, 4, "-r");
		if (r < 0)
			return -1;
		c->rec = r;	/* AT_RECURSIVE */
	} else if (!strcmp(v, "umount")) {
		c->op = OP_UMOUNT;
		if (nargs(p, n, 3, 4, v))
			return -1;
		c->a1 = xstrdup(w[2]);
		r = opt_flag(p, w, n, 3, "-l");
		if (r < 0)
			return -1;
		c->rec = r;	/* lazy */
	} else if (!strcmp(v, "make")) {
		c->op = OP_MAKE;
		if (nargs(p, n, 4, 5, v))
			return -1;
		c->sub = parse_prop(w[2], 0);
		if (c->sub < 0) {
			perr(p, "make: unknown type '%s' (want shared, slave, "
			     "private or unbindable)", w[2]);
			return -1;
		}
		c->a1 = xstrdup(w[3]);
		r = opt_flag(p, w, n, 4, "-r");
		if (r < 0)
			return -1;
		c->rec = r;
	} else if (!strcmp(v, "expect")) {
		const char *what = n > 2 ? w[2] : "";

		c->op = OP_EXPECT;
		if (!strcmp(what, "mounted") || !strcmp(what, "not-mounted") ||
		    !strcmp(what, "exists") || !strcmp(what, "absent") ||
		    !strcmp(what, "file")) {
			c->sub = !strcmp(what, "mounted") ? EX_MOUNTED :
				 !strcmp(what, "not-mounted") ? EX_NOT_MOUNTED :
				 !strcmp(what, "exists") ? EX_EXISTS :
				 !strcmp(what, "file") ? EX_FILE : EX_ABSENT;
			if (nargs(p, n, 4, 4, v))
				return -1;
			c->a1 = xstrdup(w[3]);
		} else if (!strcmp(what, "propagation")) {
			c->sub = EX_PROPAGATION;
			if (nargs(p, n, 5, 5, v))
				return -1;
			c->a1 = xstrdup(w[3]);
			c->kind = parse_prop(w[4], 1);
			if (c->kind < 0) {
				perr(p, "expect propagation: unknown type '%s' "
				     "(want shared, slave, private, unbindable "
				     "or slave,shared)", w[4]);
				return -1;
			}
		} else if (!strcmp(what, "same") || !strcmp(what, "differ")) {
			c->sub = !strcmp(what, "same") ? EX_SAME : EX_DIFFER;
			if (nargs(p, n, 5, 5, v))
				return -1;
			c->kind = parse_kind(w[3], 1);
			if (c->kind < 0) {
				perr(p, "expect %s: unknown namespace kind '%s' "
				     "(want mnt uts ipc pid net cgroup time "
				     "user)", what, w[3]);
				return -1;
			}
			if (need_task(p, w[4]))
				return -1;
			c->task2 = xstrdup(w[4]);
		} else if (!strcmp(what, "hostname") || !strcmp(what, "cwd")) {
			c->sub = !strcmp(what, "hostname") ? EX_HOSTNAME : EX_CWD;
			if (nargs(p, n, 4, 4, v))
				return -1;
			c->a1 = xstrdup(w[3]);
		} else {
			perr(p, "expect: unknown check '%s' (usage: %s)", what,
			     usage_of(v));
			return -1;
		}
	} else if (!strcmp(v, "show")) {
		c->op = OP_SHOW;
		if (n > 2 && !strcmp(w[2], "tree")) {
			char err[160];
			unsigned int fl = 0;
			int at = 3;

			c->sub = SHOW_TREE;
			/* "show TASK tree %FD": the tree behind a descriptor */
			if (n > 3 && w[3][0] == '%') {
				if (need_fd(p, w[1], w[3]))
					return -1;
				c->a2 = xstrdup(w[3] + 1);
				fl = VIEW_FD;
				at = 4;
			}
			if (view_tree_args(n - at, w + at, &c->a1, &fl, err,
					   sizeof(err))) {
				perr(p, "show: tree: %s", err);
				return -1;
			}
			c->flags = fl;
			return 0;
		}
		if (nargs(p, n, 3, 3, v))
			return -1;
		if (!strcmp(w[2], "mounts"))
			c->sub = SHOW_MOUNTS;
		else if (!strcmp(w[2], "ns"))
			c->sub = SHOW_NS;
		else if (!strcmp(w[2], "pid"))
			c->sub = SHOW_PID;
		else if (!strcmp(w[2], "hostname"))
			c->sub = SHOW_HOSTNAME;
		else if (!strcmp(w[2], "cwd"))
			c->sub = SHOW_CWD;
		else {
			perr(p, "show: unknown view '%s' (want mounts, ns, pid, "
			     "hostname, cwd or tree)", w[2]);
			return -1;
		}
	}
	return 0;
}

/* Mount options: MS_* flags, the rest passed on as data. */
static const struct {
	const char *name;
	unsigned long set, clear;
} mount_opts[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 }, { "noatime", MS_NOATIME, 0 },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "relatime", MS_RELATIME, 0 },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "nosymfollow", MS_NOSYMFOLLOW, 0 },
};

/* OPTIONS of "mount" and "remount": known names become MS_* flags, the rest is data. */
static void parse_mount_opts(struct cmd *c)
{
	char *dup = c->data, *save = NULL, *tok;
	struct sbuf data = { 0 };

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(mount_opts) / sizeof(mount_opts[0]); i++)
			if (!strcmp(tok, mount_opts[i].name))
				break;
		if (i < sizeof(mount_opts) / sizeof(mount_opts[0])) {
			c->flags |= mount_opts[i].set;
			c->flags &= ~mount_opts[i].clear;
			continue;
		}
		if (data.len)
			sb_add(&data, ",");
		sb_add(&data, tok);
	}
	free(dup);
	c->data = data.len ? sb_take(&data) : NULL;
	free(data.s);
}

static void cmd_free(struct cmd *c)
{
	free(c->text);
	free(c->task);
	free(c->task2);
	free(c->a1);
	free(c->a2);
	free(c->a3);
	free(c->data);
}

/* "MAJOR.MINOR" as MAJOR << 16 | MINOR, or -1 */
int kernel_version_parse(const char *s)
{
	unsigned int major, minor;
	int len = -1;

	if (sscanf(s, "%u.%u%n", &major, &minor, &len) != 2 ||
	    len != (int)strlen(s) || major > 0x7fff || minor > 0xffff)
		return -1;
	return major << 16 | minor;
}

/*
 * The version of the kernel nsmctl runs on (uname -r; both backends run
 * on it, the model built for it); $NSMCTL_KERNEL_VERSION overrides it for
 * nsmctl's own tests.
 */
int running_kernel_version(void)
{
	static int v = -1;
	const char *env = getenv("NSMCTL_KERNEL_VERSION");
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (env && *env)
		return kernel_version_parse(env);
	if (v < 0) {
		if (uname(&u) == 0)
			sscanf(u.release, "%u.%u", &major, &minor);
		v = major << 16 | minor;
	}
	return v;
}

/*
 * The kernel version the expectations are read for: the running kernel's
 * unless a profile says otherwise (scenario_set_version()).
 */
static int scenario_version;

void scenario_set_version(int v)
{
	scenario_version = v;
}

int scenario_get_version(void)
{
	return scenario_version ? scenario_version : running_kernel_version();
}

/*
 * "CMD@RANGE": the line is for the kernels in RANGE only, one of V (that
 * MAJOR.MINOR), V+ (V and newer), V- (V and older) or V..W (V to W,
 * both included).  Returns 1 when the version is in it, 0 when not, -1
 * for a bad range.
 */
static int version_in_range(const char *r, int v)
{
	char buf[32], *dots;
	size_t len = strlen(r);
	int lo, hi;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, r, len + 1);
	dots = strstr(buf, "..");
	if (dots) {
		*dots = 0;
		lo = kernel_version_parse(buf);
		hi = kernel_version_parse(dots + 2);
	} else if (buf[len - 1] == '+' || buf[len - 1] == '-') {
		char end = buf[len - 1];

		buf[len - 1] = 0;
		lo = hi = kernel_version_parse(buf);
		if (end == '+')
			hi = 0x7fffffff;
		else
			lo = 0;
	} else {
		lo = hi = kernel_version_parse(buf);
	}
	if (lo < 0 || hi < 0 || lo > hi)
		return -1;
	return v >= lo && v <= hi;
}

int scenario_parse(const char *path, const char *text, struct scenario *sc,
		   FILE *err)
{
	struct parser p = { .path = path, .err = err };
	const char *s = text;
	int cap = 0;

	memset(sc, 0, sizeof(*sc));
	sc->path = xstrdup(path);
	p.live = xmalloc(sizeof(char *));
	p.live[p.nr_live++] = xstrdup("init");

	while (*s) {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		char *line = xmalloc(len + 1), *hash, *w[16];
		const char *range = NULL;
		int n = 0, want = 0, in_range;
		struct cmd c = { 0 };
		char *save = NULL, *tok;

		memcpy(line, s, len);
		line[len] = 0;
		s += len + (eol ? 1 : 0);
		p.line++;

		/* "#" starts a comment at the start of a word */
		for (hash = line; (hash = strchr(hash, '#')); hash++)
			if (hash == line || isspace((unsigned char)hash[-1])) {
				*hash = 0;
				break;
			}
		for (tok = strtok_r(line, " \t\r\f\v", &save); tok;
		     tok = strtok_r(NULL, " \t\r\f\v", &save)) {
			if (n == 16) {
				perr(&p, "too many words");
				n = -1;
				break;
			}
			w[n++] = tok;
		}
		if (n <= 0) {
			free(line);
			continue;
		}
		/* "=> ERRNO" suffix, or "=> ERRNO since VERSION" */
		for (int i = 0; i < n; i++) {
			int until = i == n - 4 && !strcmp(w[n - 2], "until");
			int since = i == n - 4 &&
				    (until || !strcmp(w[n - 2], "since"));

			if (strncmp(w[i], "=>", 2))
				continue;
			if (strcmp(w[i], "=>") || (i != n - 2 && !since)) {
				perr(&p, "'=>' must be followed by exactly one "
				     "errno name at the end of the line");
				want = -1;
				break;
			}
			want = errno_value(w[i + 1]);
			if (!want) {
				perr(&p, "unknown errno '%s'", w[i + 1]);
				want = -1;
				break;
			}
			if (since) {
				c.since_errno = want;
				c.since = kernel_version_parse(w[n - 1]);
				if (c.since < 0) {
					perr(&p, "bad kernel version '%s' after "
					     "'%s'", w[n - 1], w[n - 2]);
					want = -1;
					break;
				}
				c.until = until;
				/*
				 * since: an older kernel must succeed; until:
				 * that kernel and newer ones must
				 */
				if ((scenario_get_version() < c.since) != until)
					want = 0;
			}
			n = i;
			break;
		}
		if (want < 0 || n == 0) {
			if (n == 0 && want >= 0)
				perr(&p, "'=>' without a command");
			free(line);
			continue;
		}
		c.line = p.line;
		c.want = want;
		/* "CMD@RANGE": only for some kernel versions */
		{
			char *at = strchr(w[0], '@');

			in_range = 1;
			if (at) {
				*at = 0;
				in_range = version_in_range(at + 1,
							    scenario_get_version());
				if (in_range < 0) {
					perr(&p, "bad version range '%s' after "
					     "'%s@' (V, V+, V- or V..W)", at + 1,
					     w[0]);
					free(line);
					continue;
				}
				range = at + 1;
			}
		}
		if (parse_words(&p, w, n, &c)) {
			cmd_free(&c);
			free(line);
			continue;
		}
		if ((want || c.since) &&
		    (c.op == OP_EXPECT || c.op == OP_SHOW)) {
			perr(&p, "'=> %s' cannot follow %s (it is not a system "
			     "call)", errno_name(want ? want : c.since_errno),
			     w[0]);
			cmd_free(&c);
			free(line);
			continue;
		}
		if ((c.op == OP_MOUNT || c.op == OP_REMOUNT) && c.data)
			parse_mount_opts(&c);
		/* the text as written, normalized to single spaces */
		{
			struct sbuf t = { 0 };

			for (int i = 0; i < n; i++) {
				if (i)
					sb_add(&t, " ");
				sb_add(&t, w[i]);
				if (!i && range)
					sb_printf(&t, "@%s", range);
			}
			if (c.since > 0)
				sb_printf(&t, " => %s %s %d.%d",
					  errno_name(c.since_errno),
					  c.until ? "until" : "since",
					  c.since >> 16, c.since & 0xffff);
			else if (want)
				sb_printf(&t, " => %s", errno_name(want));
			c.text = sb_take(&t);
		}
		/* a line for other kernels: checked, not run */
		if (!in_range) {
			cmd_free(&c);
			free(line);
			continue;
		}
		/* task and descriptor lifetimes, as the scenario intends */
		if (!want && c.op == OP_CLONE) {
			int nr = p.nr_fds;

			p.live = xrealloc(p.live, (p.nr_live + 1) * sizeof(char *));
			p.live[p.nr_live++] = xstrdup(c.task2);
			/* the child inherits the parent's descriptors */
			for (int i = 0; i < nr; i++) {
				size_t tl = strlen(c.task);

				if (!strncmp(p.fds[i], c.task, tl) &&
				    p.fds[i][tl] == ' ')
					fd_add(&p, c.task2, p.fds[i] + tl + 1,
					       p.fd_kinds[i]);
			}
		} else if (!want && c.op == OP_EXIT) {
			int i = live_find(&p, c.task);
			size_t tl = strlen(c.task);

			free(p.live[i]);
			p.live[i] = p.live[--p.nr_live];
			for (i = p.nr_fds - 1; i >= 0; i--)
				if (!strncmp(p.fds[i], c.task, tl) &&
				    p.fds[i][tl] == ' ')
					fd_del(&p, i);
		} else if (!want && (c.op == OP_OPEN_TREE ||
				     c.op == OP_FSOPEN || c.op == OP_FSPICK ||
				     c.op == OP_FSMOUNT)) {
			char *name = xasprintf("%%%s", c.a1);

			fd_add(&p, c.task, name, c.op == OP_FSOPEN ||
			       c.op == OP_FSPICK ? FD_FSCTX : FD_MOUNT);
			free(name);
		} else if (c.op == OP_CLOSE) {
			char *name = xasprintf("%%%s", c.a1);

			fd_del(&p, fd_find(&p, c.task, name));
			free(name);
		}
		if (sc->nr == cap) {
			cap = cap ? cap * 2 : 32;
			sc->cmds = xrealloc(sc->cmds, cap * sizeof(*sc->cmds));
		}
		sc->cmds[sc->nr++] = c;
		free(line);
	}
	for (int i = 0; i < p.nr_live; i++)
		free(p.live[i]);
	free(p.live);
	for (int i = 0; i < p.nr_fds; i++)
		free(p.fds[i]);
	free(p.fds);
	free(p.fd_kinds);
	if (p.errors) {
		scenario_free(sc);
		return -1;
	}
	return 0;
}

/*
 * Read the text of the file PATH ("-": standard input) into *TEXT.
 * Returns 0, or -2 after a "FILE: why" on ERR when the file cannot be
 * read as text at all: missing, unreadable, a directory, a device
 * (reading /dev/null would make an empty scenario that passes), or
 * binary.  Pipes are read, so "<(...)" works.
 */
int text_read(const char *path, char **text, FILE *err)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	struct sbuf b = { 0 };
	const char *why = NULL;
	struct stat st;
	char buf[4096];
	size_t n;

	*text = NULL;
	if (!f) {
		fprintf(err, "%s: %s\n", name, strerror(errno));
		return -2;
	}
	if (fstat(fileno(f), &st))
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = strerror(EISDIR);
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		why = "not a regular file";
	while (!why && (n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
		buf[n] = 0;
		if (strlen(buf) != n)
			why = "binary file";
		else
			sb_add(&b, buf);
	}
	if (!why && ferror(f))
		why = strerror(errno);
	if (!is_stdin)
		fclose(f);
	if (why) {
		fprintf(err, "%s: %s\n", name, why);
		free(b.s);
		return -2;
	}
	if (!b.s)
		sb_add(&b, "");
	*text = b.s;
	return 0;
}

/*
 * Read and parse the scenario file PATH ("-": standard input, named
 * "<stdin>" in messages).  Returns 0, -1 when the text has errors (each
 * written to ERR as "FILE:LINE: what"), or -2 when the file cannot be
 * read (text_read()).
 */
int scenario_load(const char *path, struct scenario *sc, FILE *err)
{
	char *text;
	int ret;

	memset(sc, 0, sizeof(*sc));
	if (text_read(path, &text, err))
		return -2;
	ret = scenario_parse(strcmp(path, "-") ? path : "<stdin>", text, sc,
			     err);
	free(text);
	return ret;
}

void scenario_free(struct scenario *sc)
{
	for (int i = 0; i < sc->nr; i++)
		cmd_free(&sc->cmds[i]);
	free(sc->cmds);
	free(sc->path);
	memset(sc, 0, sizeof(*sc));
}
