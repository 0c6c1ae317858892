/*
 * RNS: exact CRT round trips, fast basis extension and divide-and-round
 * (the t = 1 case of ring/tdiv.h) against exact FLINT integer arithmetic,
 * within their documented errors.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <omp.h>

#include <flint/fmpz.h>
#include <flint/fmpz_vec.h>

#include "common/params.h"
#include "common/util.h"
#include "core/mem.h"
#include "ring/crt.h"
#include "ring/kernels.h"
#include "ring/modarith.h"
#include "ring/primes.h"
#include "ring/rns.h"

#define LOGN 6
#define N (1u << LOGN)

/* k distinct primes of bits[i] bits for N (as test_ring). */
static void
gen_primes(uint64_t *q, const unsigned *bits, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		cr_assert_eq(lt_primes_gen(&q[i], 1, bits[i], LOGN, q, i), LATHE_OK);
}

/* a random integer of about `bits` bits, signed when sign = 1 */
static void
rand_fmpz(lt_prng *g, fmpz_t x, unsigned bits, int sign)
{
	fmpz_zero(x);
	for (unsigned b = 0; b < bits; b += 64) {
		fmpz_mul_2exp(x, x, 64);
		fmpz_add_ui(x, x, lt_prng_u64(g));
	}
	fmpz_fdiv_q_2exp(x, x, (bits + 63) / 64 * 64 - bits);
	if (sign && (lt_prng_u64(g) & 1))
		fmpz_neg(x, x);
}

Test(rns, compose_of_decompose_is_identity)
{
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, TEST_INSECURE_BASIS_BITS, TEST_INSECURE_BASIS_LEN), LATHE_OK);
	lt_prng g;
	test_prng(&g, 40);
	fmpz_t Q, half;
	fmpz_init(Q);
	fmpz_init(half);
	lt_crt_modulus(Q, r.modp, r.nmod);
	fmpz_fdiv_q_2exp(half, Q, 1);
	fmpz *x = _fmpz_vec_init(N), *y = _fmpz_vec_init(N);
	uint64_t *limbs = lt_alloc((size_t)r.nmod * N * 8);
	for (unsigned t = 0; t < test_mult(20); t++) {
		unsigned bits = (unsigned)fmpz_bits(Q) - 1;
		for (unsigned j = 0; j < N; j++)
			rand_fmpz(&g, x + j, bits, 1);
		lt_crt_decompose(limbs, x, N, r.modp, r.nmod);
		for (unsigned i = 0; i < r.nmod; i++)
			for (unsigned j = 0; j < N; j++)
				cr_assert_lt(limbs[i * N + j], r.mod[i].q);
		lt_crt_compose(y, limbs, N, r.modp, r.nmod, 1);
		cr_assert(_fmpz_vec_equal(x, y, N), "centered round trip (seed=%llu)", (unsigned long long)test_seed());
		lt_crt_compose(y, limbs, N, r.modp, r.nmod, 0);
		for (unsigned j = 0; j < N; j++) {
			cr_assert(fmpz_sgn(y + j) >= 0 && fmpz_cmp(y + j, Q) < 0);
			fmpz_mod(x + j, x + j, Q);
			cr_assert(fmpz_equal(x + j, y + j));
		}
	}
	lt_free(limbs);
	_fmpz_vec_clear(x, N);
	_fmpz_vec_clear(y, N);
	fmpz_clear(Q);
	fmpz_clear(half);
	lt_ring_clear(&r);
}

