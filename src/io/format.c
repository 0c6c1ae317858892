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

#include <lathe/io.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "../core/prng.h"
#include "../ring/modarith.h"

void
lt_w_init(lt_writer *w)
{
	memset(w, 0, sizeof(*w));
}

static int
reserve(lt_writer *w, size_t n)
{
	if (w->failed)
		return 0;
	if (w->len + n < w->len) {
		w->failed = 1;
		return 0;
	}
	if (w->len + n <= w->cap)
		return 1;
	size_t cap = w->cap ? w->cap : 4096;
	while (cap < w->len + n) {
		if (cap > SIZE_MAX / 2) {
			w->failed = 1;
			return 0;
		}
		cap *= 2;
	}
	uint8_t *b = lt_alloc(cap);
	if (!b) {
		w->failed = 1;
		return 0;
	}
	if (w->buf) {
		memcpy(b, w->buf, w->len);
		lt_free_secret(w->buf, w->cap);
	}
	w->buf = b;
	w->cap = cap;
	return 1;
}

void
lt_w_bytes(lt_writer *w, const void *src, size_t n)
{
	if (n && reserve(w, n)) {
		memcpy(w->buf + w->len, src, n);
		w->len += n;
	}
}

void
lt_w_u8(lt_writer *w, uint8_t v)
{
	lt_w_bytes(w, &v, 1);
}

void
lt_w_u16(lt_writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	lt_w_bytes(w, b, 2);
}

void
lt_w_u32(lt_writer *w, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	lt_w_bytes(w, b, 4);
}

void
lt_w_u64(lt_writer *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	lt_w_bytes(w, b, 8);
}

size_t
lt_packed_len(size_t n, unsigned bits)
{
	return (n * bits + 7) / 8;
}

void
lt_w_packed(lt_writer *w, const uint64_t *words, size_t n, unsigned bits)
{
	size_t bytes = lt_packed_len(n, bits);
	if (!reserve(w, bytes))
		return;
	uint8_t *o = w->buf + w->len;
	/* a 128-bit bit buffer, flushed a byte at a time */
	lt_u128 acc = 0;
	unsigned have = 0;
	size_t k = 0;
	const uint64_t mask = bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
	for (size_t i = 0; i < n; i++) {
		acc |= (lt_u128)(words[i] & mask) << have;
		have += bits;
		while (have >= 8) {
			o[k++] = (uint8_t)acc;
			acc >>= 8;
			have -= 8;
		}
	}
	if (have)
		o[k++] = (uint8_t)acc;
	w->len += bytes;
}

void
lt_w_clear(lt_writer *w)
{
	if (w->buf)
		lt_free_secret(w->buf, w->cap);
	memset(w, 0, sizeof(*w));
}

void
lt_r_init(lt_reader *r, const uint8_t *p, size_t n)
{
	r->p = p;
	r->left = n;
	r->failed = 0;
}

