/*
 * Results: accessors, serialization (round trips, corruption, truncation,
 * forged fields with valid checksums, files), decryption refusals (another
 * key, a value beyond its bound), and the refusals of lathe_result_add.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "circuits/circ_util.h"

static void
resign(uint8_t *b, size_t len)
{
	crypto_generichash(b + len - 32, 32, b, len - 32, NULL, 0);
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

typedef struct res_fix {
	circ_fix f;
	lathe_table *t;
	double vals[12];
} res_fix;

static void
res_init(res_fix *x, uint32_t stream)
{
	circ_fix_params(&x->f, 10, 268042241, 2, stream);
	lathe_column cols[2] = { circ_col("a", 10, -2, 2), circ_col("b", 1, 0, 9) };
	const double v[12] = { 1.5, 3, -2, 9, 0.1, 0, 2, 7, -0.7, 4, 0, 1 };
	memcpy(x->vals, v, sizeof(v));
	CIRC_OK(&x->f, lathe_table_encrypt(x->f.pk, cols, 2, x->vals, 6, &x->t));
}

static void
res_clear(res_fix *x)
{
	lathe_table_free(x->t);
	circ_fix_clear(&x->f);
}

static void
same_values(circ_fix *f, const lathe_result *a, const lathe_result *b)
{
	cr_assert_str_eq(lathe_result_circuit(a), lathe_result_circuit(b));
	cr_assert_eq(lathe_result_rows(a), lathe_result_rows(b));
	cr_assert_eq(lathe_result_items(a), lathe_result_items(b));
	int64_t x[16], y[16];
	for (size_t i = 0; i < lathe_result_items(a); i++) {
		cr_assert_str_eq(lathe_result_item_name(a, i), lathe_result_item_name(b, i));
		cr_assert_eq(lathe_result_item_kind(a, i), lathe_result_item_kind(b, i));
		cr_assert_eq(lathe_result_item_denominator(a, i), lathe_result_item_denominator(b, i));
		cr_assert_eq(lathe_result_bound(a, i), lathe_result_bound(b, i));
		CIRC_OK(f, lathe_result_decrypt(f->sk, a, i, x, 16));
		CIRC_OK(f, lathe_result_decrypt(f->sk, b, i, y, 16));
		size_t n = lathe_result_item_kind(a, i) == LATHE_ITEM_PER_PATIENT ? lathe_result_rows(a) : 1;
		cr_assert(memcmp(x, y, n * sizeof(int64_t)) == 0, "item %zu differs after a round trip", i);
	}
}

Test(results, accessors_and_decryption)
{
	res_fix x;
	res_init(&x, 21);
	static const char *const names[] = { "a", "b" };
	const double w[] = { 2, -1 };
	lathe_linear_model m = { 2, names, w, 0.5, 10 };
	lathe_result *r = NULL;
	CIRC_OK(&x.f, lathe_circuit_linear(x.f.ev, x.t, &m, &r));
	cr_assert_null(lathe_result_item_name(r, 1));
	cr_assert_eq(lathe_result_item_kind(r, 1), 0);
	cr_assert_eq(lathe_result_item_denominator(r, 1), 0);
	cr_assert_eq(lathe_result_bound(r, 1), 0);
	cr_assert_eq(lathe_result_find(r, "score"), 0);
	cr_assert_eq(lathe_result_find(r, "nope"), -1);
	cr_assert_null(lathe_result_circuit(NULL));
	cr_assert_eq(lathe_result_items(NULL), 0);
	cr_assert_eq(lathe_result_rows(NULL), 0);
	int64_t v[6];
	CIRC_OK(&x.f, lathe_result_decrypt(x.f.sk, r, 0, v, 6));
	for (int i = 0; i < 6; i++) {
		int64_t want = 5 + 2 * fx(x.vals[2 * i], 10) - 10 * fx(x.vals[2 * i + 1], 1);
		cr_assert_eq(v[i], want, "patient %d: %lld want %lld", i, (long long)v[i], (long long)want);
	}
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_decrypt(x.f.sk, r, 1, v, 6));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_decrypt(x.f.sk, r, 0, v, 5));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_decrypt(NULL, r, 0, v, 6));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_decrypt(x.f.sk, NULL, 0, v, 6));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_decrypt(x.f.sk, r, 0, NULL, 6));
	/* the same values from the item's ciphertexts decrypted by other means */
	cr_assert_eq(lathe_result_item_cts(r, 0), 1);
	cr_assert_eq(lathe_result_item_cts(r, 1), 0);
	cr_assert_null(lathe_result_item_ct(r, 0, 1));
	cr_assert_null(lathe_result_item_ct(NULL, 0, 0));
	lathe_pt *pt;
	CIRC_OK(&x.f, lathe_pt_new(x.f.ctx, &pt));
	CIRC_OK(&x.f, lathe_decrypt(x.f.sk, pt, lathe_result_item_ct(r, 0, 0)));
	const lathe_pt *pts[1] = { pt };
	int64_t u[6];
	CIRC_OK(&x.f, lathe_result_item_decode(r, 0, pts, 1, 0, u, 6));
	cr_assert(memcmp(u, v, sizeof v) == 0, "decoding the decrypted plaintext gives other values");
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_item_decode(r, 0, pts, 2, 0, u, 6));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_item_decode(r, 0, pts, 1, 0, u, 5));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_item_decode(r, 1, pts, 1, 0, u, 6));
	/* a plaintext beyond the item's bound is refused, and nothing is returned */
	uint64_t big[1] = { lathe_result_bound(r, 0) + 1 };
	CIRC_OK(&x.f, lathe_encode_u64(pt, big, 1));
	u[0] = 77;
	CIRC_EXPECT(&x.f, LATHE_ERANGE, lathe_result_item_decode(r, 0, pts, 1, 0, u, 6));
	cr_assert_eq(u[0], 0, "a refused value was returned");
	/* within a slack it is clamped to the bound; beyond the slack refused */
	CIRC_OK(&x.f, lathe_result_item_decode(r, 0, pts, 1, 1, u, 6));
	cr_assert_eq(u[0], (int64_t)lathe_result_bound(r, 0), "a value within the slack is not clamped to the bound");
	big[0] += 1;
	CIRC_OK(&x.f, lathe_encode_u64(pt, big, 1));
	CIRC_EXPECT(&x.f, LATHE_ERANGE, lathe_result_item_decode(r, 0, pts, 1, 1, u, 6));
	lathe_pt_free(pt);
	circ_foreign o;
	circ_foreign_init(&x.f, &o);
	CIRC_EXPECT(&x.f, LATHE_EMISMATCH, lathe_result_decrypt(o.sk, r, 0, v, 6));
	/* per-patient items do not add; other key pairs and contexts do not mix */
	lathe_result *s = NULL;
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_add(x.f.ev, &s, r, r));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_add(x.f.ev, NULL, r, r));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_add(x.f.ev, &s, NULL, r));
	lathe_result *a = NULL, *b = NULL;
	static const char *const bn[] = { "b" };
	CIRC_OK(&x.f, lathe_circuit_stats(x.f.ev, x.t, bn, 1, NULL, 0, &a));
	lathe_column cols[2] = { circ_col("a", 10, -2, 2), circ_col("b", 1, 0, 9) };
	lathe_table *t2 = NULL;
	CIRC_OK(&x.f, lathe_table_encrypt(o.pk, cols, 2, x.vals, 6, &t2));
	lathe_eval *ev2 = NULL;
	CIRC_OK(&x.f, lathe_eval_new(x.f.ctx, NULL, &ev2));
	/* stats without conditions and a sum over slots needs Galois keys: ENOKEY passed on */
	CIRC_EXPECT(&x.f, LATHE_ENOKEY, lathe_circuit_stats(ev2, t2, bn, 1, NULL, 0, &b));
	lathe_eval_free(ev2);
	circ_fix g;
	circ_fix_params(&g, 10, 268042241, 2, 22);
	CIRC_EXPECT(&x.f, LATHE_EMISMATCH, lathe_result_add(g.ev, &s, a, a));
	/* a stats result of the other key pair, made by a full fixture of that pair */
	circ_fix_clear(&g);
	CIRC_OK(&x.f, lathe_result_add(x.f.ev, &s, a, a));
	int64_t c2 = 0;
	circ_decrypt(&x.f, s, "count", &c2, 1);
	cr_assert_eq(c2, 12);
	lathe_result_free(s);
	lathe_table_free(t2);
	circ_foreign_free(&o);
	lathe_result_free(a);
	lathe_result_free(r);
	lathe_result_free(NULL);
	res_clear(&x);
}

