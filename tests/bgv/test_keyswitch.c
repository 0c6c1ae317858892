/*
 * Hybrid key switching (relinearization and Galois keys) with dnum = 1, 2,
 * 3, digits of equal and unequal sizes, one prime per digit, explicit
 * special primes, at every level of the chain (partial digits). Checked
 * against the plaintext model and for the noise it adds. Then the
 * key-switching module itself (bgv/keyswitch.h, internal): a sum of
 * hoisted inner products with one ModDown, level-limited keys (their
 * basis limb by limb) and the switch from the dense key to a sparse one.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/keyswitch.h"
#include "ring/automorph.h"
#include "ring/ntt.h"
#include "ring/vec.h"

static void
run_set(const bgv_pset *ps, uint32_t stream)
{
	static const int steps[] = { 1, -3, 0 };
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_STEPS, steps, 3, stream);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f), *raw = bgv_ct(&f);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0)); /* stay at the level under test */
	for (unsigned l = f.max_level + 1; l-- > 0;) {
		bgv_rand(&f, v);
		bgv_rand(&f, w);
		bgv_encrypt_vec(&f, a, v, 1);
		bgv_encrypt_vec(&f, b, w, 1);
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, l));
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, b, l));
		int ba = bgv_budget(&f, a);
		char what[96];
		/* relinearization (level 0 may hold no product: ENOISE or ELEVEL there) */
		lathe_status s = lathe_ct_mul_raw(f.ev, raw, a, b);
		if (!(l == 0 && (s == LATHE_ENOISE || s == LATHE_ELEVEL))) {
			BGV_OK(&f, s);
			int braw = bgv_budget(&f, raw);
			snprintf(what, sizeof(what), "relin at level %u", l);
			s = lathe_ct_relin(f.ev, c, raw);
			if (!(l == 0 && (s == LATHE_ENOISE || s == LATHE_ELEVEL))) {
				BGV_OK(&f, s);
				cr_assert_eq(lathe_ct_level(c), l, "%s: result at level %u [%s]", what, lathe_ct_level(c), f.desc);
				pm_mul(r, v, w, n, f.t);
				bgv_check(&f, c, r, what);
				bgv_check_estimate(&f, c, what);
				int brel = bgv_budget(&f, c);
				cr_assert_geq(brel, braw - 3,
				              "%s: budget %d after relin, %d before: key switching noise dominates [%s]", what,
				              brel, braw, f.desc);
			}
		} else if (l == f.max_level) {
			cr_assert_fail("no product at the top level [%s]", f.desc);
		}
		/* Galois keys (each step's own key: composition is test_rotate's business), swap */
		const int rs[] = { 1, -3 };
		for (size_t i = 0; i < 2; i++) {
			BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, rs[i]));
			pm_rotate(r, v, rs[i], n);
			snprintf(what, sizeof(what), "rotate by %d at level %u", rs[i], l);
			bgv_check(&f, c, r, what);
			bgv_check_estimate(&f, c, what);
			if (i < 2) {
				int br = bgv_budget(&f, c);
				cr_assert_geq(br, ba - 10, "%s: budget %d after one key switch, %d before [%s]", what, br, ba, f.desc);
			}
		}
		BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, a));
		pm_swap_rows(r, v, n);
		snprintf(what, sizeof(what), "swap_rows at level %u", l);
		bgv_check(&f, c, r, what);
		BGV_OK(&f, lathe_ct_rotate_many(f.ev, (lathe_ct *[]){ c, raw }, a, (const int[]){ -3, 1 }, 2));
		pm_rotate(r, v, -3, n);
		snprintf(what, sizeof(what), "rotate_many {-3, 1}[0] at level %u", l);
		bgv_check(&f, c, r, what);
		pm_rotate(r, v, 1, n);
		snprintf(what, sizeof(what), "rotate_many {-3, 1}[1] at level %u", l);
		bgv_check(&f, raw, r, what);
	}
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_ct_free(raw);
	free(v);
	free(w);
	free(r);
	bgv_fix_clear(&f);
}

