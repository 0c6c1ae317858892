/*
 * Arithmetic modulo p^r, roots of unity lifted from Z_p and F_p[i], and the
 * negacyclic NTT over Z_{p^r} and Z_{p^r}[i] (zpr.h).
 */
#include "zpr.h"

#include "primes.h"

#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/mem.h"

int
lt_zpr_init(lt_zpr *z, uint64_t p, unsigned r)
{
	memset(z, 0, sizeof(*z));
	if (p < 3 || (p & 1) == 0 || r == 0 || !n_is_prime(p))
		return -1;
	uint64_t q = 1;
	for (unsigned i = 0; i < r; i++) {
		if (q > ((UINT64_C(1) << 62) - 1) / p)
			return -1;
		q *= p;
	}
	z->p = p;
	z->r = r;
	z->q = q;
	z->br = lt_barrett_prep(q);
	return 0;
}

lt_gauss
lt_gauss_pow(lt_gauss a, uint64_t e, const lt_zpr *z)
{
	lt_gauss r = { 1 % z->q, 0 };
	while (e) {
		if (e & 1)
			r = lt_gauss_mul(r, a, z);
		a = lt_gauss_mul(a, a, z);
		e >>= 1;
	}
	return r;
}

uint64_t
lt_zpr_teichmuller(uint64_t a, const lt_zpr *z)
{
	uint64_t x = a % z->q;
	for (unsigned i = 1; i < z->r; i++)
		x = lt_powmod(x, z->p, z->q, z->br);
	return x;
}

uint64_t
lt_zpr_root2k(unsigned k, const lt_zpr *z)
{
	const uint64_t p = z->p;
	if (k < 1 || k > 62 || (p - 1) % (UINT64_C(1) << k) != 0)
		return 0;
	/* the least primitive 2^k-th root mod p (primes.h: m = 2 * 2^(k-1)), lifted to Z_{p^r} */
	const uint64_t best = lt_prime_root_2n(p, k - 1);
	return lt_zpr_teichmuller(best, z);
}

/* (im, re) order */
static int
gauss_less(lt_gauss a, lt_gauss b)
{
	return a.im < b.im || (a.im == b.im && a.re < b.re);
}

lt_gauss
lt_zpr_root2k_gauss(unsigned k, const lt_zpr *z)
{
	const lt_gauss none = { 0, 0 };
	const uint64_t p = z->p;
	if ((p & 3) != 3 || k < 2 || k > 62)
		return none;
	/* 2 exactly divides p - 1, so 2^k | p^2 - 1 iff 2^(k-1) | p + 1 */
	const uint64_t m = UINT64_C(1) << k;
	if ((p + 1) % (m / 2) != 0)
		return none;
	const uint64_t e1 = (p - 1) / 2, e2 = (p + 1) / (m / 2); /* e1 e2 = (p^2 - 1) / m */
	/* Z_p and F_p[i] (a field: -1 is not a square mod p = 3 mod 4) */
	lt_zpr fp;
	if (lt_zpr_init(&fp, p, 1) != 0)
		return none;
	lt_gauss y = none;
	int found = 0;
	for (uint64_t b = 1; b < p && !found; b++)
		for (uint64_t a = 0; a < p && !found; a++) {
			lt_gauss x = { a, b };
			y = lt_gauss_pow(lt_gauss_pow(x, e1, &fp), e2, &fp);
			lt_gauss h = lt_gauss_pow(y, m / 2, &fp);
			found = h.re == p - 1 && h.im == 0;
		}
	if (!found)
		return none;
	lt_gauss best = y, cur = y, y2 = lt_gauss_mul(y, y, &fp);
	for (uint64_t i = 1; i < m / 2; i++) {
		cur = lt_gauss_mul(cur, y2, &fp);
		if (gauss_less(cur, best))
			best = cur;
	}
	/*
	 * Teichmueller lift: the units of Z_q[i] are cyclic of order p^2 - 1
	 * times a group of exponent p^(r-1); x^(p^(2(r-1))) kills the latter and
	 * is congruent to x mod p because x^(p^2) = x in F_p[i].
	 */
	lt_gauss t = best;
	for (unsigned i = 1; i < z->r; i++) {
		t = lt_gauss_pow(t, p, z);
		t = lt_gauss_pow(t, p, z);
	}
	return t;
}

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

