/*
 * Slot structure of R_t = Z_t[X]/(X^N + 1) for t = p^r, p an odd prime,
 * and the thin-slot encoder (BOOTSTRAP.md §1).
 *
 * With d = ord(p mod 2N) and l = N/d, X^N + 1 splits mod p into l
 * irreducible factors of degree d, so R_t = GR(p^r, d)^l. Fix a primitive
 * 2N-th root of unity zeta of GR(p^r, d); slot i of m is m(zeta^g_i) for a
 * representative g_i of the i-th coset of <p> in (Z/2N)^* = <-1> x <5>.
 * A "thin" plaintext has every slot in Z_t; thin plaintexts are exactly
 * the m with m(X^p) = m(X), a ring of rank l over Z_t, and they are what
 * these encoders map to and from (l values of Z_t <-> N coefficients).
 *
 * Kinds and orientation (slot index i = row * cols + col):
 *  - FULL (p = 1 mod 2N, d = 1, l = N) and HYPERCUBE (p = 1 mod 4, d > 1):
 *    2 rows x cols = l/2, g_i = (-1)^row 5^col mod 2N; <p> = <5^cols>.
 *    Thin plaintexts are S = Z_t[X^d] = Z_t[Y]/(Y^l + 1), Y = X^d, and
 *    slot i of m in S is m_S(w^g_i) with w = zeta^d a primitive 2l-th root
 *    of unity of Z_t: a length-l negacyclic NTT over Z_t.
 *  - CYCLIC (p = 3 mod 4): 1 row x cols = l, g_i = 5^i; p = -5^a for some
 *    a, and <p> meets <5> in <5^l>. The 2l-th roots of unity are not in
 *    Z_p, so (after Geelen-Vercauteren's cyclic case) thin plaintexts live
 *    in S' = Z_t[X^(d/2)] = Z_t[Y]/(Y^(2l) + 1), Y = X^(d/2), evaluated at
 *    the powers of a primitive 4l-th root of unity w of GR(p^r, 2) =
 *    Z_t[i]: a length-2l negacyclic NTT over Z_t[i], where slot i sits at
 *    w^(5^i) and its Frobenius conjugate point w^(p 5^i) holds the same
 *    value.
 * Under the automorphism m(X) -> m(X^g), slot i of the image is slot j of
 * m where g g_i lies in the coset of g_j (for thin m: the Frobenius twist
 * fixes Z_t). So g = 5^k moves slot (row, col + k mod cols) to (row, col)
 * (today's batch rotation), and g = 2N - 1 swaps the rows (FULL,
 * HYPERCUBE); in the CYCLIC kind g = 2N - 1 is the rotation by -a.
 *
 * For FULL with r = 1 the slot order and values are those of the batch
 * encoder (encode.c): w = lt_prime_root_2n(p, log2 N) and slot j < N/2 is
 * the evaluation at w^(5^j), slot N/2 + j at w^(-5^j); the transform is
 * then ntt.h's (with its vector kernels), elsewhere zpr.h's.
 *
 * Set-up is on public parameters (CT: n/a); the encoders are constant-time
 * in the plaintext values, except that decoding refuses a non-thin input.
 */
#ifndef LT_BGV_SLOTS_H
#define LT_BGV_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "../ring/ntt.h"
#include "../ring/zpr.h"

typedef enum lt_slots_kind {
	LT_SLOTS_FULL = 1, /* d = 1: N slots, 2 x N/2 */
	LT_SLOTS_HYPERCUBE, /* p = 1 mod 4, d > 1: 2 x l/2, generators -1 and 5 */
	LT_SLOTS_CYCLIC,    /* p = 3 mod 4: cyclic of order l, generator 5 */
} lt_slots_kind;

