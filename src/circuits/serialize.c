/*
 * Patient tables and results in one checksummed container each
 * (docs/format.md, "Patient tables and results"): a fixed header with the
 * context's parameter hash and the key identifier, a body of shapes and
 * column or item records followed by each ciphertext as a lathe object
 * (lathe_ct_to_buffer), and a BLAKE2b-256 checksum of everything before it.
 * Loaders check the checksum first, then every count and length against
 * what remains of the buffer before they allocate; they never trust it.
 * Files are replaced atomically (a temporary file beside the target,
 * fsync, rename, fsync of the directory).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h"

#define MAGIC "LATHECIR"
#define VERSION 1
#define KIND_TABLE 1
#define KIND_RESULT 2
#define HEADER 88
#define CHECKSUM 32
#define COLUMN_RECORD 88  /* name 64, scale, lo, hi */
#define ITEM_RECORD 160   /* name 136, kind 1, zero 7, denominator, bound */
#define ITEMS_MAX ((uint64_t)1 << 20)

/* ---- writing ---- */

typedef struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int oom;
} wbuf;

static void
put(wbuf *w, const void *src, size_t n)
{
	if (w->oom)
		return;
	if (n > w->cap - w->len) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap - w->len < n) {
			if (cap > SIZE_MAX / 2) {
				w->oom = 1;
				return;
			}
			cap *= 2;
		}
		uint8_t *q = realloc(w->p, cap);
		if (!q) {
			w->oom = 1;
			return;
		}
		w->p = q;
		w->cap = cap;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void
put_u64(wbuf *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(w, b, 8);
}

static void
put_u32(wbuf *w, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(w, b, 4);
}

static void
put_u16(wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	put(w, b, 2);
}

static void
put_f64(wbuf *w, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	put_u64(w, v);
}

/* a NUL-padded string field of n bytes */
static void
put_name(wbuf *w, const char *s, size_t n)
{
	uint8_t b[LATHE_ITEM_NAME_MAX];
	memset(b, 0, sizeof(b));
	size_t l = strnlen(s, n - 1);
	memcpy(b, s, l);
	put(w, b, n);
}

static void
put_header(wbuf *w, unsigned kind, const uint8_t key_id[LATHE_KEY_ID_BYTES], const uint8_t hash[32])
{
	put(w, MAGIC, 8);
	put_u16(w, VERSION);
	put_u16(w, (uint16_t)kind);
	put_u32(w, 0);
	put(w, hash, 32);
	put(w, key_id, LATHE_KEY_ID_BYTES);
	put_u64(w, 0); /* body length, filled in by finish */
}

static lathe_status
put_ct(wbuf *w, const lathe_ct *ct)
{
	uint8_t *b = NULL;
	size_t n = 0;
	lathe_status s = lathe_ct_to_buffer(ct, &b, &n);
	if (s)
		return s;
	put_u64(w, n);
	put(w, b, n);
	lathe_buffer_free(b);
	return LATHE_OK;
}

/* fills in the body length, appends the checksum, hands the buffer over */
static lathe_status
finish(const char *fn, wbuf *w, uint8_t **buf, size_t *len)
{
	if (!w->oom && w->len >= HEADER) {
		uint64_t body = w->len - HEADER;
		for (int i = 0; i < 8; i++)
			w->p[80 + i] = (uint8_t)(body >> (8 * i));
		uint8_t sum[CHECKSUM];
		crypto_generichash(sum, CHECKSUM, w->p, w->len, NULL, 0);
		put(w, sum, CHECKSUM);
	}
	if (w->oom) {
		free(w->p);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	*buf = w->p;
	*len = w->len;
	return LATHE_OK;
}

static lathe_status
param_hash(const lathe_ctx *ctx, uint8_t hash[32])
{
	lathe_context_info info;
	lathe_status s = lathe_ctx_info(ctx, &info);
	if (!s)
		memcpy(hash, info.param_hash, 32);
	return s;
}

lathe_status
lathe_table_to_buffer(const lathe_table *t, uint8_t **buf, size_t *len)
{
	const char *fn = "lathe_table_to_buffer";
	if (buf)
		*buf = NULL;
	if (len)
		*len = 0;
	if (!t || !buf || !len)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !t ? "t" : !buf ? "buf" : "len");
	uint8_t hash[32];
	lathe_status s = param_hash(t->ctx, hash);
	if (s)
		return lt_circ_pass(s, "%s", fn);
	wbuf w = { 0 };
	put_header(&w, KIND_TABLE, t->key_id, hash);
	put_u64(&w, t->rows);
	put_u32(&w, (uint32_t)t->n_cols);
	put_u32(&w, (uint32_t)t->chunks);
	for (size_t j = 0; j < t->n_cols; j++) {
		put_name(&w, t->cols[j].name, LATHE_NAME_MAX);
		put_f64(&w, t->cols[j].scale);
		put_f64(&w, t->cols[j].lo);
		put_f64(&w, t->cols[j].hi);
	}
	for (size_t i = 0; i < t->n_cols * t->chunks && !s; i++)
		if ((s = put_ct(&w, t->cts[i])))
			s = lt_circ_pass(s, "%s: ciphertext %zu", fn, i);
	if (s) {
		free(w.p);
		return s;
	}
	return finish(fn, &w, buf, len);
}

