/*
 * Parameter literals (lathe_params): the setters validate each field on its
 * own; lathe_ctx_new checks them together and designs the chain (chain.c).
 */
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/primes.h"
#include "internal.h"

lathe_status
lathe_params_new(lathe_params **out)
{
	LT_CHECK_NULL(out);
	lathe_params *p = lt_calloc(1, sizeof(*p));
	if (!p)
		return lt_fail(LATHE_ENOMEM, "lathe_params_new: out of memory");
	p->logn = 13;
	p->t_prime = 65537;
	p->t_exp = 1;
	p->depth = 2;
	p->security = LATHE_SECURITY_128;
	p->secret = LATHE_SECRET_TERNARY;
	*out = p;
	return LATHE_OK;
}

void
lathe_params_free(lathe_params *p)
{
	lt_free(p);
}

lathe_status
lathe_params_set_ring(lathe_params *p, unsigned log_n)
{
	LT_CHECK_NULL(p);
	if (log_n < 10 || log_n > 17)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_ring: log2 N = %u outside [10, 17]", log_n);
	p->logn = log_n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_plain_modulus(lathe_params *p, uint64_t prime, unsigned r)
{
	LT_CHECK_NULL(p);
	if (prime < 2 || r < 1)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_plain_modulus: need prime >= 2 and r >= 1");
	if (!n_is_prime(prime))
		return lt_fail(LATHE_EPARAM, "lathe_params_set_plain_modulus: %llu is not prime",
		               (unsigned long long)prime);
	uint64_t t = 1;
	for (unsigned i = 0; i < r; i++) {
		if (t > (UINT64_C(1) << 60) / prime)
			return lt_fail(LATHE_EPARAM, "lathe_params_set_plain_modulus: %llu^%u is not below 2^60",
			               (unsigned long long)prime, r);
		t *= prime;
	}
	p->t_prime = prime;
	p->t_exp = r;
	return LATHE_OK;
}

lathe_status
lathe_params_set_depth(lathe_params *p, unsigned depth)
{
	LT_CHECK_NULL(p);
	if (depth > LT_MAX_CHAIN - 3)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_depth: depth %u above %d", depth, LT_MAX_CHAIN - 3);
	p->depth = depth;
	p->nchain = 0;
	return LATHE_OK;
}

lathe_status
lathe_params_set_chain(lathe_params *p, const unsigned *bits, size_t n)
{
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(bits);
	if (n < 1 || n > LT_MAX_CHAIN)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_chain: %zu primes (need 1 to %d)", n, LT_MAX_CHAIN);
	for (size_t i = 0; i < n; i++)
		if (bits[i] < LT_PRIME_BITS_MIN || bits[i] > LT_PRIME_BITS_MAX)
			return lt_fail(LATHE_EINVAL, "lathe_params_set_chain: prime %zu of %u bits outside [%d, %d]", i,
			               bits[i], LT_PRIME_BITS_MIN, LT_PRIME_BITS_MAX);
	memcpy(p->chain_bits, bits, n * sizeof(unsigned));
	p->nchain = (unsigned)n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_keyswitch(lathe_params *p, unsigned dnum, const unsigned *special_bits, size_t n)
{
	LT_CHECK_NULL(p);
	if (dnum < 1 || dnum > LT_MAX_CHAIN)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: dnum = %u", dnum);
	if (n > LT_MAX_SPECIAL || (n && !special_bits))
		return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: %zu special primes", n);
	for (size_t i = 0; i < n; i++)
		if (special_bits[i] < LT_PRIME_BITS_MIN || special_bits[i] > LT_PRIME_BITS_MAX)
			return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: special prime of %u bits", special_bits[i]);
	p->dnum = dnum;
	if (n)
		memcpy(p->special_bits, special_bits, n * sizeof(unsigned));
	p->nspecial = (unsigned)n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_security(lathe_params *p, lathe_security s)
{
	LT_CHECK_NULL(p);
	if (s != LATHE_SECURITY_128 && s != LATHE_SECURITY_192 && s != LATHE_SECURITY_256 &&
	    s != LATHE_SECURITY_NONE)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_security: unknown level %d", (int)s);
	p->security = s;
	return LATHE_OK;
}

lathe_status
lathe_params_set_bootstrap(lathe_params *p, unsigned e, unsigned h)
{
	LT_CHECK_NULL(p);
	if (e == 0) {
		p->boot_exp = 0;
		p->boot_h = 0;
		return LATHE_OK;
	}
	if (e != p->t_exp + 1)
		return lt_fail(LATHE_EUNSUPPORTED, "lathe_params_set_bootstrap: e = %u; digit removal is for e = r + 1 = %u "
		               "(set the plaintext modulus first)", e, p->t_exp + 1);
	if (p->t_prime == 2)
		return lt_fail(LATHE_EUNSUPPORTED, "lathe_params_set_bootstrap: thin bootstrapping is for an odd prime p");
	if (h == 0 || h > (1u << 17))
		return lt_fail(LATHE_EINVAL, "lathe_params_set_bootstrap: Hamming weight %u of the sparse secret", h);
	p->boot_exp = e;
	p->boot_h = h;
	return LATHE_OK;
}

lathe_status
lathe_params_set_parties(lathe_params *p, unsigned n)
{
	LT_CHECK_NULL(p);
	if (n == 0 || n > LATHE_MAX_PARTIES)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_parties: %u parties (1 to %d)", n, LATHE_MAX_PARTIES);
	p->parties = n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_secret(lathe_params *p, lathe_secret_dist d)
{
	LT_CHECK_NULL(p);
	if (d != LATHE_SECRET_TERNARY)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_secret: unknown distribution %d", (int)d);
	p->secret = d;
	return LATHE_OK;
}
