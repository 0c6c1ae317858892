#include "rns.h"

#include <assert.h>
#include <string.h>

#include <omp.h>

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
	return lt_baseconv_init_scaled(bc, in, nin, out, nout, NULL);
}

lathe_status
lt_baseconv_init_scaled(lt_baseconv *bc, const lt_modulus *const *in, unsigned nin,
                        const lt_modulus *const *out, unsigned nout, const uint64_t *scale)
{
	memset(bc, 0, sizeof(*bc));
	if (!in || !out || nin == 0 || nout == 0)
		return lt_fail(LATHE_EINVAL, "base conversion: empty or NULL basis");
	for (unsigned i = 0; i < nin; i++) {
		for (unsigned j = 0; j < nout; j++)
			if (lt_gcd(in[i]->q, out[j]->q) != 1)
				return lt_fail(LATHE_EPARAM, "base conversion: moduli %llu and %llu (one in each basis) "
				               "are equal or share a factor",
				               (unsigned long long)in[i]->q, (unsigned long long)out[j]->q);
		for (unsigned j = 0; j < i; j++)
			if (lt_gcd(in[i]->q, in[j]->q) != 1)
				return lt_fail(LATHE_EPARAM, "base conversion: input moduli %llu and %llu are equal "
				               "or share a factor",
				               (unsigned long long)in[j]->q, (unsigned long long)in[i]->q);
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
		/* any modulus coprime to the others (bare ones need not be prime) */
		bc->ahat_inv[i] = lt_invmod_any(h, m->q);
		if (scale)
			bc->ahat_inv[i] = lt_mulmod(bc->ahat_inv[i], scale[i], m->q, m->br);
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
	/*
	 * the primes' kernels when all have the same ones, or the scalar ones
	 * only because they are at or above those kernels' limit (the vector
	 * kernels take such primes apart, rns_avx2.c), and they take this shape
	 */
	const lt_kernels *ks = lt_kernels_scalar(), *k = NULL;
	int mixed = 0;
	for (unsigned x = 0; x < nin + nout && !mixed; x++) {
		const lt_kernels *kx = x < nin ? in[x]->ntt.kern : out[x - nin]->ntt.kern;
		if (kx == ks)
			continue;
		if (!kx || (k && kx != k))
			mixed = 1;
		k = kx;
	}
	if (mixed || !k)
		k = ks;
	for (unsigned x = 0; k != ks && x < nin + nout; x++) {
		const lt_modulus *m = x < nin ? in[x] : out[x - nin];
		if (m->ntt.kern == ks && m->q < k->qmax)
			k = ks; /* a prime of a scalar ring */
	}
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
 * out_j = sum_i y_i * (A/a_i mod b_j) - u * (A mod b_j) mod b_j (u NULL:
 * none) for the coefficients k0 <= k < k1 of output limb j.
 * Coefficient-major: each coefficient's sum stays in a 128-bit register
 * accumulator across the input limbs (strided reads, no accumulator array).
 */
static void
conv_sum_limb(const lt_baseconv *bc, unsigned j, uint64_t *out, const uint64_t *y, size_t n, const uint8_t *u,
              size_t k0, size_t k1)
{
	const unsigned nin = bc->nin;
	const unsigned amax = bc->acc_max;
	const lt_modulus *m = bc->out[j];
	const uint64_t q = m->q;
	const lt_barrett br = m->br;
	const uint64_t *row = bc->ahat_mod + (size_t)j * nin;
	const uint64_t amod = bc->a_mod_out[j];
	uint64_t *oj = out + (size_t)j * n;
	size_t k = k0;
	if (amax > nin) {
		/* two coefficients at a time for instruction-level parallelism */
		for (; k + 2 <= k1; k += 2) {
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
	for (; k < k1; k++) {
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

static void
conv_sum(const lt_baseconv *bc, uint64_t *out, const uint64_t *y, size_t n, const uint8_t *u)
{
	const unsigned nout = bc->nout;
#pragma omp parallel for schedule(static) if (lt_par(nout, n))
	for (unsigned j = 0; j < nout; j++)
		conv_sum_limb(bc, j, out, y, n, u, 0, n);
}

/* u = round(sum_i y_i / a_i), so that X_c = sum_i y_i (A/a_i) - u A */
static void
conv_u(const lt_baseconv *bc, uint8_t *u, const uint64_t *y, size_t n)
{
	const unsigned nin = bc->nin;
#pragma omp parallel for schedule(static) if (lt_par(2, n))
	for (size_t k = 0; k < n; k++) {
		double v = 0.5;
		for (unsigned i = 0; i < nin; i++)
			v += (double)y[(size_t)i * n + k] * bc->inv_in[i];
		u[k] = (uint8_t)(uint64_t)v;
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
	conv_u(bc, u, y, n);
	conv_sum(bc, out, y, n, u);
}

void
lt_baseconv_apply_big_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                             uint64_t *scratch, int centered)
{
	const unsigned nin = bc->nin, nout = bc->nout;
	uint64_t *y = scratch;
	uint8_t *u = centered ? (uint8_t *)(scratch + (size_t)nin * n) : NULL;
	conv_y(bc, x, n, y);
	if (u)
		conv_u(bc, u, y, n);
	/* few limbs: the threads split the coefficients (pairs, as conv_sum_limb takes them) */
#pragma omp parallel if (lt_par(2, n))
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		const size_t k0 = n / 2 * t / nt * 2, k1 = t + 1 == nt ? n : n / 2 * (t + 1) / nt * 2;
		for (unsigned j = 0; j < nout; j++)
			if (bc->big_out[j] && k0 < k1)
				conv_sum_limb(bc, j, out, y, n, u, k0, k1);
	}
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

/* lt_baseconv_mulsub_scalar for the output limbs j with only[j] set (only NULL: all) */
static void
mulsub_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin, size_t n,
              const uint64_t *cx, const uint64_t *cy, const uint8_t *only)
{
	const unsigned nin = bc->nin, nout = bc->nout, amax = bc->acc_max;
	assert(nin <= LT_MAX_MODULI && nout <= LT_MAX_MODULI);
	uint64_t cxs[LT_MAX_MODULI], cys[LT_MAX_MODULI];
	for (unsigned j = 0; j < nout; j++) {
		cxs[j] = lt_shoup_prep(cx[j], bc->out[j]->q);
		cys[j] = lt_shoup_prep(cy[j], bc->out[j]->q);
	}
	/*
	 * Coefficient-major: y and u of one coefficient stay in registers and
	 * on the stack, so neither y nor e goes to memory. u is computed with
	 * lt_baseconv_apply_scalar's operations in its order: the same X_c.
	 */
	const int par = lt_par(only ? 2 : nout, n);
#pragma omp parallel for schedule(static) if (par)
	for (size_t k = 0; k < n; k++) {
		uint64_t y[LT_MAX_MODULI];
		for (unsigned i = 0; i < nin; i++)
			y[i] = lt_mulmod_shoup(xin[(size_t)i * n + k], bc->ahat_inv[i], bc->ahat_inv_s[i], bc->in[i]->q);
		double v = 0.5;
		for (unsigned i = 0; i < nin; i++)
			v += (double)y[i] * bc->inv_in[i];
		const uint8_t u = (uint8_t)(uint64_t)v;
		for (unsigned j = 0; j < nout; j++) {
			if (only && !only[j])
				continue;
			const lt_modulus *m = bc->out[j];
			const uint64_t q = m->q;
			const uint64_t *row = bc->ahat_mod + (size_t)j * nin;
			lt_u128 acc = 0;
			unsigned pending = 0;
			for (unsigned i = 0; i < nin; i++) {
				if (pending == amax) {
					acc = lt_reduce128(acc, q, m->br);
					pending = 1;
				}
				acc += (lt_u128)y[i] * row[i];
				pending++;
			}
			uint64_t e = lt_reduce128(acc, q, m->br);
			e = lt_submod(e, lt_reduce128((lt_u128)u * bc->a_mod_out[j], q, m->br), q);
			const size_t w = (size_t)j * n + k;
			out[w] = lt_submod(lt_mulmod_shoup(x[w], cx[j], cxs[j], q), lt_mulmod_shoup(e, cy[j], cys[j], q), q);
		}
	}
}

void
lt_baseconv_mulsub_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                          size_t n, const uint64_t *cx, const uint64_t *cy)
{
	mulsub_scalar(bc, out, x, xin, n, cx, cy, NULL);
}

void
lt_baseconv_mulsub_big_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                              size_t n, const uint64_t *cx, const uint64_t *cy)
{
	mulsub_scalar(bc, out, x, xin, n, cx, cy, bc->big_out);
}

void
lt_baseconv_apply_centered_mulsub(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                                  size_t n, const uint64_t *cx, const uint64_t *cy)
{
	bc->kern->baseconv_mulsub(bc, out, x, xin, n, cx, cy);
}