lathe_status
lathe_result_to_buffer(const lathe_result *r, uint8_t **buf, size_t *len)
{
	const char *fn = "lathe_result_to_buffer";
	if (buf)
		*buf = NULL;
	if (len)
		*len = 0;
	if (!r || !buf || !len)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !r ? "r" : !buf ? "buf" : "len");
	uint8_t hash[32];
	lathe_status s = param_hash(r->ctx, hash);
	if (s)
		return lt_circ_pass(s, "%s", fn);
	wbuf w = { 0 };
	put_header(&w, KIND_RESULT, r->key_id, hash);
	put_name(&w, r->circuit, LT_CIRC_NAME_MAX);
	put_u64(&w, r->rows);
	put_u32(&w, (uint32_t)r->n_items);
	put_u32(&w, (uint32_t)r->chunks);
	for (size_t i = 0; i < r->n_items; i++) {
		const lt_circ_item *it = &r->items[i];
		put_name(&w, it->name, LATHE_ITEM_NAME_MAX);
		uint8_t kz[8] = { (uint8_t)it->kind, 0, 0, 0, 0, 0, 0, 0 };
		put(&w, kz, 8);
		put_f64(&w, it->denom);
		put_u64(&w, it->bound);
	}
	for (size_t i = 0; i < r->n_items && !s; i++)
		for (size_t k = 0; k < r->items[i].n_cts && !s; k++)
			if ((s = put_ct(&w, r->items[i].cts[k])))
				s = lt_circ_pass(s, "%s: item '%s', ciphertext %zu", fn, r->items[i].name, k);
	if (s) {
		free(w.p);
		return s;
	}
	return finish(fn, &w, buf, len);
}

/* ---- reading ---- */

typedef struct rbuf {
	const uint8_t *p;
	size_t len, off;
} rbuf;

static int
get(rbuf *r, void *dst, size_t n)
{
	if (n > r->len - r->off)
		return -1;
	memcpy(dst, r->p + r->off, n);
	r->off += n;
	return 0;
}

static uint64_t
le64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static int
get_u64(rbuf *r, uint64_t *v)
{
	uint8_t b[8];
	if (get(r, b, 8))
		return -1;
	*v = le64(b);
	return 0;
}

