/*
 * Slot descriptor and thin-slot encoder (bgv/slots.h), against independent
 * references: the cosets of <p> counted in (Z/2N)^*; products of encodings
 * as FLINT fmpz_poly negacyclic products mod p^r; each slot as the value of
 * m at zeta^(g_i), zeta a primitive 2N-th root of unity found in GF(p^d)
 * with FLINT fq_nmod, and as the constant m leaves modulo the factor of
 * X^N + 1 (FLINT nmod_poly_factor) that vanishes at zeta^(g_i);
 * automorphisms applied to the coefficients in the clear; the batch
 * encoder of the public API for d = 1; the slot table of BOOTSTRAP.md §1.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include <flint/fmpz_poly.h>
#include <flint/fq_nmod.h>
#include <flint/nmod_poly.h>
#include <flint/nmod_poly_factor.h>

#include "bgv_util.h"

#include "bgv/slots.h"
#include "ring/modarith.h"
#include "core/mem.h"

typedef lt_u128 u128;

typedef struct {
	unsigned logn;
	uint64_t p;
	unsigned rmax;
	size_t d, ell;
	lt_slots_kind kind;
} scase;

static const scase CASES[] = {
	{ 10, 257, 2, 8, 128, LT_SLOTS_HYPERCUBE },   /* Preset A's structure at N = 2^10 */
	{ 10, 17, 3, 128, 8, LT_SLOTS_HYPERCUBE },
	{ 10, 12289, 2, 1, 1024, LT_SLOTS_FULL },
	{ 10, 40961, 2, 1, 1024, LT_SLOTS_FULL },
	{ 12, 12289, 2, 2, 2048, LT_SLOTS_HYPERCUBE },
	{ 10, 5, 3, 512, 2, LT_SLOTS_HYPERCUBE },     /* 2 x 1 */
	{ 10, 127, 2, 16, 64, LT_SLOTS_CYCLIC },
	{ 11, 7, 3, 512, 4, LT_SLOTS_CYCLIC },
	{ 10, 3, 3, 512, 2, LT_SLOTS_CYCLIC },
	{ 10, 8191, 2, 2, 512, LT_SLOTS_CYCLIC },     /* p = -1 mod 2N: S' is the whole ring */
};
#define NCASES (sizeof(CASES) / sizeof(CASES[0]))

#define DESC "N=2^%u p=%llu r=%u seed=%llu"
#define DARGS(c, r) (c)->logn, (unsigned long long)(c)->p, (r), SEED

static void
init_or_fail(lt_slots *s, const scase *c, unsigned r)
{
	lathe_status st = lt_slots_init(s, c->logn, c->p, r);
	cr_assert_eq(st, LATHE_OK, "lt_slots_init " DESC ": %s", DARGS(c, r), lathe_last_error());
}

#define mul2n(a, b, m) (((uint64_t)(a) * (uint64_t)(b)) % (m))

/* m(X) -> m(X^g) mod X^N + 1, in the clear */
static void
ref_automorph(uint64_t *out, const uint64_t *m, size_t n, uint64_t g, uint64_t q)
{
	memset(out, 0, n * sizeof(uint64_t));
	for (size_t j = 0; j < n; j++) {
		uint64_t e = mul2n(j, g, 2 * n);
		if (e < n)
			out[e] = (out[e] + m[j]) % q;
		else
			out[e - n] = (out[e - n] + q - m[j]) % q;
	}
}

static void
ref_negacyclic(uint64_t *c, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	fmpz_poly_t A, B, C;
	fmpz_poly_init(A), fmpz_poly_init(B), fmpz_poly_init(C);
	for (size_t i = 0; i < n; i++) {
		fmpz_poly_set_coeff_ui(A, (slong)i, a[i]);
		fmpz_poly_set_coeff_ui(B, (slong)i, b[i]);
	}
	fmpz_poly_mul(C, A, B);
	fmpz_t x, y, qq;
	fmpz_init(x), fmpz_init(y), fmpz_init_set_ui(qq, q);
	for (size_t i = 0; i < n; i++) {
		fmpz_poly_get_coeff_fmpz(x, C, (slong)i);
		fmpz_poly_get_coeff_fmpz(y, C, (slong)(i + n));
		fmpz_sub(x, x, y);
		fmpz_mod(x, x, qq);
		c[i] = fmpz_get_ui(x);
	}
	fmpz_clear(x), fmpz_clear(y), fmpz_clear(qq);
	fmpz_poly_clear(A), fmpz_poly_clear(B), fmpz_poly_clear(C);
}

