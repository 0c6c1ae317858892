/*
 * Shared set-up for the libFuzzer targets: one small insecure context,
 * a bootstrappable one and one of keys shared by parties, the same in every run (its primes and hash are deterministic), so the
 * seed corpus written by make_corpus loads past the parameter check.
 */
#ifndef LATHE_FUZZ_COMMON_H
#define LATHE_FUZZ_COMMON_H

#include <stdlib.h>

#include <lathe.h>

static inline lathe_ctx *
fuzz_ctx(void)
{
	static lathe_ctx *ctx;
	if (!ctx) {
		lathe_params *p;
		if (lathe_params_new(&p) || lathe_params_set_ring(p, 10) || lathe_params_set_plain_modulus(p, 40961, 1) ||
		    lathe_params_set_depth(p, 1) || lathe_params_set_keyswitch(p, 2, NULL, 0) ||
		    lathe_params_set_security(p, LATHE_SECURITY_NONE) || lathe_ctx_new(p, &ctx))
			abort();
		lathe_params_free(p);
	}
	return ctx;
}

/* a bootstrappable one (format version 4, its bootstrapping keys 5): t = 257, keys under 257^2, a sparse secret of weight 64 */
static inline lathe_ctx *
fuzz_boot_ctx(void)
{
	static lathe_ctx *ctx;
	if (!ctx) {
		lathe_params *p;
		if (lathe_params_new(&p) || lathe_params_set_ring(p, 10) || lathe_params_set_plain_modulus(p, 257, 1) ||
		    lathe_params_set_bootstrap(p, 2, 64) || lathe_params_set_depth(p, 1) ||
		    lathe_params_set_keyswitch(p, 2, NULL, 0) || lathe_params_set_security(p, LATHE_SECURITY_NONE) ||
		    lathe_ctx_new(p, &ctx))
			abort();
		lathe_params_free(p);
	}
	return ctx;
}

/* one of keys shared by 2 parties (format version 6: its context, bundles and shares) */
static inline lathe_ctx *
fuzz_mp_ctx(void)
{
	static lathe_ctx *ctx;
	if (!ctx) {
		lathe_params *p;
		/* three chain primes: a fresh ciphertext has room for the smudging noise of decryption shares */
		static const unsigned chain[] = { 50, 50, 50 };
		if (lathe_params_new(&p) || lathe_params_set_ring(p, 10) || lathe_params_set_plain_modulus(p, 40961, 1) ||
		    lathe_params_set_chain(p, chain, 3) || lathe_params_set_keyswitch(p, 2, NULL, 0) ||
		    lathe_params_set_security(p, LATHE_SECURITY_NONE) || lathe_params_set_parties(p, 2) ||
		    lathe_ctx_new(p, &ctx))
			abort();
		lathe_params_free(p);
	}
	return ctx;
}

#define FUZZ_PASSPHRASE "fuzz"

#endif