/* ext = X + u*A (mod each b_j) with one u in [0, nin) per coefficient. */
static void
check_extension(unsigned nin, unsigned nout, const unsigned *bits)
{
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, bits, nin + nout), LATHE_OK);
	const lt_modulus *const *in = r.modp, *const *out = r.modp + nin;
	lt_baseconv bc;
	cr_assert_eq(lt_baseconv_init(&bc, in, nin, out, nout), LATHE_OK);
	lt_prng g;
	test_prng(&g, 41 + nin * 16 + nout);
	fmpz_t A, X, v, w;
	fmpz_init(A);
	fmpz_init(X);
	fmpz_init(v);
	fmpz_init(w);
	lt_crt_modulus(A, in, nin);
	uint64_t *x = lt_alloc((size_t)nin * N * 8), *e = lt_alloc((size_t)nout * N * 8);
	uint64_t *scr = lt_alloc((size_t)nin * N * 8);
	fmpz *xs = _fmpz_vec_init(N);
	for (unsigned t = 0; t < test_mult(10); t++) {
		for (unsigned i = 0; i < nin; i++)
			for (unsigned j = 0; j < N; j++)
				x[i * N + j] = t == 0 ? r.mod[i].q - 1 : test_rand(&g, r.mod[i].q);
		lt_baseconv_apply(&bc, e, x, N, scr);
		lt_crt_compose(xs, x, N, in, nin, 0);
		for (unsigned j = 0; j < N; j++) {
			int found = -1;
			for (unsigned u = 0; u < nin && found < 0; u++) {
				fmpz_set(X, xs + j);
				fmpz_addmul_ui(X, A, u);
				int all = 1;
				for (unsigned o = 0; o < nout; o++) {
					fmpz_mod_ui(v, X, out[o]->q);
					if (fmpz_get_ui(v) != e[o * N + j])
						all = 0;
				}
				if (all)
					found = (int)u;
			}
			cr_assert_geq(found, 0, "extension %u->%u: coefficient %u is not X + uA (seed=%llu)", nin,
			              nout, j, (unsigned long long)test_seed());
		}
	}
	lt_free(x);
	lt_free(e);
	lt_free(scr);
	_fmpz_vec_clear(xs, N);
	fmpz_clear(A);
	fmpz_clear(X);
	fmpz_clear(v);
	fmpz_clear(w);
	lt_baseconv_clear(&bc);
	lt_ring_clear(&r);
}

Test(rns, fast_extension_within_documented_error)
{
	static const unsigned b1[] = { 50, 49, 48, 47, 46 };
	static const unsigned b2[] = { 61, 60, 59, 58, 57, 56, 55, 54 };
	static const unsigned b3[] = { 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50 };
	check_extension(1, 4, b1);
	check_extension(3, 2, b1);
	check_extension(4, 4, b2); /* 61-bit products: the accumulator must reduce */
	check_extension(16, 5, b3);
}

/*
 * divide-and-round (tdiv.h, the t = 1 division): result = round(X / C) + u
 * mod B, u = 0 for nc = 1; for nc > 1, u in {-1, 0, 1}, nonzero only when
 * X / C is within eps = nc (nc + 9) 2^-54 of a half-integer.
 */
