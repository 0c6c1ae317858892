/* Chained thin bootstrapping on a small context, shared by the end-to-end tests. */
#ifndef LT_TEST_BOOT_CHAIN_H
#define LT_TEST_BOOT_CHAIN_H

#include <stdint.h>

#include <lathe.h>

/*
 * On ctx (taken over and freed): keys for weight h at 2^-fail_bits, then
 * `trials` chains (times LATHE_TEST_MULT), each from fresh random slots
 * (0, t - 1 and 1 in the first three): switched to the level
 * bootstrapping starts from, bootstrapped once, then `rounds` more times
 * in a row with a product by a fresh ciphertext between them. Every slot
 * is checked against the plaintext model after each bootstrap and before
 * it, every bootstrap must gain levels and land at the same level, and
 * the first one's statistics must add up. name labels the messages.
 * Returns the level a bootstrap leaves.
 */
unsigned boot_run_chain(lathe_ctx *ctx, const char *name, unsigned h, unsigned fail_bits, unsigned trials,
                        unsigned rounds, uint32_t stream);

#endif
