/*
 * Encryption with the public and the secret key, decryption, fresh
 * ciphertext shape (top level, 2 components), copies, and encryption of
 * coefficient-encoded plaintexts for any t.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "bgv/bgv_util.h"

Test(encrypt, pk_and_sk_round_trips)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_NONE, NULL, 0, 200 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f);
		lathe_ct *ct = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(3); trial++) {
			for (int pk = 0; pk < 2; pk++) {
				bgv_rand(&f, v);
				v[0] = f.t - 1;
				v[1] = 0;
				bgv_encrypt_vec(&f, ct, v, pk);
				cr_assert_eq(lathe_ct_level(ct), f.max_level, "fresh at level %u of %u [%s]",
				             lathe_ct_level(ct), f.max_level, f.desc);
				cr_assert_eq(lathe_ct_size(ct), 2, "fresh of size %u [%s]", lathe_ct_size(ct), f.desc);
				bgv_check(&f, ct, v, pk ? "pk encryption" : "sk encryption");
				int b = bgv_budget(&f, ct);
				cr_assert_gt(b, 10, "fresh budget %d bits [%s]", b, f.desc);
				bgv_check_estimate(&f, ct, pk ? "fresh pk" : "fresh sk");
			}
		}
		/*
		 * decryption with another key pair of the same context is refused
		 * (it used to return garbage with LATHE_OK), naming both key ids
		 */
		lathe_sk *sk2;
		lathe_pk *pk2;
		BGV_OK(&f, lathe_keygen(f.ctx, &sk2, &pk2));
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, ct, v, 1);
		lathe_pt *pt = bgv_pt(&f);
		uint64_t *w = bgv_vec(&f);
		uint8_t id1[LATHE_KEY_ID_BYTES], id2[LATHE_KEY_ID_BYTES];
		char h1[2 * LATHE_KEY_ID_BYTES + 1], h2[2 * LATHE_KEY_ID_BYTES + 1];
		BGV_OK(&f, lathe_ct_key_id(ct, id1));
		BGV_OK(&f, lathe_sk_key_id(sk2, id2));
		lathe_key_id_hex(id1, h1);
		lathe_key_id_hex(id2, h2);
		h1[16] = h2[16] = '\0';
		cr_assert(strcmp(h1, h2) != 0, "two key generations gave one key id [%s]", f.desc);
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_decrypt_force(sk2, pt, ct));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_decrypt(sk2, pt, ct));
		cr_assert(strstr(lathe_last_error(), h1) && strstr(lathe_last_error(), h2),
		          "the refusal does not name both key ids (%s, %s): %s [%s]", h1, h2, lathe_last_error(), f.desc);
		int bits;
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_noise_budget(sk2, ct, &bits));
		/* the right key still decrypts, and the plaintext carries its key id */
		BGV_OK(&f, lathe_decrypt(f.sk, pt, ct));
		BGV_OK(&f, lathe_decode_u64(w, f.slots, pt));
		for (size_t i = 0; i < f.slots; i++)
			cr_assert_eq(w[i], v[i], "slot %zu [%s]", i, f.desc);
		uint8_t idp[LATHE_KEY_ID_BYTES];
		BGV_OK(&f, lathe_pt_key_id(pt, idp));
		cr_assert(memcmp(idp, id1, sizeof idp) == 0, "decrypted plaintext lacks its key id [%s]", f.desc);
		lathe_pt_free(pt);
		lathe_sk_free(sk2);
		lathe_pk_free(pk2);
		free(w);
		lathe_ct_free(ct);
		free(v);
		bgv_fix_clear(&f);
	}
}