static void
check_divround(unsigned nb, unsigned nc, const unsigned *bits)
{
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, bits, nb + nc), LATHE_OK);
	lt_divround dr;
	cr_assert_eq(lt_divround_init(&dr, r.modp, nb, r.modp + nb, nc), LATHE_OK);
	lt_prng g;
	test_prng(&g, 60 + nb * 16 + nc);
	fmpz_t BC, C, half, X, want, v, lhs, rhs;
	fmpz_init(lhs);
	fmpz_init(rhs);
	fmpz_init(BC);
	fmpz_init(C);
	fmpz_init(half);
	fmpz_init(X);
	fmpz_init(want);
	fmpz_init(v);
	lt_crt_modulus(BC, r.modp, nb + nc);
	lt_crt_modulus(C, r.modp + nb, nc);
	fmpz_fdiv_q_2exp(half, C, 1);
	uint64_t *x = lt_alloc((size_t)(nb + nc) * N * 8), *scr = lt_alloc((size_t)(nb + nc) * N * 8);
	fmpz *xs = _fmpz_vec_init(N);
	for (unsigned t = 0; t < test_mult(10); t++) {
		for (unsigned i = 0; i < nb + nc; i++)
			for (unsigned j = 0; j < N; j++)
				x[i * N + j] = test_rand(&g, r.mod[i].q);
		if (t == 1) /* exact ties: X = k*C + floor(C/2) and C/2 rounding boundary */
			for (unsigned j = 0; j < N; j++) {
				fmpz_set_ui(X, j);
				fmpz_mul(X, X, C);
				fmpz_add(X, X, half);
				fmpz_add_ui(X, X, j & 1);
				for (unsigned i = 0; i < nb + nc; i++) {
					fmpz_mod_ui(v, X, r.mod[i].q);
					x[i * N + j] = fmpz_get_ui(v);
				}
			}
		lt_crt_compose(xs, x, N, r.modp, nb + nc, 0);
		lt_divround_apply(&dr, x, N, scr);
		for (unsigned j = 0; j < N; j++) {
			/* round(X/C) = floor((X + floor(C/2)) / C) for odd C */
			fmpz_add(X, xs + j, half);
			fmpz_fdiv_q(want, X, C);
			int found = 2;
			for (int u = -1; u <= 1 && found == 2; u++) {
				int all = 1;
				for (unsigned i = 0; i < nb; i++) {
					if (u < 0)
						fmpz_sub_ui(v, want, 1);
					else
						fmpz_add_ui(v, want, (ulong)u);
					fmpz_mod_ui(v, v, r.mod[i].q);
					if (fmpz_get_ui(v) != x[i * N + j])
						all = 0;
				}
				if (all)
					found = u;
			}
			cr_assert_neq(found, 2, "divround nb=%u nc=%u coefficient %u (seed=%llu)", nb, nc, j,
			              (unsigned long long)test_seed());
			if (nc == 1)
				cr_assert_eq(found, 0, "one prime: exact rounding");
			if (found != 0) {
				/* near a half-integer: |2 (X mod C) - C| 2^54 < 2 nc (nc + 9) C */
				fmpz_mod(v, xs + j, C);
				fmpz_mul_2exp(v, v, 1);
				fmpz_sub(v, v, C);
				fmpz_abs(lhs, v);
				fmpz_mul_2exp(lhs, lhs, 54);
				fmpz_mul_ui(rhs, C, 2 * nc * (nc + 9));
				cr_assert_lt(fmpz_cmp(lhs, rhs), 0, "divround nb=%u nc=%u coefficient %u: off by %d away from a tie",
				             nb, nc, j, found);
			}
		}
	}
	lt_free(x);
	lt_free(scr);
	_fmpz_vec_clear(xs, N);
	fmpz_clear(BC);
	fmpz_clear(C);
	fmpz_clear(half);
	fmpz_clear(X);
	fmpz_clear(want);
	fmpz_clear(v);
	fmpz_clear(lhs);
	fmpz_clear(rhs);
	lt_divround_clear(&dr);
	lt_ring_clear(&r);
}

Test(rns, divide_and_round_within_documented_error)
{
	static const unsigned b1[] = { 50, 49, 48, 47, 46, 45, 44 };
	static const unsigned b2[] = { 61, 60, 59, 58, 57 };
	check_divround(3, 1, b1);
	check_divround(1, 1, b1);
	check_divround(4, 3, b1);
	check_divround(2, 3, b2);
}

Test(rns, refuses_overlapping_bases)
{
	static const unsigned b[] = { 40, 41, 42 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, b, 3), LATHE_OK);
	lt_baseconv bc;
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 2, r.modp + 1, 2), LATHE_EPARAM);
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 0, r.modp + 1, 2), LATHE_EINVAL);
	/* bare (composite) moduli: refused when they share a factor, not only when equal */
	lt_modulus m15, m21;
	cr_assert_eq(lt_modulus_init_bare(&m15, 15, lt_kernels_scalar()), LATHE_OK);
	cr_assert_eq(lt_modulus_init_bare(&m21, 21, lt_kernels_scalar()), LATHE_OK);
	const lt_modulus *in2[2] = { &m15, &m21 }, *in1[1] = { &m15 }, *out1[1] = { &m21 };
	cr_assert_eq(lt_baseconv_init(&bc, in2, 2, r.modp, 1), LATHE_EPARAM);
	cr_assert_eq(lt_baseconv_init(&bc, in1, 1, out1, 1), LATHE_EPARAM);
	cr_assert_eq(lt_baseconv_init(&bc, in1, 1, r.modp, 3), LATHE_OK);
	lt_baseconv_clear(&bc);
	lt_ring_clear(&r);
}

