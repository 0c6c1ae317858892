/*
 * Slot descriptor and thin-slot encoder for t = p^r (slots.h).
 * Slot structure of power-of-two cyclotomics: BOOTSTRAP.md §1;
 * the cyclic case (p = 3 mod 4) after Geelen-Vercauteren, "Bootstrapping
 * for BGV and BFV revisited" (J. Cryptology 2023), thin bootstrapping with
 * the subring Z[X^(d/2)].
 */
#include "slots.h"

#include <assert.h>
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"

static size_t
bitrev(size_t x, unsigned bits)
{
	size_t r = 0;
	for (unsigned i = 0; i < bits; i++) {
		r = (r << 1) | (x & 1);
		x >>= 1;
	}
	return r;
}

static unsigned
log2_exact(size_t x)
{
	unsigned k = 0;
	while (((size_t)1 << k) < x)
		k++;
	return k;
}

/* a b mod 2N (a power of two) */
static uint64_t
mulm(uint64_t a, uint64_t b, uint64_t m)
{
	return (a * b) & (m - 1);
}

void
lt_slots_dlog(const lt_slots *s, uint64_t x, unsigned *sgn, uint64_t *e)
{
	const uint64_t m = s->m;
	x &= m - 1;
	assert(x & 1);
	*sgn = (x & 3) == 3;
	uint64_t y = *sgn ? m - x : x; /* = 1 mod 4 */
	/*
	 * Bit by bit: 5^(2^b) = 1 + 2^(b+2) (mod 2^(b+3)), so when y = 1 mod
	 * 2^(b+2), bit b of the exponent is bit b+2 of y; dividing by 5^(2^b)
	 * clears it.
	 */
	uint64_t inv = lt_invmod_any(5, m), ex = 0;
	for (unsigned b = 0; b + 1 < s->logn; b++) {
		if ((y >> (b + 2)) & 1) {
			y = mulm(y, inv, m);
			ex |= UINT64_C(1) << b;
		}
		inv = mulm(inv, inv, m);
	}
	assert(y == 1);
	*e = ex;
}

size_t
lt_slots_index(const lt_slots *s, uint64_t x)
{
	unsigned sg;
	uint64_t e;
	lt_slots_dlog(s, x, &sg, &e);
	if (s->kind == LT_SLOTS_CYCLIC) {
		/* -5^e = p 5^(e - a) and p is in <p> */
		uint64_t half = s->n / 2; /* order of 5 */
		if (sg)
			e = (e + half - s->frob_dlog) % half;
		return (size_t)(e % s->cols);
	}
	return (size_t)sg * s->cols + (size_t)(e % s->cols);
}

void
lt_slots_perm(uint32_t *src, const lt_slots *s, uint64_t g)
{
	assert(g & 1);
	for (size_t i = 0; i < s->ell; i++)
		src[i] = (uint32_t)lt_slots_index(s, mulm(g & (s->m - 1), s->gexp[i], s->m));
}

uint64_t
lt_slots_rot_elt(const lt_slots *s, int64_t k)
{
	int64_t c = (int64_t)s->cols;
	uint64_t kk = (uint64_t)(((k % c) + c) % c), r = 1, b = 5;
	while (kk) {
		if (kk & 1)
			r = mulm(r, b, s->m);
		b = mulm(b, b, s->m);
		kk >>= 1;
	}
	return r;
}

void
lt_slots_clear(lt_slots *s)
{
	lt_free(s->gexp);
	lt_free(s->pos);
	lt_free(s->pos_conj);
	lt_zpr_ntt_clear(&s->ntt);
	lt_ntt_tables_clear(&s->tntt);
	memset(s, 0, sizeof(*s));
}

/* NTT index of the point w^e, e odd, for a length-len transform (root of order 2 len) */
static uint32_t
point_pos(uint64_t e, size_t len)
{
	uint64_t x = e & (2 * (uint64_t)len - 1);
	return (uint32_t)bitrev((size_t)(x - 1) / 2, log2_exact(len));
}