static uint64_t *
rand_slots(lt_prng *g, const lt_slots *s)
{
	uint64_t *v = malloc(s->ell * sizeof(uint64_t));
	test_rand_vec(g, v, s->ell, s->z.q);
	return v;
}

static uint64_t *
encode(const lt_slots *s, const uint64_t *v)
{
	uint64_t *m = malloc(s->n * sizeof(uint64_t));
	cr_assert_eq(lt_slots_encode(s, m, v), LATHE_OK);
	for (size_t j = 0; j < s->n; j++)
		cr_assert(m[j] < s->z.q);
	return m;
}

static uint64_t *
decode(const lt_slots *s, const uint64_t *m)
{
	uint64_t *v = malloc(s->ell * sizeof(uint64_t));
	lathe_status st = lt_slots_decode(s, v, m);
	cr_assert_eq(st, LATHE_OK, "decode: %s", lathe_last_error());
	return v;
}

Test(slots, descriptor_counts_the_cosets_of_p)
{
	for (size_t c = 0; c < NCASES; c++) {
		const scase *k = &CASES[c];
		lt_slots s;
		init_or_fail(&s, k, 1);
		const uint64_t m = 2 * (uint64_t)s.n;
		/* d = ord(p mod 2N), counted */
		uint64_t x = k->p % m, d = 1;
		while (x != 1)
			x = mul2n(x, k->p % m, m), d++;
		cr_assert_eq(s.d, d, DESC, DARGS(k, 1u));
		cr_assert_eq(s.d, k->d, DESC, DARGS(k, 1u));
		cr_assert_eq(s.ell, k->ell, DESC, DARGS(k, 1u));
		cr_assert_eq(s.kind, k->kind, DESC, DARGS(k, 1u));
		cr_assert_eq(s.rows * s.cols, s.ell);
		/* the g_i: the orientation (-1)^row 5^col, in distinct cosets covering (Z/2N)^* */
		unsigned char *seen = calloc(m, 1);
		size_t covered = 0;
		for (size_t i = 0; i < s.ell; i++) {
			size_t row = i / s.cols, col = i % s.cols;
			uint64_t g = 1;
			for (size_t j = 0; j < col; j++)
				g = mul2n(g, 5, m);
			if (row)
				g = m - g;
			cr_assert_eq(s.gexp[i], g, "slot %zu " DESC, i, DARGS(k, 1u));
			uint64_t y = g;
			for (size_t j = 0; j < s.d; j++) {
				cr_assert(!seen[y], "slot %zu: coset met twice " DESC, i, DARGS(k, 1u));
				seen[y] = 1;
				covered++;
				cr_assert_eq(lt_slots_index(&s, y), i, DESC, DARGS(k, 1u));
				y = mul2n(y, k->p % m, m);
			}
		}
		cr_assert_eq(covered, s.n, DESC, DARGS(k, 1u));
		free(seen);
		lt_slots_clear(&s);
	}
}

