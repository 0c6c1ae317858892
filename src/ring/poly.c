#include "poly.h"

#include <assert.h>
#include <string.h>

#include <omp.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "vec.h"

/* Below this many words in total, a parallel region costs more than it saves. */
#define LT_PAR_MIN_WORDS 8192

int
lt_par(unsigned k, size_t n)
{
	return k > 1 && (size_t)k * n >= LT_PAR_MIN_WORDS && !omp_in_parallel();
}

/*
 * The word-by-word loops below run over the two halves of every limb's
 * coefficients: over whole limbs, an odd number of them leaves one of two
 * threads idle for the last one. Every word is computed the same way
 * whatever the split.
 */
#define HALVES(k, n) for (unsigned y = 0; y < 2 * (k); y++)
#define HALF_LIMB(y) ((y) / 2)
#define HALF_OFF(y, n) (((y) % 2) * ((n) / 2))
#define HALF_LEN(y, n) ((y) % 2 ? (n) - (n) / 2 : (n) / 2)

lathe_status
lt_poly_init(lt_poly *p, size_t n, const lt_modulus *const *mod, unsigned nlimbs)
{
	if (!p)
		return lt_fail(LATHE_EINVAL, "polynomial set-up: NULL polynomial");
	memset(p, 0, sizeof(*p));
	if (!mod)
		return lt_fail(LATHE_EINVAL, "polynomial set-up: NULL basis");
	if (nlimbs == 0 || n == 0)
		return lt_fail(LATHE_EINVAL, "polynomial set-up: %u limbs of %zu words", nlimbs, n);
	p->c = lt_calloc((size_t)nlimbs * n, sizeof(uint64_t));
	if (!p->c)
		return lt_fail(LATHE_ENOMEM, "polynomial set-up: out of memory (%u limbs of %zu words)",
		               nlimbs, n);
	p->n = n;
	p->nlimbs = nlimbs;
	p->mod = mod;
	p->ntt = 0;
	return LATHE_OK;
}

void
lt_poly_clear(lt_poly *p)
{
	if (!p)
		return;
	if (p->c)
		lt_free_secret(p->c, (size_t)p->nlimbs * p->n * sizeof(uint64_t));
	memset(p, 0, sizeof(*p));
}

int
lt_poly_compatible(const lt_poly *a, const lt_poly *b)
{
	if (a->n != b->n || a->nlimbs != b->nlimbs)
		return 0;
	if (a->mod == b->mod)
		return 1;
	for (unsigned i = 0; i < a->nlimbs; i++)
		if (a->mod[i]->q != b->mod[i]->q)
			return 0;
	return 1;
}

int
lt_poly_overlap(const lt_poly *a, const lt_poly *b)
{
	/* as integers: relational comparison of pointers into different objects is undefined */
	const uintptr_t pa = (uintptr_t)a->c, pb = (uintptr_t)b->c;
	const uintptr_t sa = (uintptr_t)a->nlimbs * a->n * sizeof(uint64_t);
	const uintptr_t sb = (uintptr_t)b->nlimbs * b->n * sizeof(uint64_t);
	return pa < pb + sb && pb < pa + sa;
}

/*
 * The checks behind the asserts; static inline so that a build with
 * NDEBUG, where nothing calls them, does not warn.
 */
static inline int
valid(const lt_poly *p)
{
	return p && p->c && p->mod && p->n > 0 && p->nlimbs > 0;
}

/* r and a over one basis, r the same words as a or apart from them */
static inline int
fits(const lt_poly *r, const lt_poly *a)
{
	return valid(r) && valid(a) && lt_poly_compatible(r, a) && (r->c == a->c || !lt_poly_overlap(r, a));
}

void
lt_poly_copy(lt_poly *r, const lt_poly *a)
{
	assert(fits(r, a) && "poly copy: incompatible or partly overlapping polynomials");
	if (r->c != a->c)
		lt_limbs_copy(r->c, a->c, a->nlimbs, a->n);
	r->ntt = a->ntt;
}

void
lt_limbs_copy(uint64_t *dst, const uint64_t *src, unsigned k, size_t n)
{
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const size_t o = (size_t)HALF_LIMB(y) * n + HALF_OFF(y, n);
		memcpy(dst + o, src + o, HALF_LEN(y, n) * sizeof(uint64_t));
	}
}

void
lt_poly_add(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	assert(fits(r, a) && fits(r, b) && "poly add: incompatible or partly overlapping polynomials");
	assert(a->ntt == b->ntt && "poly add: operands in different forms");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_add(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, lt_poly_limb(b, i) + o, len, a->mod[i]->q);
	}
	r->ntt = a->ntt;
}

void
lt_poly_sub(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	assert(fits(r, a) && fits(r, b) && "poly sub: incompatible or partly overlapping polynomials");
	assert(a->ntt == b->ntt && "poly sub: operands in different forms");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_sub(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, lt_poly_limb(b, i) + o, len, a->mod[i]->q);
	}
	r->ntt = a->ntt;
}