void
lt_zpr_ntt_clear(lt_zpr_ntt *tab)
{
	lt_free(tab->block);
	memset(tab, 0, sizeof(*tab));
}

int
lt_zpr_ntt_init(lt_zpr_ntt *tab, const lt_zpr *z, lt_gauss psi, unsigned logn, int gauss)
{
	memset(tab, 0, sizeof(*tab));
	if (logn < 1 || logn > 20 || (!gauss && psi.im != 0))
		return -1;
	const size_t n = (size_t)1 << logn;
	const uint64_t q = z->q;
	lt_gauss h = lt_gauss_pow(psi, n, z);
	if (h.re != q - 1 || h.im != 0)
		return -1;
	const size_t narr = gauss ? 8 : 4;
	uint64_t *blk = lt_alloc(narr * n * sizeof(uint64_t));
	if (!blk)
		return -1;
	tab->block = blk;
	tab->z = *z;
	tab->n = n;
	tab->logn = logn;
	tab->gauss = gauss;
	tab->psi = psi;
	tab->w = blk;
	tab->ws = blk + n;
	tab->wi = blk + 2 * n;
	tab->wis = blk + 3 * n;
	if (gauss) {
		tab->v = blk + 4 * n;
		tab->vs = blk + 5 * n;
		tab->vi = blk + 6 * n;
		tab->vis = blk + 7 * n;
	}
	/* psi has order 2n, so psi^-1 = psi^(2n-1) */
	const lt_gauss psi_inv = lt_gauss_pow(psi, 2 * n - 1, z);
	lt_gauss pw = { 1, 0 }, pwi = { 1, 0 };
	for (size_t i = 0; i < n; i++) {
		size_t j = bitrev(i, logn);
		tab->w[j] = pw.re;
		tab->wi[j] = pwi.re;
		if (gauss) {
			tab->v[j] = pw.im;
			tab->vi[j] = pwi.im;
		}
		if (gauss) {
			pw = lt_gauss_mul(pw, psi, z);
			pwi = lt_gauss_mul(pwi, psi_inv, z);
		} else {
			pw.re = lt_mulmod(pw.re, psi.re, q, z->br);
			pwi.re = lt_mulmod(pwi.re, psi_inv.re, q, z->br);
		}
	}
	for (size_t i = 0; i < n; i++) {
		tab->ws[i] = lt_shoup_prep(tab->w[i], q);
		tab->wis[i] = lt_shoup_prep(tab->wi[i], q);
		if (gauss) {
			tab->vs[i] = lt_shoup_prep(tab->v[i], q);
			tab->vis[i] = lt_shoup_prep(tab->vi[i], q);
		}
	}
	tab->n_inv = lt_invmod_any((uint64_t)(n % q), q);
	tab->n_inv_s = lt_shoup_prep(tab->n_inv, q);
	return 0;
}

void
lt_zpr_ntt_fwd(uint64_t *a, const lt_zpr_ntt *tab)
{
	const size_t n = tab->n;
	const uint64_t q = tab->z.q;
	size_t t = n;
	for (size_t m = 1; m < n; m <<= 1) {
		t >>= 1;
		for (size_t i = 0; i < m; i++) {
			const size_t j1 = 2 * i * t;
			const uint64_t s = tab->w[m + i], ss = tab->ws[m + i];
			for (size_t j = j1; j < j1 + t; j++) {
				uint64_t u = a[j], v = lt_mulmod_shoup(a[j + t], s, ss, q);
				a[j] = lt_addmod(u, v, q);
				a[j + t] = lt_submod(u, v, q);
			}
		}
	}
}

