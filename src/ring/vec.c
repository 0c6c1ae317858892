#include "vec.h"

#include "kernels.h"
#include "modarith.h"

void
lt_vec_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	for (size_t i = 0; i < n; i++)
		r[i] = lt_addmod(a[i], b[i], q);
}

void
lt_vec_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	for (size_t i = 0; i < n; i++)
		r[i] = lt_submod(a[i], b[i], q);
}

void
lt_vec_neg(uint64_t *r, const uint64_t *a, size_t n, uint64_t q)
{
	for (size_t i = 0; i < n; i++)
		r[i] = lt_negmod(a[i], q);
}

void
lt_vec_mul_port(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m)
{
	const uint64_t q = m->q;
	const lt_barrett br = m->br;
	for (size_t i = 0; i < n; i++)
		r[i] = lt_mulmod(a[i], b[i], q, br);
}

void
lt_vec_mac_port(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m)
{
	const uint64_t q = m->q;
	const lt_barrett br = m->br;
	for (size_t i = 0; i < n; i++)
		r[i] = lt_reduce128((lt_u128)a[i] * b[i] + r[i], q, br);
}

void
lt_vec_mul_scalar_port(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *m)
{
	const uint64_t q = m->q;
	const uint64_t cs = lt_shoup_prep(c, q);
	for (size_t i = 0; i < n; i++)
		r[i] = lt_mulmod_shoup(a[i], c, cs, q);
}

void
lt_vec_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m)
{
	m->ntt.kern->vec_mul(r, a, b, n, m);
}

void
lt_vec_mac(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m)
{
	m->ntt.kern->vec_mac(r, a, b, n, m);
}

void
lt_vec_mul_scalar(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *m)
{
	m->ntt.kern->vec_mul_scalar(r, a, c, n, m);
}

void
lt_vec_mac2_port(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
                 size_t n, const lt_modulus *m, int first)
{
	if (first) {
		lt_vec_mul_port(r0, a, b0, n, m);
		lt_vec_mul_port(r1, a, b1, n, m);
	} else {
		lt_vec_mac_port(r0, a, b0, n, m);
		lt_vec_mac_port(r1, a, b1, n, m);
	}
}

void
lt_vec_mulsub2_port(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                    const lt_modulus *m)
{
	const uint64_t q = m->q, cxs = lt_shoup_prep(cx, q), cys = lt_shoup_prep(cy, q);
	for (size_t i = 0; i < n; i++)
		r[i] = lt_submod(lt_mulmod_shoup(x[i], cx, cxs, q), lt_mulmod_shoup(y[i], cy, cys, q), q);
}

void
lt_vec_mac2(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1, size_t n,
            const lt_modulus *m, int first)
{
	m->ntt.kern->vec_mac2(r0, r1, a, b0, b1, n, m, first);
}

void
lt_vec_mulsub2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
               const lt_modulus *m)
{
	m->ntt.kern->vec_mulsub2(r, x, cx, y, cy, n, m);
}
