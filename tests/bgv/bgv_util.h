/*
 * Helpers for the BGV tests: a fixture (context, keys, evaluator) built
 * from a bgv_pset, a plaintext reference model (vectors of N words mod t
 * with the same operations as the homomorphic ones, slots laid out as the
 * 2 x N/2 matrix of DESIGN §4), and checks that carry the run's seed and
 * the parameter set in every failure message.
 */
#ifndef LT_TEST_BGV_UTIL_H
#define LT_TEST_BGV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <lathe.h>

#include "common/bgv_params.h"
#include "common/util.h"

typedef enum { BGV_KEYS_NONE, BGV_KEYS_DEFAULT, BGV_KEYS_STEPS } bgv_keys;

typedef struct bgv_fix {
	const bgv_pset *ps;
	char desc[200];         /* "set=... N=... t=... seed=..." for messages */
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;     /* NULL with BGV_KEYS_NONE */
	lathe_eval *ev;
	size_t n;               /* ring degree */
	size_t slots;           /* N or 0 */
	uint64_t t;
	unsigned max_level;
	lt_prng g;              /* test randomness, stream of the run's seed */
} bgv_fix;

#define SEED ((unsigned long long)test_seed())

/* An assertion on a lathe call: must return `want`. */
#define BGV_EXPECT(f, want, call)                                                                  \
	do {                                                                                       \
		lathe_status s_ = (call);                                                           \
		cr_assert_eq(s_, (want), "%s:%d: %s -> %d (%s) want %d (%s); detail '%s' [%s]", __FILE__,  \
		             __LINE__, #call, (int)s_, lathe_strerror(s_), (int)(want),                \
		             lathe_strerror(want), lathe_last_error(), (f)->desc);                    \
	} while (0)
#define BGV_OK(f, call) BGV_EXPECT(f, LATHE_OK, call)

/* A failing call: must return `want` and leave a non-empty lathe_last_error(). */
#define BGV_FAILS(f, want, call)                                                                   \
	do {                                                                                       \
		BGV_EXPECT(f, want, call);                                                         \
		cr_assert(lathe_last_error() != NULL && lathe_last_error()[0] != '\0',             \
		          "%s:%d: %s failed with an empty lathe_last_error() [%s]", __FILE__, __LINE__, \
		          #call, (f)->desc);                                                        \
	} while (0)

/* Builds a context from a set (security NONE unless the set is a preset). */
lathe_status bgv_ctx_build(const bgv_pset *ps, lathe_security sec, lathe_ctx **out);

/* Context, keys and evaluator for ps; stream names the fixture's randomness. */
void bgv_fix_init(bgv_fix *f, const bgv_pset *ps, bgv_keys keys, const int *steps, size_t nsteps,
                  uint32_t stream);
/* The same over an existing context (taken over: freed by bgv_fix_clear). */
void bgv_fix_init_ctx(bgv_fix *f, lathe_ctx *ctx, const char *name, bgv_keys keys, const int *steps,
                      size_t nsteps, uint32_t stream);
void bgv_fix_clear(bgv_fix *f);

/* Fresh objects (asserted). */
lathe_ct *bgv_ct(bgv_fix *f);
lathe_pt *bgv_pt(bgv_fix *f);

/* Random slot vector in [0, t) (f->slots words; f->n when no batching). */
void bgv_rand(bgv_fix *f, uint64_t *v);
uint64_t *bgv_vec(bgv_fix *f); /* allocated, zeroed, f->n words */
int64_t bgv_rand_scalar(bgv_fix *f); /* in [-(t-1)/2, (t-1)/2], sometimes 0, +-1, extremes */

/* Encode (unsigned batch) and encrypt with pk (pk != 0) or sk. */
void bgv_encrypt_vec(bgv_fix *f, lathe_ct *ct, const uint64_t *v, int with_pk);
void bgv_encode_vec(bgv_fix *f, lathe_pt *pt, const uint64_t *v);

/* Decrypts and compares with ref (all slots); fails with the first differing slot. */
void bgv_check_(bgv_fix *f, const lathe_ct *ct, const uint64_t *ref, const char *what, const char *file, int line);
#define bgv_check(f, ct, ref, what) bgv_check_(f, ct, ref, what, __FILE__, __LINE__)
/* Same, coefficient encoding. */
void bgv_check_coeffs_(bgv_fix *f, const lathe_ct *ct, const uint64_t *ref, const char *what, const char *file, int line);
#define bgv_check_coeffs(f, ct, ref, what) bgv_check_coeffs_(f, ct, ref, what, __FILE__, __LINE__)

/* Measured budget (asserted OK) and public estimate (asserted OK). */
int bgv_budget(bgv_fix *f, const lathe_ct *ct);
int bgv_estimate(bgv_fix *f, const lathe_ct *ct);
/* Asserts estimate <= measured. */
void bgv_check_estimate_(bgv_fix *f, const lathe_ct *ct, const char *what, const char *file, int line);
#define bgv_check_estimate(f, ct, what) bgv_check_estimate_(f, ct, what, __FILE__, __LINE__)

/* ---- plaintext model: vectors of n words mod t ---- */
void pm_add(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t);
void pm_sub(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t);
void pm_neg(uint64_t *o, const uint64_t *a, size_t n, uint64_t t);
void pm_mul(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t);
void pm_mul_scalar(uint64_t *o, const uint64_t *a, int64_t c, size_t n, uint64_t t);
void pm_add_scalar(uint64_t *o, const uint64_t *a, int64_t c, size_t n, uint64_t t); /* every slot */
/* Slot i of each row receives slot i + k (mod n/2). o may alias a. */
void pm_rotate(uint64_t *o, const uint64_t *a, int k, size_t n);
void pm_swap_rows(uint64_t *o, const uint64_t *a, size_t n);
/* Negacyclic product mod (X^n + 1, t) (coefficient encoding). o may alias. */
void pm_negacyclic_mul(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t t);
uint64_t pm_reduce(int64_t c, uint64_t t);
void pm_copy(uint64_t *o, const uint64_t *a, size_t n);

#endif
