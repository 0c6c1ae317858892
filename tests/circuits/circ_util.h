/*
 * Helpers for the tests of the medical circuits: a fixture (context, keys
 * with the circuits' rotation steps, evaluator), the shipped CSV data sets,
 * the fixed-point encoding computed independently of the library, and
 * checks that carry the run's seed and the context in their messages.
 */
#ifndef LT_TEST_CIRC_UTIL_H
#define LT_TEST_CIRC_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include <lathe.h>

#include "common/util.h"

/* The circuits' parameters (t = 268042241, depth 13) on N = 2^12, security NONE. */
#define CIRC_PRESET "insecure-test-n4096-t268042241"

typedef struct circ_fix {
	char desc[160];
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	size_t slots;
	uint64_t t;
	lt_prng g;
} circ_fix;

/* An assertion on a lathe call: must return `want` (a failure must leave a detail). */
#define CIRC_EXPECT(f, want, call)                                                                  \
	do {                                                                                        \
		lathe_status s_ = (call);                                                            \
		cr_assert_eq(s_, (want), "%s:%d: %s -> %d (%s) want %d (%s); detail '%s' [%s]", __FILE__,   \
		             __LINE__, #call, (int)s_, lathe_strerror(s_), (int)(want),                 \
		             lathe_strerror(want), lathe_last_error(), (f)->desc);                     \
		if ((want) != LATHE_OK)                                                              \
			cr_assert(lathe_last_error()[0] != '\0', "%s:%d: %s: empty detail [%s]", __FILE__, \
			          __LINE__, #call, (f)->desc);                                        \
	} while (0)
#define CIRC_OK(f, call) CIRC_EXPECT(f, LATHE_OK, call)

/* Context from a preset name; keys for the circuits (lathe_circuits_keys). */
void circ_fix_preset(circ_fix *f, const char *preset, uint32_t stream);
/* Context N = 2^logn, t prime, lathe_params_set_depth(depth), security NONE. */
void circ_fix_params(circ_fix *f, unsigned logn, uint64_t t, unsigned depth, uint32_t stream);
void circ_fix_clear(circ_fix *f);

/*
 * An evaluator of f's context under another key pair (relinearization key
 * only): every homomorphic operation on f's ciphertexts fails there with
 * LATHE_EMISMATCH, so a circuit that answers another status on it did no
 * homomorphic work. Free with circ_foreign_free.
 */
typedef struct circ_foreign {
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
} circ_foreign;
void circ_foreign_init(circ_fix *f, circ_foreign *o);
void circ_foreign_free(circ_foreign *o);

/* ---- data ---- */

typedef struct csv {
	size_t rows, cols;
	char **names;
	double *v; /* rows x cols, row-major */
} csv;

/* Loads data/<file> of the source tree (asserted). */
void csv_load(csv *c, const char *file);
void csv_free(csv *c);
/* The values of the named columns, row-major (rows x n), from rows [first, first + rows). */
double *csv_select(const csv *c, const char *const *names, size_t n, size_t first, size_t rows);

/* The fixed-point integer of v at scale s: v * s rounded half away from zero (not via the library). */
int64_t fx(double v, double s);

/* Decrypts item `name` of r into out (n values), asserted. */
void circ_decrypt(circ_fix *f, const lathe_result *r, const char *name, int64_t *out, size_t n);

/* A column literal. */
lathe_column circ_col(const char *name, double scale, double lo, double hi);

/* Milliseconds since some fixed time. */
double circ_ms(void);

#endif