/* centered extension: out = X_c mod b_j exactly, X_c in [-A/2, A/2) */
Test(rns, centered_extension_is_exact)
{
	static const unsigned bits[] = { 50, 49, 48, 47, 46, 45, 61, 60 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, bits, 8), LATHE_OK);
	const unsigned nin = 5, nout = 3;
	lt_baseconv bc;
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, nin, r.modp + nin, nout), LATHE_OK);
	lt_prng g;
	test_prng(&g, 90);
	uint64_t *x = lt_alloc((size_t)nin * N * 8), *e = lt_alloc((size_t)nout * N * 8);
	uint64_t *scr = lt_alloc((size_t)(nin + 1) * N * 8);
	fmpz *xs = _fmpz_vec_init(N);
	fmpz_t v;
	fmpz_init(v);
	for (unsigned t = 0; t < test_mult(20); t++) {
		for (unsigned i = 0; i < nin; i++)
			for (unsigned j = 0; j < N; j++)
				x[i * N + j] = t == 0 ? (j & 1) * (r.mod[i].q - 1) : test_rand(&g, r.mod[i].q);
		lt_baseconv_apply_centered(&bc, e, x, N, scr);
		lt_crt_compose(xs, x, N, r.modp, nin, 1);
		for (unsigned o = 0; o < nout; o++)
			for (unsigned j = 0; j < N; j++) {
				fmpz_mod_ui(v, xs + j, r.mod[nin + o].q);
				cr_assert_eq(fmpz_get_ui(v), e[o * N + j], "limb %u coefficient %u (seed=%llu)", o, j,
				             (unsigned long long)test_seed());
			}
	}
	fmpz_clear(v);
	_fmpz_vec_clear(xs, N);
	lt_free(x);
	lt_free(e);
	lt_free(scr);
	lt_baseconv_clear(&bc);
	lt_ring_clear(&r);
}

/*
 * The AVX2 extension (rns_avx2.c) against the scalar oracle, word for word:
 * shapes nin in 1..16, nout in 1..20, primes of 30 to 50 bits (all 50 bits
 * for the largest lazy sums), lengths 1..4099 with every tail mod 4 and
 * mod 16, plain and centered, on 1, 2 and 3 threads. Inputs: uniform; all
 * q - 1; y_i = a_i - 1 (the largest terms); words 0 and q - 1 mixed.
 */