typedef struct lt_slots {
	unsigned logn;
	size_t n;            /* N */
	uint64_t m;          /* 2N */
	lt_zpr z;            /* Z_t, t = z.q = p^r */
	lt_slots_kind kind;
	size_t d;            /* ord(p mod 2N) */
	size_t ell;          /* number of slots N / d */
	size_t rows, cols;   /* 2 x l/2, or 1 x l (CYCLIC) */
	uint64_t gen_row;    /* 2N - 1 (FULL, HYPERCUBE); 0 (CYCLIC) */
	uint64_t gen_col;    /* 5 */
	size_t stride;       /* thin plaintexts lie in Z_t[X^stride]: d, or d/2 (CYCLIC) */
	size_t len;          /* N / stride: length of the NTT (l, or 2l) */
	uint64_t frob_dlog;  /* p = 5^b (FULL, HYPERCUBE) or p = -5^a (CYCLIC) mod 2N: b or a */
	uint64_t *gexp;      /* [l]: g_i, the Galois exponent of slot i, in [1, 2N) */
	uint32_t *pos;       /* [l]: NTT index of the evaluation point w^(g_i) */
	uint32_t *pos_conj;  /* CYCLIC: [l]: NTT index of w^(p g_i); else NULL */
	lt_gauss root;       /* w: order 2 len, in Z_t (im = 0) or Z_t[i] (CYCLIC) */
	int prime_ntt;       /* FULL with r = 1: the transform is ntt.h's (tntt), else zpr.h's (ntt) */
	lt_ntt_tables tntt;  /* prime_ntt: length N over Z_p, root w (the batch encoder's tables) */
	lt_zpr_ntt ntt;      /* !prime_ntt: length len over Z_t, or over Z_t[i] (CYCLIC) */
} lt_slots;

/*
 * Builds the descriptor of t = p^r for N = 2^logn.
 * Errors: LATHE_EPARAM (logn outside [4, 17], p not an odd prime, p^r >=
 * 2^62), LATHE_ENOMEM. On error s is cleared (lt_slots_clear is safe).
 */
lathe_status lt_slots_init(lt_slots *s, unsigned logn, uint64_t p, unsigned r);

/* Frees the tables. Safe on a zeroed or cleared struct. */
void lt_slots_clear(lt_slots *s);

/*
 * Writes x = (-1)^sgn 5^e mod 2N for odd x (sgn in {0, 1}, e in [0, N/2)).
 * CT: n/a (public Galois elements).
 */
void lt_slots_dlog(const lt_slots *s, uint64_t x, unsigned *sgn, uint64_t *e);

/* The slot whose coset of <p> holds the odd x (i with x in g_i <p>). */
size_t lt_slots_index(const lt_slots *s, uint64_t x);

/*
 * The slot permutation of the Galois element g (odd): for every thin m,
 * slot i of m(X^g) is slot src[i] of m. src: l entries.
 */
void lt_slots_perm(uint32_t *src, const lt_slots *s, uint64_t g);

/* The Galois element of a rotation by k columns: 5^(k mod cols) mod 2N (k may be negative). */
uint64_t lt_slots_rot_elt(const lt_slots *s, int64_t k);

/*
 * Thin encode: m[0..N) = the coefficients, in [0, t), of the unique thin
 * plaintext whose slot i holds v[i], i < l (v[i] in [0, t), asserted).
 * m must not alias v. Errors: LATHE_ENOMEM (m unchanged).
 * CT: yes (in v).
 */
lathe_status lt_slots_encode(const lt_slots *s, uint64_t *m, const uint64_t *v);

/*
 * Thin decode: v[0..l) = the slots of m[0..N) (coefficients in [0, t),
 * asserted). Errors: LATHE_EINVAL (m is not thin: a nonzero coefficient
 * off the multiples of stride, or, CYCLIC, m(X^p) != m(X)), LATHE_ENOMEM;
 * v unchanged on error. v must not alias m.
 * CT: yes in m, except for the one branch that refuses a non-thin m
 * (whether m is thin is computed without early exit).
 */
lathe_status lt_slots_decode(const lt_slots *s, uint64_t *v, const uint64_t *m);

#endif
