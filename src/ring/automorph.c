#include "automorph.h"

#include <assert.h>

#include "modarith.h"

static uint32_t
brv(uint32_t x, unsigned bits)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < bits; i++) {
		r = (r << 1) | (x & 1);
		x >>= 1;
	}
	return r;
}

void
lt_automorph_perm(uint32_t *perm, unsigned logn, uint64_t k)
{
	const uint64_t n = UINT64_C(1) << logn, mask = 2 * n - 1;
	k &= mask;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = ((2 * (uint64_t)brv(i, logn) + 1) * k) & mask;
		perm[i] = brv((uint32_t)((e - 1) >> 1), logn);
	}
}

void
lt_automorph_coeff(uint64_t *out, const uint64_t *in, size_t n, uint64_t k, uint64_t q)
{
	const uint64_t mask = 2 * (uint64_t)n - 1;
	k &= mask;
	uint64_t e = 0; /* j*k mod 2N */
	for (size_t j = 0; j < n; j++) {
		uint64_t idx = e & (n - 1);
		uint64_t flip = (uint64_t)0 - (e >> __builtin_ctzll(n)); /* all ones when e >= N */
		uint64_t v = in[j];
		uint64_t nv = lt_negmod(v, q);
		out[idx] = (v & ~flip) | (nv & flip);
		e = (e + k) & mask;
	}
}

void
lt_automorph_ntt(uint64_t *out, const uint64_t *in, size_t n, const uint32_t *perm)
{
	for (size_t i = 0; i < n; i++)
		out[i] = in[perm[i]];
}

void
lt_poly_automorph(lt_poly *out, const lt_poly *a, uint64_t k, const uint32_t *perm)
{
	assert(out && a && out->c && a->c && "automorphism: NULL or uninitialised polynomial");
	assert((k & 1) == 1 && "automorphism: even Galois element");
	assert(lt_poly_compatible(out, a) && "automorphism: polynomials over different bases");
	assert(!lt_poly_overlap(out, a) && "automorphism: output overlaps input");
	assert((!a->ntt || perm) && "automorphism: NTT form needs a permutation table");
	const size_t n = a->n;
	const unsigned nl = a->nlimbs;
	if (!a->ntt) {
#pragma omp parallel for schedule(static) if (lt_par(nl, n))
		for (unsigned i = 0; i < nl; i++)
			lt_automorph_coeff(lt_poly_limb(out, i), lt_poly_limb(a, i), n, k, a->mod[i]->q);
		out->ntt = 0;
		return;
	}
	/* a permutation of each limb, in two halves of its outputs: an even split for two threads */
	const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(2 * nl, hn))
	for (unsigned y = 0; y < 2 * nl; y++) {
		const size_t h = (y % 2) * hn;
		lt_automorph_ntt(lt_poly_limb(out, y / 2) + h, lt_poly_limb(a, y / 2), y % 2 ? n - hn : hn, perm + h);
	}
	out->ntt = a->ntt;
}