static void
check_vec_bits(const lt_kernels *kv, lt_prng *g, unsigned nin, unsigned nout, const unsigned *bits)
{
	static const size_t lens[] = { 1, 2, 3, 4, 5, 7, 15, 16, 17, 33, 255, 341, 1021, 4096, 4099 };
	const size_t nlens = sizeof lens / sizeof lens[0];
	const size_t nmax = 4099;
	/* the same primes in a scalar ring and an AVX2 ring */
	uint64_t qs[36];
	gen_primes(qs, bits, nin + nout);
	lt_ring r, rv;
	cr_assert_eq(lt_ring_init_kernels(&r, N, qs, nin + nout, lt_kernels_scalar()), LATHE_OK);
	cr_assert_eq(lt_ring_init_kernels(&rv, N, qs, nin + nout, kv), LATHE_OK);
	lt_baseconv bc, bcv;
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, nin, r.modp + nin, nout), LATHE_OK);
	cr_assert_eq(lt_baseconv_init(&bcv, rv.modp, nin, rv.modp + nin, nout), LATHE_OK);
	cr_assert_eq(bc.kern, lt_kernels_scalar());
	cr_assert_null(bc.vec);
	cr_assert_eq(bcv.kern, kv, "AVX2 kernels not taken (an output prime below 2^50)");
	cr_assert(bcv.vec != NULL, "vector tables not built (an output prime below 2^50)");
	uint64_t *x = lt_alloc((size_t)nin * nmax * 8), *ref = lt_alloc((size_t)nout * nmax * 8);
	uint64_t *vec = lt_alloc((size_t)nout * nmax * 8), *scr = lt_alloc((size_t)(nin + 1) * nmax * 8);
	/* x_i = -(A/a_i) mod a_i gives y_i = a_i - 1 */
	uint64_t ymax_x[16];
	for (unsigned i = 0; i < nin; i++) {
		const lt_modulus *m = r.modp[i];
		ymax_x[i] = lt_negmod(lt_invmod(bc.ahat_inv[i], m->q, m->br), m->q);
	}
	for (size_t li = 0; li < nlens; li++) {
		const size_t n = lens[li];
		for (int kind = 0; kind < 4; kind++) {
			for (unsigned i = 0; i < nin; i++) {
				const uint64_t q = r.modp[i]->q;
				for (size_t k = 0; k < n; k++) {
					uint64_t w = test_rand(g, q);
					if (kind == 1)
						w = q - 1;
					else if (kind == 2)
						w = ymax_x[i];
					else if (kind == 3)
						w = (w & 3) == 0 ? 0 : (w & 3) == 1 ? q - 1 : w;
					x[(size_t)i * n + k] = w;
				}
			}
			for (int centered = 0; centered < 2; centered++) {
				memset(ref, 0xa5, (size_t)nout * n * 8);
				if (centered)
					lt_baseconv_apply_centered(&bc, ref, x, n, scr);
				else
					lt_baseconv_apply(&bc, ref, x, n, scr);
				for (int th = 1; th <= 3; th++) {
					omp_set_num_threads(th);
					memset(vec, 0x5a, (size_t)nout * n * 8);
					if (centered)
						lt_baseconv_apply_centered(&bcv, vec, x, n, scr);
					else
						lt_baseconv_apply(&bcv, vec, x, n, scr);
					for (size_t w = 0; w < (size_t)nout * n; w++)
						cr_assert_eq(vec[w], ref[w],
						             "%u->%u n=%zu kind=%d centered=%d threads=%d: limb %zu word %zu "
						             "%llu != %llu (seed=%llu)",
						             nin, nout, n, kind, centered, th, w / n, w % n,
						             (unsigned long long)vec[w], (unsigned long long)ref[w],
						             (unsigned long long)test_seed());
				}
				omp_set_num_threads(2);
			}
		}
	}
	lt_free(x);
	lt_free(ref);
	lt_free(vec);
	lt_free(scr);
	lt_baseconv_clear(&bc);
	lt_baseconv_clear(&bcv);
	lt_ring_clear(&r);
	lt_ring_clear(&rv);
}

static void
check_vec_shape(const lt_kernels *kv, lt_prng *g, unsigned nin, unsigned nout, int all50)
{
	unsigned bits[36];
	for (unsigned i = 0; i < nin + nout; i++)
		bits[i] = all50 ? 50 : 30 + (unsigned)test_rand(g, 21);
	check_vec_bits(kv, g, nin, nout, bits);
}

Test(rns, avx2_extension_matches_scalar)
{
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	if (!kv)
		cr_skip_test("no AVX2 kernels in this build or on this CPU");
	static const unsigned shapes[][2] = {
		{ 1, 1 }, { 1, 20 }, { 2, 3 }, { 3, 2 }, { 4, 4 }, { 5, 7 }, { 6, 12 }, { 8, 1 },
		{ 12, 6 }, { 13, 4 }, { 14, 3 }, { 15, 2 }, { 16, 5 }, { 16, 20 }, { 11, 17 },
	};
	lt_prng g;
	test_prng(&g, 95);
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
		check_vec_shape(kv, &g, shapes[s][0], shapes[s][1], 0);
	/* 50-bit primes everywhere: 13..17 terms cross the lazy-sum limit (14) */
	check_vec_shape(kv, &g, 13, 3, 1);
	check_vec_shape(kv, &g, 14, 2, 1);
	check_vec_shape(kv, &g, 16, 6, 1);
	for (unsigned t = 0; t < test_mult(4); t++)
		check_vec_shape(kv, &g, 1 + (unsigned)test_rand(&g, 16), 1 + (unsigned)test_rand(&g, 20), 0);
}

/*
 * Primes at or above 2^50 (they keep the scalar NTT) among the vector
 * ones, as a bootstrappable chain has them (a q_0 of 55 bits, a special
 * prime of 61): a large input enters the vector sums by its halves, a
 * large output is summed by the scalar code. Word for word against the
 * scalar oracle, plain, centered, and fused (below), including the lazy
 * sums' limit crossed by the extra rows.
 */