int
lt_r_bytes(lt_reader *r, void *dst, size_t n)
{
	if (r->failed || n > r->left) {
		r->failed = 1;
		if (n)
			memset(dst, 0, n);
		return 0;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return 1;
}

uint8_t
lt_r_u8(lt_reader *r)
{
	uint8_t b = 0;
	lt_r_bytes(r, &b, 1);
	return b;
}

uint16_t
lt_r_u16(lt_reader *r)
{
	uint8_t b[2];
	lt_r_bytes(r, b, 2);
	return (uint16_t)(b[0] | (b[1] << 8));
}

uint32_t
lt_r_u32(lt_reader *r)
{
	uint8_t b[4];
	lt_r_bytes(r, b, 4);
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

uint64_t
lt_r_u64(lt_reader *r)
{
	uint8_t b[8];
	lt_r_bytes(r, b, 8);
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

int
lt_r_packed(lt_reader *r, uint64_t *words, size_t n, unsigned bits, uint64_t q)
{
	size_t bytes = lt_packed_len(n, bits);
	if (r->failed || bits == 0 || bits > 64 || bytes > r->left) {
		r->failed = 1;
		return 0;
	}
	const uint8_t *in = r->p;
	const uint64_t mask = bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
	lt_u128 acc = 0;
	unsigned have = 0;
	size_t k = 0;
	uint64_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		while (have < bits) {
			acc |= (lt_u128)in[k++] << have;
			have += 8;
		}
		uint64_t v = (uint64_t)acc & mask;
		acc >>= bits;
		have -= bits;
		bad |= (uint64_t)(v >= q);
		words[i] = v;
	}
	/* padding bits of the last byte must be zero (one encoding per object) */
	if (bad || acc != 0) {
		r->failed = 1;
		return 0;
	}
	r->p += bytes;
	r->left -= bytes;
	return 1;
}

void
lt_w_begin(lt_writer *w)
{
	uint8_t zero[LT_HEADER_LEN] = { 0 };
	lt_w_bytes(w, zero, sizeof zero);
}

void
lt_header_encode(uint8_t h[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len)
{
	memcpy(h, LT_MAGIC, LT_MAGIC_LEN);
	h[6] = (uint8_t)LATHE_FORMAT_VERSION;
	h[7] = (uint8_t)(LATHE_FORMAT_VERSION >> 8);
	h[8] = (uint8_t)kind;
	h[9] = (uint8_t)(kind >> 8);
	h[10] = h[11] = 0;
	memcpy(h + 12, hash, LT_HASH_LEN);
	for (int i = 0; i < 8; i++)
		h[44 + i] = (uint8_t)(body_len >> (8 * i));
}

void
lt_w_finish(lt_writer *w, uint16_t kind, const uint8_t hash[LT_HASH_LEN])
{
	if (w->failed || w->len < LT_HEADER_LEN)
		return;
	lt_header_encode(w->buf, kind, hash, w->len - LT_HEADER_LEN);
	uint8_t sum[LT_CHECKSUM_LEN];
	crypto_generichash(sum, sizeof sum, w->buf, w->len, NULL, 0);
	lt_w_bytes(w, sum, sizeof sum);
}

lathe_status
lt_header_decode(const char *fn, const uint8_t *buf, size_t len, lt_header *h)
{
	memset(h, 0, sizeof(*h));
	if (len < LT_MAGIC_LEN || memcmp(buf, LT_MAGIC, LT_MAGIC_LEN) != 0)
		return lt_fail(LATHE_EFORMAT, "%s: not a lathe object (bad magic)", fn);
	if (len < LT_HEADER_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: truncated (%zu bytes, the header alone needs %d)", fn, len,
		               LT_HEADER_LEN);
	h->version = (uint16_t)(buf[6] | (buf[7] << 8));
	h->kind = (uint16_t)(buf[8] | (buf[9] << 8));
	h->flags = (uint16_t)(buf[10] | (buf[11] << 8));
	memcpy(h->hash, buf + 12, LT_HASH_LEN);
	for (int i = 7; i >= 0; i--)
		h->body_len = (h->body_len << 8) | buf[44 + i];
	if (h->version < LT_FORMAT_OLDEST || h->version > LATHE_FORMAT_VERSION)
		return lt_fail(LATHE_EFORMAT, "%s: file format version %u, but this library reads versions %d to %d%s", fn,
		               h->version, LT_FORMAT_OLDEST, LATHE_FORMAT_VERSION,
		               h->version > LATHE_FORMAT_VERSION ? " (a newer lathe wrote it)" : "");
	return LATHE_OK;
}

static lathe_status
check_kind(const char *fn, const lt_header *h, uint16_t kind)
{
	if (kind == 0 ? (h->kind < LT_KIND_CTX || h->kind > LT_KIND_SK) : h->kind != kind) {
		if (kind == 0)
			return lt_fail(LATHE_EFORMAT, "%s: unknown object kind %u", fn, h->kind);
		return lt_fail(LATHE_EFORMAT, "%s: object kind %u where kind %u was expected", fn, h->kind, kind);
	}
	return LATHE_OK;
}

lathe_status
lt_parse(const char *fn, const uint8_t *buf, size_t len, uint16_t kind, lt_header *h, lathe_status checksum_status)
{
	if (!buf)
		return lt_fail(LATHE_EINVAL, "%s: buffer is NULL", fn);
	lathe_status s = lt_header_decode(fn, buf, len, h);
	if (s)
		return s;
	if ((s = check_kind(fn, h, kind)))
		return s;
	if (len < LT_ENVELOPE_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: truncated (%zu bytes, the header and checksum need %d)", fn, len,
		               LT_ENVELOPE_LEN);
	if (h->body_len != len - LT_ENVELOPE_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: body length %llu does not match the %zu bytes given", fn,
		               (unsigned long long)h->body_len, len);
	uint8_t sum[LT_CHECKSUM_LEN];
	crypto_generichash(sum, sizeof sum, buf, len - LT_CHECKSUM_LEN, NULL, 0);
	if (sodium_memcmp(sum, buf + len - LT_CHECKSUM_LEN, LT_CHECKSUM_LEN) != 0)
		return lt_fail(checksum_status, "%s: checksum mismatch (corrupted or tampered data)", fn);
	if (h->flags != 0)
		return lt_fail(LATHE_ECORRUPT, "%s: unknown header flags %#x", fn, h->flags);
	h->body = buf + LT_HEADER_LEN;
	return LATHE_OK;
}

lathe_status
lt_w_take(lt_writer *w, const char *fn, uint8_t **buf, size_t *len)
{
	if (w->failed) {
		lt_w_clear(w);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	uint8_t *b = lt_malloc(w->len ? w->len : 1);
	if (!b) {
		lt_w_clear(w);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	memcpy(b, w->buf, w->len);
	*buf = b;
	*len = w->len;
	lt_w_clear(w);
	return LATHE_OK;
}

void
lathe_buffer_free(uint8_t *buf)
{
	free(buf);
}

void
lathe_buffer_free_secret(uint8_t *buf, size_t len)
{
	if (!buf)
		return;
	sodium_memzero(buf, len);
	free(buf);
}

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
		s = check_kind(who, &h, kind);
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

/* ---- inspection without a context ---- */

static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
id_set(const uint8_t *id)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < LT_KEY_ID_LEN; i++)
		acc |= id[i];
	return acc != 0;
}

/* the fixed fields of one ciphertext body of len bytes */
static lathe_status
info_ct(const char *fn, const uint8_t *p, size_t len, size_t idl, unsigned *level, unsigned *comps)
{
	if (len < LT_CT_FIXED - LT_KEY_ID_LEN + idl)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext shorter than its fixed fields", fn);
	uint64_t l = get_le(p + idl, 4);
	unsigned c = p[idl + 4];
	if (l >= LT_MAX_CHAIN)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext level %llu out of range", fn, (unsigned long long)l);
	if (c != 2 && c != 3)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext with %u components", fn, c);
	*level = (unsigned)l;
	*comps = c;
	return LATHE_OK;
}

static lathe_status
info_body(const char *fn, const lt_header *h, lathe_object_info *info)
{
	const uint8_t *b = h->body;
	const uint64_t bl = h->body_len;
	/* from version 2 on, every kind but the context starts with a key id (version 1: none) */
	const size_t idl = h->version >= 2 && h->kind != LT_KIND_CTX ? LT_KEY_ID_LEN : 0;
	if (idl) {
		if (bl < LT_KEY_ID_LEN)
			return lt_fail(LATHE_ECORRUPT, "%s: body shorter than a key id", fn);
		memcpy(info->key_id, b, LT_KEY_ID_LEN);
	}
	switch (h->kind) {
	case LT_KIND_CTX: {
		if (bl < 18)
			return lt_fail(LATHE_ECORRUPT, "%s: context parameters truncated", fn);
		uint64_t primes = get_le(b + 12, 2) + get_le(b + 14, 2);
		if (bl != 18 + 8 * primes)
			return lt_fail(LATHE_ECORRUPT, "%s: prime list length does not match the counts", fn);
		break;
	}
	case LT_KIND_PK:
		if (bl < idl + 32)
			return lt_fail(LATHE_ECORRUPT, "%s: public key truncated", fn);
		break;
	case LT_KIND_EVALKEYS:
		if (bl < idl + 6 || b[idl] > 1 || b[idl + 1] > 1)
			return lt_fail(LATHE_ECORRUPT, "%s: bad evaluation-key header fields", fn);
		break;
	case LT_KIND_PT:
		break;
	case LT_KIND_CT: {
		lathe_status s = info_ct(fn, b, (size_t)bl, idl, &info->level, &info->components);
		if (s)
			return s;
		break;
	}
	case LT_KIND_CT_BATCH: {
		memset(info->key_id, 0, LT_KEY_ID_LEN);
		if (bl < 8)
			return lt_fail(LATHE_ECORRUPT, "%s: batch truncated", fn);
		uint64_t n = get_le(b, 8), left = bl - 8;
		if (n == 0 || n > left / (8 + LT_CT_FIXED - LT_KEY_ID_LEN + idl) || n > UINT32_MAX)
			return lt_fail(LATHE_ECORRUPT, "%s: record count out of range", fn);
		const uint8_t *p = b + 8;
		int same = 1;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t l = left >= 8 ? get_le(p, 8) : UINT64_MAX;
			if (left < 8 || l > left - 8)
				return lt_fail(LATHE_ECORRUPT, "%s: record %llu length out of range", fn, (unsigned long long)i);
			unsigned lv = 0, cp = 0;
			lathe_status s = info_ct(fn, p + 8, (size_t)l, idl, &lv, &cp);
			if (s)
				return s;
			if (idl && i == 0)
				memcpy(info->key_id, p + 8, LT_KEY_ID_LEN);
			else if (idl)
				same &= memcmp(info->key_id, p + 8, LT_KEY_ID_LEN) == 0;
			info->level = lv > info->level ? lv : info->level;
			info->components = cp > info->components ? cp : info->components;
			p += 8 + l;
			left -= 8 + l;
		}
		if (left != 0)
			return lt_fail(LATHE_ECORRUPT, "%s: trailing bytes after the last record", fn);
		if (!same)
			memset(info->key_id, 0, LT_KEY_ID_LEN);
		info->count = (unsigned)n;
		break;
	}
	case LT_KIND_SK: {
		/* the fixed fields and at least the AEAD tag */
		if (bl < LT_SK_FIXED - LT_KEY_ID_LEN + idl + 16)
			return lt_fail(LATHE_ECORRUPT, "%s: secret key truncated", fn);
		int lv = lt_pwhash_level_of(get_le(b + idl, 8), get_le(b + idl + 8, 8));
		if (lv < 0)
			return lt_fail(LATHE_ECORRUPT, "%s: unknown Argon2id costs", fn);
		info->pwhash_level = lv;
		break;
	}
	}
	info->has_key_id = id_set(info->key_id);
	return LATHE_OK;
}

static lathe_status
info_fill(const char *fn, const uint8_t *buf, size_t len, lathe_object_info *info)
{
	lt_header h;
	lathe_status s = lt_parse(fn, buf, len, 0, &h, LATHE_ECORRUPT);
	if (s) {
		if (s == LATHE_EFORMAT)
			info->version = h.version; /* zero unless the magic was right */
		return s;
	}
	info->version = h.version;
	info->kind = h.kind;
	memcpy(info->param_hash, h.hash, LT_HASH_LEN);
	info->body_len = h.body_len;
	info->count = 1;
	info->pwhash_level = -1;
	s = info_body(fn, &h, info);
	if (s)
		memset(info, 0, sizeof(*info));
	return s;
}

lathe_status
lathe_object_info_from_buffer(const uint8_t *buf, size_t len, lathe_object_info *info)
{
	LT_CHECK_NULL(info);
	memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(buf);
	return info_fill("lathe_object_info_from_buffer", buf, len, info);
}

lathe_status
lathe_object_info_load(const char *path, lathe_object_info *info)
{
	const char *fn = "lathe_object_info_load";
	LT_CHECK_NULL(info);
	memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lt_header h;
	lathe_status s = lt_read_file(fn, path, 0, UINT64_MAX, &b, &l, &h);
	if (s) {
		if (s == LATHE_EFORMAT)
			info->version = h.version;
		return s;
	}
	char who[320];
	snprintf(who, sizeof who, "%s: '%s'", fn, path);
	s = info_fill(who, b, l, info);
	free(b);
	return s;
}