Test(keyswitch, one_digit)
{
	run_set(&BGV_INSECURE_KEYSWITCH[0], 900);
}

Test(keyswitch, two_equal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[1], 901);
}

Test(keyswitch, two_unequal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[2], 902);
}

Test(keyswitch, three_equal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[3], 903);
}

Test(keyswitch, three_unequal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[4], 904);
}

Test(keyswitch, one_prime_per_digit)
{
	run_set(&BGV_INSECURE_KEYSWITCH[5], 905);
}

Test(keyswitch, explicit_special_primes)
{
	run_set(&BGV_INSECURE_KEYSWITCH[6], 906);
	run_set(&BGV_INSECURE_KEYSWITCH[7], 907);
}

Test(keyswitch, explicit_chain)
{
	run_set(&BGV_INSECURE_EXPLICIT_CHAIN, 908);
}

Test(keyswitch, same_chain_any_dnum_gives_the_same_messages)
{
	/* N = 2^11, t = 65537, depth 5 (6 primes) with dnum 1, 2, 3, 6 */
	for (unsigned dnum = 1; dnum <= 6; dnum++) {
		if (dnum == 4 || dnum == 5)
			continue;
		bgv_pset ps = { "insecure-n2048-t65537-d5-kX", 11, 65537, 1, 5, dnum, NULL, 0, NULL, 0 };
		bgv_fix f;
		bgv_fix_init(&f, &ps, BGV_KEYS_STEPS, (const int[]){ 7 }, 1, 910 + dnum);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, 1);
		pm_copy(r, v, n);
		BGV_OK(&f, lathe_ct_copy(c, a));
		for (unsigned i = 0; i < 3; i++) {
			BGV_OK(&f, lathe_ct_mul(f.ev, c, c, a));
			BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, 7));
			pm_mul(r, r, v, n, f.t);
			pm_rotate(r, r, 7, n);
			char what[64];
			snprintf(what, sizeof(what), "dnum %u: (x * a) <<< 7, round %u", dnum, i);
			bgv_check(&f, c, r, what);
			bgv_check_estimate(&f, c, what);
		}
		lathe_ct_free(a);
		lathe_ct_free(c);
		free(v);
		free(r);
		bgv_fix_clear(&f);
	}
}

/* ---- the key-switching module (internal) ---- */

/* the modulus of limb x of the basis q_0..q_k, P */
static const lt_modulus *
basis_mod(const lathe_ctx *c, unsigned k, unsigned x)
{
	return c->ring.modp[x <= k ? x : c->nq + (x - k - 1)];
}

/*
 * The key from s_from to s_to at level k holds, limb by limb of exactly
 * the basis q_0..q_k, P: b_j + a_j s_to - P g_j s_from = t e_j with
 * e_j centered binomial (|e| <= 21), every word reduced mod its prime.
 */