Test(results, other_key_pairs_do_not_add)
{
	/* two fixtures of one context's parameters would be two contexts: make the second key pair on the first */
	res_fix x;
	res_init(&x, 23);
	lathe_sk *sk2 = NULL;
	lathe_pk *pk2 = NULL;
	lathe_evalkeys *ek2 = NULL;
	CIRC_OK(&x.f, lathe_keygen(x.f.ctx, &sk2, &pk2));
	int steps[16];
	size_t n = 0;
	unsigned level = 0;
	CIRC_OK(&x.f, lathe_circuits_keys(x.f.ctx, steps, 16, &n, &level));
	CIRC_OK(&x.f, lathe_evalkeys_new(x.f.ctx, sk2, steps, n, &ek2));
	lathe_eval *ev2 = NULL;
	CIRC_OK(&x.f, lathe_eval_new(x.f.ctx, ek2, &ev2));
	lathe_column cols[2] = { circ_col("a", 10, -2, 2), circ_col("b", 1, 0, 9) };
	lathe_table *t2 = NULL;
	CIRC_OK(&x.f, lathe_table_encrypt(pk2, cols, 2, x.vals, 6, &t2));
	static const char *const bn[] = { "b" };
	lathe_result *a = NULL, *b = NULL, *s = NULL;
	CIRC_OK(&x.f, lathe_circuit_stats(x.f.ev, x.t, bn, 1, NULL, 0, &a));
	CIRC_OK(&x.f, lathe_circuit_stats(ev2, t2, bn, 1, NULL, 0, &b));
	CIRC_EXPECT(&x.f, LATHE_EMISMATCH, lathe_result_add(x.f.ev, &s, a, b));
	cr_assert_null(s);
	/* the other key pair's owner decrypts its own result */
	int64_t v = 0;
	CIRC_OK(&x.f, lathe_result_decrypt(sk2, b, (size_t)lathe_result_find(b, "sum:b"), &v, 1));
	cr_assert_eq(v, 3 + 9 + 0 + 7 + 4 + 1);
	CIRC_EXPECT(&x.f, LATHE_EMISMATCH, lathe_result_decrypt(x.f.sk, b, 0, &v, 1));
	/* the encrypted model of one pair on the table of another */
	lathe_result_free(a);
	lathe_result_free(b);
	lathe_table_free(t2);
	lathe_eval_free(ev2);
	lathe_evalkeys_free(ek2);
	lathe_pk_free(pk2);
	lathe_sk_free(sk2);
	res_clear(&x);
}