Test(slots, decode_inverts_encode_and_the_ring_structure_holds)
{
	lt_prng g;
	test_prng(&g, 11);
	for (size_t c = 0; c < NCASES; c++)
		for (unsigned r = 1; r <= CASES[c].rmax; r++) {
			const scase *k = &CASES[c];
			lt_slots s;
			init_or_fail(&s, k, r);
			const uint64_t q = s.z.q;
			uint64_t *u = rand_slots(&g, &s), *v = rand_slots(&g, &s);
			uint64_t *mu = encode(&s, u), *mv = encode(&s, v);
			uint64_t *du = decode(&s, mu);
			cr_assert_arr_eq(du, u, s.ell * 8, "round trip " DESC, DARGS(k, r));
			uint64_t *prod = malloc(s.n * 8), *sum = malloc(s.n * 8);
			ref_negacyclic(prod, mu, mv, s.n, q);
			for (size_t j = 0; j < s.n; j++)
				sum[j] = (mu[j] + mv[j]) % q;
			uint64_t *dp = decode(&s, prod), *ds = decode(&s, sum);
			for (size_t i = 0; i < s.ell; i++) {
				cr_assert_eq(dp[i], (uint64_t)((u128)u[i] * v[i] % q), "product slot %zu " DESC, i,
				             DARGS(k, r));
				cr_assert_eq(ds[i], (u[i] + v[i]) % q, "sum slot %zu " DESC, i, DARGS(k, r));
			}
			/* thin means fixed by X -> X^p */
			ref_automorph(sum, mu, s.n, k->p % (2 * s.n), q);
			cr_assert_arr_eq(sum, mu, s.n * 8, "m(X^p) != m(X) " DESC, DARGS(k, r));
			/* reduction mod p commutes with the slots (the roots lift those mod p) */
			if (r > 1) {
				lt_slots s1;
				init_or_fail(&s1, k, 1);
				for (size_t j = 0; j < s.n; j++)
					sum[j] = mu[j] % k->p;
				uint64_t *d1 = decode(&s1, sum);
				for (size_t i = 0; i < s.ell; i++)
					cr_assert_eq(d1[i], u[i] % k->p, "slot %zu mod p " DESC, i, DARGS(k, r));
				free(d1);
				lt_slots_clear(&s1);
			}
			free(u), free(v), free(mu), free(mv), free(du), free(prod), free(sum), free(dp), free(ds);
			lt_slots_clear(&s);
		}
}

/* slot i = m_S(w^(g_i)) by Horner on the subring coefficients, 128-bit arithmetic, over Z_q or Z_q[i] */
Test(slots, slots_are_evaluations_at_the_roots_mod_p_to_the_r)
{
	lt_prng g;
	test_prng(&g, 12);
	for (size_t c = 0; c < NCASES; c++)
		for (unsigned r = 1; r <= CASES[c].rmax; r++) {
			const scase *k = &CASES[c];
			lt_slots s;
			init_or_fail(&s, k, r);
			const uint64_t q = s.z.q;
			const lt_gauss w = s.root;
			/* w has order 2 len: the thin subring is Z_q[Y]/(Y^len + 1) */
			lt_gauss h = lt_gauss_pow(w, s.len, &s.z);
			cr_assert(h.re == q - 1 && h.im == 0, DESC, DARGS(k, r));
			cr_assert_eq(s.stride * s.len, s.n);
			uint64_t *v = rand_slots(&g, &s), *m = encode(&s, v);
			for (size_t i = 0; i < s.ell; i += 1 + s.ell / 64) {
				lt_gauss x = lt_gauss_pow(w, s.gexp[i] % (2 * s.len), &s.z);
				u128 yr = 0, yi = 0;
				for (size_t j = s.len; j-- > 0;) {
					u128 nr = (yr * x.re % q + q - yi * x.im % q) % q;
					u128 ni = (yr * x.im % q + yi * x.re % q) % q;
					yr = (nr + m[j * s.stride]) % q;
					yi = ni;
				}
				cr_assert(yr == v[i] && yi == 0, "slot %zu " DESC, i, DARGS(k, r));
			}
			free(v), free(m);
			lt_slots_clear(&s);
		}
}

/* Whether x lies in F_p; its value then. */
static int
fq_in_prime_field(uint64_t *val, const fq_nmod_t x)
{
	if (nmod_poly_degree(x) > 0)
		return 0;
	*val = nmod_poly_get_coeff_ui(x, 0);
	return 1;
}

