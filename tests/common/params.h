/*
 * Test parameters. Every set here is far below any security level: they
 * exist to exercise the code paths quickly.
 */
#ifndef LT_TEST_PARAMS_H
#define LT_TEST_PARAMS_H

/* Prime sizes the NTT is checked at; the vector path takes those of at most 50 bits. */
static const unsigned TEST_NTT_PRIME_BITS[] = { 30, 45, 49, 50, 60, 61 };
#define TEST_NTT_NPRIMES (sizeof(TEST_NTT_PRIME_BITS) / sizeof(TEST_NTT_PRIME_BITS[0]))

/* Insecure RNS test bases: a few limbs of mixed sizes. */
static const unsigned TEST_INSECURE_BASIS_BITS[] = { 50, 49, 45, 40, 36, 30, 60, 61 };
#define TEST_INSECURE_BASIS_LEN (sizeof(TEST_INSECURE_BASIS_BITS) / sizeof(TEST_INSECURE_BASIS_BITS[0]))

#endif