void
lt_poly_neg(lt_poly *r, const lt_poly *a)
{
	assert(fits(r, a) && "poly neg: incompatible or partly overlapping polynomials");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_neg(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, len, a->mod[i]->q);
	}
	r->ntt = a->ntt;
}

void
lt_poly_mul(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	assert(fits(r, a) && fits(r, b) && "poly mul: incompatible or partly overlapping polynomials");
	assert(a->ntt && b->ntt && "poly mul: operands must be in NTT form");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_mul(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, lt_poly_limb(b, i) + o, len, a->mod[i]);
	}
	r->ntt = 1;
}

void
lt_poly_mac(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	assert(fits(r, a) && fits(r, b) && "poly mac: incompatible or partly overlapping polynomials");
	assert(r->ntt && a->ntt && b->ntt && "poly mac: accumulator and operands must be in NTT form");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_mac(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, lt_poly_limb(b, i) + o, len, a->mod[i]);
	}
}

void
lt_poly_mul_int(lt_poly *r, const lt_poly *a, int64_t c)
{
	assert(fits(r, a) && "poly mul int: incompatible or partly overlapping polynomials");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		const lt_modulus *m = a->mod[i];
		lt_vec_mul_scalar(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, lt_from_signed(c, m->q, m->br), len, m);
	}
	r->ntt = a->ntt;
}

/* c[0..a->nlimbs) reduced mod the primes of a */
static inline int
reduced(const lt_poly *a, const uint64_t *c)
{
	if (!c)
		return 0;
	for (unsigned i = 0; i < a->nlimbs; i++)
		if (c[i] >= a->mod[i]->q)
			return 0;
	return 1;
}

void
lt_poly_mul_rns(lt_poly *r, const lt_poly *a, const uint64_t *c)
{
	assert(fits(r, a) && "poly mul rns: incompatible or partly overlapping polynomials");
	assert(reduced(a, c) && "poly mul rns: constants NULL or not reduced");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, n / 2))
	HALVES(k, n) {
		const unsigned i = HALF_LIMB(y);
		const size_t o = HALF_OFF(y, n), len = HALF_LEN(y, n);
		lt_vec_mul_scalar(lt_poly_limb(r, i) + o, lt_poly_limb(a, i) + o, c[i], len, a->mod[i]);
	}
	r->ntt = a->ntt;
}

void
lt_poly_to_ntt(lt_poly *p)
{
	assert(valid(p) && "poly to NTT: NULL or uninitialised polynomial");
	if (p->ntt)
		return;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(k, p->n))
	for (unsigned i = 0; i < k; i++)
		lt_ntt_fwd(lt_poly_limb(p, i), &p->mod[i]->ntt);
	p->ntt = 1;
}

void
lt_poly_to_coeff(lt_poly *p)
{
	assert(valid(p) && "poly to coefficients: NULL or uninitialised polynomial");
	if (!p->ntt)
		return;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(k, p->n))
	for (unsigned i = 0; i < k; i++)
		lt_ntt_inv(lt_poly_limb(p, i), &p->mod[i]->ntt);
	p->ntt = 0;
}

void
lt_small_ntt_limb(uint64_t *d, const int8_t *s, int64_t c, size_t n, const lt_modulus *m)
{
	const uint64_t q = m->q;
	/* |s| <= 128, so c s is exact in 64 bits and below q when 128 |c| < q */
	const uint64_t ac = c < 0 ? -(uint64_t)c : (uint64_t)c;
	if (ac < ((uint64_t)1 << 55) && (ac << 7) < q) {
		for (size_t j = 0; j < n; j++) {
			int64_t v = (int64_t)s[j] * c;
			d[j] = (uint64_t)v + (q & (uint64_t)(v >> 63));
		}
	} else {
		for (size_t j = 0; j < n; j++) {
			int64_t v = s[j];
			d[j] = (uint64_t)v + (q & (uint64_t)(v >> 63));
		}
		lt_vec_mul_scalar(d, d, lt_from_signed(c, q, m->br), n, m);
	}
	lt_ntt_fwd(d, &m->ntt);
}

void
lt_poly_set_small_ntt(lt_poly *p, const int8_t *s, int64_t c)
{
	assert(valid(p) && s && "poly set small NTT: NULL argument or uninitialised polynomial");
	const size_t n = p->n;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_small_ntt_limb(lt_poly_limb(p, i), s, c, n, p->mod[i]);
	p->ntt = 1;
}

void
lt_poly_set_small(lt_poly *p, const int8_t *s)
{
	assert(valid(p) && s && "poly set small: NULL argument or uninitialised polynomial");
	const size_t n = p->n;
	for (unsigned i = 0; i < p->nlimbs; i++) {
		const uint64_t q = p->mod[i]->q;
		uint64_t *d = lt_poly_limb(p, i);
		for (size_t j = 0; j < n; j++) {
			int64_t v = s[j];
			/* v + q when v < 0, without a branch on the secret sign */
			d[j] = (uint64_t)v + (q & (uint64_t)(v >> 63));
		}
	}
	p->ntt = 0;
}
