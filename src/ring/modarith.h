/*
 * Scalar arithmetic on words modulo a prime q < 2^62: the portable kernel
 * path and the oracle the vector path is tested against.
 * All functions are branch-free (CT: yes) unless stated otherwise.
 */
#ifndef LT_MODARITH_H
#define LT_MODARITH_H

#include <stdint.h>

__extension__ typedef unsigned __int128 lt_u128;

/* High 64 bits of a*b. */
static inline uint64_t
lt_mulhi(uint64_t a, uint64_t b)
{
	return (uint64_t)(((lt_u128)a * b) >> 64);
}

/* Returns x - q if x >= q, else x. Requires x < 2q. CT: yes. */
static inline uint64_t
lt_csub(uint64_t x, uint64_t q)
{
	uint64_t y = x - q;
	return y + (q & (uint64_t)-(int64_t)(y >> 63));
}

/* a + b mod q for a, b in [0, q). CT: yes. */
static inline uint64_t
lt_addmod(uint64_t a, uint64_t b, uint64_t q)
{
	return lt_csub(a + b, q);
}

/* a - b mod q for a, b in [0, q). CT: yes. */
static inline uint64_t
lt_submod(uint64_t a, uint64_t b, uint64_t q)
{
	uint64_t y = a - b;
	return y + (q & (uint64_t)-(int64_t)(y >> 63));
}

/* -a mod q for a in [0, q). CT: yes. */
static inline uint64_t
lt_negmod(uint64_t a, uint64_t q)
{
	return lt_submod(0, a, q);
}

/* Shoup's precomputed quotient floor(w * 2^64 / q) for a constant w < q. */
static inline uint64_t
lt_shoup_prep(uint64_t w, uint64_t q)
{
	return (uint64_t)(((lt_u128)w << 64) / q);
}

/*
 * w * x mod q, lazy: result in [0, 2q). x any 64-bit word; w < q with its
 * Shoup quotient ws. Harvey 2014, Alg. 2 (Shoup multiplication). CT: yes.
 */
static inline uint64_t
lt_mulmod_shoup_lazy(uint64_t x, uint64_t w, uint64_t ws, uint64_t q)
{
	uint64_t qt = lt_mulhi(ws, x);
	return w * x - qt * q;
}

/* w * x mod q in [0, q); see lt_mulmod_shoup_lazy. CT: yes. */
static inline uint64_t
lt_mulmod_shoup(uint64_t x, uint64_t w, uint64_t ws, uint64_t q)
{
	return lt_csub(lt_mulmod_shoup_lazy(x, w, ws, q), q);
}

/*
 * Barrett constant for q: floor(2^128 / q) as two words (2 <= q < 2^62).
 */
typedef struct lt_barrett {
	uint64_t hi, lo;
} lt_barrett;

static inline lt_barrett
lt_barrett_prep(uint64_t q)
{
	/* floor((2^128 - 1) / q) is floor(2^128 / q) unless q is a power of two */
	lt_u128 r = ~(lt_u128)0 / q;
	if ((q & (q - 1)) == 0)
		r += 1;
	lt_barrett b = { (uint64_t)(r >> 64), (uint64_t)r };
	return b;
}

/*
 * x mod q for a 128-bit x, Barrett reduction with floor(2^128/q).
 * Requires 2 <= q < 2^62 (any q, prime or not). Result in [0, q). CT: yes.
 */
static inline uint64_t
lt_reduce128(lt_u128 x, uint64_t q, lt_barrett br)
{
	uint64_t xl = (uint64_t)x, xh = (uint64_t)(x >> 64);
	/* quotient estimate = floor(x * m / 2^128), m = br.hi:br.lo; error < 3 */
	lt_u128 t1 = (lt_u128)xl * br.lo;
	lt_u128 t2 = (lt_u128)xl * br.hi;
	lt_u128 t3 = (lt_u128)xh * br.lo;
	uint64_t carry = (uint64_t)(((t1 >> 64) + (uint64_t)t2 + (uint64_t)t3) >> 64);
	uint64_t qt = xh * br.hi + (uint64_t)(t2 >> 64) + (uint64_t)(t3 >> 64) + carry;
	uint64_t r = xl - qt * q;
	r = lt_csub(r, 2 * q);
	return lt_csub(r, q);
}

/* a * b mod q for a, b < q < 2^62. Result in [0, q). CT: yes. */
static inline uint64_t
lt_mulmod(uint64_t a, uint64_t b, uint64_t q, lt_barrett br)
{
	return lt_reduce128((lt_u128)a * b, q, br);
}

/* x mod q for any 64-bit x, q < 2^62. CT: yes. */
static inline uint64_t
lt_reduce64(uint64_t x, uint64_t q, lt_barrett br)
{
	return lt_reduce128((lt_u128)x, q, br);
}

/* a^e mod q (public exponent; not constant-time in e). */
static inline uint64_t
lt_powmod(uint64_t a, uint64_t e, uint64_t q, lt_barrett br)
{
	uint64_t r = 1 % q;
	while (e) {
		if (e & 1)
			r = lt_mulmod(r, a, q, br);
		a = lt_mulmod(a, a, q, br);
		e >>= 1;
	}
	return r;
}

/* Inverse of a mod prime q (a != 0 mod q; public data). */
static inline uint64_t
lt_invmod(uint64_t a, uint64_t q, lt_barrett br)
{
	return lt_powmod(a, q - 2, q, br);
}

/* A signed integer |x| < q/2 ... any int64 reduced into [0, q). CT: yes. */
static inline uint64_t
lt_from_signed(int64_t x, uint64_t q, lt_barrett br)
{
	uint64_t neg = (uint64_t)(x >> 63); /* all ones when x < 0 */
	uint64_t ax = ((uint64_t)x ^ neg) - neg;
	uint64_t r = lt_reduce64(ax, q, br);
	uint64_t nr = lt_negmod(r, q);
	return (r & ~neg) | (nr & neg);
}

/* gcd(a, b) (public data; not constant-time). */
static inline uint64_t
lt_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/*
 * Inverse of a modulo any m >= 2, prime or not (extended Euclid, keeping
 * the Bezout coefficient of a reduced mod m); 0 when gcd(a, m) != 1.
 * Public data (not constant-time).
 */
static inline uint64_t
lt_invmod_any(uint64_t a, uint64_t m)
{
	/* invariant: s0 * a = r0 and s1 * a = r1 (mod m) */
	uint64_t r0 = m, r1 = a % m, s0 = 0, s1 = 1;
	while (r1) {
		uint64_t qt = r0 / r1, r2 = r0 - qt * r1;
		uint64_t qs = (uint64_t)(((lt_u128)qt * s1) % m);
		uint64_t s2 = s0 >= qs ? s0 - qs : s0 + (m - qs);
		r0 = r1;
		r1 = r2;
		s0 = s1;
		s1 = s2;
	}
	return r0 == 1 ? s0 : 0;
}

#endif