static int
get_u32(rbuf *r, uint32_t *v)
{
	uint8_t b[4];
	if (get(r, b, 4))
		return -1;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

static int
get_f64(rbuf *r, double *d)
{
	uint64_t v;
	if (get_u64(r, &v))
		return -1;
	memcpy(d, &v, 8);
	return 0;
}

/* a NUL-padded name field of n bytes: valid characters, one NUL, zeros after it */
static int
get_name(rbuf *r, char *dst, size_t n, int colon)
{
	if (get(r, dst, n))
		return -1;
	if (!lt_circ_name_ok(dst, n, colon))
		return -1;
	for (size_t i = strlen(dst); i < n; i++)
		if (dst[i] != 0)
			return -1;
	return 0;
}

static const char *
kind_name(unsigned k)
{
	return k == KIND_TABLE ? "patient table" : k == KIND_RESULT ? "result" : "unknown";
}

/*
 * The container's header and checksum: EFORMAT (magic, version, kind,
 * flags), ECORRUPT (length, checksum), EMISMATCH (other parameters). On
 * success body gives the body, key_id the key identifier.
 */
static lathe_status
open_container(const char *fn, const lathe_ctx *ctx, const uint8_t *buf, size_t len, unsigned kind, rbuf *body,
               uint8_t key_id[LATHE_KEY_ID_BYTES])
{
	if (len < 8 || memcmp(buf, MAGIC, 8) != 0)
		return len < 8 && memcmp(buf, MAGIC, len) == 0
		               ? lt_fail(LATHE_ECORRUPT, "%s: truncated (%zu bytes)", fn, len)
		               : lt_fail(LATHE_EFORMAT, "%s: not a lathe %s (no \"" MAGIC "\" magic)", fn, kind_name(kind));
	if (len < HEADER)
		return lt_fail(LATHE_ECORRUPT, "%s: truncated header (%zu bytes)", fn, len);
	unsigned version = (unsigned)buf[8] | (unsigned)buf[9] << 8, k = (unsigned)buf[10] | (unsigned)buf[11] << 8;
	if (version != VERSION)
		return lt_fail(LATHE_EFORMAT, "%s: container version %u (this library reads version %d)", fn, version,
		               VERSION);
	if (k != kind)
		return lt_fail(LATHE_EFORMAT, "%s: a container of kind %u (%s), not %u (%s)", fn, k, kind_name(k), kind,
		               kind_name(kind));
	if (buf[12] | buf[13] | buf[14] | buf[15])
		return lt_fail(LATHE_EFORMAT, "%s: unknown flags", fn);
	uint64_t body_len = le64(buf + 80);
	if (len < HEADER + CHECKSUM || body_len != len - HEADER - CHECKSUM)
		return lt_fail(LATHE_ECORRUPT, "%s: body length %llu in a buffer of %zu bytes (truncated or extended)", fn,
		               (unsigned long long)body_len, len);
	uint8_t sum[CHECKSUM];
	crypto_generichash(sum, CHECKSUM, buf, len - CHECKSUM, NULL, 0);
	if (sodium_memcmp(sum, buf + len - CHECKSUM, CHECKSUM) != 0)
		return lt_fail(LATHE_ECORRUPT, "%s: checksum mismatch", fn);
	uint8_t hash[32];
	lathe_status s = param_hash(ctx, hash);
	if (s)
		return lt_circ_pass(s, "%s", fn);
	if (memcmp(hash, buf + 16, 32) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: made under other parameters than the context's", fn);
	memcpy(key_id, buf + 48, LATHE_KEY_ID_BYTES);
	body->p = buf + HEADER;
	body->len = (size_t)body_len;
	body->off = 0;
	return LATHE_OK;
}

/* one ciphertext record: length, lathe object of that length, of the container's key and 2 components */
static lathe_status
get_ct(const char *fn, const lathe_ctx *ctx, rbuf *r, const uint8_t key_id[LATHE_KEY_ID_BYTES], lathe_ct **out)
{
	uint64_t n;
	if (get_u64(r, &n) || n > r->len - r->off)
		return lt_fail(LATHE_ECORRUPT, "%s: a ciphertext record runs past the end", fn);
	lathe_status s = lathe_ct_from_buffer(ctx, r->p + r->off, (size_t)n, out);
	if (s == LATHE_ENOMEM)
		return s;
	if (s)
		return lt_circ_pass(LATHE_ECORRUPT, "%s: a ciphertext record", fn);
	r->off += (size_t)n;
	uint8_t id[LATHE_KEY_ID_BYTES];
	if ((s = lathe_ct_key_id(*out, id)) || memcmp(id, key_id, LATHE_KEY_ID_BYTES) != 0 || lathe_ct_size(*out) != 2) {
		lathe_ct_free(*out);
		*out = NULL;
		return lt_fail(LATHE_ECORRUPT, "%s: a ciphertext of another key pair than the container's, or not of 2 "
		               "components", fn);
	}
	return LATHE_OK;
}

/* whether count records of at least `each` bytes can fit in what remains */
static int
fits(const rbuf *r, uint64_t count, uint64_t each)
{
	return (lt_u128)count * each <= r->len - r->off;
}

lathe_status
lathe_table_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_table **out)
{
	const char *fn = "lathe_table_from_buffer";
	if (out)
		*out = NULL;
	if (!ctx || !buf || !out)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !ctx ? "ctx" : !buf ? "buf" : "out");
	const size_t S = lathe_ctx_slots(ctx);
	if (S == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batch slots", fn);
	rbuf r;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
	lathe_status s = open_container(fn, ctx, buf, len, KIND_TABLE, &r, key_id);
	if (s)
		return s;
	uint64_t rows;
	uint32_t n_cols, chunks;
	if (get_u64(&r, &rows) || get_u32(&r, &n_cols) || get_u32(&r, &chunks))
		return lt_fail(LATHE_ECORRUPT, "%s: truncated body", fn);
	if (rows == 0 || n_cols == 0 || chunks != rows / S + (rows % S != 0))
		return lt_fail(LATHE_ECORRUPT, "%s: %llu rows, %u columns, %u chunks of %zu slots", fn,
		               (unsigned long long)rows, n_cols, chunks, S);
	/* each column record, then at least 9 bytes for each ciphertext record */
	if (!fits(&r, n_cols, COLUMN_RECORD) ||
	    (lt_u128)n_cols * chunks * 9 > r.len - r.off - (size_t)n_cols * COLUMN_RECORD)
		return lt_fail(LATHE_ECORRUPT, "%s: %u columns of %u chunks do not fit the buffer", fn, n_cols, chunks);
	lathe_column *cols = calloc(n_cols, sizeof(lathe_column));
	if (!cols)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (uint32_t j = 0; j < n_cols && !s; j++)
		if (get_name(&r, cols[j].name, LATHE_NAME_MAX, 0) || get_f64(&r, &cols[j].scale) ||
		    get_f64(&r, &cols[j].lo) || get_f64(&r, &cols[j].hi))
			s = lt_fail(LATHE_ECORRUPT, "%s: column %u: bad name", fn, j);
	if (!s && lt_circ_check_columns(fn, cols, n_cols))
		s = lt_circ_pass(LATHE_ECORRUPT, "%s: a column", fn);
	for (uint32_t j = 0; j < n_cols && !s; j++)
		if (!lt_circ_fits(ctx, lt_circ_col_maxabs(&cols[j])))
			s = lt_fail(LATHE_ECORRUPT, "%s: column '%s': a range beyond t/2", fn, cols[j].name);
	lathe_table *t = NULL;
	if (!s)
		s = lt_circ_table_alloc(ctx, cols, n_cols, (size_t)rows, &t);
	free(cols);
	if (!s)
		memcpy(t->key_id, key_id, LATHE_KEY_ID_BYTES);
	for (size_t i = 0; !s && i < t->n_cols * t->chunks; i++)
		s = get_ct(fn, ctx, &r, key_id, &t->cts[i]);
	if (!s && r.off != r.len)
		s = lt_fail(LATHE_ECORRUPT, "%s: %zu bytes after the last record", fn, r.len - r.off);
	if (s) {
		lathe_table_free(t);
		return s;
	}
	*out = t;
	return LATHE_OK;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

lathe_status
lathe_result_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_result **out)
{
	const char *fn = "lathe_result_from_buffer";
	if (out)
		*out = NULL;
	if (!ctx || !buf || !out)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !ctx ? "ctx" : !buf ? "buf" : "out");
	const size_t S = lathe_ctx_slots(ctx);
	if (S == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batch slots", fn);
	rbuf r;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
	lathe_status s = open_container(fn, ctx, buf, len, KIND_RESULT, &r, key_id);
	if (s)
		return s;
	char circuit[LT_CIRC_NAME_MAX];
	uint64_t rows;
	uint32_t n_items, chunks;
	if (get(&r, circuit, sizeof(circuit)) || get_u64(&r, &rows) || get_u32(&r, &n_items) || get_u32(&r, &chunks))
		return lt_fail(LATHE_ECORRUPT, "%s: truncated body", fn);
	if (!memchr(circuit, 0, sizeof(circuit)) || !lt_circ_circuit_known(circuit))
		return lt_fail(LATHE_ECORRUPT, "%s: unknown circuit", fn);
	for (size_t i = strlen(circuit); i < sizeof(circuit); i++)
		if (circuit[i])
			return lt_fail(LATHE_ECORRUPT, "%s: circuit name not NUL-padded", fn);
	if (rows == 0 || n_items == 0 || n_items > ITEMS_MAX || chunks != rows / S + (rows % S != 0))
		return lt_fail(LATHE_ECORRUPT, "%s: %llu rows, %u items, %u chunks of %zu slots", fn,
		               (unsigned long long)rows, n_items, chunks, S);
	if (!fits(&r, n_items, ITEM_RECORD + 9))
		return lt_fail(LATHE_ECORRUPT, "%s: %u items do not fit the buffer", fn, n_items);
	lathe_result *res = NULL;
	if ((s = lt_circ_result_new(ctx, circuit, (size_t)rows, n_items, key_id, &res)))
		return s;
	uint64_t n_cts = 0;
	for (uint32_t i = 0; i < n_items && !s; i++) {
		char name[LATHE_ITEM_NAME_MAX];
		uint8_t kz[8];
		double denom;
		uint64_t bound;
		if (get_name(&r, name, LATHE_ITEM_NAME_MAX, 1) || get(&r, kz, 8) || get_f64(&r, &denom) ||
		    get_u64(&r, &bound)) {
			s = lt_fail(LATHE_ECORRUPT, "%s: item %u: bad name", fn, i);
			break;
		}
		int kind = kz[0];
		if ((kind != LATHE_ITEM_PER_PATIENT && kind != LATHE_ITEM_AGGREGATE) || kz[1] | kz[2] | kz[3] | kz[4] |
		    kz[5] | kz[6] | kz[7] || !isfinite(denom) || !(denom > 0) || !lt_circ_fits(ctx, bound)) {
			s = lt_fail(LATHE_ECORRUPT, "%s: item '%s': kind, denominator or bound out of range", fn, name);
			break;
		}
		s = lt_circ_item_set(res, i, name, kind, denom, bound, 0);
		n_cts += res->items[i].n_cts;
	}
	if (!s && !fits(&r, n_cts, 9))
		s = lt_fail(LATHE_ECORRUPT, "%s: %llu ciphertexts do not fit the buffer", fn, (unsigned long long)n_cts);
	if (!s) {
		const char **names = malloc(n_items * sizeof(char *));
		if (!names)
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		for (uint32_t i = 0; !s && i < n_items; i++)
			names[i] = res->items[i].name;
		if (!s) {
			qsort(names, n_items, sizeof(char *), cmp_names);
			for (uint32_t i = 1; i < n_items && !s; i++)
				if (strcmp(names[i - 1], names[i]) == 0)
					s = lt_fail(LATHE_ECORRUPT, "%s: two items called '%s'", fn, names[i]);
		}
		free(names);
	}
	for (size_t i = 0; i < res->n_items && !s; i++)
		for (size_t k = 0; k < res->items[i].n_cts && !s; k++)
			s = get_ct(fn, ctx, &r, key_id, &res->items[i].cts[k]);
	if (!s && r.off != r.len)
		s = lt_fail(LATHE_ECORRUPT, "%s: %zu bytes after the last record", fn, r.len - r.off);
	if (s) {
		lathe_result_free(res);
		return s;
	}
	*out = res;
	return LATHE_OK;
}

/* ---- files ---- */

static lathe_status
io_fail(const char *fn, const char *what, const char *path)
{
	return lt_fail(LATHE_EIO, "%s: %s '%s': %s", fn, what, path, strerror(errno));
}

static int
write_full(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_full(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* replaces path by buf atomically; on failure the old file is untouched and no temporary is left */
static lathe_status
write_file(const char *fn, const char *path, const uint8_t *buf, size_t len)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 22);
	if (!tmp)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	uint8_t rnd[LATHE_SEED_BYTES];
	if (lathe_seed_random(rnd)) {
		free(tmp);
		return lt_circ_pass(LATHE_EIO, "%s: randomness for a temporary name", fn);
	}
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp-", 5);
	for (int i = 0; i < 8; i++)
		snprintf(tmp + pl + 5 + 2 * i, 3, "%02x", rnd[i]);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		lathe_status s = io_fail(fn, "cannot create a temporary file beside", path);
		free(tmp);
		return s;
	}
	lathe_status s = LATHE_OK;
	if (write_full(fd, buf, len))
		s = io_fail(fn, "cannot write", tmp);
	else if (fsync(fd))
		s = io_fail(fn, "cannot flush", tmp);
	if (close(fd) && !s)
		s = io_fail(fn, "cannot close", tmp);
	if (!s && rename(tmp, path))
		s = io_fail(fn, "cannot rename a temporary file over", path);
	if (s) {
		unlink(tmp);
		free(tmp);
		return s;
	}
	free(tmp);
	/* the directory entry: flushed so that the rename survives a crash */
	char *dir = strdup(path);
	if (!dir)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	char *slash = strrchr(dir, '/');
	const char *d = dir;
	if (!slash)
		d = ".";
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	int dfd = open(d, O_RDONLY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd))
		s = io_fail(fn, "saved, but cannot flush the directory of", path);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return s;
}