Test(rns, avx2_extension_with_large_primes_matches_scalar)
{
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	if (!kv)
		cr_skip_test("no AVX2 kernels in this build or on this CPU");
	lt_prng g;
	test_prng(&g, 97);
	/* ModUp of a digit without q_0: small inputs, q_0 and p_0 among the outputs */
	static const unsigned up[] = { 40, 40, 50, 40, 45, 50, 55, 40, 46, 40, 61, 50, 45 };
	check_vec_bits(kv, &g, 6, 7, up);
	/* ModUp of the digit with q_0: a large input */
	static const unsigned up0[] = { 55, 46, 46, 40, 40, 40, 50, 61, 45 };
	check_vec_bits(kv, &g, 6, 3, up0);
	/* ModDown: P with its 61-bit prime into Q with q_0 */
	static const unsigned down[] = { 61, 50, 50, 50, 50, 45, 55, 46, 46, 40, 40, 50 };
	check_vec_bits(kv, &g, 6, 6, down);
	/* only large inputs, of 58 to 61 bits; one small output among large ones */
	static const unsigned big[] = { 61, 61, 60, 58, 40, 50 };
	check_vec_bits(kv, &g, 4, 2, big);
	static const unsigned one[] = { 40, 61, 61, 60, 49 };
	check_vec_bits(kv, &g, 2, 3, one);
	/* 14 inputs, 3 of them large: 17 rows cross the lazy-sum limit of 50-bit outputs */
	static const unsigned lazy[] = { 61, 50, 50, 50, 50, 50, 55, 50, 50, 50, 50, 50, 61, 50, 50, 50, 61 };
	check_vec_bits(kv, &g, 14, 3, lazy);
	for (unsigned t = 0; t < test_mult(4); t++) {
		unsigned bits[36];
		const unsigned nin = 1 + (unsigned)test_rand(&g, 12), nout = 1 + (unsigned)test_rand(&g, 12);
		for (unsigned i = 0; i < nin + nout; i++)
			bits[i] = test_rand(&g, 3) == 0 ? 51 + (unsigned)test_rand(&g, 11) : 30 + (unsigned)test_rand(&g, 21);
		bits[nin] = 30 + (unsigned)test_rand(&g, 21); /* one output below 2^50 */
		check_vec_bits(kv, &g, nin, nout, bits);
	}
}

/* The fused extension and combination of tdiv.h with large primes on both sides, against the scalar path */
Test(rns, avx2_fused_mulsub_with_large_primes_matches_scalar)
{
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	if (!kv)
		cr_skip_test("no AVX2 kernels in this build or on this CPU");
	static const unsigned bits[] = { 61, 50, 45, 50, 55, 46, 40, 50, 61 };
	const unsigned nin = 4, nout = 5;
	uint64_t qs[9];
	gen_primes(qs, bits, nin + nout);
	lt_ring r, rv;
	cr_assert_eq(lt_ring_init_kernels(&r, N, qs, nin + nout, lt_kernels_scalar()), LATHE_OK);
	cr_assert_eq(lt_ring_init_kernels(&rv, N, qs, nin + nout, kv), LATHE_OK);
	lt_baseconv bc, bcv;
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, nin, r.modp + nin, nout), LATHE_OK);
	cr_assert_eq(lt_baseconv_init(&bcv, rv.modp, nin, rv.modp + nin, nout), LATHE_OK);
	cr_assert_eq(bcv.kern, kv);
	cr_assert_eq(bcv.nbig_in, 1);
	cr_assert_eq(bcv.nbig_out, 2);
	lt_prng g;
	test_prng(&g, 98);
	static const size_t lens[] = { 1, 3, 4, 17, 1021, 4096 };
	for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
		const size_t n = lens[li];
		uint64_t *xin = lt_alloc(nin * n * 8), *x = lt_alloc(nout * n * 8);
		uint64_t *ref = lt_alloc(nout * n * 8), *vec = lt_alloc(nout * n * 8);
		uint64_t cx[5], cy[5];
		for (unsigned i = 0; i < nin; i++)
			for (size_t k = 0; k < n; k++)
				xin[i * n + k] = test_rand(&g, r.modp[i]->q);
		for (unsigned j = 0; j < nout; j++) {
			const uint64_t q = r.modp[nin + j]->q;
			cx[j] = test_rand(&g, q);
			cy[j] = test_rand(&g, q);
			for (size_t k = 0; k < n; k++)
				x[j * n + k] = test_rand(&g, q);
		}
		lt_baseconv_apply_centered_mulsub(&bc, ref, x, xin, n, cx, cy);
		for (int th = 1; th <= 3; th++) {
			omp_set_num_threads(th);
			memset(vec, 0x5a, nout * n * 8);
			lt_baseconv_apply_centered_mulsub(&bcv, vec, x, xin, n, cx, cy);
			cr_assert_arr_eq(vec, ref, nout * n * 8, "n=%zu threads=%d: the fused words differ", n, th);
		}
		omp_set_num_threads(2);
		lt_free(xin);
		lt_free(x);
		lt_free(ref);
		lt_free(vec);
	}
	lt_baseconv_clear(&bc);
	lt_baseconv_clear(&bcv);
	lt_ring_clear(&r);
	lt_ring_clear(&rv);
}

