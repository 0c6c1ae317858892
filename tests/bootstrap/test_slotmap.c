/*
 * The slot maps of Steps 1 and 6 (src/bootstrap/slotmap.c): V, the
 * evaluation map built from the thin encoder, is a negacyclic evaluation
 * (column k the k-th powers of column 1, whose l-th powers are -1);
 * V W = identity mod p^r and mod p^e; and on
 * ciphertexts, lt_boot_slot_map equals the matrix-vector product in the
 * clear for V, W and a random matrix, and StC then CtS is the identity.
 * The same for the cyclic slots of p = 3 mod 4 (p = 127 at N = 2^10 and
 * 2^11, p = 2l - 1 mod 4l; p = 6143 at N = 2^10, p = -1 mod 2N), where
 * V[i][k] = Re(w^(5^i k)) in Z_t[i], and sigma_{5^k} is checked to rotate
 * the slots by k first.
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

/* on ciphertexts: V, W and a random matrix against the products in the clear, then StC and CtS in a row */
static void
run_maps(unsigned logn, uint64_t p, uint32_t stream)
{
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx_wide(logn, p, 1, 2, 3, 2);
	bgv_fix_init_ctx(&f, ctx, "slot maps", BGV_KEYS_NONE, NULL, 0, stream);
	uint64_t g[128];
	size_t ng = 0;
	BGV_OK(&f, lt_boot_slot_map_elts(ctx, g, 128, &ng));
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	/* the keys of exactly the listed elements: a map needing another one fails with LATHE_ENOKEY */
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const lt_slots *sl = &ctx->pm[0].slots;
	const size_t l = sl->ell;
	const uint64_t t = ctx->pm[0].t;
	const int cyc = sl->kind == LT_SLOTS_CYCLIC;
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
	BGV_OK(&f, lt_boot_slot_map(ev, b, a, V));
	BGV_OK(&f, lathe_decrypt(f.sk, pt, b));
	if (cyc) {
		/* SlotToCoeff puts x_0 at Y^0 and x_k / 2 at Y^k (0 < k < l, Y = X^(d/2)), nothing at Y^l */
		const uint64_t half = (t + 1) / 2;
		for (size_t k = 0; k < l; k++)
			cr_assert_eq(pt->m[k * sl->stride], k ? mulm(x[k], half, t) : x[0],
			             "after StC the coefficient of Y^%zu is not slot %zu (halved) [%s]", k, k, f.desc);
		cr_assert_eq(pt->m[l * sl->stride], 0, "after StC the coefficient of Y^l is not 0 [%s]", f.desc);
	} else {
		/* SlotToCoeff puts slot k at the coefficient of X^(dk); CoeffToSlot brings it back */
		for (size_t k = 0; k < l; k++)
			cr_assert_eq(pt->m[k * sl->d], x[k], "after StC the coefficient of X^(d %zu) is not slot %zu [%s]", k, k,
			             f.desc);
	}
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

Test(slotmap, maps_on_ciphertexts, .timeout = 300)
{
	run_maps(10, 257, 4000);
}

/* (a + b i)(c + d i) in Z_q[i] */
static lt_gauss
gmul(lt_gauss x, lt_gauss y, uint64_t q)
{
	lt_gauss z;
	z.re = (mulm(x.re, y.re, q) + q - mulm(x.im, y.im, q)) % q;
	z.im = (mulm(x.re, y.im, q) + mulm(x.im, y.re, q)) % q;
	return z;
}

static lt_gauss
gpow(lt_gauss x, uint64_t e, uint64_t q)
{
	lt_gauss r = { 1, 0 };
	for (; e; e >>= 1) {
		if (e & 1)
			r = gmul(r, x, q);
		x = gmul(x, x, q);
	}
	return r;
}

/*
 * The cyclic kind: slot i of a thin m in Z_t[Y]/(Y^(2l) + 1) is m at Y =
 * w^(5^i), w of order 4l in Z_t[i], and sigma_p conjugates there, so
 * column k of V (the slots of (Y^k + sigma_p(Y^k)) / 2) is Re(w^(5^i k))
 */
static void
check_cyclic_matrices(unsigned logn, uint64_t p)
{
	lathe_ctx *ctx = boot_ctx_wide(logn, p, 1, 2, 2, 1);
	for (unsigned pmi = 0; pmi < 2; pmi++) {
		const lt_slots *sl = &ctx->pm[pmi].slots;
		cr_assert_eq(sl->kind, LT_SLOTS_CYCLIC);
		const size_t l = sl->ell;
		const uint64_t q = ctx->pm[pmi].t, four_l = 4 * (uint64_t)l;
		cr_assert_eq(sl->stride * 2 * l, ctx->n, "p = %llu: Y = X^(N / 2l)", (unsigned long long)p);
		const lt_gauss w = sl->root, w2l = gpow(w, 2 * l, q);
		cr_assert(w2l.re == q - 1 && w2l.im == 0, "p = %llu, pm %u: w^(2l) is not -1", (unsigned long long)p, pmi);
		uint64_t *V = malloc(l * l * 8), *W = malloc(l * l * 8);
		cr_assert_eq(lt_boot_stc_matrix(ctx, pmi, V), LATHE_OK, "%s", lathe_last_error());
		cr_assert_eq(lt_boot_cts_matrix(ctx, pmi, W), LATHE_OK, "%s", lathe_last_error());
		uint64_t g = 1;
		for (size_t i = 0; i < l; i++, g = g * 5 % four_l) {
			const lt_gauss y = gpow(w, g, q);
			lt_gauss x = { 1, 0 };
			for (size_t k = 0; k < l; k++, x = gmul(x, y, q))
				cr_assert_eq(V[i * l + k], x.re, "p = %llu, pm %u: V[%zu][%zu] = %llu, Re(w^(5^%zu %zu)) = %llu",
				             (unsigned long long)p, pmi, i, k, (unsigned long long)V[i * l + k], i, k,
				             (unsigned long long)x.re);
		}
		for (size_t i = 0; i < l; i++)
			for (size_t j = 0; j < l; j++) {
				uint64_t acc = 0;
				for (size_t k = 0; k < l; k++)
					acc = (acc + mulm(V[i * l + k], W[k * l + j], q)) % q;
				cr_assert_eq(acc, i == j, "p = %llu, pm %u: (V W)[%zu][%zu] = %llu", (unsigned long long)p, pmi, i, j,
				             (unsigned long long)acc);
			}
		free(V);
		free(W);
	}
	lathe_ctx_free(ctx);
}

Test(slotmap, cyclic_matrices, .timeout = 300)
{
	check_cyclic_matrices(10, 127);
	check_cyclic_matrices(11, 127);
	check_cyclic_matrices(10, 6143);
}

/*
 * What the cyclic map relies on: sigma_{5^k} moves slot c + k mod l to
 * c, on the plaintext (m(X) -> m(X^g) on the coefficients) and on a
 * ciphertext (lathe_ct_automorph); and the slot maps ask for powers of 5
 * only, no 2N - 1
 */
Test(slotmap, cyclic_rotation, .timeout = 300)
{
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx_wide(10, 127, 1, 2, 2, 1);
	bgv_fix_init_ctx(&f, ctx, "cyclic rotation", BGV_KEYS_NONE, NULL, 0, 4010);
	const lt_slots *sl = &ctx->pm[0].slots;
	const size_t n = ctx->n, l = sl->ell;
	const uint64_t t = ctx->pm[0].t, N2 = 2 * (uint64_t)n;
	cr_assert(sl->kind == LT_SLOTS_CYCLIC && sl->rows == 1 && sl->cols == l);
	const size_t ks[4] = { 1, 3, l / 2, l - 1 };
	uint64_t g[4];
	for (unsigned j = 0; j < 4; j++) {
		g[j] = 1;
		for (size_t e = 0; e < ks[j]; e++)
			g[j] = g[j] * 5 % N2;
	}
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, 4, LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	uint64_t *x = calloc(l, 8), *got = calloc(l, 8), *img = calloc(n, 8);
	for (size_t i = 0; i < l; i++)
		x[i] = test_rand(&f.g, t);
	lathe_pt *pt = bgv_pt(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f);
	BGV_OK(&f, lt_slots_encode(sl, pt->m, x));
	pt->pm = 0;
	BGV_OK(&f, lathe_encrypt(f.pk, a, pt));
	for (unsigned j = 0; j < 4; j++) {
		/* X^i -> X^(i g), X^N = -1 */
		memset(img, 0, n * 8);
		for (size_t i = 0; i < n; i++) {
			const uint64_t e = i * g[j] % N2;
			img[e % n] = e >= n ? (t - pt->m[i]) % t : pt->m[i];
		}
		BGV_OK(&f, lt_slots_decode(sl, got, img));
		for (size_t c = 0; c < l; c++)
			cr_assert_eq(got[c], x[(c + ks[j]) % l], "plaintext sigma_{5^%zu}: slot %zu is not slot %zu [%s]", ks[j],
			             c, (c + ks[j]) % l, f.desc);
		BGV_OK(&f, lathe_ct_automorph(ev, b, a, g[j]));
		lathe_pt *dec = bgv_pt(&f);
		BGV_OK(&f, lathe_decrypt(f.sk, dec, b));
		BGV_OK(&f, lt_slots_decode(sl, got, dec->m));
		lathe_pt_free(dec);
		for (size_t c = 0; c < l; c++)
			cr_assert_eq(got[c], x[(c + ks[j]) % l], "sigma_{5^%zu} on a ciphertext: slot %zu is not slot %zu [%s]",
			             ks[j], c, (c + ks[j]) % l, f.desc);
	}
	/* the elements of the maps: distinct powers of 5 (= 1 mod 4), about 2 sqrt(l) of them */
	uint64_t e[128];
	size_t ne = 0;
	BGV_OK(&f, lt_boot_slot_map_elts(ctx, e, 128, &ne));
	cr_assert(ne > 0 && ne * ne <= 4 * l, "%zu elements for %zu slots", ne, l);
	for (size_t i = 0; i < ne; i++) {
		cr_assert(e[i] % 4 == 1 && e[i] != 1 && e[i] < N2, "element %zu = %llu is not a rotation", i,
		          (unsigned long long)e[i]);
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(e[i], e[j], "elements %zu and %zu are the same", j, i);
	}
	size_t again = 0;
	BGV_OK(&f, lt_boot_slot_map_elts(ctx, NULL, 0, &again));
	cr_assert_eq(again, ne);
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_slot_map_elts(ctx, e, ne - 1, &again));
	free(x);
	free(got);
	free(img);
	lathe_pt_free(pt);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	bgv_fix_clear(&f);
}

Test(slotmap, cyclic_maps_on_ciphertexts, .timeout = 600)
{
	run_maps(10, 127, 4001);
	run_maps(11, 127, 4002);
	run_maps(10, 6143, 4003);
}

/* the refusals: a plaintext modulus the context does not have, NULL arguments */
Test(slotmap, refusals)
{
	lathe_ctx *ctx = boot_ctx_wide(10, 127, 1, 2, 2, 1);
	uint64_t V[1];
	size_t n = 0;
	cr_assert_eq(lt_boot_stc_matrix(ctx, 2, V), LATHE_EINVAL);
	cr_assert(lathe_last_error()[0] != '\0');
	cr_assert_eq(lt_boot_cts_matrix(ctx, 0, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_stc_matrix(NULL, 0, V), LATHE_EINVAL);
	cr_assert_eq(lt_boot_slot_map_elts(ctx, NULL, 0, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_slot_map_elts(NULL, NULL, 0, &n), LATHE_EINVAL);
	lathe_ctx_free(ctx);
}
