/*
 * Writes a seed corpus of valid objects for the fuzz targets:
 *   make_corpus DIR   ->  DIR/<target>/<n>.bin
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

/* each seed twice: prefix 0 (checksum as is) and 1 (checksum recomputed) */
static int
put(const char *dir, const char *target, int k, uint8_t *b, size_t l)
{
	char path[4096];
	int bad = 0;
	for (int mode = 0; mode < 2; mode++) {
		snprintf(path, sizeof path, "%s/%s", dir, target);
		mkdir(path, 0755);
		snprintf(path, sizeof path, "%s/%s/%d-%d.bin", dir, target, k, mode);
		FILE *f = fopen(path, "wb");
		uint8_t m = (uint8_t)mode;
		if (!f || fwrite(&m, 1, 1, f) != 1 || fwrite(b, 1, l, f) != l || fclose(f) != 0)
			bad = 1;
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
	lathe_ct *a, *b, *c;
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
	OK(lathe_encrypt(pk, a, pt));
	OK(lathe_encrypt_sk(sk, b, pt));
	OK(lathe_ct_mul_raw(ev, c, a, b));
	int bad = 0;
	OK(lathe_ct_to_buffer(a, &buf, &len));
	bad |= put(dir, "ct", 0, buf, len);
	OK(lathe_ct_to_buffer(b, &buf, &len));
	bad |= put(dir, "ct", 1, buf, len);
	OK(lathe_ct_to_buffer(c, &buf, &len));
	bad |= put(dir, "ct", 2, buf, len);
	OK(lathe_pt_to_buffer(pt, &buf, &len));
	bad |= put(dir, "pt", 0, buf, len);
	OK(lathe_pk_to_buffer(pk, &buf, &len));
	bad |= put(dir, "pk", 0, buf, len);
	OK(lathe_evalkeys_to_buffer(ek, &buf, &len));
	bad |= put(dir, "evalkeys", 0, buf, len);
	OK(lathe_ctx_to_buffer(ctx, &buf, &len));
	bad |= put(dir, "ctx", 0, buf, len);
	const lathe_ct *batch[3] = { a, b, c };
	OK(lathe_ct_batch_to_buffer(batch, 3, &buf, &len));
	bad |= put(dir, "ct_batch", 0, buf, len);
	OK(lathe_sk_to_buffer(sk, FUZZ_PASSPHRASE, LATHE_PWHASH_INTERACTIVE, &buf, &len));
	bad |= put(dir, "sk", 0, buf, len);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_pt_free(pt);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	return bad;
}