void
lt_zpr_ntt_inv(uint64_t *a, const lt_zpr_ntt *tab)
{
	const size_t n = tab->n;
	const uint64_t q = tab->z.q;
	size_t t = 1;
	for (size_t m = n; m > 1; m >>= 1) {
		const size_t h = m >> 1;
		size_t j1 = 0;
		for (size_t i = 0; i < h; i++) {
			const uint64_t s = tab->wi[h + i], ss = tab->wis[h + i];
			for (size_t j = j1; j < j1 + t; j++) {
				uint64_t u = a[j], v = a[j + t];
				a[j] = lt_addmod(u, v, q);
				a[j + t] = lt_mulmod_shoup(lt_submod(u, v, q), s, ss, q);
			}
			j1 += 2 * t;
		}
		t <<= 1;
	}
	for (size_t j = 0; j < n; j++)
		a[j] = lt_mulmod_shoup(a[j], tab->n_inv, tab->n_inv_s, q);
}

/* (x + y i)(w + v i) with the Shoup quotients of w and v. CT: yes. */
static inline void
gauss_mul_shoup(uint64_t *xr, uint64_t *xi, uint64_t w, uint64_t ws, uint64_t v, uint64_t vs, uint64_t q)
{
	uint64_t x = *xr, y = *xi;
	*xr = lt_submod(lt_mulmod_shoup(x, w, ws, q), lt_mulmod_shoup(y, v, vs, q), q);
	*xi = lt_addmod(lt_mulmod_shoup(x, v, vs, q), lt_mulmod_shoup(y, w, ws, q), q);
}

void
lt_zpr_ntt_fwd_gauss(uint64_t *re, uint64_t *im, const lt_zpr_ntt *tab)
{
	const size_t n = tab->n;
	const uint64_t q = tab->z.q;
	size_t t = n;
	for (size_t m = 1; m < n; m <<= 1) {
		t >>= 1;
		for (size_t i = 0; i < m; i++) {
			const size_t j1 = 2 * i * t, k = m + i;
			for (size_t j = j1; j < j1 + t; j++) {
				uint64_t vr = re[j + t], vi = im[j + t];
				gauss_mul_shoup(&vr, &vi, tab->w[k], tab->ws[k], tab->v[k], tab->vs[k], q);
				uint64_t ur = re[j], ui = im[j];
				re[j] = lt_addmod(ur, vr, q);
				im[j] = lt_addmod(ui, vi, q);
				re[j + t] = lt_submod(ur, vr, q);
				im[j + t] = lt_submod(ui, vi, q);
			}
		}
	}
}

void
lt_zpr_ntt_inv_gauss(uint64_t *re, uint64_t *im, const lt_zpr_ntt *tab)
{
	const size_t n = tab->n;
	const uint64_t q = tab->z.q;
	size_t t = 1;
	for (size_t m = n; m > 1; m >>= 1) {
		const size_t h = m >> 1;
		size_t j1 = 0;
		for (size_t i = 0; i < h; i++) {
			const size_t k = h + i;
			for (size_t j = j1; j < j1 + t; j++) {
				uint64_t ur = re[j], ui = im[j], vr = re[j + t], vi = im[j + t];
				re[j] = lt_addmod(ur, vr, q);
				im[j] = lt_addmod(ui, vi, q);
				uint64_t dr = lt_submod(ur, vr, q), di = lt_submod(ui, vi, q);
				gauss_mul_shoup(&dr, &di, tab->wi[k], tab->wis[k], tab->vi[k], tab->vis[k], q);
				re[j + t] = dr;
				im[j + t] = di;
			}
			j1 += 2 * t;
		}
		t <<= 1;
	}
	for (size_t j = 0; j < n; j++) {
		re[j] = lt_mulmod_shoup(re[j], tab->n_inv, tab->n_inv_s, q);
		im[j] = lt_mulmod_shoup(im[j], tab->n_inv, tab->n_inv_s, q);
	}
}
