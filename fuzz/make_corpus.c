/*
 * Writes a seed corpus of valid objects (format versions 2 to 4) for the
 * fuzz targets:
 *   make_corpus DIR   ->  DIR/<target>/<n>-<mode>.bin, and every object
 *                         again as DIR/info/<target>-<n>-<mode>.bin
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bgv/internal.h"
#include "core/mem.h"
#include "fuzz_common.h"

static int
put_file(const char *path, uint8_t mode, const uint8_t *b, size_t l)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	int bad = fwrite(&mode, 1, 1, f) != 1 || fwrite(b, 1, l, f) != l;
	return fclose(f) != 0 || bad;
}

/* each seed twice: prefix 0 (checksum as is) and 1 (checksum recomputed); for its target and for info */
static int
put(const char *dir, const char *target, int k, uint8_t *b, size_t l)
{
	char path[4096];
	int bad = 0;
	snprintf(path, sizeof path, "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/info", dir);
	mkdir(path, 0755);
	for (int mode = 0; mode < 2; mode++) {
		snprintf(path, sizeof path, "%s/%s/%d-%d.bin", dir, target, k, mode);
		bad |= put_file(path, (uint8_t)mode, b, l);
		snprintf(path, sizeof path, "%s/info/%s-%d-%d.bin", dir, target, k, mode);
		bad |= put_file(path, (uint8_t)mode, b, l);
	}
	lathe_buffer_free(b);
	return bad;
}

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "make_corpus: %s: %s\n", #x, lathe_last_error()); \
			return 1; \
		} \
	} while (0)

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	mkdir(dir, 0755);
	lathe_ctx *ctx = fuzz_ctx();
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	lathe_pt *pt;
	lathe_ct *a, *b, *c, *d, *e;
	uint8_t *buf;
	size_t len;
	int steps[] = { 1, 0 };
	OK(lathe_keygen(ctx, &sk, &pk));
	OK(lathe_evalkeys_new(ctx, sk, steps, 2, &ek));
	OK(lathe_eval_new(ctx, ek, &ev));
	OK(lathe_pt_new(ctx, &pt));
	int64_t v[8] = { 1, -2, 3, -4, 5, 6, 7, 8 };
	OK(lathe_encode(pt, v, 8));
	OK(lathe_ct_new(ctx, &a));
	OK(lathe_ct_new(ctx, &b));
	OK(lathe_ct_new(ctx, &c));
	OK(lathe_ct_new(ctx, &d));
	OK(lathe_ct_new(ctx, &e)); /* e stays empty: not bound to a key */
	OK(lathe_encrypt(pk, a, pt));
	OK(lathe_encrypt_sk(sk, b, pt));
	OK(lathe_ct_mul_raw(ev, c, a, b));
	OK(lathe_ct_mod_switch_to(ev, d, a, 0));
	int bad = 0;
	OK(lathe_ct_to_buffer(a, &buf, &len));
	bad |= put(dir, "ct", 0, buf, len);
	OK(lathe_ct_to_buffer(b, &buf, &len));
	bad |= put(dir, "ct", 1, buf, len);
	OK(lathe_ct_to_buffer(c, &buf, &len));
	bad |= put(dir, "ct", 2, buf, len);
	OK(lathe_ct_to_buffer(d, &buf, &len));
	bad |= put(dir, "ct", 3, buf, len);
	OK(lathe_ct_to_buffer(e, &buf, &len));
	bad |= put(dir, "ct", 4, buf, len);
	OK(lathe_pt_to_buffer(pt, &buf, &len)); /* a fresh encoding: no key id */
	bad |= put(dir, "pt", 0, buf, len);
	OK(lathe_decrypt(sk, pt, a));           /* decrypted: bound to the key */
	OK(lathe_pt_to_buffer(pt, &buf, &len));
	bad |= put(dir, "pt", 1, buf, len);
	OK(lathe_pk_to_buffer(pk, &buf, &len));
	bad |= put(dir, "pk", 0, buf, len);
	OK(lathe_evalkeys_to_buffer(ek, &buf, &len));
	bad |= put(dir, "evalkeys", 0, buf, len);
	OK(lathe_evalkeys_set_pk(ek, pk));
	OK(lathe_evalkeys_to_buffer(ek, &buf, &len));
	bad |= put(dir, "evalkeys", 1, buf, len);
	/* format version 3: Galois keys limited to level 0 */
	lathe_evalkeys *ekl;
	OK(lathe_evalkeys_new_at(ctx, sk, steps, 2, 0, &ekl));
	OK(lathe_evalkeys_to_buffer(ekl, &buf, &len));
	bad |= put(dir, "evalkeys", 2, buf, len);
	lathe_evalkeys_free(ekl);
	OK(lathe_ctx_to_buffer(ctx, &buf, &len));
	bad |= put(dir, "ctx", 0, buf, len);
	const lathe_ct *batch[5] = { a, b, c, d, e };
	OK(lathe_ct_batch_to_buffer(batch, 5, &buf, &len));
	bad |= put(dir, "ct_batch", 0, buf, len);
	OK(lathe_sk_to_buffer(sk, FUZZ_PASSPHRASE, LATHE_PWHASH_INTERACTIVE, &buf, &len));
	bad |= put(dir, "sk", 0, buf, len);
	/*
	 * format versions 4 and 5: a bootstrappable context, and a bundle with
	 * bootstrapping keys; its Galois keys are dropped, so that the seed
	 * stays small and the mutations land in the bootstrapping keys
	 */
	lathe_ctx *bctx = fuzz_boot_ctx();
	lathe_sk *bsk;
	lathe_pk *bpk;
	lathe_evalkeys *bek;
	OK(lathe_ctx_to_buffer(bctx, &buf, &len));
	bad |= put(dir, "ctx", 1, buf, len);
	OK(lathe_keygen(bctx, &bsk, &bpk));
	OK(lathe_boot_keygen(bsk, NULL, 0, &bek));
	for (size_t i = 0; i < bek->ngal; i++) {
		lt_ksk_clear(bctx, &bek->gal[i].k);
		lt_free(bek->gal[i].perm);
	}
	bek->ngal = 0;
	OK(lathe_evalkeys_to_buffer(bek, &buf, &len));
	bad |= put(dir, "evalkeys_boot", 0, buf, len);
	lathe_evalkeys_free(bek);
	lathe_pk_free(bpk);
	lathe_sk_free(bsk);
	lathe_ctx_free(bctx);
	/*
	 * format version 6: a context of 2 parties, its collective bundle (a
	 * relinearization key with its a parts, one Galois key) and a share of
	 * every kind that is written
	 */
	lathe_ctx *mctx = fuzz_mp_ctx();
	OK(lathe_ctx_to_buffer(mctx, &buf, &len));
	bad |= put(dir, "ctx", 2, buf, len);
	uint8_t crs[LATHE_MP_SEED_BYTES] = { 1 };
	lathe_party *pa[2];
	lathe_share *s[2], *sum1, *dl[2][2];
	int k = 0;
	for (unsigned i = 0; i < 2; i++)
		OK(lathe_party_new(mctx, crs, i, 2, NULL, &pa[i]));
	for (unsigned i = 0; i < 2; i++)
		OK(lathe_mp_pk_share(pa[i], &s[i]));
	lathe_pk *mpk;
	OK(lathe_mp_pk_combine((const lathe_share *const *)s, 2, &mpk));
	OK(lathe_share_to_buffer(s[0], &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(s[0]);
	lathe_share_free(s[1]);
	for (unsigned i = 0; i < 2; i++) {
		OK(lathe_party_set_pk(pa[i], mpk));
		OK(lathe_mp_relin_share1(pa[i], &s[i]));
	}
	OK(lathe_mp_relin_combine1((const lathe_share *const *)s, 2, &sum1));
	OK(lathe_share_to_buffer(sum1, &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(s[0]);
	lathe_share_free(s[1]);
	lathe_evalkeys *mek;
	OK(lathe_mp_evalkeys_new(mpk, &mek));
	for (unsigned i = 0; i < 2; i++)
		OK(lathe_mp_relin_share2(pa[i], sum1, &s[i]));
	OK(lathe_mp_relin_combine2(mek, sum1, (const lathe_share *const *)s, 2));
	OK(lathe_share_to_buffer(s[0], &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(s[0]);
	lathe_share_free(s[1]);
	lathe_share_free(sum1);
	uint64_t g;
	OK(lathe_galois_elt_rotation(mctx, 1, &g));
	for (unsigned i = 0; i < 2; i++)
		OK(lathe_mp_galois_share(pa[i], g, &s[i]));
	OK(lathe_mp_galois_combine(mek, (const lathe_share *const *)s, 2));
	OK(lathe_share_to_buffer(s[1], &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(s[0]);
	lathe_share_free(s[1]);
	/* a Galois key that reaches level 1 only */
	OK(lathe_galois_elt_rotation(mctx, 2, &g));
	for (unsigned i = 0; i < 2; i++)
		OK(lathe_mp_galois_share_at(pa[i], g, 1, &s[i]));
	OK(lathe_mp_galois_combine(mek, (const lathe_share *const *)s, 2));
	OK(lathe_share_to_buffer(s[0], &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(s[0]);
	lathe_share_free(s[1]);
	OK(lathe_evalkeys_to_buffer(mek, &buf, &len));
	bad |= put(dir, "evalkeys_mp", 0, buf, len);
	/* shares of a ciphertext: decryption, to a recipient, threshold 2 of 2, with DP noise */
	lathe_pt *mpt;
	lathe_ct *mct;
	OK(lathe_pt_new(mctx, &mpt));
	OK(lathe_ct_new(mctx, &mct));
	OK(lathe_encrypt(mpk, mct, mpt));
	lathe_share *x;
	OK(lathe_mp_decrypt_share(pa[0], mct, &x));
	OK(lathe_share_to_buffer(x, &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(x);
	lathe_sk *rsk;
	lathe_pk *rpk;
	OK(lathe_keygen(mctx, &rsk, &rpk));
	OK(lathe_mp_pk_switch_share(pa[1], mct, rpk, &x));
	OK(lathe_share_to_buffer(x, &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(x);
	/* sealed parties: without and (below) with a threshold */
	OK(lathe_party_to_buffer(pa[0], FUZZ_PASSPHRASE, LATHE_PWHASH_INTERACTIVE, &buf, &len));
	bad |= put(dir, "party", 0, buf, len);
	for (unsigned i = 0; i < 2; i++)
		for (unsigned j = 0; j < 2; j++)
			OK(lathe_mp_deal(pa[i], 2, j, &dl[i][j]));
	for (unsigned j = 0; j < 2; j++) {
		const lathe_share *mine[2] = { dl[0][j], dl[1][j] };
		OK(lathe_party_set_threshold(pa[j], mine, 2));
	}
	OK(lathe_party_to_buffer(pa[1], FUZZ_PASSPHRASE, LATHE_PWHASH_INTERACTIVE, &buf, &len));
	bad |= put(dir, "party", 1, buf, len);
	const unsigned on[2] = { 0, 1 };
	OK(lathe_mp_decrypt_share_t(pa[1], mct, on, 2, &x));
	OK(lathe_share_to_buffer(x, &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(x);
	const lathe_dp dp = { .epsilon = 1, .delta = 1e-6, .sensitivity = 1 };
	OK(lathe_mp_decrypt_share_dp(pa[0], mct, &dp, &x));
	OK(lathe_share_to_buffer(x, &buf, &len));
	bad |= put(dir, "share", k++, buf, len);
	lathe_share_free(x);
	for (unsigned i = 0; i < 2; i++)
		for (unsigned j = 0; j < 2; j++)
			lathe_share_free(dl[i][j]);
	lathe_sk_free(rsk);
	lathe_pk_free(rpk);
	lathe_ct_free(mct);
	lathe_pt_free(mpt);
	lathe_evalkeys_free(mek);
	lathe_pk_free(mpk);
	lathe_party_free(pa[0]);
	lathe_party_free(pa[1]);
	lathe_ctx_free(mctx);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_ct_free(d);
	lathe_ct_free(e);
	lathe_pt_free(pt);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	return bad;
}
