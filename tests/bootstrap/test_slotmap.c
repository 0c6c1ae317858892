/*
 * The slot maps of Steps 1 and 6 (src/bootstrap/slotmap.c): V, the
 * evaluation map built from the thin encoder, is a negacyclic evaluation
 * (column k the k-th powers of column 1, whose l-th powers are -1);
 * V W = identity mod p^r and mod p^e; and on
 * ciphertexts, lt_boot_slot_map equals the matrix-vector product in the
 * clear for V, W and a random matrix, and StC then CtS is the identity.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t
mulm(uint64_t a, uint64_t b, uint64_t q)
{
	return (uint64_t)((u128)a * b % q);
}

Test(slotmap, matrices)
{
	lathe_ctx *ctx = boot_ctx_wide(10, 257, 1, 2, 3, 2);
	for (unsigned pmi = 0; pmi < 2; pmi++) {
		const lt_slots *sl = &ctx->pm[pmi].slots;
		const size_t l = sl->ell;
		const uint64_t q = ctx->pm[pmi].t;
		uint64_t *V = malloc(l * l * 8), *W = malloc(l * l * 8);
		cr_assert_eq(lt_boot_stc_matrix(ctx, pmi, V), LATHE_OK, "%s", lathe_last_error());
		cr_assert_eq(lt_boot_cts_matrix(ctx, pmi, W), LATHE_OK, "%s", lathe_last_error());
		/* V W = I */
		for (size_t i = 0; i < l; i++)
			for (size_t j = 0; j < l; j++) {
				uint64_t acc = 0;
				for (size_t k = 0; k < l; k++)
					acc = (acc + mulm(V[i * l + k], W[k * l + j], q)) % q;
				cr_assert_eq(acc, i == j, "pm %u: (V W)[%zu][%zu] = %llu", pmi, i, j, (unsigned long long)acc);
			}
		/* column 1 of V is the slot vector of X^d: the values of Y at the slots' points, and column k their k-th powers */
		for (size_t i = 0; i < l; i++) {
			uint64_t x = 1;
			for (size_t k = 0; k < l; k++) {
				cr_assert_eq(V[i * l + k], x, "pm %u: V[%zu][%zu] is not the %zu-th power of V[%zu][1]", pmi, i, k, k, i);
				x = mulm(x, V[i * l + 1], q);
			}
			/* Y^l = -1 at every slot (negacyclic) */
			cr_assert_eq(x, q - 1, "pm %u: slot %zu: Y^l is not -1", pmi, i);
		}
		free(V);
		free(W);
	}
	lathe_ctx_free(ctx);
}

Test(slotmap, maps_on_ciphertexts, .timeout = 300)
{
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx_wide(10, 257, 1, 2, 3, 2);
	bgv_fix_init_ctx(&f, ctx, "slot maps", BGV_KEYS_NONE, NULL, 0, 4000);
	uint64_t g[64];
	size_t ng = 0;
	BGV_OK(&f, lt_boot_slot_map_elts(ctx, g, 64, &ng));
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const lt_slots *sl = &ctx->pm[0].slots;
	const size_t l = sl->ell;
	const uint64_t t = ctx->pm[0].t;
	uint64_t *V = malloc(l * l * 8), *W = malloc(l * l * 8), *R = malloc(l * l * 8);
	BGV_OK(&f, lt_boot_stc_matrix(ctx, 0, V));
	BGV_OK(&f, lt_boot_cts_matrix(ctx, 0, W));
	for (size_t i = 0; i < l * l; i++)
		R[i] = test_rand(&f.g, t);
	uint64_t *x = calloc(l, 8), *want = calloc(l, 8), *got = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		x[i] = test_rand(&f.g, t);
	lathe_pt *pt = bgv_pt(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
	BGV_OK(&f, lt_slots_encode(sl, pt->m, x));
	pt->pm = 0;
	BGV_OK(&f, lathe_encrypt(f.pk, a, pt));
	const uint64_t *Ms[3] = { V, W, R };
	for (unsigned which = 0; which < 3; which++) {
		BGV_OK(&f, lt_boot_slot_map(ev, b, a, Ms[which]));
		BGV_OK(&f, lathe_decrypt(f.sk, pt, b));
		BGV_OK(&f, lt_slots_decode(sl, got, pt->m));
		for (size_t i = 0; i < l; i++) {
			uint64_t acc = 0;
			for (size_t k = 0; k < l; k++)
				acc = (acc + mulm(Ms[which][i * l + k], x[k], t)) % t;
			want[i] = acc;
		}
		for (size_t i = 0; i < l; i++)
			cr_assert_eq(got[i], want[i], "matrix %u: slot %zu is %llu, the product in the clear %llu [%s]", which, i,
			             (unsigned long long)got[i], (unsigned long long)want[i], f.desc);
	}
	/* SlotToCoeff puts slot k at the coefficient of X^(dk); CoeffToSlot brings it back */
	BGV_OK(&f, lt_boot_slot_map(ev, b, a, V));
	BGV_OK(&f, lathe_decrypt(f.sk, pt, b));
	for (size_t k = 0; k < l; k++)
		cr_assert_eq(pt->m[k * sl->d], x[k], "after StC the coefficient of X^(d %zu) is not slot %zu [%s]", k, k, f.desc);
	BGV_OK(&f, lt_boot_slot_map(ev, c, b, W));
	BGV_OK(&f, lathe_decrypt(f.sk, pt, c));
	BGV_OK(&f, lt_slots_decode(sl, got, pt->m));
	cr_assert(memcmp(got, x, l * 8) == 0, "CtS after StC is not the identity [%s]", f.desc);
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_slot_map(ev, a, a, V));
	free(V);
	free(W);
	free(R);
	free(x);
	free(want);
	free(got);
	lathe_pt_free(pt);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	bgv_fix_clear(&f);
}

Test(slotmap, cyclic_slots_refused)
{
	lathe_ctx *ctx = boot_ctx_wide(10, 127, 1, 2, 2, 1);
	uint64_t V[1];
	size_t n = 0;
	cr_assert_eq(lt_boot_stc_matrix(ctx, 0, V), LATHE_EUNSUPPORTED);
	cr_assert_eq(lt_boot_slot_map_elts(ctx, NULL, 0, &n), LATHE_EUNSUPPORTED);
	cr_assert(lathe_last_error()[0] != '\0');
	lathe_ctx_free(ctx);
}