static void
check_key_basis(bgv_fix *f, const lt_ksk *key, unsigned k, const lathe_sk *to, const uint64_t *s_from)
{
	const lathe_ctx *c = f->ctx;
	const size_t n = c->n;
	const unsigned nb = k + 1 + c->np, nd = k / c->alpha + 1;
	cr_assert_eq(lt_ksk_level(c, key), k, "key level [%s]", f->desc);
	cr_assert_eq(lt_ks_digits(c, k), nd, "digits [%s]", f->desc);
	cr_assert_eq(lt_ksk_words(c, key), (size_t)nd * nb * n, "key words at level %u [%s]", k, f->desc);
	uint64_t *r = malloc(n * 8);
	for (unsigned j = 0; j < nd; j++) {
		unsigned lo, hi;
		lt_ks_digit_range(c, j, k, &lo, &hi);
		cr_assert(lo == j * c->alpha && hi > lo && hi <= k + 1, "digit %u = [%u, %u) [%s]", j, lo, hi, f->desc);
		for (unsigned x = 0; x < nb; x++) {
			const lt_modulus *m = basis_mod(c, k, x);
			cr_assert_eq(m, c->qp[k][x], "limb %u of the key's basis is not q_0..q_k, P [%s]", x, f->desc);
			const unsigned i = x <= k ? x : c->nq + (x - k - 1);
			const uint64_t *b = key->b + ((size_t)j * nb + x) * n, *a = key->a + ((size_t)j * nb + x) * n;
			for (size_t z = 0; z < n; z++)
				cr_assert(a[z] < m->q && b[z] < m->q, "digit %u limb %u: a word not reduced [%s]", j, x, f->desc);
			lt_vec_mul(r, a, to->s_ntt + (size_t)i * n, n, m);
			lt_vec_add(r, r, b, n, m->q);
			if (x >= lo && x < hi) {
				uint64_t *ps = malloc(n * 8);
				lt_vec_mul_scalar(ps, s_from + (size_t)i * n, c->p_mod_q[i], n, m);
				lt_vec_sub(r, r, ps, n, m->q);
				free(ps);
			}
			lt_ntt_inv(r, &m->ntt);
			for (size_t z = 0; z < n; z++) {
				int64_t e = r[z] > m->q / 2 ? (int64_t)r[z] - (int64_t)m->q : (int64_t)r[z];
				cr_assert(e % (int64_t)c->t == 0 && llabs(e / (int64_t)c->t) <= 21,
				          "digit %u limb %u (q = %llu) coefficient %zu: %lld is not t e [%s]", j, x,
				          (unsigned long long)m->q, z, (long long)e, f->desc);
			}
		}
	}
	free(r);
}

/* decrypts ct with sk (any secret of the context) and compares slot by slot */
static void
check_under(bgv_fix *f, const lathe_sk *sk, const lathe_ct *ct, const uint64_t *ref, const char *what)
{
	lathe_pt *pt = bgv_pt(f);
	BGV_OK(f, lathe_decrypt(sk, pt, ct));
	uint64_t *got = bgv_vec(f);
	BGV_OK(f, lathe_decode_u64(got, f->slots, pt));
	for (size_t i = 0; i < f->slots; i++)
		cr_assert_eq(got[i], ref[i], "%s: slot %zu got %llu want %llu [%s]", what, i, (unsigned long long)got[i],
		             (unsigned long long)ref[i], f->desc);
	int est = 0, meas = 0;
	BGV_OK(f, lathe_ct_budget_estimate(ct, &est));
	BGV_OK(f, lathe_noise_budget(sk, ct, &meas));
	cr_assert_leq(est, meas, "%s: estimate %d above the measured budget %d [%s]", what, est, meas, f->desc);
	free(got);
	lathe_pt_free(pt);
}