/* A primitive 2^k-th root of unity of GF(p^d) (k <= log2 of the 2-part of p^d - 1). */
static void
fq_root2k(fq_nmod_t z, unsigned k, flint_rand_t st, const fq_nmod_ctx_t F)
{
	fmpz_t e;
	fmpz_init(e);
	fmpz_set(e, fq_nmod_ctx_prime(F));
	fmpz_pow_ui(e, e, (ulong)fq_nmod_ctx_degree(F));
	fmpz_sub_ui(e, e, 1);
	fmpz_fdiv_q_2exp(e, e, k);
	fq_nmod_t x, h;
	fq_nmod_init(x, F), fq_nmod_init(h, F);
	int found = 0;
	for (int it = 0; it < 200 && !found; it++) {
		fq_nmod_rand(x, st, F);
		fq_nmod_pow(z, x, e, F);
		fq_nmod_pow_ui(h, z, UINT64_C(1) << (k - 1), F);
		fq_nmod_one(x, F);
		fq_nmod_add(h, h, x, F);
		found = fq_nmod_is_zero(h, F); /* z^(2^(k-1)) = -1 */
	}
	cr_assert(found, "no primitive 2^%u-th root found", k);
	fq_nmod_clear(x, F), fq_nmod_clear(h, F), fmpz_clear(e);
}

typedef struct {
	uint64_t key;
	size_t slot;
} keyed;

static int
cmp_keyed(const void *a, const void *b)
{
	uint64_t x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
	return x < y ? -1 : x > y;
}

/*
 * r = 1: zeta a primitive 2N-th root of unity of GF(p^d) with
 * zeta^stride = w (w embedded: Z_p[i] -> GF(p^d) by a square root of -1);
 * slot i must be m(zeta^(g_i)) (Horner over all N coefficients), and m mod
 * the irreducible factor of X^N + 1 that vanishes at zeta^(g_i) must be
 * that constant.
 */