Test(results, serialization)
{
	res_fix x;
	res_init(&x, 24);
	static const char *const names[] = { "a", "b" };
	lathe_result *r = NULL, *u = NULL;
	CIRC_OK(&x.f, lathe_circuit_stats(x.f.ev, x.t, names, 2, NULL, 0, &r));
	uint8_t *buf = NULL;
	size_t len = 0;
	CIRC_OK(&x.f, lathe_result_to_buffer(r, &buf, &len));
	CIRC_OK(&x.f, lathe_result_from_buffer(x.f.ctx, buf, len, &u));
	same_values(&x.f, r, u);
	uint8_t *b2 = NULL;
	size_t l2 = 0;
	CIRC_OK(&x.f, lathe_result_to_buffer(u, &b2, &l2));
	cr_assert(l2 == len && memcmp(b2, buf, len) == 0, "a loaded result saves to other bytes");
	lathe_buffer_free(b2);
	lathe_result_free(u);
	/* a per-patient result too */
	const double w[] = { 1, 1 };
	lathe_linear_model m = { 2, names, w, 0, 10 };
	lathe_result *p = NULL;
	CIRC_OK(&x.f, lathe_circuit_linear(x.f.ev, x.t, &m, &p));
	CIRC_OK(&x.f, lathe_result_to_buffer(p, &b2, &l2));
	CIRC_OK(&x.f, lathe_result_from_buffer(x.f.ctx, b2, l2, &u));
	same_values(&x.f, p, u);
	lathe_result_free(u);
	/* a table's buffer is not a result, nor the reverse */
	CIRC_EXPECT(&x.f, LATHE_EFORMAT, lathe_table_from_buffer(x.f.ctx, b2, l2, (lathe_table **)&u));
	lathe_buffer_free(b2);
	lathe_result_free(p);

	/* corruption of every byte of the fixed part, a sample of the rest, truncations */
	const size_t fixed = 88 + 32 + 5 * 160 + 64;
	for (size_t i = 0; i < len; i += i < fixed ? 1 : 2003) {
		buf[i] ^= 0x04;
		lathe_status s = lathe_result_from_buffer(x.f.ctx, buf, len, &u);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "byte %zu flipped: %s", i, lathe_strerror(s));
		cr_assert_null(u);
		buf[i] ^= 0x04;
	}
	for (size_t n = 0; n < len; n += n < 1100 ? 1 : 3001) {
		lathe_status s = lathe_result_from_buffer(x.f.ctx, buf, n, &u);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "truncated to %zu: %s", n, lathe_strerror(s));
	}
	/* forged fields with a valid checksum; body at 88: circuit 16, rows 8, items 4, chunks 4, items at 120 */
	uint8_t *g = malloc(len);
	struct {
		size_t off;
		uint64_t val;
		int width;
	} forged[] = {
		{ 88, 'x', 1 },                 /* unknown circuit "xtats" */
		{ 88 + 15, 'x', 1 },            /* circuit name without NUL padding */
		{ 104, 0, 8 },                  /* no rows */
		{ 104, 1025, 8 },               /* rows of two chunks, chunks 1 */
		{ 112, 0, 4 },                  /* no items */
		{ 112, 0xffffffff, 4 },         /* items beyond the buffer */
		{ 112, 4, 4 },                  /* fewer items: records left over */
		{ 116, 9, 4 },                  /* chunks */
		{ 120, 0, 1 },                  /* empty item name */
		{ 120, ' ', 1 },                /* a bad character */
		{ 120 + 136, 3, 1 },            /* kind 3 */
		{ 120 + 137, 1, 1 },            /* padding */
		{ 120 + 144, 0, 8 },            /* denominator 0 */
		{ 120 + 144, 0x7ff0000000000000ULL, 8 }, /* denominator infinite */
		{ 120 + 152, 134021121, 8 },    /* a bound at t/2 */
		{ 120 + 160, 'c', 1 },          /* "cum:a": fine, but ... */
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		memcpy(g, buf, len);
		if (forged[i].width == 8)
			put64(g + forged[i].off, forged[i].val);
		else
			for (int b = 0; b < forged[i].width; b++)
				g[forged[i].off + (size_t)b] = (uint8_t)(forged[i].val >> (8 * b));
		if (i + 1 == sizeof(forged) / sizeof(forged[0])) {
			/* ... two items called "count" is not */
			memset(g + 280, 0, 136);
			memcpy(g + 280, "count", 5);
		}
		resign(g, len);
		lathe_status s = lathe_result_from_buffer(x.f.ctx, g, len, &u);
		cr_assert_eq(s, LATHE_ECORRUPT, "forgery %zu: %s (%s)", i, lathe_strerror(s), lathe_last_error());
		cr_assert_null(u);
	}
	/* a bound forged below the true value: loads, and decryption refuses the value */
	memcpy(g, buf, len);
	long is = lathe_result_find(r, "sumsq:b");
	cr_assert(is > 0);
	put64(g + 120 + 160 * (size_t)is + 152, 10);
	resign(g, len);
	CIRC_OK(&x.f, lathe_result_from_buffer(x.f.ctx, g, len, &u));
	cr_assert_eq(lathe_result_bound(u, (size_t)is), 10);
	int64_t v = 77;
	CIRC_EXPECT(&x.f, LATHE_ERANGE, lathe_result_decrypt(x.f.sk, u, (size_t)is, &v, 1));
	cr_assert_eq(v, 0, "a refused value was returned");
	lathe_result_free(u);
	free(g);
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_from_buffer(NULL, buf, len, &u));
	uint8_t *nb = NULL;
	size_t nl = 0;
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_to_buffer(NULL, &nb, &nl));

	/* files */
	char dir[] = "/tmp/lathe-circ-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/r.lcr", dir);
	CIRC_OK(&x.f, lathe_result_save(r, path));
	CIRC_OK(&x.f, lathe_result_load(x.f.ctx, path, &u));
	same_values(&x.f, r, u);
	lathe_result_free(u);
	CIRC_EXPECT(&x.f, LATHE_EFORMAT, lathe_table_load(x.f.ctx, path, (lathe_table **)&u));
	CIRC_EXPECT(&x.f, LATHE_EIO, lathe_result_load(x.f.ctx, dir, &u));
	CIRC_EXPECT(&x.f, LATHE_EINVAL, lathe_result_save(r, NULL));
	unlink(path);
	rmdir(dir);
	lathe_buffer_free(buf);
	lathe_result_free(r);
	res_clear(&x);
}

