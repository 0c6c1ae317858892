/*
 * The bounded-range lowest-digit removal polynomial over Z_{p^e}
 * (internal.h; BOOTSTRAP.md §2 Step 7): F(y) = sum_i i (1 - (y - i)^phi)
 * reduced modulo M^e, M = prod_{i=-B..B} (y - i), computed by
 * square-and-multiply in Z_{p^e}[y] / (M^e). The modulus is monic, so the
 * reduction needs no inverse and works over the ring Z_{p^e} although it
 * is not a field. Since M(-y) = -M(y) and phi is even,
 * (y + i)^phi = ((-y) - i)^phi: the powers for -i are those for i with y
 * replaced by -y, so only i = 1..B are raised.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/modarith.h"
#include "internal.h"

typedef struct {
	uint64_t q; /* p^e */
	lt_barrett br;
	size_t D;      /* deg M^e: residues have D coefficients */
	uint64_t *mod; /* M^e, D + 1 coefficients, monic */
	uint64_t *wide; /* 2 D - 1 words: a product before its reduction */
} dring;

/* o = a b mod (M^e, q); a, b, o: D coefficients (o may alias either) */
static void
dr_mul(const dring *r, uint64_t *o, const uint64_t *a, const uint64_t *b)
{
	const size_t D = r->D;
	uint64_t *w = r->wide;
	memset(w, 0, (2 * D - 1) * sizeof(uint64_t));
	for (size_t i = 0; i < D; i++) {
		if (a[i] == 0)
			continue;
		for (size_t j = 0; j < D; j++)
			w[i + j] = lt_addmod(w[i + j], lt_mulmod(a[i], b[j], r->q, r->br), r->q);
	}
	/* from the top: y^k = y^(k - D) (y^D - M^e) for k >= D, M^e monic */
	for (size_t k = 2 * D - 1; k-- > D;) {
		const uint64_t c = w[k];
		if (c == 0)
			continue;
		w[k] = 0;
		for (size_t j = 0; j < D; j++)
			w[k - D + j] = lt_submod(w[k - D + j], lt_mulmod(c, r->mod[j], r->q, r->br), r->q);
	}
	memcpy(o, w, D * sizeof(uint64_t));
}

/* o = (y - i)^x mod (M^e, q), i in (-q, q) given as its residue ni = -i mod q */
static void
dr_pow_linear(const dring *r, uint64_t *o, uint64_t ni, uint64_t x, uint64_t *base)
{
	const size_t D = r->D;
	memset(base, 0, D * sizeof(uint64_t));
	base[0] = ni;
	if (D > 1)
		base[1] = 1;
	memset(o, 0, D * sizeof(uint64_t));
	o[0] = 1;
	/* left to right over the bits of x */
	int top = 63;
	while (top >= 0 && !((x >> top) & 1))
		top--;
	for (int b = top; b >= 0; b--) {
		dr_mul(r, o, o, o);
		if ((x >> b) & 1)
			dr_mul(r, o, o, base);
	}
}

static int
is_odd_prime(uint64_t p)
{
	if (p < 3 || (p & 1) == 0)
		return 0;
	for (uint64_t d = 3; d <= p / d; d += 2)
		if (p % d == 0)
			return 0;
	return 1;
}

lathe_status
lt_boot_digit_poly(uint64_t p, unsigned e, unsigned B, uint64_t *coeffs, size_t cap, size_t *deg)
{
	const char *fn = "lt_boot_digit_poly";
	if (!coeffs || !deg)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !coeffs ? "coeffs" : "deg");
	if (e < 2)
		return lt_fail(LATHE_EINVAL, "%s: exponent e = %u, at least 2 (a digit below the message)", fn, e);
	/* primality by trial division: p is a plaintext prime, below 2^31 whenever p^2 < 2^62 */
	if (p >= ((uint64_t)1 << 31) || !is_odd_prime(p))
		return lt_fail(LATHE_EPARAM, "%s: p = %llu is not an odd prime below 2^31", fn, (unsigned long long)p);
	if (2 * (uint64_t)B + 1 > p)
		return lt_fail(LATHE_EPARAM, "%s: the range [-%u, %u] is not below p / 2 = %llu / 2", fn, B, B,
		               (unsigned long long)p);
	uint64_t q = 1;
	for (unsigned i = 0; i < e; i++) {
		if (q > (((uint64_t)1 << 62) - 1) / p)
			return lt_fail(LATHE_EPARAM, "%s: p^e = %llu^%u is not below 2^62", fn, (unsigned long long)p, e);
		q *= p;
	}
	const size_t D = (size_t)e * (2 * (size_t)B + 1);
	if (cap < D)
		return lt_fail(LATHE_EINVAL, "%s: room for %zu coefficients, F needs %zu", fn, cap, D);
	dring r = { .q = q, .br = lt_barrett_prep(q), .D = D };
	r.mod = lt_calloc(D + 1, sizeof(uint64_t));
	r.wide = lt_calloc(2 * D, sizeof(uint64_t));
	uint64_t *pw = lt_calloc(D, sizeof(uint64_t)), *base = lt_calloc(D, sizeof(uint64_t));
	uint64_t *f = lt_calloc(D, sizeof(uint64_t));
	if (!r.mod || !r.wide || !pw || !base || !f) {
		lt_free(r.mod);
		lt_free(r.wide);
		lt_free(pw);
		lt_free(base);
		lt_free(f);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	/* M^e, multiplied out one linear factor at a time (degree d so far) */
	r.mod[0] = 1;
	size_t d = 0;
	for (unsigned k = 0; k < e; k++)
		for (long i = -(long)B; i <= (long)B; i++) {
			const uint64_t ni = i > 0 ? q - (uint64_t)i : (uint64_t)(-i); /* -i mod q */
			/* (y - i) times the polynomial of degree d */
			for (size_t j = d + 1; j > 0; j--)
				r.mod[j] = lt_addmod(r.mod[j - 1], lt_mulmod(r.mod[j], ni, q, r.br), q);
			r.mod[0] = lt_mulmod(r.mod[0], ni, q, r.br);
			d++;
		}
	/* phi(p^e) = p^(e-1) (p - 1) */
	const uint64_t phi = q / p * (p - 1);
	for (unsigned i = 1; i <= B; i++) {
		dr_pow_linear(&r, pw, q - i, phi, base); /* (y - i)^phi */
		/*
		 * i (1 - (y - i)^phi) - i (1 - (y + i)^phi) = i ((y + i)^phi - (y - i)^phi),
		 * (y + i)^phi being (y - i)^phi at -y: coefficient k gets (-1)^k
		 */
		for (size_t k = 0; k < D; k++) {
			const uint64_t c = pw[k];
			/* (-1)^k c - c: 0 for even k, -2c for odd k */
			if (k & 1) {
				const uint64_t t2 = lt_mulmod(c, (2 * (uint64_t)i) % q, q, r.br);
				f[k] = lt_submod(f[k], t2, q);
			}
		}
	}
	size_t dg = 0;
	for (size_t k = 0; k < D; k++)
		if (f[k])
			dg = k;
	memcpy(coeffs, f, D * sizeof(uint64_t));
	*deg = dg;
	lt_free(r.mod);
	lt_free(r.wide);
	lt_free(pw);
	lt_free(base);
	lt_free(f);
	return LATHE_OK;
}
