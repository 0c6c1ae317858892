/*
 * Modulus-chain design: the security table and the choice of prime sizes,
 * digits and special primes, as functions of explicit inputs (lt_chain_spec)
 * so that every preset, including bootstrapping's, is designed the same way.
 */
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../ring/ntt.h"
#include "../ring/primes.h"
#include "context.h"

/*
 * Max log2(Q*P) for uniform ternary secrets, sigma ~ 3.2; index log2 N - 10
 * (DESIGN §4). N = 2^10 .. 2^15: the HomomorphicEncryption.org standard
 * (Albrecht et al. 2018). N = 2^16 and 2^17: OpenFHE's lattice-estimator
 * runs as revised in OpenFHE 1.2 (2024), which replaced 1772 / 1228 / 956
 * at 2^16; the only cited estimate for 2^17.
 */
static const int sec_table[3][8] = {
	{ 27, 54, 109, 218, 438, 881, 1747, 3523 },
	{ 19, 37, 75, 152, 305, 611, 1199, 2411 },
	{ 14, 29, 58, 118, 237, 476, 929, 1866 },
};

int
lt_security_bound(lathe_security s, unsigned logn)
{
	int row = s == LATHE_SECURITY_128 ? 0 : s == LATHE_SECURITY_192 ? 1 : 2;
	if (logn < 10 || logn > 17)
		return -1; /* no cited estimate */
	return sec_table[row][logn - 10];
}

static unsigned
bits_up(double x)
{
	return (unsigned)ceil(x);
}

/* The chain's prime sizes: explicit, or from the depth and the noise model. */
static lathe_status
chain_bits(const char *fn, const lt_chain_spec *s, lt_chain *ch)
{
	const double ms = s->ms;
	if (s->nchain) {
		ch->nq = s->nchain;
		memcpy(ch->bits, s->chain_bits, ch->nq * sizeof(unsigned));
	} else {
		/*
		 * q_0 decrypts after a switch, one prime per multiplication (KPZ21
		 * chain with automatic switching). Fresh ciphertexts are multiplied
		 * at the top level: the top prime takes their product (noise
		 * 2 fresh) back to the switching floor, as OpenFHE's FLEXIBLEAUTO
		 * chain does; when that prime would leave the vector kernels' range
		 * (large t), a prime of its own absorbs the fresh noise instead.
		 */
		/* small primes = 1 mod 2N are rare: keep at least log2 N + 10 bits */
		const unsigned minbits = s->logn + 10 > LT_PRIME_BITS_MIN ? s->logn + 10 : LT_PRIME_BITS_MIN;
		const double merged = 2 * s->fresh - ms + 4;
		const int merge = s->depth >= 1 && bits_up(merged) <= LT_PRIME_BITS_DEFAULT_MAX;
		const unsigned nq = s->depth + (merge ? 1 : 2);
		ch->nq = nq;
		ch->bits[0] = bits_up(ms + 6);
		/*
		 * A q_0 just above the vector kernels' range (primes below 2^50)
		 * would put every operation at the bottom of the chain, where sums
		 * over slots run, on the scalar kernels: it gives up its sixth bit
		 * of margin over the switching floor instead (ms + 5, still 3 bits
		 * above the ms + 2 that decryption needs).
		 */
		if (ch->bits[0] == LT_VEC_QMAX_BITS + 1 && bits_up(ms + 5) <= LT_VEC_QMAX_BITS)
			ch->bits[0] = LT_VEC_QMAX_BITS;
		for (unsigned i = 1; i < nq; i++)
			ch->bits[i] = bits_up(ms + 4);
		if (merge) {
			ch->bits[nq - 1] = bits_up(merged);
		} else {
			double top = s->fresh - ms + 4;
			ch->bits[nq - 1] = top < minbits ? minbits : bits_up(top);
		}
		for (unsigned i = 0; i < nq; i++) {
			if (ch->bits[i] > 60)
				return lt_fail(LATHE_EPARAM, "%s: t = %llu at N = %zu needs primes of %u bits (above 60)", fn,
				               (unsigned long long)s->t, (size_t)1 << s->logn, ch->bits[i]);
			if (ch->bits[i] < minbits)
				ch->bits[i] = minbits;
		}
	}
	if ((double)ch->bits[0] < ms + 2)
		return lt_fail(LATHE_EPARAM, "%s: q_0 of %u bits is below the modulus-switching noise (%.1f bits) + 2", fn,
		               ch->bits[0], ms);
	ch->logq_est = 0;
	for (unsigned i = 0; i < ch->nq; i++)
		ch->logq_est += ch->bits[i];
	return LATHE_OK;
}

