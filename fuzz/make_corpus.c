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