/* reads a regular file whose header says its kind and whose size matches its body length */
static lathe_status
read_file(const char *fn, const char *path, unsigned kind, uint8_t **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return io_fail(fn, "cannot open", path);
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return lt_fail(LATHE_EIO, "%s: '%s' is not a regular file", fn, path);
	}
	uint8_t h[HEADER];
	lathe_status s = LATHE_OK;
	if ((uint64_t)st.st_size < HEADER + CHECKSUM) {
		close(fd);
		return lt_fail(LATHE_ECORRUPT, "%s: '%s' is too short (%lld bytes)", fn, path, (long long)st.st_size);
	}
	if (read_full(fd, h, HEADER)) {
		s = io_fail(fn, "cannot read", path);
		close(fd);
		return s;
	}
	unsigned k = (unsigned)h[10] | (unsigned)h[11] << 8;
	if (memcmp(h, MAGIC, 8) != 0 || k != kind) {
		close(fd);
		return lt_fail(LATHE_EFORMAT, "%s: '%s' is not a lathe %s", fn, path, kind_name(kind));
	}
	if (le64(h + 80) != (uint64_t)st.st_size - HEADER - CHECKSUM) {
		close(fd);
		return lt_fail(LATHE_ECORRUPT, "%s: '%s': body length and file size disagree", fn, path);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return lt_fail(LATHE_ENOMEM, "%s: '%s' too large", fn, path);
	}
	size_t n = (size_t)st.st_size;
	uint8_t *b = malloc(n);
	if (!b) {
		close(fd);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	memcpy(b, h, HEADER);
	if (read_full(fd, b + HEADER, n - HEADER))
		s = io_fail(fn, "cannot read", path);
	close(fd);
	if (s) {
		free(b);
		return s;
	}
	*buf = b;
	*len = n;
	return LATHE_OK;
}

