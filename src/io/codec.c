/*
 * The writer and the reader of object bodies (format.h): little-endian
 * fixed-width fields, and words packed at a given bit width, whose reader
 * checks each word against its modulus and the padding bits for zero. A
 * writer grows a zeroized buffer and hands it to the caller, who frees it
 * with lathe_buffer_free (lathe_buffer_free_secret for secret bytes); a
 * reader never reads past the end of its body.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/modarith.h"
#include "format.h"

void
lt_w_init(lt_writer *w)
{
	memset(w, 0, sizeof(*w));
}

/* moves the buffer to one of cap bytes (cap > w->len), zeroizing the old one */
static int
regrow(lt_writer *w, size_t cap)
{
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
	return regrow(w, cap);
}

void
lt_w_expect(lt_writer *w, size_t n)
{
	if (!w->failed && w->len + n > w->cap && w->len + n >= w->len)
		regrow(w, w->len + n);
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

lathe_status
lt_w_take(lt_writer *w, const char *fn, uint8_t **buf, size_t *len)
{
	if (w->failed) {
		lt_w_clear(w);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	if (!w->buf) {
		uint8_t *b = lt_malloc(1);
		if (!b)
			return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		*buf = b;
		*len = 0;
		return LATHE_OK;
	}
	/* the buffer itself, not a copy: bytes past len were never written (lathe_buffer_free is free) */
	*buf = w->buf;
	*len = w->len;
	memset(w, 0, sizeof(*w));
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
