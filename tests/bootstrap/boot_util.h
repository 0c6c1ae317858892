/* Helpers of the bootstrapping tests: bootstrappable contexts on small insecure rings. */
#ifndef LT_TEST_BOOT_UTIL_H
#define LT_TEST_BOOT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <lathe.h>

/*
 * A context of N = 2^logn with t = p^r that also serves p^e (boot_exp e),
 * security NONE, dnum key-switching digits; over the explicit chain
 * bits[0..n) when bits is not NULL, else over a chain of depth n. Asserted
 * built.
 */
lathe_ctx *boot_ctx(unsigned logn, uint64_t p, unsigned r, unsigned e, const unsigned *bits, unsigned n,
                    unsigned dnum);

/* boot_ctx with the special primes' sizes special[0..ns) (p_0 the first) */
lathe_ctx *boot_ctx_special(unsigned logn, uint64_t p, unsigned r, unsigned e, const unsigned *bits, unsigned n,
                            unsigned dnum, const unsigned *special, unsigned ns);

/* q_0 of 45 bits, then `levels` primes of 40 bits: room for Step 3's guard and products mod p^e */
lathe_ctx *boot_ctx_wide(unsigned logn, uint64_t p, unsigned r, unsigned e, unsigned levels, unsigned dnum);

/* ct = an encryption under pk of the thin slots m (ell values mod t) */
void boot_enc_thin(const lathe_pk *pk, lathe_ct *ct, const uint64_t *m);
/* ct decrypts under sk to the thin slots m; a failure names what and desc */
void boot_check_thin(const lathe_sk *sk, const lathe_ct *ct, const uint64_t *m, const char *what, const char *desc);

/* v centred mod q, in (-q/2, q/2] */
int64_t boot_centred(int64_t v, uint64_t q);

/* p^k */
uint64_t boot_pow(uint64_t p, unsigned k);

#endif