Test(slots, slots_are_values_at_roots_in_gf_and_residues_mod_the_factors, .timeout = 300)
{
	lt_prng g;
	test_prng(&g, 13);
	flint_rand_t st;
	flint_randinit(st);
	flint_randseed(st, (ulong)test_seed(), 12345);
	for (size_t c = 0; c < NCASES; c++) {
		const scase *k = &CASES[c];
		lt_slots s;
		init_or_fail(&s, k, 1);
		const uint64_t p = k->p;
		fmpz_t fp;
		fmpz_init_set_ui(fp, p);
		fq_nmod_ctx_t F;
		fq_nmod_ctx_init(F, fp, (slong)s.d, "z");
		fq_nmod_t zeta0, zeta, y, w, iota, acc, t1;
		fq_nmod_init(zeta0, F), fq_nmod_init(zeta, F), fq_nmod_init(y, F), fq_nmod_init(w, F), fq_nmod_init(iota, F);
		fq_nmod_init(acc, F), fq_nmod_init(t1, F);
		fq_root2k(zeta0, k->logn + 1, st, F);
		/* w in GF(p^d) */
		fq_nmod_set_ui(w, s.root.re, F);
		if (s.kind == LT_SLOTS_CYCLIC) {
			fq_root2k(iota, 2, st, F);
			fq_nmod_set_ui(t1, s.root.im, F);
			fq_nmod_mul(t1, t1, iota, F);
			fq_nmod_add(w, w, t1, F);
		}
		/* zeta = zeta0^a with (zeta0^stride)^a = w, a odd */
		fq_nmod_pow_ui(y, zeta0, s.stride, F);
		fq_nmod_set(acc, y, F);
		fq_nmod_mul(t1, y, y, F);
		uint64_t a = 1;
		while (!fq_nmod_equal(acc, w, F)) {
			fq_nmod_mul(acc, acc, t1, F);
			a += 2;
			cr_assert(a < 2 * s.len + 2, "w is not a power of zeta0^stride " DESC, DARGS(k, 1u));
		}
		fq_nmod_pow_ui(zeta, zeta0, a, F);
		uint64_t *v = rand_slots(&g, &s), *m = encode(&s, v);
		/* values at zeta^(g_i) */
		for (size_t i = 0; i < s.ell; i += 1 + s.ell / 48) {
			fq_nmod_pow_ui(y, zeta, s.gexp[i], F);
			fq_nmod_zero(acc, F);
			for (size_t j = s.n; j-- > 0;) {
				fq_nmod_mul(acc, acc, y, F);
				fq_nmod_set_ui(t1, m[j], F);
				fq_nmod_add(acc, acc, t1, F);
			}
			uint64_t val = 0;
			cr_assert(fq_in_prime_field(&val, acc), "slot %zu is not in F_p " DESC, i, DARGS(k, 1u));
			cr_assert_eq(val, v[i], "slot %zu " DESC, i, DARGS(k, 1u));
		}
		/*
		 * Factors of X^N + 1: each is h(X^stride) with h = Y - y (FULL,
		 * HYPERCUBE) or (Y - y)(Y - y^p) (CYCLIC), y = zeta^(stride g_i);
		 * key the slots by h's coefficients.
		 */
		keyed *keys = malloc(s.ell * sizeof(keyed));
		for (size_t i = 0; i < s.ell; i++) {
			fq_nmod_pow_ui(y, zeta, s.stride * s.gexp[i], F);
			uint64_t c0, c1 = 0;
			if (s.kind == LT_SLOTS_CYCLIC) {
				fq_nmod_pow_ui(t1, y, p, F);
				fq_nmod_mul(acc, y, t1, F);
				cr_assert(fq_in_prime_field(&c0, acc));
				fq_nmod_add(acc, y, t1, F);
				fq_nmod_neg(acc, acc, F);
				cr_assert(fq_in_prime_field(&c1, acc));
			} else {
				fq_nmod_neg(acc, y, F);
				cr_assert(fq_in_prime_field(&c0, acc), "slot %zu: zeta^(d g) not in F_p", i);
			}
			keys[i].key = c1 * p + c0;
			keys[i].slot = i;
		}
		qsort(keys, s.ell, sizeof(keyed), cmp_keyed);
		nmod_poly_t f, mm, rem;
		nmod_poly_init(f, p), nmod_poly_init(mm, p), nmod_poly_init(rem, p);
		nmod_poly_set_coeff_ui(f, (slong)s.n, 1);
		nmod_poly_set_coeff_ui(f, 0, 1);
		for (size_t j = 0; j < s.n; j++)
			nmod_poly_set_coeff_ui(mm, (slong)j, m[j]);
		nmod_poly_factor_t fac;
		nmod_poly_factor_init(fac);
		nmod_poly_factor(fac, f);
		cr_assert_eq((size_t)fac->num, s.ell, "number of factors " DESC, DARGS(k, 1u));
		unsigned char *hit = calloc(s.ell, 1);
		for (slong j = 0; j < fac->num; j++) {
			const nmod_poly_struct *fj = fac->p + j;
			cr_assert_eq(fac->exp[j], 1);
			cr_assert_eq((size_t)nmod_poly_degree(fj), s.d, DESC, DARGS(k, 1u));
			uint64_t c0 = nmod_poly_get_coeff_ui(fj, 0);
			uint64_t c1 = s.kind == LT_SLOTS_CYCLIC ? nmod_poly_get_coeff_ui(fj, (slong)(s.d / 2)) : 0;
			keyed want = { c1 * p + c0, 0 };
			keyed *kk = bsearch(&want, keys, s.ell, sizeof(keyed), cmp_keyed);
			cr_assert_not_null(kk, "factor %ld matches no slot " DESC, (long)j, DARGS(k, 1u));
			cr_assert(!hit[kk->slot]);
			hit[kk->slot] = 1;
			nmod_poly_rem(rem, mm, fj);
			cr_assert(nmod_poly_degree(rem) <= 0, "m mod factor is not constant " DESC, DARGS(k, 1u));
			cr_assert_eq(nmod_poly_get_coeff_ui(rem, 0), v[kk->slot], "slot %zu " DESC, kk->slot,
			             DARGS(k, 1u));
		}
		free(hit), free(keys), free(v), free(m);
		nmod_poly_factor_clear(fac);
		nmod_poly_clear(f), nmod_poly_clear(mm), nmod_poly_clear(rem);
		fq_nmod_clear(zeta0, F), fq_nmod_clear(zeta, F), fq_nmod_clear(y, F), fq_nmod_clear(w, F);
		fq_nmod_clear(iota, F), fq_nmod_clear(acc, F), fq_nmod_clear(t1, F);
		fq_nmod_ctx_clear(F);
		fmpz_clear(fp);
		lt_slots_clear(&s);
	}
	flint_randclear(st);
}