static void
run_sparse(const bgv_pset *ps, unsigned k, uint32_t stream)
{
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_NONE, NULL, 0, stream);
	const lathe_ctx *c = f.ctx;
	cr_assert_lt(k, c->nq);
	lathe_sk *sp = NULL;
	BGV_OK(&f, lt_sk_new_hwt(c, 64, NULL, &sp));
	size_t h = 0;
	for (size_t i = 0; i < f.n; i++) {
		cr_assert(sp->s[i] >= -1 && sp->s[i] <= 1);
		h += sp->s[i] != 0;
	}
	cr_assert_eq(h, 64, "Hamming weight %zu [%s]", h, f.desc);
	lt_ksk key;
	BGV_OK(&f, lt_ksk_gen_at(sp, f.sk->s_ntt, k, &key, NULL));
	cr_assert_eq(key.drop, c->nq - 1 - k);
	check_key_basis(&f, &key, k, sp, f.sk->s_ntt);
	lt_ks_ws ws;
	BGV_OK(&f, lt_ks_ws_init(&ws, c));
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
	char what[96];
	for (unsigned l = k + 1; l-- > 0;) {
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, l));
		BGV_OK(&f, lt_ct_switch_key(&ws, out, x, &key));
		cr_assert_eq(lathe_ct_level(out), l);
		snprintf(what, sizeof(what), "dense to sparse at level %u with a level-%u key", l, k);
		check_under(&f, sp, out, v, what);
		/* it is no longer under the dense key */
		lathe_pt *pt = bgv_pt(&f);
		uint64_t *got = bgv_vec(&f);
		if (lathe_decrypt_force(f.sk, pt, out) == LATHE_OK) {
			BGV_OK(&f, lathe_decode_u64(got, f.slots, pt));
			cr_assert(memcmp(got, v, f.slots * 8) != 0, "%s: the dense key still decrypts it [%s]", what, f.desc);
		}
		free(got);
		lathe_pt_free(pt);
		/* in place */
		BGV_OK(&f, lt_ct_switch_key(&ws, x, x, &key));
		snprintf(what, sizeof(what), "in place, level %u", l);
		check_under(&f, sp, x, v, what);
	}
	/* refused above the key's level, and with 3 components; out unchanged */
	if (k + 1 < c->nq) {
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, k + 1));
		BGV_FAILS(&f, LATHE_ELEVEL, lt_ct_switch_key(&ws, out, x, &key));
		BGV_FAILS(&f, LATHE_ELEVEL, lt_ct_switch_key(&ws, out, a, &key));
		check_under(&f, sp, out, v, "out after the refusals");
	}
	BGV_OK(&f, lathe_ct_mul_raw(f.ev, x, a, a));
	BGV_FAILS(&f, LATHE_EINVAL, lt_ct_switch_key(&ws, out, x, &key));
	lt_ksk bad;
	BGV_FAILS(&f, LATHE_ELEVEL, lt_ksk_gen_at(sp, f.sk->s_ntt, c->nq, &bad, NULL));
	cr_assert_null(bad.a);
	lathe_sk *no = (lathe_sk *)&no;
	BGV_FAILS(&f, LATHE_EINVAL, lt_sk_new_hwt(c, f.n + 1, NULL, &no));
	cr_assert_null(no);
	lt_ksk_clear(c, &key);
	lt_ks_ws_clear(&ws);
	lathe_sk_free(sp);
	lathe_ct_free(a);
	lathe_ct_free(x);
	lathe_ct_free(out);
	free(v);
	bgv_fix_clear(&f);
}

Test(keyswitch, dense_to_sparse_with_level_limited_keys)
{
	/* digits 2 + 2 + 1: a key at level 0 (part of a digit), 1 (one digit), 2 (a digit and a part), top */
	for (unsigned k = 0; k < 5; k++)
		run_sparse(&BGV_INSECURE_KEYSWITCH[4], k, 940 + k);
	/* two special primes, digits of 2 */
	run_sparse(&BGV_INSECURE_KEYSWITCH[7], 0, 946);
	run_sparse(&BGV_INSECURE_KEYSWITCH[7], 2, 947);
}

Test(keyswitch, full_level_key_has_the_evaluation_keys_shape)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_KEYSWITCH[2], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 950);
	const lathe_ctx *c = f.ctx;
	/* the relinearization key: s^2 -> s over all nq + np primes, as io stores it */
	const lt_ksk *rk = &f.ek->relin;
	cr_assert_eq(rk->drop, 0);
	cr_assert_eq(lt_ksk_words(c, rk), (size_t)c->dnum * (c->nq + c->np) * c->n);
	uint64_t *s2 = malloc((size_t)(c->nq + c->np) * c->n * 8);
	for (unsigned i = 0; i < c->nq + c->np; i++)
		lt_vec_mul(s2 + (size_t)i * c->n, f.sk->s_ntt + (size_t)i * c->n, f.sk->s_ntt + (size_t)i * c->n, c->n,
		           c->ring.modp[i]);
	check_key_basis(&f, rk, c->nq - 1, f.sk, s2);
	free(s2);
	bgv_fix_clear(&f);
}

