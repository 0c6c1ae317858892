#include "ring.h"

#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "kernels.h"
#include "primes.h"

int
lt_log2_exact(size_t n)
{
	if (n == 0 || (n & (n - 1)) != 0)
		return -1;
	int l = 0;
	while (((size_t)1 << l) != n)
		l++;
	return l;
}

lathe_status
lt_modulus_init_bare(lt_modulus *m, uint64_t q, const lt_kernels *kern)
{
	if (!m)
		return lt_fail(LATHE_EINVAL, "bare modulus: NULL argument");
	memset(m, 0, sizeof(*m));
	if (!kern)
		return lt_fail(LATHE_EINVAL, "bare modulus: NULL kernel table");
	if (q < 3 || (q & 1) == 0 || q >= (UINT64_C(1) << 62))
		return lt_fail(LATHE_EPARAM, "bare modulus %llu is not odd in [3, 2^62)", (unsigned long long)q);
	m->q = q;
	m->bits = 64 - (unsigned)__builtin_clzll(q);
	m->br = lt_barrett_prep(q);
	m->ntt.q = q;
	m->ntt.kern = q < kern->qmax ? kern : lt_kernels_scalar();
	return LATHE_OK;
}

lathe_status
lt_ring_init(lt_ring *r, size_t n, const uint64_t *q, unsigned k)
{
	return lt_ring_init_kernels(r, n, q, k, lt_kernels_default());
}

lathe_status
lt_ring_init_kernels(lt_ring *r, size_t n, const uint64_t *q, unsigned k, const lt_kernels *kern)
{
	if (!r || !q || !kern)
		return lt_fail(LATHE_EINVAL, "ring set-up: NULL argument");
	memset(r, 0, sizeof(*r));
	int logn = lt_log2_exact(n);
	if (logn < LT_LOGN_MIN || logn > LT_LOGN_MAX)
		return lt_fail(LATHE_EPARAM, "ring degree N = %zu is not a power of two in [2^%d, 2^%d]",
		               n, LT_LOGN_MIN, LT_LOGN_MAX);
	if (k == 0 || k > LT_MAX_MODULI)
		return lt_fail(LATHE_EINVAL, "ring set-up: %u primes (need 1 to %d)", k, LT_MAX_MODULI);
	for (unsigned i = 0; i < k; i++) {
		if (!lt_prime_is_ntt_friendly(q[i], (unsigned)logn))
			return lt_fail(LATHE_EPARAM,
			               "modulus %u (%llu) is not a prime below 2^62 with q = 1 mod 2N (N = %zu)",
			               i, (unsigned long long)q[i], n);
		for (unsigned j = 0; j < i; j++)
			if (q[j] == q[i])
				return lt_fail(LATHE_EPARAM, "moduli %u and %u are equal (%llu)", j, i,
				               (unsigned long long)q[i]);
	}
	r->n = n;
	r->logn = (unsigned)logn;
	r->kern = kern;
	r->mod = lt_calloc(k, sizeof(lt_modulus));
	r->modp = lt_calloc(k, sizeof(lt_modulus *));
	if (!r->mod || !r->modp) {
		lt_ring_clear(r);
		return lt_fail(LATHE_ENOMEM, "ring set-up: out of memory");
	}
	for (unsigned i = 0; i < k; i++) {
		lt_modulus *m = &r->mod[i];
		m->q = q[i];
		m->bits = 64 - (unsigned)__builtin_clzll(q[i]);
		m->br = lt_barrett_prep(q[i]);
		uint64_t psi = lt_prime_root_2n(q[i], (unsigned)logn);
		if (lt_ntt_tables_init_kernels(&m->ntt, q[i], psi, (unsigned)logn, kern) != 0) {
			lt_ring_clear(r);
			return lt_fail(LATHE_ENOMEM, "ring set-up: out of memory for NTT tables");
		}
		r->nmod = i + 1;
		r->modp[i] = m;
	}
	return LATHE_OK;
}

void
lt_ring_clear(lt_ring *r)
{
	if (!r)
		return;
	if (r->mod)
		for (unsigned i = 0; i < r->nmod; i++)
			lt_ntt_tables_clear(&r->mod[i].ntt);
	lt_free(r->mod);
	lt_free(r->modp);
	memset(r, 0, sizeof(*r));
}
