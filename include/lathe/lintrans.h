/*
 * lathe — linear transforms of batch slots.
 *
 * Slot layout. The S = lathe_ctx_slots(ctx) slots form two rows of
 * n = S/2 slots (t_prime = 1 mod 4; a context whose slots form one cyclic
 * row, t_prime = 3 mod 4, is refused with LATHE_EPARAM); slot r*n + i is entry i of row r. A rotation by k
 * (lathe_ct_rotate) moves slot i of each row to slot i - k, so that slot i
 * receives slot i + k mod n of the same row; lathe_ct_swap_rows exchanges
 * the rows.
 *
 * Row transforms (lathe_lintrans_new). Each row r is multiplied by an
 * n x n matrix M_r over Z_t (the two rows may have different matrices).
 * The generalized diagonal k (0 <= k < n) of the pair is the slot vector
 *     d_k[r*n + i] = M_r[i][(i + k) mod n],
 * so that M x = sum_k d_k (.) rot_k(x), with (.) the slot-wise product
 * (Halevi, Shoup, "Algorithms in HElib", Crypto 2014).
 *
 * Full transforms (lathe_lintrans_new_full). One 2n x 2n matrix M on all
 * slots, the slots seen as the hypercube Z_2 x Z_n. Its diagonals are
 * indexed j = s*n + k (s in {0, 1}, 0 <= k < n):
 *     d_j[r*n + i] = M[r*n + i][(r xor s)*n + (i + k) mod n],
 * so that M x = sum_k d_k (.) rot_k(x) + sum_k d_{n+k} (.) rot_k(swap(x)).
 *
 * Evaluation: baby-step/giant-step with hoisted rotations (Halevi, Shoup,
 * Crypto 2014, and "Faster homomorphic linear transformations in
 * HElib", Crypto 2018). With B baby steps every diagonal index
 * k = g*B + b (0 <= b < B) is served by
 *     d_k (.) rot_k(x) = rot_{gB}(rot_{-gB}(d_k) (.) rot_b(x)),
 * so that
 *     M x = sum_g rot_{gB}( sum_b rot_{-gB}(d_{gB+b}) (.) rot_b(x) ).
 * The diagonals are pre-rotated by -gB in the clear and prepared once
 * (lathe_prepared_pt_new). The evaluation makes one rotation set of the
 * baby steps of x (lathe_rotset_new: one decomposition, the rotations kept
 * modulo Q*P), computes the inner sum of each giant step with
 * lathe_rotset_dot (one ModDown per giant step), rotates it by g*B
 * (lathe_ct_rotate; nothing for g = 0) and adds the giant steps up. A full
 * transform does the same for x and for swap(x) (one row swap, a second
 * rotation set) and sums both inner sums of a giant step before rotating.
 *
 * The matrix is public in its shape only: which diagonals are listed
 * decides the operations made, their values never do (a listed diagonal
 * is used even when it is zero), so a model owner's weights may be the
 * diagonals. Memory: one prepared plaintext (level + 1 + np limbs of N words, np the special primes)
 * per listed diagonal.
 */
#ifndef LATHE_LINTRANS_H
#define LATHE_LINTRANS_H

#include <stddef.h>
#include <stdint.h>

#include "bgv.h"
#include "common.h"
#include "error.h"
#include "params.h"

LATHE_BEGIN_DECLS

typedef struct lathe_lintrans lathe_lintrans;

/*
 * What an evaluation costs, from its plan: the shape of the matrix (the
 * indices of the listed diagonals) and the number of baby steps B.
 *   baby_steps       B: baby steps b in [0, B), giant steps g*B, g in
 *                    [0, ceil(n / B));
 *   giant_steps      giant steps g with at least one diagonal;
 *   baby_rotations   hoisted rotations by a baby step b != 0 in use, in
 *                    the rotation sets (one set for x, one for swap(x));
 *   giant_rotations  calls of lathe_ct_rotate: giant steps with g != 0;
 *   row_swaps        1 when a full transform has diagonals j >= n, else 0;
 *   key_switches     key-switch inner products with a Galois key:
 *                    baby_rotations + giant_rotations + row_swaps;
 *   decompositions   digit decompositions (ModUp): one per rotation set
 *                    with a baby step b != 0, one per giant rotation and
 *                    row swap;
 *   moddowns         one per lathe_rotset_dot with a weight on a baby step
 *                    b != 0 (a dot of step 0 alone needs none), one per
 *                    giant rotation and row swap;
 *   pt_muls          products by a prepared diagonal: the number listed;
 *   additions        ciphertext additions after the dot products: one
 *                    less than the number of lathe_rotset_dot calls;
 *   galois_keys      distinct rotation steps the evaluation needs keys for
 *                    (what lathe_lintrans_steps lists; 0 stands for the
 *                    row swap).
 * With B chosen automatically (baby steps 0) the plan has the fewest
 * key_switches over every B in [1, n] (for a shape of more than
 * 2^22 / n diagonals, over B up to 2 sqrt(n) + 2, the powers of two and n),
 * then the fewest moddowns, then the smallest B. For a dense n x n row
 * matrix that is B about sqrt(n), and for n a power of 4 exactly
 * B = sqrt(n): 2 sqrt(n) - 2 key switches, sqrt(n) dot products.
 */
typedef struct lathe_lintrans_stats {
	size_t baby_steps;
	size_t giant_steps;
	size_t baby_rotations;
	size_t giant_rotations;
	size_t row_swaps;
	size_t key_switches;
	size_t decompositions;
	size_t moddowns;
	size_t pt_muls;
	size_t additions;
	size_t galois_keys;
} lathe_lintrans_stats;

