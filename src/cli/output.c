/*
 * Atomic output files: a temporary file beside the target, written,
 * fsync'ed and renamed over it, then the directory fsync'ed (the
 * write-then-rename idiom of POSIX rename(2), which replaces the name in
 * one step). Every temporary file in flight is listed in a table that the
 * signal handler reads, so an interrupted run removes them too.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

#define SLOTS 8
#define TMP_MAX_PATH 4096

/* Temporary files in flight, for the signal handler: a slot is in use when its flag is set. */
static char tmp_names[SLOTS][TMP_MAX_PATH];
static volatile sig_atomic_t tmp_used[SLOTS];
/* A directory this run created and removes again if interrupted before it holds anything. */
static char made_dir[TMP_MAX_PATH];
static volatile sig_atomic_t made_dir_set;

void
cli_dir_made(const char *path)
{
	size_t n = strlen(path);
	if (n >= TMP_MAX_PATH)
		return;
	memcpy(made_dir, path, n + 1);
	made_dir_set = 1;
}

void
cli_dir_forget(void)
{
	made_dir_set = 0;
}

static int
slot_take(const char *name)
{
	size_t n = strlen(name);
	if (n >= TMP_MAX_PATH)
		return -1;
	for (int i = 0; i < SLOTS; i++) {
		if (!tmp_used[i]) {
			memcpy(tmp_names[i], name, n + 1);
			tmp_used[i] = 1;
			return i;
		}
	}
	return -1;
}

static void
slot_release(int i)
{
	if (i >= 0 && i < SLOTS)
		tmp_used[i] = 0;
}

static void
on_signal(int sig)
{
	/* async-signal-safe only: unlink, rmdir, tcsetattr (in cli_tty_restore), signal, raise */
	for (int i = 0; i < SLOTS; i++)
		if (tmp_used[i])
			unlink(tmp_names[i]);
	if (made_dir_set)
		rmdir(made_dir);
	cli_tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
cli_signals_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The directory part of path ("." when it has none), in a new string. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	size_t n = (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

int
cli_out_open(cli_out *o, const char *path, mode_t mode)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->slot = -1;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cli_fail(CLI_EIO, "%s: is a directory (give the output file's name)", path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!*base)
		return cli_fail(CLI_EIO, "%s: not a file name", path);
	char *dir = dir_of(path);
	if (!dir)
		return cli_fail(CLI_EOTHER, "out of memory");
	size_t n = strlen(dir) + strlen(base) + 32;
	o->tmp = malloc(n);
	o->path = strdup(path);
	if (!o->tmp || !o->path) {
		free(dir);
		cli_out_abort(o);
		return cli_fail(CLI_EOTHER, "out of memory");
	}
	snprintf(o->tmp, n, "%s/.%s.tmp-XXXXXX", dir, base);
	free(dir);
	/* block the signals while the name is being made and listed, so none is left unlisted */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int fd = mkstemp(o->tmp);
	int e = errno;
	if (fd >= 0) {
		o->slot = slot_take(o->tmp);
		if (o->slot < 0) {
			unlink(o->tmp);
			close(fd);
			fd = -1;
			e = ENAMETOOLONG;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		cli_out_abort(o);
		return cli_fail(CLI_EIO, "%s: cannot create a file in its directory: %s", path, strerror(e));
	}
	o->fd = fd;
	/* mkstemp makes 0600; public files get mode & ~umask, as open(2) would */
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, mode & ~um) != 0) {
		e = errno;
		cli_out_abort(o);
		return cli_fail(CLI_EIO, "%s: cannot set its permissions: %s", path, strerror(e));
	}
	return CLI_OK;
}

int
cli_out_write(cli_out *o, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t w = write(o->fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return cli_fail(CLI_EIO, "%s: cannot write: %s", o->path, strerror(errno));
		b += w;
		n -= (size_t)w;
	}
	return CLI_OK;
}

int
cli_out_finish(cli_out *o)
{
	if (fsync(o->fd) != 0)
		return cli_fail(CLI_EIO, "%s: cannot flush to disk: %s", o->path, strerror(errno));
	int fd = o->fd;
	o->fd = -1;
	if (close(fd) != 0)
		return cli_fail(CLI_EIO, "%s: cannot close: %s", o->path, strerror(errno));
	return CLI_OK;
}

int
cli_out_rename(cli_out *o)
{
	if (rename(o->tmp, o->path) != 0)
		return cli_fail(CLI_EIO, "%s: cannot rename the new file into place: %s", o->path, strerror(errno));
	slot_release(o->slot);
	o->slot = -1;
	free(o->tmp);
	o->tmp = NULL;
	char *dir = dir_of(o->path);
	if (dir) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			/* a failure here leaves the new file in place; the data itself was flushed */
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	free(o->path);
	o->path = NULL;
	return CLI_OK;
}

int
cli_out_commit(cli_out *o)
{
	int rc = cli_out_finish(o);
	if (rc == CLI_OK)
		rc = cli_out_rename(o);
	if (rc != CLI_OK)
		cli_out_abort(o);
	return rc;
}

void
cli_out_abort(cli_out *o)
{
	if (!o)
		return;
	if (o->fd >= 0) {
		close(o->fd);
		o->fd = -1;
	}
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	slot_release(o->slot);
	o->slot = -1;
	free(o->path);
	o->path = NULL;
}

int
cli_read_file(const char *path, uint8_t **buf, size_t *len, size_t max)
{
	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO must not make us wait; regular files ignore it */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cli_fail(CLI_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return cli_fail(CLI_EIO, "%s: cannot stat: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cli_fail(CLI_EIO, "%s: not a regular file%s", path,
		                S_ISDIR(st.st_mode) ? " (a directory)" : "");
	}
	if ((uint64_t)st.st_size > (uint64_t)max) {
		close(fd);
		return cli_fail(CLI_EIO, "%s: too large (%lld bytes; at most %zu)", path, (long long)st.st_size, max);
	}
	size_t n = (size_t)st.st_size;
	uint8_t *b = malloc(n + 1);
	if (!b) {
		close(fd);
		return cli_fail(CLI_EOTHER, "%s: out of memory reading %zu bytes", path, n);
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(b);
			close(fd);
			return cli_fail(CLI_EIO, "%s: cannot read: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n) {
		free(b);
		return cli_fail(CLI_EIO, "%s: changed while being read", path);
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return CLI_OK;
}

int
cli_map_file(const char *path, const uint8_t **buf, size_t *len, size_t max)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cli_fail(CLI_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return cli_fail(CLI_EIO, "%s: cannot stat: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cli_fail(CLI_EIO, "%s: not a regular file%s", path, S_ISDIR(st.st_mode) ? " (a directory)" : "");
	}
	if ((uint64_t)st.st_size > (uint64_t)max) {
		close(fd);
		return cli_fail(CLI_EIO, "%s: too large (%lld bytes; at most %zu)", path, (long long)st.st_size, max);
	}
	size_t n = (size_t)st.st_size;
	if (n == 0) {
		close(fd);
		*buf = (const uint8_t *)"";
		return CLI_OK;
	}
	/* mapped, not read: the objects are parsed straight from the page cache, without a copy */
	void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED)
		return cli_fail(CLI_EIO, "%s: cannot map: %s", path, strerror(e));
	*buf = p;
	*len = n;
	return CLI_OK;
}

void
cli_unmap_file(const uint8_t *buf, size_t len)
{
	if (buf && len)
		munmap((void *)(uintptr_t)buf, len);
}
