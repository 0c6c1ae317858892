/*
 * Precomputation of the NTT twiddle tables (bit-reversed order, psi merged).
 */
#include "ntt.h"

#include <string.h>

#include "../core/mem.h"
#include "kernels.h"
#include "modarith.h"

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

int
lt_ntt_tables_init(lt_ntt_tables *tab, uint64_t q, uint64_t psi, unsigned logn)
{
	return lt_ntt_tables_init_kernels(tab, q, psi, logn, lt_kernels_default());
}

int
lt_ntt_tables_init_kernels(lt_ntt_tables *tab, uint64_t q, uint64_t psi, unsigned logn,
                           const lt_kernels *kern)
{
	memset(tab, 0, sizeof(*tab));
	size_t n = (size_t)1 << logn;
	lt_barrett br = lt_barrett_prep(q);

	tab->q = q;
	tab->n = n;
	tab->logn = logn;
	tab->psi = psi;
	tab->w = lt_alloc(n * sizeof(uint64_t));
	tab->ws = lt_alloc(n * sizeof(uint64_t));
	tab->wi = lt_alloc(n * sizeof(uint64_t));
	tab->wis = lt_alloc(n * sizeof(uint64_t));
	if (!tab->w || !tab->ws || !tab->wi || !tab->wis) {
		lt_ntt_tables_clear(tab);
		return -1;
	}

	uint64_t psi_inv = lt_invmod(psi, q, br);
	uint64_t pw = 1, pwi = 1;
	/* powers in natural order, scattered to bit-reversed positions */
	for (size_t i = 0; i < n; i++) {
		size_t j = bitrev(i, logn);
		tab->w[j] = pw;
		tab->wi[j] = pwi;
		pw = lt_mulmod(pw, psi, q, br);
		pwi = lt_mulmod(pwi, psi_inv, q, br);
	}
	for (size_t i = 0; i < n; i++) {
		tab->ws[i] = lt_shoup_prep(tab->w[i], q);
		tab->wis[i] = lt_shoup_prep(tab->wi[i], q);
	}
	tab->n_inv = lt_invmod((uint64_t)(n % q), q, br);
	tab->n_inv_s = lt_shoup_prep(tab->n_inv, q);
	tab->wi1_ninv = lt_mulmod(tab->wi[1], tab->n_inv, q, br);
	tab->wi1_ninv_s = lt_shoup_prep(tab->wi1_ninv, q);

	if (q >= kern->qmax)
		kern = lt_kernels_scalar();
	if (kern->ntt_prep && kern->ntt_prep(tab) != 0) {
		lt_ntt_tables_clear(tab);
		return -1;
	}
	tab->kern = kern;
	return 0;
}

void
lt_ntt_tables_clear(lt_ntt_tables *tab)
{
	lt_free(tab->vec);
	lt_free(tab->w);
	lt_free(tab->ws);
	lt_free(tab->wi);
	lt_free(tab->wis);
	memset(tab, 0, sizeof(*tab));
}
