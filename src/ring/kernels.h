/*
 * Kernel dispatch: the limb kernels that have a vector form, as a table of
 * function pointers chosen once (libsodium's pick-once pattern; CORE-REVIEW
 * F11). lt_ring_init picks a table for the ring from the CPU and the
 * LATHE_KERNEL override (lt_kernels_default), and every prime of the ring
 * records the table its kernels use in its NTT tables (lt_ntt_tables.kern:
 * the ring's table when q < its qmax, else the scalar one). The entry
 * points callers use (lt_ntt_fwd, lt_vec_mul, lt_baseconv_apply, ...) read
 * the table from the tables, modulus or base conversion they are given,
 * so rings of either path coexist in one process and nothing is global.
 *
 * Every table computes the same words: the scalar table is the oracle the
 * others are tested against, bit for bit (tests/ring).
 */
#ifndef LT_KERNELS_H
#define LT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/cpu.h"

struct lt_ntt_tables;
struct lt_modulus;
struct lt_baseconv;

/*
 * One kernel path. Each entry has the contract of the entry point of the
 * same name (ntt.h, vec.h, rns.h, tdiv.h), for the moduli q < qmax.
 */
typedef struct lt_kernels {
	const char *name; /* "scalar" or "avx2", as lathe_kernel_name */
	lt_kernel path;
	uint64_t qmax;    /* serves primes below this; a larger prime gets the scalar table */

	/*
	 * Builds the path's own tables of one prime (tab->vec, one lt_alloc
	 * block that lt_ntt_tables_clear frees) from the scalar ones; 0, or
	 * -1 when out of memory. NULL when the path needs none.
	 */
	int (*ntt_prep)(struct lt_ntt_tables *tab);
	void (*ntt_fwd)(uint64_t *a, const struct lt_ntt_tables *tab);
	void (*ntt_inv)(uint64_t *a, const struct lt_ntt_tables *tab);

	void (*vec_mul)(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const struct lt_modulus *m);
	void (*vec_mac)(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const struct lt_modulus *m);
	void (*vec_mul_scalar)(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const struct lt_modulus *m);
	void (*vec_mac2)(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
	                 size_t n, const struct lt_modulus *m, int first);
	void (*vec_mulsub2)(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
	                    const struct lt_modulus *m);

	/*
	 * Builds the path's own tables of a base conversion (bc->vec) from
	 * the scalar ones: 0 when built, 1 when the path does not take this
	 * shape (bc then uses the scalar table), -1 when out of memory.
	 * NULL when the path needs none.
	 */
	int (*baseconv_prep)(struct lt_baseconv *bc);
	/* lt_baseconv_apply (centered = 0) and lt_baseconv_apply_centered (1) */
	void (*baseconv)(const struct lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
	                 uint64_t *scratch, int centered);
	/* lt_baseconv_apply_centered_mulsub (rns.h) */
	void (*baseconv_mulsub)(const struct lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
	                        size_t n, const uint64_t *cx, const uint64_t *cy);

	/* the one-prime steps of lt_rns_tdivide (tdiv.h: lt_tdiv_lift_scalar, ..._mulsub_scalar) */
	void (*tdiv_lift)(uint64_t *r, const uint64_t *y, size_t n, uint64_t c, const struct lt_modulus *m);
	void (*tdiv_lift_mulsub)(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy,
	                         size_t n, uint64_t c, const struct lt_modulus *m);
} lt_kernels;

/* The portable table: 64-bit integer kernels for any q < 2^62. Never NULL. CT: n/a. */
const lt_kernels *lt_kernels_scalar(void);

/*
 * The table of a path, or NULL when this build lacks it (no AVX2 kernels
 * off x86 or with -Davx2=disabled) or this CPU cannot run it. CT: n/a.
 */
const lt_kernels *lt_kernels_get(lt_kernel path);

/*
 * The table a new ring gets: that of lt_cpu_kernel_default() (the best
 * path this build and CPU run, or scalar under LATHE_KERNEL=scalar).
 * Never NULL. CT: n/a.
 */
const lt_kernels *lt_kernels_default(void);

#endif