Test(slots, automorphisms_move_slots_as_the_hypercube_says)
{
	lt_prng g;
	test_prng(&g, 14);
	for (size_t c = 0; c < NCASES; c++)
		for (unsigned r = 1; r <= CASES[c].rmax; r++) {
			const scase *k = &CASES[c];
			lt_slots s;
			init_or_fail(&s, k, r);
			const uint64_t m2 = 2 * (uint64_t)s.n, q = s.z.q;
			uint64_t *v = rand_slots(&g, &s), *m = encode(&s, v), *am = malloc(s.n * 8);
			uint32_t *src = malloc(s.ell * 4);
			int64_t steps[] = { 1, 2, -1, (int64_t)s.cols - 1, (int64_t)s.cols, 3 * (int64_t)s.cols + 1,
			                    (int64_t)test_rand(&g, s.cols) };
			for (size_t t = 0; t < sizeof(steps) / sizeof(steps[0]); t++) {
				int64_t kk = steps[t];
				uint64_t ge = lt_slots_rot_elt(&s, kk), want = 1;
				size_t kr = (size_t)(((kk % (int64_t)s.cols) + (int64_t)s.cols) % (int64_t)s.cols);
				for (size_t j = 0; j < kr; j++)
					want = mul2n(want, 5, m2);
				cr_assert_eq(ge, want, "rotation element of %lld " DESC, (long long)kk, DARGS(k, r));
				ref_automorph(am, m, s.n, ge, q);
				uint64_t *dv = decode(&s, am);
				lt_slots_perm(src, &s, ge);
				for (size_t i = 0; i < s.ell; i++) {
					size_t row = i / s.cols, col = i % s.cols;
					size_t from = row * s.cols + (col + kr) % s.cols; /* (row, col + k) -> (row, col) */
					cr_assert_eq(dv[i], v[from], "rotate %lld slot %zu " DESC, (long long)kk, i, DARGS(k, r));
					cr_assert_eq(src[i], from);
				}
				free(dv);
			}
			/* the row swap X -> X^-1 */
			if (s.rows == 2) {
				cr_assert_eq(s.gen_row, m2 - 1);
				ref_automorph(am, m, s.n, m2 - 1, q);
				uint64_t *dv = decode(&s, am);
				for (size_t i = 0; i < s.ell; i++)
					cr_assert_eq(dv[i], v[(i + s.cols) % s.ell], "row swap slot %zu " DESC, i, DARGS(k, r));
				free(dv);
			}
			/* any Galois element: the permutation against the automorphism in the clear */
			uint64_t gs[6] = { m2 - 1, m2 - 5, k->p % m2, mul2n(k->p % m2, 5, m2), 0, 0 };
			gs[4] = test_rand(&g, m2) | 1;
			gs[5] = test_rand(&g, m2) | 1;
			for (size_t t = 0; t < 6; t++) {
				ref_automorph(am, m, s.n, gs[t], q);
				uint64_t *dv = decode(&s, am);
				lt_slots_perm(src, &s, gs[t]);
				for (size_t i = 0; i < s.ell; i++) {
					cr_assert_eq(dv[i], v[src[i]], "g=%llu slot %zu " DESC, (unsigned long long)gs[t], i,
					             DARGS(k, r));
					if (t == 0 && s.kind == LT_SLOTS_CYCLIC) /* X -> X^-1 rotates by -a, p = -5^a */
						cr_assert_eq(src[i], (i + s.ell - s.frob_dlog % s.ell) % s.ell);
				}
				free(dv);
			}
			free(v), free(m), free(am), free(src);
			lt_slots_clear(&s);
		}
}

