#include "rns.h"

#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "kernels.h"
#include "modarith.h"

/* prod of a_k mod m over k != skip (skip = -1 for all) */
static uint64_t
prod_mod(const lt_modulus *const *a, unsigned na, int skip, const lt_modulus *m)
{
	uint64_t r = 1 % m->q;
	for (unsigned k = 0; k < na; k++)
		if ((int)k != skip)
			r = lt_mulmod(r, a[k]->q % m->q, m->q, m->br);
	return r;
}

lathe_status
lt_baseconv_init(lt_baseconv *bc, const lt_modulus *const *in, unsigned nin,
                 const lt_modulus *const *out, unsigned nout)
{
	memset(bc, 0, sizeof(*bc));
	if (!in || !out || nin == 0 || nout == 0)
		return lt_fail(LATHE_EINVAL, "base conversion: empty or NULL basis");
	for (unsigned i = 0; i < nin; i++) {
		for (unsigned j = 0; j < nout; j++)
			if (in[i]->q == out[j]->q)
				return lt_fail(LATHE_EPARAM, "base conversion: prime %llu in both bases",
				               (unsigned long long)in[i]->q);
		for (unsigned j = 0; j < i; j++)
			if (in[i]->q == in[j]->q)
				return lt_fail(LATHE_EPARAM, "base conversion: prime %llu repeated",
				               (unsigned long long)in[i]->q);
	}
	bc->nin = nin;
	bc->nout = nout;
	bc->in = in;
	bc->out = out;
	bc->ahat_inv = lt_alloc(nin * sizeof(uint64_t));
	bc->ahat_inv_s = lt_alloc(nin * sizeof(uint64_t));
	bc->ahat_mod = lt_alloc((size_t)nin * nout * sizeof(uint64_t));
	bc->inv_in = lt_alloc(nin * sizeof(double));
	bc->a_mod_out = lt_alloc(nout * sizeof(uint64_t));
	if (!bc->ahat_inv || !bc->ahat_inv_s || !bc->ahat_mod || !bc->inv_in || !bc->a_mod_out) {
		lt_baseconv_clear(bc);
		return lt_fail(LATHE_ENOMEM, "base conversion: out of memory");
	}
	unsigned bits_in = 0, bits_out = 0;
	for (unsigned i = 0; i < nin; i++) {
		const lt_modulus *m = in[i];
		uint64_t h = prod_mod(in, nin, (int)i, m);
		bc->ahat_inv[i] = lt_invmod(h, m->q, m->br);
		bc->ahat_inv_s[i] = lt_shoup_prep(bc->ahat_inv[i], m->q);
		if (m->bits > bits_in)
			bits_in = m->bits;
		bc->inv_in[i] = 1.0 / (double)m->q;
	}
	for (unsigned j = 0; j < nout; j++) {
		if (out[j]->bits > bits_out)
			bits_out = out[j]->bits;
		for (unsigned i = 0; i < nin; i++)
			bc->ahat_mod[(size_t)j * nin + i] = prod_mod(in, nin, (int)i, out[j]);
		bc->a_mod_out[j] = prod_mod(in, nin, -1, out[j]);
	}
	/* y_i * ahat < 2^(bits_in + bits_out); keep the sum below 2^128 */
	unsigned head = 128 - (bits_in + bits_out);
	bc->acc_max = head >= 31 ? (1u << 30) : (1u << head);
	/* the primes' kernels when all have the same ones and they take this shape */
	const lt_kernels *k = in[0]->ntt.kern;
	for (unsigned i = 0; i < nin; i++)
		if (in[i]->ntt.kern != k)
			k = lt_kernels_scalar();
	for (unsigned j = 0; j < nout; j++)
		if (out[j]->ntt.kern != k)
			k = lt_kernels_scalar();
	int prep = k->baseconv_prep ? k->baseconv_prep(bc) : 0;
	if (prep < 0) {
		lt_baseconv_clear(bc);
		return lt_fail(LATHE_ENOMEM, "base conversion: out of memory");
	}
	bc->kern = prep == 0 ? k : lt_kernels_scalar();
	return LATHE_OK;
}

