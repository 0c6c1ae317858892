/*
 * Passphrases: from the terminal with echo off (termios on /dev/tty, so
 * that a redirected stdin is never read for a secret), or from the first
 * line of a file. They live in sodium_malloc'ed memory (guard pages, not
 * swapped out where mlock is allowed) and are wiped with sodium_memzero by
 * cli_secret_free.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

#define PASS_MAX 4096

/* The terminal whose echo is off, for the signal handler. */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;

void
cli_tty_restore(void)
{
	int fd = tty_fd;
	if (fd >= 0) {
		tcsetattr(fd, TCSANOW, &tty_saved);
		tty_fd = -1;
	}
}

void
cli_secret_free(char *s)
{
	if (s) {
		sodium_memzero(s, PASS_MAX + 1);
		sodium_free(s);
	}
}

/* Reads one line from the terminal fd into buf (at most PASS_MAX bytes); -1 on error, -2 too long. */
static int
tty_line(int fd, char *buf)
{
	size_t n = 0;
	int too_long = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (ch == '\n' || ch == '\r')
			break;
		if (n < PASS_MAX)
			buf[n++] = ch;
		else
			too_long = 1;
		sodium_memzero(&ch, 1);
	}
	buf[n] = '\0';
	return too_long ? -2 : 0;
}

static int
tty_ask(int fd, const char *prompt, char *buf)
{
	struct termios t;
	if (tcgetattr(fd, &tty_saved) != 0)
		return -1;
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_lflag |= ECHONL;
	/* block the signals while the state is being set, so the handler always knows it */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int ok = tcsetattr(fd, TCSAFLUSH, &t) == 0;
	if (ok)
		tty_fd = fd;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!ok)
		return -1;
	/* the prompt only once echo is off: what is typed after it is never shown, nor flushed away */
	if (write(fd, prompt, strlen(prompt)) < 0) {
		cli_tty_restore();
		return -1;
	}
	int r = tty_line(fd, buf);
	sigprocmask(SIG_BLOCK, &all, &old);
	cli_tty_restore();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

static int
from_tty(int confirm, char *buf)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail(CLI_EKEY, "cannot ask for a passphrase: no terminal (/dev/tty: %s); use --passphrase-file",
		                strerror(errno));
	int r = tty_ask(fd, "lathe: passphrase: ", buf);
	int rc = CLI_OK;
	if (r == -2)
		rc = cli_fail(CLI_EKEY, "passphrase longer than %d bytes", PASS_MAX);
	else if (r != 0)
		rc = cli_fail(CLI_EKEY, "cannot read a passphrase from the terminal");
	else if (!*buf)
		rc = cli_fail(CLI_EKEY, "empty passphrase refused");
	if (rc == CLI_OK && confirm) {
		char *again = sodium_malloc(PASS_MAX + 1);
		if (!again) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
		} else {
			r = tty_ask(fd, "lathe: passphrase again: ", again);
			if (r != 0)
				rc = cli_fail(CLI_EKEY, "cannot read a passphrase from the terminal");
			else if (strcmp(buf, again) != 0)
				rc = cli_fail(CLI_EKEY, "the two passphrases differ");
			cli_secret_free(again);
		}
	}
	close(fd);
	return rc;
}

static int
from_file(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cli_fail(CLI_EIO, "%s: cannot open the passphrase file: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_fail(CLI_EIO, "%s: the passphrase file is not a regular file", path);
	}
	/* read straight into the guarded buffer: no stdio copy of the secret */
	size_t n = 0;
	while (n < PASS_MAX + 1) {
		ssize_t r = read(fd, buf + n, PASS_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			return cli_fail(CLI_EIO, "%s: cannot read the passphrase file: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	close(fd);
	char *nl = memchr(buf, '\n', n);
	size_t len = nl ? (size_t)(nl - buf) : n;
	if (len > PASS_MAX)
		return cli_fail(CLI_EKEY, "%s: passphrase longer than %d bytes", path, PASS_MAX);
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	sodium_memzero(buf + len, PASS_MAX + 1 - len);
	if (memchr(buf, '\0', len))
		return cli_fail(CLI_EKEY, "%s: the passphrase holds a NUL byte", path);
	if (len == 0)
		return cli_fail(CLI_EKEY, "%s: empty passphrase refused (the first line of the file is the passphrase)",
		                path);
	return CLI_OK;
}

int
cli_passphrase_read(const char *file, int confirm, char **out)
{
	*out = NULL;
	char *buf = sodium_malloc(PASS_MAX + 1);
	if (!buf)
		return cli_fail(CLI_EOTHER, "out of memory for the passphrase");
	memset(buf, 0, PASS_MAX + 1);
	int rc = file ? from_file(file, buf) : from_tty(confirm, buf);
	if (rc != CLI_OK) {
		cli_secret_free(buf);
		return rc;
	}
	*out = buf;
	return CLI_OK;
}