/* d = 1: the descriptor's order is the batch encoder's of the public API */
Test(slots, full_splitting_matches_the_batch_encoder)
{
	lt_prng g;
	test_prng(&g, 15);
	const bgv_pset sets[] = {
		{ "insecure-n1024-t12289-d1", 10, 12289, 1, 1, 0, NULL, 0, NULL, 0 },
		{ "insecure-n1024-t40961-d1", 10, 40961, 1, 1, 0, NULL, 0, NULL, 0 },
		{ "insecure-n4096-t786433-d1", 12, 786433, 1, 1, 0, NULL, 0, NULL, 0 },
	};
	for (size_t c = 0; c < sizeof(sets) / sizeof(sets[0]); c++) {
		lathe_ctx *ctx = NULL;
		lathe_status st = bgv_ctx_build(&sets[c], LATHE_SECURITY_NONE, &ctx);
		cr_assert_eq(st, LATHE_OK, "%s: %s", sets[c].name, lathe_last_error());
		lt_slots s;
		cr_assert_eq(lt_slots_init(&s, sets[c].logn, sets[c].prime, 1), LATHE_OK);
		cr_assert_eq(s.kind, LT_SLOTS_FULL);
		cr_assert_eq(lathe_ctx_slots(ctx), s.ell, "%s", sets[c].name);
		const uint64_t t = s.z.q;
		uint64_t *v = rand_slots(&g, &s), *m = encode(&s, v), *mc = malloc(s.n * 8);
		int64_t *coef = malloc(s.n * 8);
		lathe_pt *pt = NULL;
		cr_assert_eq(lathe_pt_new(ctx, &pt), LATHE_OK);
		cr_assert_eq(lathe_encode_u64(pt, v, s.ell), LATHE_OK, "%s", lathe_last_error());
		cr_assert_eq(lathe_decode_coeffs(coef, s.n, pt), LATHE_OK);
		for (size_t j = 0; j < s.n; j++)
			mc[j] = coef[j] < 0 ? (uint64_t)(coef[j] + (int64_t)t) : (uint64_t)coef[j];
		cr_assert_arr_eq(m, mc, s.n * 8, "%s seed=%llu", sets[c].name, SEED);
		/* and lathe_decode_u64 reads the descriptor's slots of a coefficient encoding */
		test_rand_vec(&g, mc, s.n, t);
		for (size_t j = 0; j < s.n; j++)
			coef[j] = mc[j] > t / 2 ? (int64_t)mc[j] - (int64_t)t : (int64_t)mc[j];
		cr_assert_eq(lathe_encode_coeffs(pt, coef, s.n), LATHE_OK);
		uint64_t *dl = malloc(s.ell * 8), *dv = decode(&s, mc);
		cr_assert_eq(lathe_decode_u64(dl, s.ell, pt), LATHE_OK);
		cr_assert_arr_eq(dl, dv, s.ell * 8, "%s seed=%llu", sets[c].name, SEED);
		lathe_pt_free(pt);
		lathe_ctx_free(ctx);
		free(v), free(m), free(mc), free(coef), free(dl), free(dv);
		lt_slots_clear(&s);
	}
}

