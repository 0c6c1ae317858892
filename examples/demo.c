/*
 * lathe demo: the data owner encrypts two vectors; the evaluator multiplies
 * them, rotates the product and adds; the owner decrypts and checks.
 *   demo [preset]   (default bgv-128-n8192-t65537)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

#define CHECK(call) \
	do { \
		lathe_status s_ = (call); \
		if (s_ != LATHE_OK) { \
			fprintf(stderr, "%s failed: %s (%s)\n", #call, lathe_strerror(s_), lathe_last_error()); \
			return 1; \
		} \
	} while (0)

int
main(int argc, char **argv)
{
	const char *preset = argc > 1 ? argv[1] : "bgv-128-n8192-t65537";
	lathe_ctx *ctx;
	CHECK(lathe_ctx_new_preset(preset, &ctx));
	char desc[2048];
	CHECK(lathe_ctx_describe(ctx, desc, sizeof desc, NULL));
	printf("%s", desc);

	/* data owner: keys */
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	CHECK(lathe_keygen(ctx, &sk, &pk));
	int steps[] = { 1 };
	CHECK(lathe_evalkeys_new(ctx, sk, steps, 1, &ek));

	/* two vectors: x_i = i, y_i = 3 - i % 7 */
	size_t slots = lathe_ctx_slots(ctx);
	int64_t *x = calloc(slots, sizeof(int64_t)), *y = calloc(slots, sizeof(int64_t));
	int64_t *r = calloc(slots, sizeof(int64_t));
	if (!x || !y || !r)
		return 1;
	for (size_t i = 0; i < slots; i++) {
		x[i] = (int64_t)(i % 200);
		y[i] = 3 - (int64_t)(i % 7);
	}
	lathe_pt *px, *py, *pr;
	lathe_ct *cx, *cy, *cz, *crot;
	CHECK(lathe_pt_new(ctx, &px));
	CHECK(lathe_pt_new(ctx, &py));
	CHECK(lathe_pt_new(ctx, &pr));
	CHECK(lathe_encode(px, x, slots));
	CHECK(lathe_encode(py, y, slots));
	CHECK(lathe_ct_new(ctx, &cx));
	CHECK(lathe_ct_new(ctx, &cy));
	CHECK(lathe_ct_new(ctx, &cz));
	CHECK(lathe_ct_new(ctx, &crot));
	CHECK(lathe_encrypt(pk, cx, px));
	CHECK(lathe_encrypt(pk, cy, py));
	int budget;
	CHECK(lathe_noise_budget(sk, cx, &budget));
	printf("fresh ciphertext: level %u, noise budget %d bits\n", lathe_ct_level(cx), budget);

	/* evaluator: z = x*y + rotate(x*y, 1), with evaluation keys only */
	lathe_eval *ev;
	CHECK(lathe_eval_new(ctx, ek, &ev));
	CHECK(lathe_ct_mul(ev, cz, cx, cy));
	CHECK(lathe_ct_rotate(ev, crot, cz, 1));
	CHECK(lathe_ct_add(ev, cz, cz, crot));

	/* data owner: decrypt and check */
	CHECK(lathe_decrypt(sk, pr, cz));
	CHECK(lathe_decode(r, slots, pr));
	CHECK(lathe_noise_budget(sk, cz, &budget));
	size_t half = slots / 2, bad = 0;
	uint64_t t = lathe_ctx_plain_modulus(ctx);
	for (size_t i = 0; i < slots; i++) {
		size_t row = i / half, j = i % half, k = row * half + (j + 1) % half;
		int64_t want = (x[i] * y[i] + x[k] * y[k]) % (int64_t)t;
		if (r[i] != want)
			bad++;
	}
	printf("x * y + rotate(x * y, 1), first slots:");
	for (size_t i = 0; i < 8; i++)
		printf(" %lld", (long long)r[i]);
	printf("\nresult: level %u, noise budget %d bits; %zu of %zu slots wrong\n", lathe_ct_level(cz), budget, bad,
	       slots);

	lathe_eval_free(ev);
	lathe_ct_free(cx);
	lathe_ct_free(cy);
	lathe_ct_free(cz);
	lathe_ct_free(crot);
	lathe_pt_free(px);
	lathe_pt_free(py);
	lathe_pt_free(pr);
	free(x);
	free(y);
	free(r);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	return bad ? 1 : 0;
}
