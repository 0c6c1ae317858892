/*
 * BGV test parameter sets. Every set named "insecure-..." is built with
 * LATHE_SECURITY_NONE: far below any security level, it exists to exercise
 * the code paths quickly. The plaintext moduli are batching primes
 * (t = 1 mod 2N) unless the set says "coeff":
 *   40961  = 5 * 2^13 + 1  (batches up to N = 2^12)
 *   65537  = 2^16 + 1      (up to N = 2^15)
 *   786433 = 3 * 2^18 + 1  (up to N = 2^17; a ~20-bit t)
 * Chains: depth d asks for d multiplications (params.h: d + 1 primes);
 * dnum digits of the chain (5 primes, dnum 2 -> digits of 3 and 2 primes;
 * 4 primes, dnum 2 -> 2 and 2).
 */
#ifndef LT_TEST_BGV_PARAMS_H
#define LT_TEST_BGV_PARAMS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bgv_pset {
	const char *name;
	unsigned logn;   /* N = 2^logn */
	uint64_t prime;  /* t = prime^r */
	unsigned r;
	unsigned depth;  /* chain of depth + 1 primes, params.h (0: use the explicit chain below) */
	unsigned dnum;   /* key-switching digits (0: library default) */
	const unsigned *chain;   /* explicit chain bit sizes (depth == 0) */
	size_t chain_len;
	const unsigned *special; /* explicit special-prime sizes (NULL: chosen) */
	size_t special_len;
} bgv_pset;

/* The quickest set: most API-contract and error tests run here. */
static const bgv_pset BGV_INSECURE_N1024 = { "insecure-n1024-t65537-d2-k2", 10, 65537, 1, 2, 2, NULL, 0, NULL, 0 };

/* Homomorphic arithmetic against the plaintext model. */
static const bgv_pset BGV_INSECURE_ARITH[] = {
	{ "insecure-n1024-t40961-d2-k1", 10, 40961, 1, 2, 1, NULL, 0, NULL, 0 },
	{ "insecure-n2048-t65537-d3-k2", 11, 65537, 1, 3, 2, NULL, 0, NULL, 0 },
	{ "insecure-n4096-t786433-d4-k3", 12, 786433, 1, 4, 3, NULL, 0, NULL, 0 },
};
#define BGV_N_ARITH (sizeof(BGV_INSECURE_ARITH) / sizeof(BGV_INSECURE_ARITH[0]))

/* Depth: the whole chain is used up by repeated multiplication. */
static const bgv_pset BGV_INSECURE_DEPTH[] = {
	{ "insecure-n1024-t40961-d2-k1", 10, 40961, 1, 2, 1, NULL, 0, NULL, 0 },
	{ "insecure-n1024-t65537-d3-k2", 10, 65537, 1, 3, 2, NULL, 0, NULL, 0 },
	{ "insecure-n2048-t786433-d4-k2", 11, 786433, 1, 4, 2, NULL, 0, NULL, 0 },
	{ "insecure-n2048-t40961-d5-k3", 11, 40961, 1, 5, 3, NULL, 0, NULL, 0 },
	{ "insecure-n4096-t65537-d6-k2", 12, 65537, 1, 6, 2, NULL, 0, NULL, 0 },
	{ "insecure-n4096-t786433-d6-k3", 12, 786433, 1, 6, 3, NULL, 0, NULL, 0 },
};
#define BGV_N_DEPTH (sizeof(BGV_INSECURE_DEPTH) / sizeof(BGV_INSECURE_DEPTH[0]))

/*
 * Key switching: explicit chains, so that the digit sizes are known
 * (ceil(primes / dnum) primes per digit, the last digit shorter): digits of
 * equal and unequal sizes, one prime per digit, explicit special primes.
 */
static const unsigned BGV_CHAIN_3[] = { 40, 36, 36 };
static const unsigned BGV_CHAIN_4x[] = { 40, 36, 36, 36 };
static const unsigned BGV_CHAIN_5[] = { 40, 36, 36, 36, 36 };
static const unsigned BGV_CHAIN_6[] = { 40, 36, 36, 36, 36, 36 };
static const unsigned BGV_CHAIN_4w[] = { 45, 40, 40, 40 };
static const unsigned BGV_SPECIAL_60[] = { 60 };
static const unsigned BGV_SPECIAL_2x45[] = { 45, 45 };
static const bgv_pset BGV_INSECURE_KEYSWITCH[] = {
	{ "insecure-n1024-t65537-q5-k1", 10, 65537, 1, 0, 1, BGV_CHAIN_5, 5, NULL, 0 },              /* one digit of 5 */
	{ "insecure-n1024-t65537-q4-k2-equal", 10, 65537, 1, 0, 2, BGV_CHAIN_4x, 4, NULL, 0 },       /* 2 + 2 */
	{ "insecure-n1024-t65537-q5-k2-unequal", 10, 65537, 1, 0, 2, BGV_CHAIN_5, 5, NULL, 0 },      /* 3 + 2 */
	{ "insecure-n2048-t40961-q6-k3-equal", 11, 40961, 1, 0, 3, BGV_CHAIN_6, 6, NULL, 0 },        /* 2 + 2 + 2 */
	{ "insecure-n2048-t40961-q5-k3-unequal", 11, 40961, 1, 0, 3, BGV_CHAIN_5, 5, NULL, 0 },      /* 2 + 2 + 1 */
	{ "insecure-n1024-t786433-q3-k3-oneprime", 10, 786433, 1, 0, 3, BGV_CHAIN_3, 3, NULL, 0 },   /* 1 + 1 + 1 */
	{ "insecure-n4096-t786433-q4-k4-P60", 12, 786433, 1, 0, 4, BGV_CHAIN_4w, 4, BGV_SPECIAL_60, 1 }, /* P > each digit */
	{ "insecure-n2048-t65537-q4-k2-P2x45", 11, 65537, 1, 0, 2, BGV_CHAIN_4w, 4, BGV_SPECIAL_2x45, 2 },
};
#define BGV_N_KEYSWITCH (sizeof(BGV_INSECURE_KEYSWITCH) / sizeof(BGV_INSECURE_KEYSWITCH[0]))

/* An explicit chain (q_0 first), 2 digits of 2. */
static const unsigned BGV_CHAIN_4[] = { 50, 40, 40, 40 };
static const bgv_pset BGV_INSECURE_EXPLICIT_CHAIN = {
	"insecure-n2048-t65537-chain50.40.40.40-k2", 11, 65537, 1, 0, 2, BGV_CHAIN_4, 4, NULL, 0
};

/* Coefficient encoding only (no batching: t is not 1 mod 2N, or r > 1). */
static const bgv_pset BGV_INSECURE_COEFF[] = {
	{ "insecure-n1024-t257-coeff", 10, 257, 1, 2, 2, NULL, 0, NULL, 0 },          /* 257 = 1 mod 256, not mod 2048 */
	{ "insecure-n1024-t3^5-coeff", 10, 3, 5, 2, 2, NULL, 0, NULL, 0 },            /* t = 243 */
	{ "insecure-n2048-t2^16-coeff", 11, 2, 16, 2, 2, NULL, 0, NULL, 0 },          /* t = 65536 */
	{ "insecure-n1024-t12289-coeff-batching", 10, 12289, 1, 2, 1, NULL, 0, NULL, 0 },   /* batching: 12289 = 1 mod 2^12 */
};
#define BGV_N_COEFF (sizeof(BGV_INSECURE_COEFF) / sizeof(BGV_INSECURE_COEFF[0]))

/* The secure preset every test suite should touch once. */
#define BGV_PRESET_128 "bgv-128-n8192-t65537"

#endif
