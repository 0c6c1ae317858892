/*
 * Object files (format.h): lt_read_file reads a regular file whose header
 * agrees with its size and kind before it allocates the body, and never
 * blocks on a FIFO or device; lt_write_file replaces a file atomically (a
 * temporary file beside it, fsync, rename, fsync of the directory), so a
 * failed save leaves the old file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../core/prng.h"

/* Reads exactly n bytes: 0 done, 1 end of file first, -1 error (errno set). */
static int
read_full(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static const char *
file_type(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

lathe_status
lt_read_file(const char *fn, const char *path, uint16_t kind, uint64_t max_body, uint8_t **buf, size_t *len,
             lt_header *hdr)
{
	lt_header h;
	memset(&h, 0, sizeof h);
	if (hdr)
		*hdr = h;
	if (!path)
		return lt_fail(LATHE_EINVAL, "%s: argument 'path' is NULL", fn);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (regular files ignore the flag) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return lt_fail(LATHE_EIO, "%s: cannot open '%s': %s", fn, path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return lt_fail(LATHE_EIO, "%s: cannot stat '%s': %s", fn, path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return lt_fail(LATHE_EIO, "%s: '%s' is not a regular file (it is %s); only object files are read", fn,
		               path, file_type(st.st_mode));
	}
	/* the header first: nothing is allocated for a body the header and the size do not agree on */
	char who[320];
	snprintf(who, sizeof who, "%s: '%s'", fn, path);
	uint8_t hb[LT_HEADER_LEN];
	const size_t have = st.st_size < LT_HEADER_LEN ? (size_t)st.st_size : LT_HEADER_LEN;
	int r = read_full(fd, hb, have);
	if (r != 0) {
		int e = errno;
		close(fd);
		return r < 0 ? lt_fail(LATHE_EIO, "%s: read error: %s", who, strerror(e))
		             : lt_fail(LATHE_EIO, "%s: the file shrank while being read", who);
	}
	lathe_status s = lt_header_decode(who, hb, have, &h);
	if (hdr)
		*hdr = h;
	if (s == LATHE_OK)
		s = lt_check_kind(who, &h, kind);
	if (s == LATHE_OK && h.body_len > max_body)
		s = lt_fail(LATHE_ECORRUPT, "%s: body length %llu is above the %llu bytes this kind of object can take",
		            who, (unsigned long long)h.body_len, (unsigned long long)max_body);
	if (s == LATHE_OK && h.body_len > UINT64_MAX - LT_ENVELOPE_LEN)
		s = lt_fail(LATHE_ECORRUPT, "%s: body length %llu out of range", who, (unsigned long long)h.body_len);
	if (s == LATHE_OK && h.body_len + LT_ENVELOPE_LEN != (uint64_t)st.st_size)
		s = lt_fail(LATHE_ECORRUPT, "%s: the header gives a body of %llu bytes, which does not match the file "
		            "size of %lld bytes", who, (unsigned long long)h.body_len, (long long)st.st_size);
	if (s == LATHE_OK && (uint64_t)st.st_size > SIZE_MAX)
		s = lt_fail(LATHE_ENOMEM, "%s: %lld bytes do not fit in memory", who, (long long)st.st_size);
	if (s) {
		close(fd);
		return s;
	}
	const size_t n = (size_t)st.st_size;
	uint8_t *b = lt_malloc(n);
	if (!b) {
		close(fd);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory for %zu bytes", who, n);
	}
	memcpy(b, hb, LT_HEADER_LEN);
	r = read_full(fd, b + LT_HEADER_LEN, n - LT_HEADER_LEN);
	int e = errno;
	close(fd);
	if (r != 0) {
		free(b);
		return r < 0 ? lt_fail(LATHE_EIO, "%s: read error: %s", who, strerror(e))
		             : lt_fail(LATHE_EIO, "%s: the file shrank while being read", who);
	}
	*buf = b;
	*len = n;
	return LATHE_OK;
}

/* random hex digits in a temporary file's name */
#define TMP_RAND_BYTES 8
#define TMP_ATTEMPTS 16

/* fsync of the directory holding path, so that the rename survives a crash */
static lathe_status
sync_dir(const char *fn, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	if (!slash) {
		dir = strdup(".");
	} else {
		size_t dl = slash == path ? 1 : (size_t)(slash - path);
		dir = lt_malloc(dl + 1);
		if (dir) {
			memcpy(dir, path, dl);
			dir[dl] = '\0';
		}
	}
	if (!dir)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lathe_status s = LATHE_OK;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		s = lt_fail(LATHE_EIO, "%s: '%s' was written but its directory '%s' cannot be opened to flush it: %s", fn,
		            path, dir, strerror(errno));
	} else {
		/* EINVAL: a file system that has nothing to flush for directories */
		if (fsync(fd) != 0 && errno != EINVAL)
			s = lt_fail(LATHE_EIO, "%s: '%s' was written but its directory '%s' could not be flushed: %s", fn,
			            path, dir, strerror(errno));
		close(fd);
	}
	free(dir);
	return s;
}

lathe_status
lt_write_file(const char *fn, const char *path, const uint8_t *buf, size_t len, int secret)
{
	if (!path)
		return lt_fail(LATHE_EINVAL, "%s: argument 'path' is NULL", fn);
	if (!*path)
		return lt_fail(LATHE_EINVAL, "%s: the path is empty", fn);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: libsodium failed to initialise", fn);
	/*
	 * Write a temporary file beside the target, flush it to disk, then
	 * rename it over the target: a failed save leaves the old file whole
	 * (it may be the only copy of a secret key). The file is created with
	 * its final mode so the kernel applies the umask: the process umask is
	 * never changed (that would race with other threads).
	 */
	const size_t pl = strlen(path);
	char *tmp = lt_malloc(pl + 5 + 2 * TMP_RAND_BYTES + 1);
	if (!tmp)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp-", 5);
	int fd = -1, err = 0;
	for (int attempt = 0; attempt < TMP_ATTEMPTS && fd < 0; attempt++) {
		static const char hex[] = "0123456789abcdef";
		uint8_t rnd[TMP_RAND_BYTES];
		randombytes_buf(rnd, sizeof rnd);
		for (size_t i = 0; i < TMP_RAND_BYTES; i++) {
			tmp[pl + 5 + 2 * i] = hex[rnd[i] >> 4];
			tmp[pl + 6 + 2 * i] = hex[rnd[i] & 15];
		}
		tmp[pl + 5 + 2 * TMP_RAND_BYTES] = '\0';
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, secret ? 0600 : 0666);
		err = errno;
		if (fd < 0 && err != EEXIST)
			break;
	}
	if (fd < 0) {
		lathe_status s = lt_fail(LATHE_EIO, "%s: cannot create a temporary file beside '%s': %s", fn, path,
		                         strerror(err));
		free(tmp);
		return s;
	}
	const char *what = NULL;
	/* a secret key is readable by its owner alone, whatever the umask allowed */
	if (secret && fchmod(fd, 0600) != 0) {
		what = "cannot restrict the file mode";
		err = errno;
	}
	size_t done = 0;
	while (!what && done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			what = "write error";
			err = w < 0 ? errno : EIO;
		} else {
			done += (size_t)w;
		}
	}
	if (!what && fsync(fd) != 0) {
		what = "cannot flush the file";
		err = errno;
	}
	if (close(fd) != 0 && !what) {
		what = "cannot close the file";
		err = errno;
	}
	if (!what && rename(tmp, path) != 0) {
		what = "cannot rename the temporary file into place";
		err = errno;
	}
	if (what) {
		lathe_status s = lt_fail(LATHE_EIO, "%s: saving '%s': %s: %s", fn, path, what, strerror(err));
		unlink(tmp);
		free(tmp);
		return s;
	}
	free(tmp);
	return sync_dir(fn, path);
}