lathe_status
lt_slots_init(lt_slots *s, unsigned logn, uint64_t p, unsigned r)
{
	memset(s, 0, sizeof(*s));
	if (logn < 4 || logn > 17)
		return lt_fail(LATHE_EPARAM, "slots: log2 N = %u outside [4, 17]", logn);
	if (lt_zpr_init(&s->z, p, r) != 0)
		return lt_fail(LATHE_EPARAM, "slots: %llu^%u is not a power of an odd prime below 2^62",
		               (unsigned long long)p, r);
	s->logn = logn;
	s->n = (size_t)1 << logn;
	s->m = 2 * (uint64_t)s->n;
	const uint64_t m = s->m, pm = p & (m - 1);
	uint64_t x = pm;
	s->d = 1;
	while (x != 1) {
		x = mulm(x, pm, m);
		s->d++;
	}
	s->ell = s->n / s->d;
	s->gen_col = 5;
	unsigned sg;
	uint64_t e;
	lt_slots_dlog(s, pm, &sg, &e);
	s->frob_dlog = e;
	if ((p & 3) == 1) {
		s->kind = s->d == 1 ? LT_SLOTS_FULL : LT_SLOTS_HYPERCUBE;
		s->rows = 2;
		s->cols = s->ell / 2;
		s->gen_row = m - 1;
		s->stride = s->d;
	} else {
		s->kind = LT_SLOTS_CYCLIC;
		s->rows = 1;
		s->cols = s->ell;
		s->gen_row = 0;
		s->stride = s->d / 2; /* d is even: p = 3 mod 4 is not 1 mod 2N */
	}
	s->len = s->n / s->stride;
	s->gexp = lt_alloc(s->ell * sizeof(uint64_t));
	s->pos = lt_alloc(s->ell * sizeof(uint32_t));
	if (s->kind == LT_SLOTS_CYCLIC)
		s->pos_conj = lt_alloc(s->ell * sizeof(uint32_t));
	if (!s->gexp || !s->pos || (s->kind == LT_SLOTS_CYCLIC && !s->pos_conj)) {
		lt_slots_clear(s);
		return lt_fail(LATHE_ENOMEM, "slots: out of memory");
	}
	for (size_t row = 0; row < s->rows; row++) {
		uint64_t g = row ? m - 1 : 1;
		for (size_t col = 0; col < s->cols; col++) {
			size_t i = row * s->cols + col;
			s->gexp[i] = g;
			s->pos[i] = point_pos(g, s->len);
			if (s->pos_conj)
				s->pos_conj[i] = point_pos(mulm(g, pm, m), s->len);
			g = mulm(g, 5, m);
		}
	}
	lt_gauss w = { 0, 0 };
	const unsigned k = log2_exact(2 * s->len); /* w has order 2 len */
	if (s->kind == LT_SLOTS_CYCLIC)
		w = lt_zpr_root2k_gauss(k, &s->z);
	else
		w.re = lt_zpr_root2k(k, &s->z);
	assert(w.re != 0 || w.im != 0);
	s->root = w;
	s->prime_ntt = s->kind == LT_SLOTS_FULL && r == 1;
	int fail = s->prime_ntt ? lt_ntt_tables_init(&s->tntt, p, w.re, logn)
	                        : lt_zpr_ntt_init(&s->ntt, &s->z, w, log2_exact(s->len), s->kind == LT_SLOTS_CYCLIC);
	if (fail) {
		lt_slots_clear(s);
		return lt_fail(LATHE_ENOMEM, "slots: out of memory");
	}
	return LATHE_OK;
}

lathe_status
lt_slots_encode(const lt_slots *s, uint64_t *m, const uint64_t *v)
{
	const size_t len = s->len, n = s->n;
	const int cyc = s->kind == LT_SLOTS_CYCLIC;
	uint64_t *re = lt_alloc((cyc ? 2 : 1) * len * sizeof(uint64_t));
	if (!re)
		return lt_fail(LATHE_ENOMEM, "slots: out of memory");
	for (size_t i = 0; i < s->ell; i++) {
		assert(v[i] < s->z.q);
		re[s->pos[i]] = v[i];
	}
	if (cyc) {
		/* the conjugate points w^(p g_i) carry Frob(v_i) = v_i, so the preimage has Z_t coefficients */
		uint64_t *im = re + len;
		for (size_t i = 0; i < s->ell; i++)
			re[s->pos_conj[i]] = v[i];
		memset(im, 0, len * sizeof(uint64_t));
		lt_zpr_ntt_inv_gauss(re, im, &s->ntt);
	} else if (s->prime_ntt) {
		lt_ntt_inv(re, &s->tntt);
	} else {
		lt_zpr_ntt_inv(re, &s->ntt);
	}
	memset(m, 0, n * sizeof(uint64_t));
	for (size_t k = 0; k < len; k++)
		m[k * s->stride] = re[k];
	lt_free_secret(re, (cyc ? 2 : 1) * len * sizeof(uint64_t));
	return LATHE_OK;
}

/*
 * Nonzero iff m is not thin: a coefficient off the multiples of stride,
 * or (CYCLIC) m(X^p) != m(X). No early exit. CT: yes.
 */
static uint64_t
not_thin(const lt_slots *s, const uint64_t *m)
{
	uint64_t acc = 0;
	for (size_t k = 0; k < s->len; k++)
		for (size_t o = 1; o < s->stride; o++)
			acc |= m[k * s->stride + o];
	if (s->kind == LT_SLOTS_CYCLIC) {
		/* on Z_t[Y]/(Y^len + 1), Y = X^stride: Y^k -> Y^(kp), Y^len = -1 */
		const uint64_t q = s->z.q, twolen = 2 * (uint64_t)s->len, pm = s->z.p % twolen;
		for (size_t k = 0; k < s->len; k++) {
			uint64_t e = ((uint64_t)k * pm) % twolen;
			uint64_t c = m[k * s->stride];
			uint64_t img = e >= s->len ? lt_negmod(c, q) : c;
			acc |= img ^ m[(size_t)(e % s->len) * s->stride];
		}
	}
	return acc;
}

lathe_status
lt_slots_decode(const lt_slots *s, uint64_t *v, const uint64_t *m)
{
	const size_t len = s->len;
	const int cyc = s->kind == LT_SLOTS_CYCLIC;
#ifndef NDEBUG
	for (size_t j = 0; j < s->n; j++)
		assert(m[j] < s->z.q);
#endif
	if (not_thin(s, m))
		return lt_fail(LATHE_EINVAL, "slots: the plaintext is not thin (not in the subring of Z_t-valued slots)");
	uint64_t *re = lt_alloc((cyc ? 2 : 1) * len * sizeof(uint64_t));
	if (!re)
		return lt_fail(LATHE_ENOMEM, "slots: out of memory");
	for (size_t k = 0; k < len; k++)
		re[k] = m[k * s->stride];
	if (cyc) {
		uint64_t *im = re + len;
		memset(im, 0, len * sizeof(uint64_t));
		lt_zpr_ntt_fwd_gauss(re, im, &s->ntt);
	} else if (s->prime_ntt) {
		lt_ntt_fwd(re, &s->tntt);
	} else {
		lt_zpr_ntt_fwd(re, &s->ntt);
	}
	for (size_t i = 0; i < s->ell; i++)
		v[i] = re[s->pos[i]];
	lt_free_secret(re, (cyc ? 2 : 1) * len * sizeof(uint64_t));
	return LATHE_OK;
}
