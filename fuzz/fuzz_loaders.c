/*
 * libFuzzer targets, one per loader, chosen at compile time with
 * -DFUZZ_TARGET=n: every input must give a status, never a crash, a leak
 * or undefined behaviour; an accepted object must save back to the same
 * bytes (one encoding per object), a version-1 object to its upgrade.
 * Inputs whose first byte is odd get their trailing checksum recomputed
 * first, so that mutations reach the body parsers instead of stopping at
 * the checksum. Target 8 is the
 * context-free inspection (lathe_object_info_from_buffer): what it
 * reports must agree with what the loaders accept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz_common.h"

/*
 * The bytes an accepted object saves to must be the input, with one
 * exception: a version-1 object (an earlier lathe's, without key ids) is
 * saved in the version written today. Then the saved file must be of a
 * later version, the same kind, parameters, level and size, and hold the
 * old body behind a key id (a context: the same body; a plaintext or
 * ciphertext: an all-zero id, it was unbound; evaluation keys changed how
 * they name Galois keys, so theirs is checked only by the reload below).
 */
#if FUZZ_TARGET <= 5 || FUZZ_TARGET >= 9
static int
same_or_upgraded(const uint8_t *data, size_t size, const uint8_t *b2, size_t l2)
{
	if (l2 == size && memcmp(b2, data, size) == 0)
		return 1;
	lathe_object_info a, b;
	if (lathe_object_info_from_buffer(data, size, &a) != LATHE_OK || lathe_object_info_from_buffer(b2, l2, &b) != LATHE_OK)
		return 0;
	if (a.version != 1 || b.version < 2 || a.kind != b.kind || a.level != b.level || a.count != b.count ||
	    a.components != b.components || memcmp(a.param_hash, b.param_hash, sizeof a.param_hash) != 0)
		return 0;
	if (a.kind == LATHE_OBJECT_EVALKEYS)
		return 1;
	const size_t id = a.kind == LATHE_OBJECT_CONTEXT ? 0 : LATHE_KEY_ID_BYTES;
	if ((a.kind == LATHE_OBJECT_PLAINTEXT || a.kind == LATHE_OBJECT_CIPHERTEXT) && b.has_key_id)
		return 0;
	return b.body_len == a.body_len + id && memcmp(b2 + 52 + id, data + 52, a.body_len) == 0;
}

#endif

/* an upgraded file must load with the same loader and save back to itself */
#define CHECK_REENCODE(to_buffer, obj, reload, type, free_fn) \
	do { \
		uint8_t *b2; \
		size_t l2; \
		if (to_buffer(obj, &b2, &l2) != LATHE_OK) \
			abort(); \
		if (!same_or_upgraded(data, size, b2, l2)) \
			abort(); \
		if (l2 != size || memcmp(b2, data, size) != 0) { \
			type *o2; \
			uint8_t *b3; \
			size_t l3; \
			if (reload != LATHE_OK) \
				abort(); \
			if (to_buffer(o2, &b3, &l3) != LATHE_OK || l3 != l2 || memcmp(b3, b2, l2) != 0) \
				abort(); \
			lathe_buffer_free(b3); \
			free_fn(o2); \
		} \
		lathe_buffer_free(b2); \
	} while (0)