Test(keyswitch, hoisted_inner_products_summed_with_one_moddown)
{
	/* sigma_1(a) + sigma_{-3}(a) + sigma_5(a) from one decomposition, lt_ks_inner_acc, one ModDown */
	static const int steps[] = { 1, -3, 5 };
	for (size_t si = 0; si < 3; si++) {
		const bgv_pset *ps = &BGV_INSECURE_KEYSWITCH[si == 0 ? 0 : si == 1 ? 4 : 7];
		bgv_fix f;
		bgv_fix_init(&f, ps, BGV_KEYS_STEPS, steps, 3, 960 + (uint32_t)si);
		const lathe_ctx *c = f.ctx;
		const size_t n = c->n;
		lt_ks_ws ws;
		BGV_OK(&f, lt_ks_ws_init(&ws, c));
		uint64_t *v = bgv_vec(&f), *ref = bgv_vec(&f), *r = bgv_vec(&f);
		bgv_rand(&f, v);
		lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f), *out = bgv_ct(&f);
		bgv_encrypt_vec(&f, a, v, 1);
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
		for (unsigned l = f.max_level + 1; l-- > 0;) {
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, l));
			uint64_t *acc = ws.acc;
			lt_ks_decompose(&ws, lt_ct_comp(x, 1), l);
			memset(lt_ct_comp(out, 0), 0, (size_t)(l + 1) * n * 8);
			memset(ref, 0, n * 8);
			for (size_t i = 0; i < 3; i++) {
				const lt_galois_key *gk = NULL;
				for (size_t g = 0; g < f.ek->ngal; g++)
					if (f.ek->gal[g].g == lt_galois_elt(c, steps[i]))
						gk = &f.ek->gal[g];
				cr_assert_not_null(gk);
				if (i == 0)
					lt_ks_inner(&ws, &gk->k, gk->perm, l, acc);
				else
					lt_ks_inner_acc(&ws, &gk->k, gk->perm, l, acc);
				/* c0 of the sum: sum of sigma_i(c0) */
				uint64_t *o0 = lt_ct_comp(out, 0);
				const uint64_t *x0 = lt_ct_comp(x, 0);
				for (unsigned q = 0; q <= l; q++)
					for (size_t z = 0; z < n; z++)
						o0[q * n + z] = lt_addmod(o0[q * n + z], x0[q * n + gk->perm[z]], c->ring.modp[q]->q);
				pm_rotate(r, v, steps[i], f.slots);
				pm_add(ref, ref, r, f.slots, f.t);
			}
			uint64_t *d0 = lt_ks_acc_comp(c, acc, l, 0);
			lt_ks_moddown(&ws, lt_ct_pm(x), acc, l, d0, lt_ct_comp(out, 1));
			uint64_t *o0 = lt_ct_comp(out, 0);
			for (unsigned q = 0; q <= l; q++)
				lt_vec_add(o0 + q * n, o0 + q * n, d0 + q * n, n, c->ring.modp[q]->q);
			out->level = l;
			out->size = 2;
			out->fac = x->fac;
			out->noise = lt_log2_add(x->noise + log2(3.0), lt_noise_ks(lt_ct_pm(x)) + log2(3.0));
			memcpy(out->keyid, x->keyid, LT_KEYID_BYTES);
			char what[80];
			snprintf(what, sizeof(what), "three hoisted key switches, one ModDown, level %u", l);
			check_under(&f, f.sk, out, ref, what);
		}
		lt_ks_ws_clear(&ws);
		lathe_ct_free(a);
		lathe_ct_free(x);
		lathe_ct_free(out);
		free(v);
		free(ref);
		free(r);
		bgv_fix_clear(&f);
	}
}