void
lt_baseconv_clear(lt_baseconv *bc)
{
	if (!bc)
		return;
	lt_free(bc->ahat_inv);
	lt_free(bc->ahat_inv_s);
	lt_free(bc->ahat_mod);
	lt_free(bc->inv_in);
	lt_free(bc->a_mod_out);
	lt_free(bc->vec);
	memset(bc, 0, sizeof(*bc));
}

/* y_i = [x_i * (A/a_i)^-1]_{a_i} */
static void
conv_y(const lt_baseconv *bc, const uint64_t *x, size_t n, uint64_t *y)
{
	const unsigned nin = bc->nin;
#pragma omp parallel for schedule(static) if (lt_par(nin, n))
	for (unsigned i = 0; i < nin; i++) {
		const uint64_t q = bc->in[i]->q, w = bc->ahat_inv[i], ws = bc->ahat_inv_s[i];
		const uint64_t *xi = x + (size_t)i * n;
		uint64_t *yi = y + (size_t)i * n;
		for (size_t k = 0; k < n; k++)
			yi[k] = lt_mulmod_shoup(xi[k], w, ws, q);
	}
}

/*
 * out_j = sum_i y_i * (A/a_i mod b_j) - u * (A mod b_j) mod b_j (u NULL: none).
 * Coefficient-major: each coefficient's sum stays in a 128-bit register
 * accumulator across the input limbs (strided reads, no accumulator array).
 */
static void
conv_sum(const lt_baseconv *bc, uint64_t *out, const uint64_t *y, size_t n, const uint8_t *u)
{
	const unsigned nin = bc->nin, nout = bc->nout;
	const unsigned amax = bc->acc_max;
#pragma omp parallel for schedule(static) if (lt_par(nout, n))
	for (unsigned j = 0; j < nout; j++) {
		const lt_modulus *m = bc->out[j];
		const uint64_t q = m->q;
		const lt_barrett br = m->br;
		const uint64_t *row = bc->ahat_mod + (size_t)j * nin;
		const uint64_t amod = bc->a_mod_out[j];
		uint64_t *oj = out + (size_t)j * n;
		size_t k = 0;
		if (amax > nin) {
			/* two coefficients at a time for instruction-level parallelism */
			for (; k + 2 <= n; k += 2) {
				lt_u128 a0 = 0, a1 = 0;
				const uint64_t *yk = y + k;
				for (unsigned i = 0; i < nin; i++, yk += n) {
					a0 += (lt_u128)yk[0] * row[i];
					a1 += (lt_u128)yk[1] * row[i];
				}
				if (u) {
					a0 += (lt_u128)u[k] * (q - amod);
					a1 += (lt_u128)u[k + 1] * (q - amod);
				}
				oj[k] = lt_reduce128(a0, q, br);
				oj[k + 1] = lt_reduce128(a1, q, br);
			}
		}
		for (; k < n; k++) {
			lt_u128 acc = 0;
			unsigned pending = 0;
			for (unsigned i = 0; i < nin; i++) {
				if (pending == amax) {
					acc = lt_reduce128(acc, q, br);
					pending = 1;
				}
				acc += (lt_u128)y[(size_t)i * n + k] * row[i];
				pending++;
			}
			uint64_t r = lt_reduce128(acc, q, br);
			if (u)
				r = lt_submod(r, lt_reduce128((lt_u128)u[k] * amod, q, br), q);
			oj[k] = r;
		}
	}
}

/* y = [x_i * (A/a_i)^-1]_{a_i} in scratch, then the sums (and u when centered) */
void
lt_baseconv_apply_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                         uint64_t *scratch, int centered)
{
	const unsigned nin = bc->nin;
	uint64_t *y = scratch;
	conv_y(bc, x, n, y);
	if (!centered) {
		conv_sum(bc, out, y, n, NULL);
		return;
	}
	uint8_t *u = (uint8_t *)(scratch + (size_t)nin * n);
	/* u = round(sum_i y_i / a_i): X_c = sum_i y_i (A/a_i) - u A */
#pragma omp parallel for schedule(static) if (lt_par(2, n))
	for (size_t k = 0; k < n; k++) {
		double v = 0.5;
		for (unsigned i = 0; i < nin; i++)
			v += (double)y[(size_t)i * n + k] * bc->inv_in[i];
		u[k] = (uint8_t)(uint64_t)v;
	}
	conv_sum(bc, out, y, n, u);
}