Test(encrypt, encryptions_are_randomized)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 210);
	uint64_t *v = bgv_vec(&f), *z = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *d = bgv_ct(&f);
	for (int pk = 0; pk < 2; pk++) {
		bgv_encrypt_vec(&f, a, v, pk);
		bgv_encrypt_vec(&f, b, v, pk);
		/*
		 * Ciphertext bytes are not public: a - b decrypts to 0, and if a and b were the same
		 * ciphertext the difference would carry no noise at all (budget at its maximum).
		 */
		BGV_OK(&f, lathe_ct_sub(f.ev, d, a, b));
		bgv_check(&f, d, z, "enc(v) - enc(v)");
		int bd = bgv_budget(&f, d), ba = bgv_budget(&f, a);
		cr_assert_leq(bd, ba + 2, "two encryptions of the same vector look identical (budget of difference %d, "
		              "of one %d) [%s]", bd, ba, f.desc);
	}
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(d);
	free(v);
	free(z);
	bgv_fix_clear(&f);
}

Test(encrypt, copy_is_independent)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 220);
	uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f);
	bgv_rand(&f, v);
	bgv_rand(&f, w);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_ct_copy(b, a));
	bgv_check(&f, b, v, "copy");
	cr_assert_eq(lathe_ct_level(b), lathe_ct_level(a));
	cr_assert_eq(bgv_budget(&f, b), bgv_budget(&f, a), "copy has another budget [%s]", f.desc);
	bgv_encrypt_vec(&f, a, w, 1); /* overwrite the source */
	bgv_check(&f, b, v, "copy after the source changed");
	BGV_OK(&f, lathe_ct_copy(a, a));
	bgv_check(&f, a, w, "self copy");
	/* copy of a lower-level ciphertext keeps the level */
	BGV_OK(&f, lathe_ct_mod_switch(f.ev, a, a));
	BGV_OK(&f, lathe_ct_copy(b, a));
	cr_assert_eq(lathe_ct_level(b), f.max_level - 1, "copy level %u [%s]", lathe_ct_level(b), f.desc);
	bgv_check(&f, b, w, "copy at a lower level");
	lathe_ct_free(a);
	lathe_ct_free(b);
	free(v);
	free(w);
	bgv_fix_clear(&f);
}

Test(encrypt, coefficient_plaintexts_for_any_t)
{
	for (size_t si = 0; si < BGV_N_COEFF; si++) {
		bgv_fix f;
		static const int no_steps[1] = { 0 };
		bgv_fix_init(&f, &BGV_INSECURE_COEFF[si], BGV_KEYS_STEPS, no_steps, 0, 230 + (uint32_t)si);
		f.slots = 0; /* use coefficient encoding even when batching exists */
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 0);
			bgv_check_coeffs(&f, a, v, "coeff pk encryption");
			bgv_check_coeffs(&f, b, w, "coeff sk encryption");
			BGV_OK(&f, lathe_ct_add(f.ev, c, a, b));
			pm_add(r, v, w, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff add");
			BGV_OK(&f, lathe_ct_sub(f.ev, c, a, b));
			pm_sub(r, v, w, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff sub");
			BGV_OK(&f, lathe_ct_mul(f.ev, c, a, b));
			pm_negacyclic_mul(r, v, w, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff mul (negacyclic product)");
			/* the product again, times a plaintext polynomial */
			bgv_encode_vec(&f, pt, w);
			BGV_OK(&f, lathe_ct_mul_plain(f.ev, c, c, pt));
			pm_negacyclic_mul(r, r, w, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff mul_plain");
			int64_t k = bgv_rand_scalar(&f);
			BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, a, k));
			pm_mul_scalar(r, v, k, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff mul_scalar");
			/* add_scalar adds to the constant term only */
			BGV_OK(&f, lathe_ct_add_scalar(f.ev, c, a, k));
			pm_copy(r, v, f.n);
			r[0] = (uint64_t)(((unsigned long long)r[0] + pm_reduce(k, f.t)) % f.t);
			bgv_check_coeffs(&f, c, r, "coeff add_scalar");
			BGV_OK(&f, lathe_ct_add_plain(f.ev, c, a, pt));
			pm_add(r, v, w, f.n, f.t);
			bgv_check_coeffs(&f, c, r, "coeff add_plain");
			BGV_OK(&f, lathe_ct_mod_switch(f.ev, c, c));
			bgv_check_coeffs(&f, c, r, "coeff mod_switch");
		}
		lathe_pt_free(pt);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}