lathe_status
lathe_table_save(const lathe_table *t, const char *path)
{
	const char *fn = "lathe_table_save";
	if (!t || !path || !path[0])
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL or empty", fn, !t ? "t" : "path");
	uint8_t *buf = NULL;
	size_t len = 0;
	lathe_status s = lathe_table_to_buffer(t, &buf, &len);
	if (!s)
		s = write_file(fn, path, buf, len);
	lathe_buffer_free(buf);
	return s;
}

lathe_status
lathe_table_load(const lathe_ctx *ctx, const char *path, lathe_table **out)
{
	const char *fn = "lathe_table_load";
	if (out)
		*out = NULL;
	if (!ctx || !path || !path[0] || !out)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL or empty", fn, !ctx ? "ctx" : !out ? "out" : "path");
	uint8_t *buf = NULL;
	size_t len = 0;
	lathe_status s = read_file(fn, path, KIND_TABLE, &buf, &len);
	if (!s)
		s = lathe_table_from_buffer(ctx, buf, len, out);
	free(buf);
	return s;
}

lathe_status
lathe_result_save(const lathe_result *r, const char *path)
{
	const char *fn = "lathe_result_save";
	if (!r || !path || !path[0])
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL or empty", fn, !r ? "r" : "path");
	uint8_t *buf = NULL;
	size_t len = 0;
	lathe_status s = lathe_result_to_buffer(r, &buf, &len);
	if (!s)
		s = write_file(fn, path, buf, len);
	lathe_buffer_free(buf);
	return s;
}

lathe_status
lathe_result_load(const lathe_ctx *ctx, const char *path, lathe_result **out)
{
	const char *fn = "lathe_result_load";
	if (out)
		*out = NULL;
	if (!ctx || !path || !path[0] || !out)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL or empty", fn, !ctx ? "ctx" : !out ? "out" : "path");
	uint8_t *buf = NULL;
	size_t len = 0;
	lathe_status s = read_file(fn, path, KIND_RESULT, &buf, &len);
	if (!s)
		s = lathe_result_from_buffer(ctx, buf, len, out);
	free(buf);
	return s;
}