/*
 * A base conversion takes its primes' kernels when they all have the same
 * ones, or when the only others are the scalar ones of primes at or above
 * the vector limit: the vector tables exist on an AVX2 ring unless every
 * output prime is at or above 2^50; primes of a scalar ring mixed in keep
 * the scalar kernels.
 */
Test(rns, avx2_tables_unless_every_output_is_large)
{
	static const unsigned bits[] = { 50, 49, 51, 48 };
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2), *ks = lt_kernels_scalar();
	const lt_kernels *k = kv ? kv : ks;
	uint64_t q[4];
	gen_primes(q, bits, 4);
	lt_ring r, rs;
	cr_assert_eq(lt_ring_init_kernels(&r, N, q, 4, k), LATHE_OK);
	cr_assert_eq(lt_ring_init_kernels(&rs, N, q, 4, ks), LATHE_OK);
	lt_baseconv bc;
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 2, r.modp + 3, 1), LATHE_OK);
	cr_assert_eq(bc.kern, k);
	cr_assert_eq(bc.vec != NULL, kv != NULL);
	cr_assert_eq(bc.nbig_in + bc.nbig_out, 0);
	lt_baseconv_clear(&bc);
	/* a 51-bit output among small ones: the vector tables, that output marked for the scalar code */
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 2, r.modp + 2, 2), LATHE_OK);
	cr_assert_eq(bc.kern, k);
	cr_assert_eq(bc.vec != NULL, kv != NULL);
	if (kv)
		cr_assert(bc.nbig_out == 1 && bc.big_out[0] == 1 && bc.big_out[1] == 0);
	lt_baseconv_clear(&bc);
	/* a 51-bit input: its two rows */
	cr_assert_eq(lt_baseconv_init(&bc, r.modp + 1, 2, r.modp + 3, 1), LATHE_OK);
	cr_assert_eq(bc.kern, k);
	if (kv)
		cr_assert(bc.nbig_in == 1 && bc.nvin == 3 && bc.big_of[1] == 0 && bc.vrow_of[1] == 1);
	lt_baseconv_clear(&bc);
	/* the only output is 51 bits: nothing for the vector sums, the scalar kernels */
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 2, r.modp + 2, 1), LATHE_OK);
	cr_assert_null(bc.vec, "a 51-bit only output must keep the scalar path");
	cr_assert_eq(bc.kern, ks);
	lt_baseconv_clear(&bc);
	cr_assert_eq(lt_baseconv_init(&bc, r.modp, 2, rs.modp + 3, 1), LATHE_OK);
	cr_assert_null(bc.vec, "a prime of a scalar ring must keep the scalar path");
	cr_assert_eq(bc.kern, ks);
	lt_baseconv_clear(&bc);
	cr_assert_eq(lt_baseconv_init(&bc, rs.modp, 2, rs.modp + 3, 1), LATHE_OK);
	cr_assert_null(bc.vec);
	cr_assert_eq(bc.kern, ks);
	lt_baseconv_clear(&bc);
	lt_ring_clear(&r);
	lt_ring_clear(&rs);
}
