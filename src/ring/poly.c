#include "poly.h"

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

lathe_status
lt_poly_init(lt_poly *p, size_t n, const lt_modulus *const *mod, unsigned nlimbs)
{
	if (!p || !mod)
		return lt_fail(LATHE_EINVAL, "polynomial set-up: NULL argument");
	memset(p, 0, sizeof(*p));
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

static lathe_status
check2(const char *op, const lt_poly *r, const lt_poly *a)
{
	if (!r || !a || !r->c || !a->c)
		return lt_fail(LATHE_EINVAL, "%s: NULL or uninitialised polynomial", op);
	if (!lt_poly_compatible(r, a))
		return lt_fail(LATHE_EMISMATCH, "%s: polynomials over different bases (N %zu/%zu, %u/%u limbs)",
		               op, r->n, a->n, r->nlimbs, a->nlimbs);
	return LATHE_OK;
}

static lathe_status
check3(const char *op, const lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	lathe_status s = check2(op, r, a);
	if (s == LATHE_OK)
		s = check2(op, r, b);
	if (s == LATHE_OK && a->ntt != b->ntt)
		s = lt_fail(LATHE_EINVAL, "%s: operands in different forms (NTT and coefficient)", op);
	return s;
}

lathe_status
lt_poly_copy(lt_poly *r, const lt_poly *a)
{
	lathe_status s = check2("poly copy", r, a);
	if (s)
		return s;
	if (r != a)
		memcpy(r->c, a->c, (size_t)a->nlimbs * a->n * sizeof(uint64_t));
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_zero(lt_poly *r)
{
	if (!r || !r->c)
		return lt_fail(LATHE_EINVAL, "poly zero: NULL or uninitialised polynomial");
	memset(r->c, 0, (size_t)r->nlimbs * r->n * sizeof(uint64_t));
	return LATHE_OK;
}

lathe_status
lt_poly_add(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	lathe_status s = check3("poly add", r, a, b);
	if (s)
		return s;
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_add(lt_poly_limb(r, i), lt_poly_limb(a, i), lt_poly_limb(b, i), n, a->mod[i]->q);
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_sub(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	lathe_status s = check3("poly sub", r, a, b);
	if (s)
		return s;
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_sub(lt_poly_limb(r, i), lt_poly_limb(a, i), lt_poly_limb(b, i), n, a->mod[i]->q);
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_neg(lt_poly *r, const lt_poly *a)
{
	lathe_status s = check2("poly neg", r, a);
	if (s)
		return s;
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_neg(lt_poly_limb(r, i), lt_poly_limb(a, i), n, a->mod[i]->q);
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_mul(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	lathe_status s = check3("poly mul", r, a, b);
	if (s)
		return s;
	if (!a->ntt)
		return lt_fail(LATHE_EINVAL, "poly mul: operands must be in NTT form");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_mul(lt_poly_limb(r, i), lt_poly_limb(a, i), lt_poly_limb(b, i), n, a->mod[i]);
	r->ntt = 1;
	return LATHE_OK;
}

lathe_status
lt_poly_mac(lt_poly *r, const lt_poly *a, const lt_poly *b)
{
	lathe_status s = check3("poly mac", r, a, b);
	if (s)
		return s;
	if (!a->ntt || !r->ntt)
		return lt_fail(LATHE_EINVAL, "poly mac: accumulator and operands must be in NTT form");
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_mac(lt_poly_limb(r, i), lt_poly_limb(a, i), lt_poly_limb(b, i), n, a->mod[i]);
	return LATHE_OK;
}

lathe_status
lt_poly_mul_int(lt_poly *r, const lt_poly *a, int64_t c)
{
	lathe_status s = check2("poly mul int", r, a);
	if (s)
		return s;
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++) {
		const lt_modulus *m = a->mod[i];
		lt_vec_mul_scalar(lt_poly_limb(r, i), lt_poly_limb(a, i), lt_from_signed(c, m->q, m->br), n, m);
	}
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_mul_rns(lt_poly *r, const lt_poly *a, const uint64_t *c)
{
	lathe_status s = check2("poly mul rns", r, a);
	if (s)
		return s;
	if (!c)
		return lt_fail(LATHE_EINVAL, "poly mul rns: constants are NULL");
	for (unsigned i = 0; i < a->nlimbs; i++)
		if (c[i] >= a->mod[i]->q)
			return lt_fail(LATHE_EINVAL, "poly mul rns: constant %u is not reduced", i);
	const size_t n = a->n;
	const unsigned k = a->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, n))
	for (unsigned i = 0; i < k; i++)
		lt_vec_mul_scalar(lt_poly_limb(r, i), lt_poly_limb(a, i), c[i], n, a->mod[i]);
	r->ntt = a->ntt;
	return LATHE_OK;
}

lathe_status
lt_poly_to_ntt(lt_poly *p)
{
	if (!p || !p->c)
		return lt_fail(LATHE_EINVAL, "poly to NTT: NULL or uninitialised polynomial");
	if (p->ntt)
		return LATHE_OK;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, p->n))
	for (unsigned i = 0; i < k; i++)
		lt_ntt_fwd(lt_poly_limb(p, i), &p->mod[i]->ntt);
	p->ntt = 1;
	return LATHE_OK;
}

lathe_status
lt_poly_to_coeff(lt_poly *p)
{
	if (!p || !p->c)
		return lt_fail(LATHE_EINVAL, "poly to coefficients: NULL or uninitialised polynomial");
	if (!p->ntt)
		return LATHE_OK;
	const unsigned k = p->nlimbs;
#pragma omp parallel for schedule(static) if (lt_par(k, p->n))
	for (unsigned i = 0; i < k; i++)
		lt_ntt_inv(lt_poly_limb(p, i), &p->mod[i]->ntt);
	p->ntt = 0;
	return LATHE_OK;
}

lathe_status
lt_poly_set_small(lt_poly *p, const int8_t *s)
{
	if (!p || !p->c || !s)
		return lt_fail(LATHE_EINVAL, "poly set small: NULL argument");
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
	return LATHE_OK;
}
