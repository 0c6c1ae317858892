#include "bgv/bgv_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

lathe_status
bgv_ctx_build(const bgv_pset *ps, lathe_security sec, lathe_ctx **out)
{
	lathe_params *p = NULL;
	lathe_status s = lathe_params_new(&p);
	if (s)
		return s;
	if (!s)
		s = lathe_params_set_ring(p, ps->logn);
	if (!s)
		s = lathe_params_set_plain_modulus(p, ps->prime, ps->r);
	if (!s && ps->depth)
		s = lathe_params_set_depth(p, ps->depth);
	if (!s && !ps->depth)
		s = lathe_params_set_chain(p, ps->chain, ps->chain_len);
	if (!s && (ps->dnum || ps->special))
		s = lathe_params_set_keyswitch(p, ps->dnum ? ps->dnum : 2, ps->special, ps->special_len);
	if (!s)
		s = lathe_params_set_security(p, sec);
	if (!s)
		s = lathe_ctx_new(p, out);
	lathe_params_free(p);
	return s;
}

static void
fix_keys(bgv_fix *f, bgv_keys keys, const int *steps, size_t nsteps, uint32_t stream)
{
	f->n = lathe_ctx_degree(f->ctx);
	f->slots = lathe_ctx_slots(f->ctx);
	f->t = lathe_ctx_plain_modulus(f->ctx);
	f->max_level = lathe_ctx_max_level(f->ctx);
	cr_assert(f->n >= 1024, "ring degree %zu [%s]", f->n, f->desc);
	cr_assert(f->slots == 0 || f->n % f->slots == 0, "slots %zu with N=%zu [%s]", f->slots, f->n, f->desc);
	cr_assert(f->t >= 2, "t=%llu [%s]", (unsigned long long)f->t, f->desc);
	test_prng(&f->g, stream);
	BGV_OK(f, lathe_keygen(f->ctx, &f->sk, &f->pk));
	f->ek = NULL;
	if (keys == BGV_KEYS_DEFAULT)
		BGV_OK(f, lathe_evalkeys_new(f->ctx, f->sk, NULL, 0, &f->ek));
	else if (keys == BGV_KEYS_STEPS)
		BGV_OK(f, lathe_evalkeys_new(f->ctx, f->sk, steps, nsteps, &f->ek));
	BGV_OK(f, lathe_eval_new(f->ctx, f->ek, &f->ev));
}

void
bgv_fix_init(bgv_fix *f, const bgv_pset *ps, bgv_keys keys, const int *steps, size_t nsteps,
             uint32_t stream)
{
	memset(f, 0, sizeof(*f));
	f->ps = ps;
	snprintf(f->desc, sizeof(f->desc), "set=%s N=2^%u t=%llu^%u depth=%u dnum=%u seed=%llu", ps->name,
	         ps->logn, (unsigned long long)ps->prime, ps->r, ps->depth, ps->dnum, SEED);
	BGV_OK(f, bgv_ctx_build(ps, LATHE_SECURITY_NONE, &f->ctx));
	fix_keys(f, keys, steps, nsteps, stream);
}

void
bgv_fix_init_ctx(bgv_fix *f, lathe_ctx *ctx, const char *name, bgv_keys keys, const int *steps,
                 size_t nsteps, uint32_t stream)
{
	memset(f, 0, sizeof(*f));
	f->ctx = ctx;
	snprintf(f->desc, sizeof(f->desc), "set=%s seed=%llu", name, SEED);
	fix_keys(f, keys, steps, nsteps, stream);
}

void
bgv_fix_clear(bgv_fix *f)
{
	lathe_eval_free(f->ev);
	lathe_evalkeys_free(f->ek);
	lathe_pk_free(f->pk);
	lathe_sk_free(f->sk);
	lathe_ctx_free(f->ctx);
	memset(f, 0, sizeof(*f));
}

lathe_ct *
bgv_ct(bgv_fix *f)
{
	lathe_ct *c = NULL;
	BGV_OK(f, lathe_ct_new(f->ctx, &c));
	cr_assert_not_null(c);
	return c;
}

lathe_pt *
bgv_pt(bgv_fix *f)
{
	lathe_pt *p = NULL;
	BGV_OK(f, lathe_pt_new(f->ctx, &p));
	cr_assert_not_null(p);
	return p;
}

uint64_t *
bgv_vec(bgv_fix *f)
{
	uint64_t *v = calloc(f->n, sizeof(uint64_t));
	cr_assert_not_null(v);
	return v;
}