void
lt_baseconv_apply(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                  uint64_t *scratch)
{
	bc->kern->baseconv(bc, out, x, n, scratch, 0);
}

void
lt_baseconv_apply_centered(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                           uint64_t *scratch)
{
	bc->kern->baseconv(bc, out, x, n, scratch, 1);
}

lathe_status
lt_divround_init(lt_divround *dr, const lt_modulus *const *b, unsigned nb,
                 const lt_modulus *const *c, unsigned nc)
{
	memset(dr, 0, sizeof(*dr));
	lathe_status s = lt_baseconv_init(&dr->conv, c, nc, b, nb);
	if (s)
		return s;
	dr->nb = nb;
	dr->nc = nc;
	dr->half_c = lt_alloc((nb + nc) * sizeof(uint64_t));
	dr->c_inv = lt_alloc(nb * sizeof(uint64_t));
	dr->c_inv_s = lt_alloc(nb * sizeof(uint64_t));
	if (!dr->half_c || !dr->c_inv || !dr->c_inv_s) {
		lt_divround_clear(dr);
		return lt_fail(LATHE_ENOMEM, "divide-and-round: out of memory");
	}
	for (unsigned i = 0; i < nb + nc; i++) {
		const lt_modulus *m = i < nb ? b[i] : c[i - nb];
		/* C is odd, so floor(C/2) = (C - 1) * 2^-1 */
		uint64_t cm = prod_mod(c, nc, -1, m);
		uint64_t inv2 = (m->q + 1) / 2;
		dr->half_c[i] = lt_mulmod(lt_submod(cm, 1 % m->q, m->q), inv2, m->q, m->br);
		if (i < nb) {
			dr->c_inv[i] = lt_invmod(cm, m->q, m->br);
			dr->c_inv_s[i] = lt_shoup_prep(dr->c_inv[i], m->q);
		}
	}
	return LATHE_OK;
}

void
lt_divround_clear(lt_divround *dr)
{
	if (!dr)
		return;
	lt_baseconv_clear(&dr->conv);
	lt_free(dr->half_c);
	lt_free(dr->c_inv);
	lt_free(dr->c_inv_s);
	memset(dr, 0, sizeof(*dr));
}

void
lt_divround_apply(const lt_divround *dr, uint64_t *x, size_t n, uint64_t *scratch)
{
	const unsigned nb = dr->nb, nc = dr->nc;
	uint64_t *xc = x + (size_t)nb * n;
	/* x' = X + floor(C/2) on the C limbs: round(X/C) = floor(x'/C) */
#pragma omp parallel for schedule(static) if (lt_par(nc, n))
	for (unsigned j = 0; j < nc; j++) {
		const uint64_t q = dr->conv.in[j]->q, h = dr->half_c[nb + j];
		uint64_t *d = xc + (size_t)j * n;
		for (size_t k = 0; k < n; k++)
			d[k] = lt_addmod(d[k], h, q);
	}
	uint64_t *ext = scratch;                   /* nb limbs */
	uint64_t *tmp = scratch + (size_t)nb * n;  /* nc limbs */
	lt_baseconv_apply(&dr->conv, ext, xc, n, tmp);
	/* (x' - [x']_C) * C^-1 on B */
#pragma omp parallel for schedule(static) if (lt_par(nb, n))
	for (unsigned i = 0; i < nb; i++) {
		const uint64_t q = dr->conv.out[i]->q, h = dr->half_c[i];
		const uint64_t w = dr->c_inv[i], ws = dr->c_inv_s[i];
		uint64_t *d = x + (size_t)i * n;
		const uint64_t *e = ext + (size_t)i * n;
		for (size_t k = 0; k < n; k++)
			d[k] = lt_mulmod_shoup(lt_submod(lt_addmod(d[k], h, q), e[k], q), w, ws, q);
	}
}