/*
 * Transforms (forward and inverse NTTs of one limb) in one key switch at
 * the top level: ModUp takes the nq limbs back to coefficients and each of
 * the dnum digits' extensions (nq + np limbs less the digit's own) forward;
 * ModDown, for each of the two components, the np limbs back and the nq
 * corrections forward.
 */
static unsigned
ks_transforms(unsigned nq, unsigned dnum, unsigned np)
{
	return dnum * (nq + np) + 2 * (np + nq);
}

lathe_status
lt_chain_design(const char *fn, const lt_chain_spec *s, lt_chain *ch)
{
	memset(ch, 0, sizeof(*ch));
	lathe_status st = chain_bits(fn, s, ch);
	if (st)
		return st;
	const unsigned nq = ch->nq;
	/*
	 * digits and special primes: of the dnum that fit the bound, the one
	 * with the fewest transforms per key switch, then the fewest special
	 * primes (each digit of one prime needs no multi-prime extension)
	 */
	unsigned dlo = s->dnum ? s->dnum : 1, dhi = s->dnum ? s->dnum : nq;
	if (dlo > nq)
		return lt_fail(LATHE_EPARAM, "%s: dnum = %u is more than the %u chain primes", fn, dlo, nq);
	lt_chain best = *ch;
	unsigned best_cost = 0;
	for (unsigned d = dlo; d <= dhi; d++) {
		unsigned alpha = (nq + d - 1) / d;
		double dmax = 0;
		for (unsigned j = 0; j * alpha < nq; j++) {
			double sum = 0;
			for (unsigned i = j * alpha; i < (j + 1) * alpha && i < nq; i++)
				sum += ch->bits[i];
			if (sum > dmax)
				dmax = sum;
		}
		double pbits = 0;
		unsigned np;
		if (s->nspecial) {
			np = s->nspecial;
			memcpy(ch->sbits, s->special_bits, np * sizeof(unsigned));
			for (unsigned j = 0; j < np; j++)
				pbits += ch->sbits[j];
		} else {
			double need = dmax + 5;
			np = (unsigned)ceil(need / LT_PRIME_BITS_DEFAULT_MAX);
			if (np > LT_MAX_SPECIAL)
				continue;
			unsigned each = bits_up(need / np);
			if (each < s->logn + 10)
				each = s->logn + 10;
			for (unsigned j = 0; j < np; j++)
				ch->sbits[j] = each;
			pbits = (double)each * np;
		}
		if (s->bound && ch->logq_est + pbits > s->bound)
			continue;
		ch->np = np;
		ch->dnum = (nq + alpha - 1) / alpha;
		ch->alpha = alpha;
		unsigned cost = ks_transforms(nq, ch->dnum, np);
		if (best_cost == 0 || cost < best_cost || (cost == best_cost && np < best.np)) {
			best = *ch;
			best_cost = cost;
		}
	}
	if (best_cost) {
		*ch = best;
		return LATHE_OK;
	}
	return lt_fail(LATHE_EINSECURE,
	               "%s: log2(Q*P) ~ %.0f + P does not fit the %d-bit bound of %d for N = %zu "
	               "(%u chain primes, t = %llu)", fn, ch->logq_est, s->security, s->bound, (size_t)1 << s->logn, nq,
	               (unsigned long long)s->t);
}

lathe_status
lt_chain_primes(const lt_chain *ch, unsigned logn, uint64_t t_prime, uint64_t t, uint64_t *primes)
{
	const unsigned nq = ch->nq, np = ch->np;
	/* q[0] = the plaintext prime, excluded from the search; then the chain and special primes */
	uint64_t q[LT_MAX_CHAIN + LT_MAX_SPECIAL + 1];
	q[0] = t_prime;
	const uint64_t m2n = (uint64_t)2 << logn;
	const uint64_t tmul = t % m2n == 0 ? 1 : t / n_gcd(t, m2n);
	const uint64_t mt = tmul < (UINT64_C(1) << 40) / m2n ? m2n * tmul : 0;
	for (unsigned i = 0; i < nq + np; i++) {
		unsigned b = i < nq ? ch->bits[i] : ch->sbits[i - nq];
		lathe_status st = LATHE_EPARAM;
		if (i < nq && mt && b >= 64 - (unsigned)__builtin_clzll(mt) + 6)
			st = lt_primes_gen_mod(&q[1 + i], 1, b, mt, q, 1 + i);
		if (st)
			st = lt_primes_gen(&q[1 + i], 1, b, logn, q, 1 + i);
		if (st)
			return st;
	}
	memcpy(primes, q + 1, (size_t)(nq + np) * sizeof(uint64_t));
	return LATHE_OK;
}