Test(results, circuits_keys)
{
	circ_fix f = { .desc = "circuits_keys" };
	lathe_ctx *ctx = NULL;
	CIRC_OK(&f, lathe_ctx_new_preset(CIRC_PRESET, &ctx));
	size_t n = 0;
	unsigned level = 99;
	int steps[32];
	CIRC_OK(&f, lathe_circuits_keys(ctx, NULL, 0, &n, &level));
	/* 2 x 2048 slots: 1, 2, ..., 1024 and the row swap */
	cr_assert_eq(n, 12);
	cr_assert_eq(level, 1);
	size_t m = 0;
	CIRC_OK(&f, lathe_circuits_keys(ctx, steps, 5, &m, NULL));
	cr_assert_eq(m, 12);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(steps[i], 1 << i);
	CIRC_OK(&f, lathe_circuits_keys(ctx, steps, 32, &m, NULL));
	cr_assert_eq(steps[10], 1024);
	cr_assert_eq(steps[11], 0);
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuits_keys(NULL, steps, 32, &m, NULL));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_circuits_keys(ctx, steps, 32, NULL, NULL));
	lathe_ctx_free(ctx);
	/* thin slots of one cyclic row: t = 3 mod 4, no row swap */
	lathe_params *p = NULL;
	CIRC_OK(&f, lathe_params_new(&p));
	CIRC_OK(&f, lathe_params_set_ring(p, 10));
	CIRC_OK(&f, lathe_params_set_plain_modulus(p, 2063, 1));
	CIRC_OK(&f, lathe_params_set_depth(p, 1));
	CIRC_OK(&f, lathe_params_set_security(p, LATHE_SECURITY_NONE));
	CIRC_OK(&f, lathe_ctx_new(p, &ctx));
	lathe_context_info info;
	CIRC_OK(&f, lathe_ctx_info(ctx, &info));
	CIRC_OK(&f, lathe_circuits_keys(ctx, steps, 32, &n, NULL));
	size_t want = 0;
	for (size_t s = 1; s < info.slot_cols; s <<= 1)
		want++;
	want += info.slot_rows == 2;
	cr_assert_eq(n, want, "%zu steps for %zu x %zu slots", n, info.slot_rows, info.slot_cols);
	lathe_ctx_free(ctx);
	/* no slots */
	CIRC_OK(&f, lathe_params_set_plain_modulus(p, 2, 4));
	CIRC_OK(&f, lathe_ctx_new(p, &ctx));
	CIRC_EXPECT(&f, LATHE_EPARAM, lathe_circuits_keys(ctx, steps, 32, &n, NULL));
	lathe_ctx_free(ctx);
	lathe_params_free(p);
}