/*
 * The plan of a row transform (lathe_lintrans_new) on rows of n slots
 * with diagonals diags[0..count) and `baby` baby steps (0: chosen as said
 * above), without a context or values: what it would cost.
 * lathe_lintrans_cost_full: the same for a full transform, diagonal
 * indices j = s*n + k as above.
 * diags: any ints, taken mod n (mod 2n for full transforms), distinct
 * after that. n >= 1; baby <= n.
 * Errors: LATHE_EINVAL (NULL, n == 0 or above 2^16, count == 0, two equal
 * indices, baby > n), LATHE_ENOMEM. On error *stats is unchanged.
 * CT: not applicable (the shape is public).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_cost(size_t n, const int *diags, size_t count, size_t baby, lathe_lintrans_stats *stats);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_cost_full(size_t n, const int *diags, size_t count, size_t baby, lathe_lintrans_stats *stats);

/*
 * A row transform of ctx with the diagonals values[0..count): values[j]
 * is the slot vector of diagonal diags[j] (lathe_ctx_slots(ctx) entries,
 * both rows; each in (-t, t), taken mod t: signed centered values as
 * lathe_encode takes them, or residues in [0, t)). diags: as for
 * lathe_lintrans_cost, with n = lathe_ctx_slots(ctx) / 2. Diagonals left
 * out are zero.
 * level: the level the diagonals are prepared at (<= the context's top
 * level); lathe_lintrans_apply takes ciphertexts at any level and
 * switches those above it down to it. baby: the number of baby steps
 * (0: chosen, see lathe_lintrans_stats).
 * The transform is immutable: evaluators of one context may share it from
 * any number of threads. The values are not kept (only their prepared
 * forms); the caller may free them afterwards.
 * Errors: LATHE_EINVAL (NULL ctx, diags, values, values[j] or out,
 * count == 0, two indices equal mod n, baby > n, a value out of range:
 * which one is named), LATHE_EPARAM (no batching), LATHE_ELEVEL (level
 * above the top level), LATHE_ENOMEM. On error *out is NULL.
 * CT: yes with respect to the values (the range check stops at the first
 * value outside the range); the indices are public.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_new(const lathe_ctx *ctx, const int *diags, const int64_t *const *values, size_t count,
                   unsigned level, size_t baby, lathe_lintrans **out);

/*
 * A full transform (2n x 2n matrix on all slots): as lathe_lintrans_new
 * with diagonal indices j = s*n + k taken mod 2n (the layout above).
 * Diagonals j >= n need the row swap of the input (a Galois key of its
 * own: step 0 in lathe_lintrans_steps).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_new_full(const lathe_ctx *ctx, const int *diags, const int64_t *const *values, size_t count,
                        unsigned level, size_t baby, lathe_lintrans **out);

/* Frees a transform (NULL-safe); its prepared diagonals are zeroized. */
LATHE_API void lathe_lintrans_free(lathe_lintrans *lt);

/*
 * The rotation steps the evaluation needs Galois keys for, to pass to
 * lathe_evalkeys_new: the baby steps b != 0 in use, ascending, then the
 * giant steps g*B != 0 in use, ascending (all in [1, n)), then 0 (the row
 * swap) when a full transform needs it. *n receives their number; steps
 * (cap entries) receives them when cap >= *n; steps may be NULL when cap
 * is 0 (to ask for the number).
 * Errors: LATHE_EINVAL (NULL lt or n, steps NULL with cap > 0, cap below
 * the number: *n still receives it). On error steps is unchanged.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_steps(const lathe_lintrans *lt, int *steps, size_t cap, size_t *n);

/* The plan's costs (see lathe_lintrans_stats). Errors: LATHE_EINVAL (NULL); on error *stats is unchanged. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_lintrans_plan(const lathe_lintrans *lt, lathe_lintrans_stats *stats);

/* The level the diagonals were prepared at (0 for NULL). */
LATHE_API unsigned lathe_lintrans_level(const lathe_lintrans *lt);

/*
 * out = M a, the transform applied to the slots of a.
 * a: a 2-component ciphertext of ev's context and key pair; above lt's
 * level it is first switched down to that level. The result lands at the
 * level of the rotation sets (a's level or lt's, whichever is lower, or
 * lower where automatic modulus switching chooses so). out may alias a.
 * Keys: ev needs the Galois keys of lathe_lintrans_steps. A baby step
 * needs a key of its own (lathe_rotset_new); a giant step without a key
 * of its own is composed from the keys present (lathe_ct_rotate), at the
 * price of more key switches than the plan counts.
 * The noise grows by about the l1 norm of the largest prepared diagonal
 * (as a lathe_ct_mul_prepared) plus log2 of the number of diagonals of a
 * giant step, and the key switches' additive terms.
 * Errors: LATHE_EINVAL (NULL ev, out, a or lt; a of 3 components),
 * LATHE_EMISMATCH (lt, a or out of another context, or a of another key
 * pair), and those of the operations used, passed on with the step that
 * failed: LATHE_ENOKEY (a missing Galois key), LATHE_ELEVEL, LATHE_ENOISE
 * (a or lt too low in the chain for the products), LATHE_EBUSY,
 * LATHE_ENOMEM. On any error out is unchanged (the work is done in
 * temporaries, copied into out at the end).
 * CT: yes with respect to a's plaintext and the diagonals' values (the
 * operations made depend only on the plan).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_lintrans_apply(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_lintrans *lt);

LATHE_END_DECLS

#endif