static int
one(const uint8_t *data, size_t size)
{
	lathe_ctx *ctx = fuzz_ctx();
#if FUZZ_TARGET == 1
	lathe_ct *ct;
	if (lathe_ct_from_buffer(ctx, data, size, &ct) == LATHE_OK) {
		CHECK_REENCODE(lathe_ct_to_buffer, ct, lathe_ct_from_buffer(ctx, b2, l2, &o2), lathe_ct, lathe_ct_free);
		lathe_ct_free(ct);
	}
#elif FUZZ_TARGET == 2
	lathe_pt *pt;
	if (lathe_pt_from_buffer(ctx, data, size, &pt) == LATHE_OK) {
		CHECK_REENCODE(lathe_pt_to_buffer, pt, lathe_pt_from_buffer(ctx, b2, l2, &o2), lathe_pt, lathe_pt_free);
		lathe_pt_free(pt);
	}
#elif FUZZ_TARGET == 3
	lathe_pk *pk;
	if (lathe_pk_from_buffer(ctx, data, size, &pk) == LATHE_OK) {
		CHECK_REENCODE(lathe_pk_to_buffer, pk, lathe_pk_from_buffer(ctx, b2, l2, &o2), lathe_pk, lathe_pk_free);
		lathe_pk_free(pk);
	}
#elif FUZZ_TARGET == 4
	lathe_evalkeys *ek;
	if (lathe_evalkeys_from_buffer(ctx, data, size, &ek) == LATHE_OK) {
		CHECK_REENCODE(lathe_evalkeys_to_buffer, ek, lathe_evalkeys_from_buffer(ctx, b2, l2, &o2), lathe_evalkeys,
		               lathe_evalkeys_free);
		lathe_evalkeys_free(ek);
	}
#elif FUZZ_TARGET == 9
	/* a bundle with bootstrapping keys (version 5) under a bootstrappable context */
	lathe_evalkeys *ek;
	(void)ctx;
	if (lathe_evalkeys_from_buffer(fuzz_boot_ctx(), data, size, &ek) == LATHE_OK) {
		CHECK_REENCODE(lathe_evalkeys_to_buffer, ek, lathe_evalkeys_from_buffer(fuzz_boot_ctx(), b2, l2, &o2),
		               lathe_evalkeys, lathe_evalkeys_free);
		lathe_evalkeys_free(ek);
	}
#elif FUZZ_TARGET == 5
	lathe_ctx *c;
	(void)ctx;
	if (lathe_ctx_from_buffer(data, size, &c) == LATHE_OK) {
		CHECK_REENCODE(lathe_ctx_to_buffer, c, lathe_ctx_from_buffer(b2, l2, &o2), lathe_ctx, lathe_ctx_free);
		lathe_ctx_free(c);
	}
#elif FUZZ_TARGET == 6
	lathe_ct **cts;
	size_t n;
	if (lathe_ct_batch_from_buffer(ctx, data, size, &cts, &n) == LATHE_OK) {
		for (size_t i = 0; i < n; i++)
			lathe_ct_free(cts[i]);
		lathe_buffer_free((uint8_t *)cts);
	}
#elif FUZZ_TARGET == 7
	/*
	 * Argon2id at MODERATE or SENSITIVE costs takes 1-6 s and up to 1 GiB a
	 * run: inputs naming them would stall the fuzzer (the refusal of other
	 * costs is still fuzzed; tests/io covers those two pairs).
	 */
	lathe_object_info in;
	if (lathe_object_info_from_buffer(data, size, &in) == LATHE_OK && in.pwhash_level > LATHE_PWHASH_INTERACTIVE)
		return 0;
	lathe_sk *sk;
	if (lathe_sk_from_buffer(ctx, data, size, FUZZ_PASSPHRASE, &sk) == LATHE_OK)
		lathe_sk_free(sk);
#elif FUZZ_TARGET == 8
	lathe_object_info in;
	lathe_status s = lathe_object_info_from_buffer(data, size, &in);
	if (s == LATHE_OK) {
		/* the loaders read versions 1 (no key ids) to LATHE_FORMAT_VERSION */
		if (in.version < 1 || in.version > LATHE_FORMAT_VERSION || in.kind < LATHE_OBJECT_CONTEXT ||
		    in.kind > LATHE_OBJECT_PARTY || in.body_len != size - 84 || in.count < 1)
			abort();
		uint8_t zero[LATHE_KEY_ID_BYTES] = { 0 };
		if (in.has_key_id != (memcmp(in.key_id, zero, sizeof zero) != 0))
			abort();
	} else if (s != LATHE_EFORMAT && s != LATHE_ECORRUPT) {
		abort();
	}
	/* a ciphertext the loader accepts is one info describes, with the same level and key */
	lathe_ct *ct;
	if (lathe_ct_from_buffer(ctx, data, size, &ct) == LATHE_OK) {
		uint8_t id[LATHE_KEY_ID_BYTES];
		if (s != LATHE_OK || in.kind != LATHE_OBJECT_CIPHERTEXT || in.level != lathe_ct_level(ct) ||
		    in.components != lathe_ct_size(ct) || lathe_ct_key_id(ct, id) != LATHE_OK ||
		    memcmp(id, in.key_id, sizeof id) != 0)
			abort();
		lathe_ct_free(ct);
	}
#elif FUZZ_TARGET == 10
	/* a multiparty share (format version 6) under a context of 2 parties */
	lathe_share *sh;
	(void)ctx;
	if (lathe_share_from_buffer(fuzz_mp_ctx(), data, size, &sh) == LATHE_OK) {
		CHECK_REENCODE(lathe_share_to_buffer, sh, lathe_share_from_buffer(fuzz_mp_ctx(), b2, l2, &o2), lathe_share,
		               lathe_share_free);
		lathe_share_free(sh);
	}
#elif FUZZ_TARGET == 11
	/* a bundle of collective keys (format version 6: the relinearization key's a parts stored) */
	lathe_evalkeys *ek;
	(void)ctx;
	if (lathe_evalkeys_from_buffer(fuzz_mp_ctx(), data, size, &ek) == LATHE_OK) {
		CHECK_REENCODE(lathe_evalkeys_to_buffer, ek, lathe_evalkeys_from_buffer(fuzz_mp_ctx(), b2, l2, &o2),
		               lathe_evalkeys, lathe_evalkeys_free);
		lathe_evalkeys_free(ek);
	}
#elif FUZZ_TARGET == 12
	/* a sealed party (format version 6) under a context of 2 parties; only the cheapest cost level runs */
	(void)ctx;
	lathe_object_info in;
	if (lathe_object_info_from_buffer(data, size, &in) == LATHE_OK && in.pwhash_level > LATHE_PWHASH_INTERACTIVE)
		return 0;
	lathe_party *pa;
	if (lathe_party_from_buffer(fuzz_mp_ctx(), data, size, FUZZ_PASSPHRASE, &pa) == LATHE_OK)
		lathe_party_free(pa);
#else
#error "FUZZ_TARGET must be 1..12"
#endif
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* header 52 bytes, BLAKE2b-256 trailer 32 bytes (docs/format.md) */
	if (size < 1 + 52 + 32 || !(data[0] & 1))
		return one(data + (size ? 1 : 0), size ? size - 1 : 0);
	uint8_t *fixed = malloc(size - 1);
	if (!fixed)
		return 0;
	memcpy(fixed, data + 1, size - 1);
	crypto_generichash(fixed + size - 1 - 32, 32, fixed, size - 1 - 32, NULL, 0);
	one(fixed, size - 1);
	free(fixed);
	return 0;
}
