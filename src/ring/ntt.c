/*
 * Scalar negacyclic NTT with Harvey's lazy butterflies, and the entry
 * points that dispatch through the tables' kernels.
 */
#include "ntt.h"

#include "kernels.h"
#include "modarith.h"

/*
 * Forward: Cooley-Tukey, natural -> bit-reversed, values kept in [0, 4q).
 * Harvey 2014, "Faster arithmetic for number-theoretic transforms", Alg. 4.
 */
void
lt_ntt_fwd_scalar(uint64_t *a, const lt_ntt_tables *tab)
{
	const uint64_t q = tab->q, q2 = 2 * q;
	const size_t n = tab->n;
	size_t t = n;
	for (size_t m = 1; m < n; m <<= 1) {
		t >>= 1;
		for (size_t i = 0; i < m; i++) {
			const uint64_t w = tab->w[m + i], ws = tab->ws[m + i];
			uint64_t *x = a + 2 * i * t, *y = x + t;
			for (size_t j = 0; j < t; j++) {
				uint64_t u = lt_csub(x[j], q2);            /* [0, 2q) */
				uint64_t v = lt_mulmod_shoup_lazy(y[j], w, ws, q); /* [0, 2q) */
				x[j] = u + v;                             /* [0, 4q) */
				y[j] = u - v + q2;                        /* [0, 4q) */
			}
		}
	}
	for (size_t j = 0; j < n; j++)
		a[j] = lt_csub(lt_csub(a[j], q2), q);
}

/*
 * Inverse: Gentleman-Sande, bit-reversed -> natural, values in [0, 2q),
 * N^-1 folded into the last layer. Harvey 2014, Alg. 3 (inverse form).
 */
void
lt_ntt_inv_scalar(uint64_t *a, const lt_ntt_tables *tab)
{
	const uint64_t q = tab->q, q2 = 2 * q;
	const size_t n = tab->n;
	size_t t = 1;
	for (size_t m = n >> 1; m > 1; m >>= 1) {
		for (size_t i = 0; i < m; i++) {
			const uint64_t w = tab->wi[m + i], ws = tab->wis[m + i];
			uint64_t *x = a + 2 * i * t, *y = x + t;
			for (size_t j = 0; j < t; j++) {
				uint64_t u = x[j], v = y[j];               /* [0, 2q) */
				x[j] = lt_csub(u + v, q2);                 /* [0, 2q) */
				y[j] = lt_mulmod_shoup_lazy(u - v + q2, w, ws, q);
			}
		}
		t <<= 1;
	}
	/* last layer (m = 1): x' = (u + v) / N, y' = (u - v) * wi[1] / N */
	const uint64_t ni = tab->n_inv, nis = tab->n_inv_s;
	const uint64_t wn = tab->wi1_ninv, wns = tab->wi1_ninv_s;
	uint64_t *x = a, *y = a + t;
	for (size_t j = 0; j < t; j++) {
		uint64_t u = x[j], v = y[j];
		x[j] = lt_mulmod_shoup(u + v, ni, nis, q);
		y[j] = lt_mulmod_shoup(u - v + q2, wn, wns, q);
	}
}

void
lt_ntt_fwd(uint64_t *a, const lt_ntt_tables *tab)
{
	tab->kern->ntt_fwd(a, tab);
}

void
lt_ntt_inv(uint64_t *a, const lt_ntt_tables *tab)
{
	tab->kern->ntt_inv(a, tab);
}