/* BOOTSTRAP.md §1, the table: d and the number of slots at N = 2^15 and 2^16 */
Test(slots, bootstrap_table)
{
	const struct {
		uint64_t p;
		size_t d15, l15, d16, l16;
	} tab[] = {
		{ 3, 16384, 2, 32768, 2 },     { 17, 4096, 8, 8192, 8 },      { 127, 512, 64, 1024, 64 },
		{ 257, 256, 128, 512, 128 },   { 7681, 128, 256, 256, 256 },   { 12289, 16, 2048, 32, 2048 },
		{ 40961, 8, 4096, 16, 4096 },  { 114689, 4, 8192, 8, 8192 },   { 163841, 2, 16384, 4, 16384 },
		{ 65537, 1, 32768, 2, 32768 }, { 786433, 1, 32768, 1, 65536 },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		for (unsigned logn = 15; logn <= 16; logn++) {
			lt_slots s;
			cr_assert_eq(lt_slots_init(&s, logn, tab[i].p, 1), LATHE_OK, "p=%llu", (unsigned long long)tab[i].p);
			cr_assert_eq(s.d, logn == 15 ? tab[i].d15 : tab[i].d16, "p=%llu N=2^%u", (unsigned long long)tab[i].p,
			             logn);
			cr_assert_eq(s.ell, logn == 15 ? tab[i].l15 : tab[i].l16, "p=%llu N=2^%u",
			             (unsigned long long)tab[i].p, logn);
			lt_slots_kind want = (tab[i].p & 3) == 3 ? LT_SLOTS_CYCLIC : s.d == 1 ? LT_SLOTS_FULL : LT_SLOTS_HYPERCUBE;
			cr_assert_eq(s.kind, want);
			lt_slots_clear(&s);
		}
}

Test(slots, refusals)
{
	lt_slots s;
	cr_assert_eq(lt_slots_init(&s, 10, 2, 1), LATHE_EPARAM);
	cr_assert_eq(lt_slots_init(&s, 10, 9, 1), LATHE_EPARAM);
	cr_assert_eq(lt_slots_init(&s, 10, 257, 0), LATHE_EPARAM);
	cr_assert_eq(lt_slots_init(&s, 3, 257, 1), LATHE_EPARAM);
	cr_assert_eq(lt_slots_init(&s, 18, 257, 1), LATHE_EPARAM);
	cr_assert_eq(lt_slots_init(&s, 10, 65537, 4), LATHE_EPARAM);
	cr_assert(lathe_last_error()[0] != '\0');
	lt_slots_clear(&s);
	/* a non-thin plaintext is refused and v left alone */
	const scase *ks[] = { &CASES[0], &CASES[6], &CASES[7] };
	for (size_t c = 0; c < 3; c++) {
		init_or_fail(&s, ks[c], 1);
		uint64_t *m = calloc(s.n, 8), *v = malloc(s.ell * 8);
		memset(v, 0x5a, s.ell * 8);
		m[0] = 3;
		m[1] = 1; /* off the subring (stride > 1 in these cases) */
		cr_assert_eq(lt_slots_decode(&s, v, m), LATHE_EINVAL);
		cr_assert(lathe_last_error()[0] != '\0');
		m[1] = 0;
		if (s.kind == LT_SLOTS_CYCLIC) {
			m[s.stride] = 1; /* Y alone is in S' but not fixed by X -> X^p */
			cr_assert_eq(lt_slots_decode(&s, v, m), LATHE_EINVAL);
			m[s.stride] = 0;
		}
		for (size_t i = 0; i < s.ell; i++)
			cr_assert_eq(v[i], UINT64_C(0x5a5a5a5a5a5a5a5a));
		cr_assert_eq(lt_slots_decode(&s, v, m), LATHE_OK); /* the constant 3 */
		for (size_t i = 0; i < s.ell; i++)
			cr_assert_eq(v[i], 3);
		/* out of memory in the encoders */
		lt_mem_fail_after(0);
		lathe_status e1 = lt_slots_encode(&s, m, v), e2 = lt_slots_decode(&s, v, m);
		lt_mem_fail_after(-1);
		cr_assert_eq(e1, LATHE_ENOMEM);
		cr_assert_eq(e2, LATHE_ENOMEM);
		free(m), free(v);
		lt_slots_clear(&s);
	}
	/* and in set-up, at every allocation */
	for (long n = 0;; n++) {
		lt_mem_fail_after(n);
		lathe_status e = lt_slots_init(&s, 10, 127, 1);
		lt_mem_fail_after(-1);
		lt_slots_clear(&s);
		if (e == LATHE_OK)
			break;
		cr_assert_eq(e, LATHE_ENOMEM, "after %ld allocations", n);
		cr_assert(n < 10);
	}
}