void
bgv_rand(bgv_fix *f, uint64_t *v)
{
	test_rand_vec(&f->g, v, f->n, f->t);
	/* even t: t/2 has no signed representative in [-(t-1)/2, (t-1)/2] */
	if (f->t % 2 == 0)
		for (size_t i = 0; i < f->n; i++)
			if (v[i] == f->t / 2)
				v[i] = 0;
}

int64_t
bgv_rand_scalar(bgv_fix *f)
{
	int64_t h = (int64_t)((f->t - 1) / 2);
	switch (test_rand(&f->g, 8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return -1;
	case 3: return test_rand(&f->g, 2) ? h : -h;
	default: return (int64_t)test_rand(&f->g, (uint64_t)(2 * h + 1)) - h;
	}
}

void
bgv_encode_vec(bgv_fix *f, lathe_pt *pt, const uint64_t *v)
{
	if (f->slots)
		BGV_OK(f, lathe_encode_u64(pt, v, f->slots));
	else {
		int64_t *s = malloc(f->n * sizeof(int64_t));
		for (size_t i = 0; i < f->n; i++)
			s[i] = v[i] > f->t / 2 ? (int64_t)v[i] - (int64_t)f->t : (int64_t)v[i];
		BGV_OK(f, lathe_encode_coeffs(pt, s, f->n));
		free(s);
	}
}

void
bgv_encrypt_vec(bgv_fix *f, lathe_ct *ct, const uint64_t *v, int with_pk)
{
	lathe_pt *pt = bgv_pt(f);
	bgv_encode_vec(f, pt, v);
	if (with_pk)
		BGV_OK(f, lathe_encrypt(f->pk, ct, pt));
	else
		BGV_OK(f, lathe_encrypt_sk(f->sk, ct, pt));
	lathe_pt_free(pt);
}

void
bgv_check_(bgv_fix *f, const lathe_ct *ct, const uint64_t *ref, const char *what, const char *file, int line)
{
	lathe_pt *pt = bgv_pt(f);
	lathe_status s = lathe_decrypt(f->sk, pt, ct);
	cr_assert_eq(s, LATHE_OK, "%s:%d: %s: decrypt -> %s (%s) at level %u [%s]", file, line, what,
	             lathe_strerror(s), lathe_last_error(), lathe_ct_level(ct), f->desc);
	uint64_t *got = bgv_vec(f);
	s = lathe_decode_u64(got, f->slots, pt);
	cr_assert_eq(s, LATHE_OK, "%s:%d: %s: decode -> %s [%s]", file, line, what, lathe_strerror(s), f->desc);
	size_t bad = 0, first = f->slots;
	for (size_t i = 0; i < f->slots; i++)
		if (got[i] != ref[i]) {
			if (first == f->slots)
				first = i;
			bad++;
		}
	if (bad) {
		int b = -1;
		if (lathe_noise_budget(f->sk, ct, &b) != LATHE_OK)
			b = -1;
		cr_assert_fail("%s:%d: %s: %zu of %zu slots wrong, first slot %zu got %llu want %llu "
		               "(level %u, size %u, measured budget %d) [%s]",
		               file, line, what, bad, f->slots, first, (unsigned long long)got[first],
		               (unsigned long long)ref[first], lathe_ct_level(ct), lathe_ct_size(ct), b, f->desc);
	}
	free(got);
	lathe_pt_free(pt);
}

void
bgv_check_coeffs_(bgv_fix *f, const lathe_ct *ct, const uint64_t *ref, const char *what, const char *file, int line)
{
	lathe_pt *pt = bgv_pt(f);
	lathe_status s = lathe_decrypt(f->sk, pt, ct);
	cr_assert_eq(s, LATHE_OK, "%s:%d: %s: decrypt -> %s (%s) [%s]", file, line, what, lathe_strerror(s),
	             lathe_last_error(), f->desc);
	int64_t *got = malloc(f->n * sizeof(int64_t));
	s = lathe_decode_coeffs(got, f->n, pt);
	cr_assert_eq(s, LATHE_OK, "%s:%d: %s: decode_coeffs -> %s [%s]", file, line, what, lathe_strerror(s),
	             f->desc);
	for (size_t i = 0; i < f->n; i++) {
		uint64_t g = pm_reduce(got[i], f->t);
		int64_t h = (int64_t)(f->t / 2); /* even t: t/2 may come out as either sign */
		cr_assert(got[i] >= -h && got[i] <= h,
		          "%s:%d: %s: coefficient %zu = %lld is not centered mod t [%s]", file, line, what, i,
		          (long long)got[i], f->desc);
		cr_assert_eq(g, ref[i], "%s:%d: %s: coefficient %zu got %llu want %llu [%s]", file, line, what, i,
		             (unsigned long long)g, (unsigned long long)ref[i], f->desc);
	}
	free(got);
	lathe_pt_free(pt);
}

int
bgv_budget(bgv_fix *f, const lathe_ct *ct)
{
	int b = -12345;
	BGV_OK(f, lathe_noise_budget(f->sk, ct, &b));
	cr_assert(b >= 0, "noise budget %d < 0 [%s]", b, f->desc);
	return b;
}

int
bgv_estimate(bgv_fix *f, const lathe_ct *ct)
{
	int b = -12345;
	BGV_OK(f, lathe_ct_budget_estimate(ct, &b));
	cr_assert(b >= 0, "budget estimate %d < 0 [%s]", b, f->desc);
	return b;
}

void
bgv_check_estimate_(bgv_fix *f, const lathe_ct *ct, const char *what, const char *file, int line)
{
	int m = bgv_budget(f, ct), e = bgv_estimate(f, ct);
	cr_assert(e <= m, "%s:%d: %s: public estimate %d bits is above the measured budget %d (level %u) [%s]",
	          file, line, what, e, m, lathe_ct_level(ct), f->desc);
}

/* ---- plaintext model ---- */

uint64_t
pm_reduce(int64_t c, uint64_t t)
{
	if (c >= 0)
		return (uint64_t)c % t;
	uint64_t r = ((uint64_t)(-(c + 1)) % t + 1) % t; /* |c| mod t without overflow */
	return r ? t - r : 0;
}

void
pm_copy(uint64_t *o, const uint64_t *a, size_t n)
{
	memmove(o, a, n * sizeof(uint64_t));
}

void
pm_add(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t)
{
	for (size_t i = 0; i < n; i++)
		o[i] = (uint64_t)(((u128)a[i] + b[i]) % t);
}

void
pm_sub(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t)
{
	for (size_t i = 0; i < n; i++)
		o[i] = (uint64_t)(((u128)a[i] + t - b[i]) % t);
}

void
pm_neg(uint64_t *o, const uint64_t *a, size_t n, uint64_t t)
{
	for (size_t i = 0; i < n; i++)
		o[i] = a[i] ? t - a[i] : 0;
}

void
pm_mul(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t)
{
	for (size_t i = 0; i < n; i++)
		o[i] = (uint64_t)(((u128)a[i] * b[i]) % t);
}

void
pm_mul_scalar(uint64_t *o, const uint64_t *a, int64_t c, size_t n, uint64_t t)
{
	uint64_t cc = pm_reduce(c, t);
	for (size_t i = 0; i < n; i++)
		o[i] = (uint64_t)(((u128)a[i] * cc) % t);
}

void
pm_add_scalar(uint64_t *o, const uint64_t *a, int64_t c, size_t n, uint64_t t)
{
	uint64_t cc = pm_reduce(c, t);
	for (size_t i = 0; i < n; i++)
		o[i] = (uint64_t)(((u128)a[i] + cc) % t);
}

void
pm_rotate(uint64_t *o, const uint64_t *a, int k, size_t n)
{
	size_t h = n / 2;
	long long kk = ((long long)k % (long long)h + (long long)h) % (long long)h;
	uint64_t *tmp = malloc(n * sizeof(uint64_t));
	for (size_t r = 0; r < 2; r++)
		for (size_t i = 0; i < h; i++)
			tmp[r * h + i] = a[r * h + (i + (size_t)kk) % h];
	memcpy(o, tmp, n * sizeof(uint64_t));
	free(tmp);
}

void
pm_swap_rows(uint64_t *o, const uint64_t *a, size_t n)
{
	size_t h = n / 2;
	uint64_t *tmp = malloc(n * sizeof(uint64_t));
	memcpy(tmp, a + h, h * sizeof(uint64_t));
	memcpy(tmp + h, a, h * sizeof(uint64_t));
	memcpy(o, tmp, n * sizeof(uint64_t));
	free(tmp);
}

void
pm_negacyclic_mul(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t)
{
	u128 *acc = calloc(2 * n, sizeof(u128));
	/* accumulate a_i b_j reduced mod t so the sums stay far from overflow */
	for (size_t i = 0; i < n; i++) {
		if (!a[i])
			continue;
		for (size_t j = 0; j < n; j++)
			acc[i + j] += (u128)(((u128)a[i] * b[j]) % t);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = (uint64_t)(acc[i] % t), hi = (uint64_t)(acc[i + n] % t);
		o[i] = (uint64_t)(((u128)lo + t - hi) % t);
	}
	free(acc);
}
