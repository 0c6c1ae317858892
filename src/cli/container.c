/*
 * The lathe program's files: one container that carries the context with
 * the object, so each file is self-contained (docs/cli.md, "Files").
 *
 *   offset  size  field
 *   0       8     magic "LATHECLI"
 *   8       2     container version (1), little-endian
 *   10      2     kind: 1 secret key, 2 public key, 3 evaluation keys, 4 table, 5 result,
 *                 6 party key, 7 shares, 8 study (lathe party)
 *   12      4     flags, 0
 *   16      32    key id of the key pair (all zero: none)
 *   48      64    preset name, NUL-padded ("" when unknown)
 *   112     8     C: bytes of the context
 *   120     8     B: bytes of the object
 *   128     C     the context, as lathe_ctx_to_buffer writes it
 *   128+C   B     the object, as its lathe_*_to_buffer writes it
 *   128+C+B 32    BLAKE2b-256 of every byte before it
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"

/* Far above any object of the known presets (an N = 2^17 bundle); a bound on what a crafted header makes us read. */
#define CONTAINER_MAX ((size_t)1 << 36)

static const uint8_t plain_magic[6] = { 'L', 'A', 'T', 'H', 'E', 0 };

const char *
cli_kind_name(unsigned kind)
{
	switch (kind) {
	case CLI_FILE_SECRET_KEY:
		return "secret key";
	case CLI_FILE_PUBLIC_KEY:
		return "public key";
	case CLI_FILE_EVAL_KEYS:
		return "evaluation-key bundle";
	case CLI_FILE_TABLE:
		return "encrypted table";
	case CLI_FILE_RESULT:
		return "encrypted result";
	case CLI_FILE_PARTY:
		return "party key (sealed)";
	case CLI_FILE_SHARES:
		return "multiparty shares";
	case CLI_FILE_STUDY:
		return "multiparty study (parameters and common seed)";
	default:
		return "unknown kind";
	}
}

static void
put_u16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static unsigned
get_u16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint64_t
get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int
cli_container_read(const char *path, cli_container *c, int *plain)
{
	memset(c, 0, sizeof *c);
	if (plain)
		*plain = 0;
	const uint8_t *b;
	size_t n;
	int rc = cli_map_file(path, &b, &n, CONTAINER_MAX);
	if (rc != CLI_OK)
		return rc;
	c->data = b;
	c->size = n;
	if (n >= sizeof plain_magic && memcmp(b, plain_magic, sizeof plain_magic) == 0) {
		if (plain) {
			*plain = 1;
			return CLI_EFILE;
		}
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: a plain lathe object, not a file of the lathe program (see lathe info)",
		                path);
	}
	if (n >= 8 && memcmp(b, "LATHECIR", 8) == 0) {
		if (plain) {
			*plain = 2;
			return CLI_EFILE;
		}
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: a table or result saved by the library, not a file of the lathe program "
		                "(it lacks the parameters; see lathe info)", path);
	}
	if (n < 8 || memcmp(b, CLI_CONTAINER_MAGIC, 8) != 0) {
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: not a lathe file", path);
	}
	if (n < CLI_CONTAINER_HEADER + 32) {
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: truncated (%zu bytes, shorter than a header)", path, n);
	}
	c->version = get_u16(b + 8);
	c->kind = get_u16(b + 10);
	if (c->version != CLI_CONTAINER_VERSION) {
		unsigned v = c->version;
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: container version %u; this lathe reads version %u", path, v,
		                CLI_CONTAINER_VERSION);
	}
	if (c->kind < CLI_FILE_SECRET_KEY || c->kind > CLI_FILE_STUDY) {
		unsigned k = c->kind;
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: unknown kind %u", path, k);
	}
	uint64_t cl = get_u64(b + 112), ol = get_u64(b + 120);
	uint64_t want = (uint64_t)CLI_CONTAINER_HEADER + 32;
	if (cl > CONTAINER_MAX || ol > CONTAINER_MAX || want + cl + ol != (uint64_t)n) {
		cli_container_free(c);
		if (cl <= CONTAINER_MAX && ol <= CONTAINER_MAX && want + cl + ol > (uint64_t)n)
			return cli_fail(CLI_EFILE, "%s: truncated (%zu bytes; its header says %llu)", path, n,
			                (unsigned long long)(want + cl + ol));
		return cli_fail(CLI_EFILE, "%s: corrupted (its lengths do not add up to its size)", path);
	}
	uint8_t sum[32];
	crypto_generichash(sum, sizeof sum, b, n - 32, NULL, 0);
	if (sodium_memcmp(sum, b + n - 32, 32) != 0) {
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: corrupted (checksum mismatch)", path);
	}
	if (get_u16(b + 12) != 0 || get_u16(b + 14) != 0) {
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: unknown flags in its header", path);
	}
	memcpy(c->key_id, b + 16, LATHE_KEY_ID_BYTES);
	const uint8_t *pr = b + 48;
	size_t pl = 0;
	while (pl < CLI_PRESET_MAX && pr[pl])
		pl++;
	for (size_t i = 0; i < CLI_PRESET_MAX; i++) {
		if ((i < pl && (pr[i] < 0x21 || pr[i] > 0x7e)) || (i >= pl && pr[i] != 0) || pl == CLI_PRESET_MAX) {
			cli_container_free(c);
			return cli_fail(CLI_EFILE, "%s: corrupted (bad preset name in its header)", path);
		}
	}
	memcpy(c->preset, pr, pl);
	c->preset[pl] = '\0';
	c->ctx_buf = b + CLI_CONTAINER_HEADER;
	c->ctx_len = (size_t)cl;
	c->obj_buf = c->ctx_buf + cl;
	c->obj_len = (size_t)ol;
	return CLI_OK;
}

int
cli_container_open(const char *path, unsigned kind, cli_container *c, lathe_ctx **ctx)
{
	if (ctx)
		*ctx = NULL;
	int plain = 0;
	int rc = cli_container_read(path, c, &plain);
	if (plain == 2) {
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: a table or result saved by the library, not a file of the lathe program "
		                "(it lacks the parameters; expected the %s)", path, cli_kind_name(kind));
	}
	if (plain) {
		lathe_object_info info;
		lathe_status s = lathe_object_info_from_buffer(c->data, c->size, &info);
		cli_container_free(c);
		if (s == LATHE_OK && info.kind == LATHE_OBJECT_SECRET_KEY && kind != CLI_FILE_SECRET_KEY)
			return cli_fail(CLI_EKEY, "%s: a secret key; refusing it here (a secret key never leaves its owner: "
			                "give the %s)", path, cli_kind_name(kind));
		return cli_fail(CLI_EFILE, "%s: a plain lathe object, not a file of the lathe program (expected the %s)",
		                path, cli_kind_name(kind));
	}
	if (rc != CLI_OK)
		return rc;
	if (c->kind != kind) {
		unsigned k = c->kind;
		cli_container_free(c);
		if (k == CLI_FILE_SECRET_KEY)
			return cli_fail(CLI_EKEY, "%s: a secret key; refusing it here (a secret key never leaves its owner: "
			                "give the %s)", path, cli_kind_name(kind));
		if (k == CLI_FILE_PARTY)
			return cli_fail(CLI_EKEY, "%s: a party's sealed key; refusing it here (a party's key never leaves "
			                "it: give the %s)", path, cli_kind_name(kind));
		return cli_fail(CLI_EFILE, "%s: holds the %s, not the %s expected here", path, cli_kind_name(k),
		                cli_kind_name(kind));
	}
	if (!ctx)
		return CLI_OK;
	lathe_status s = lathe_ctx_from_buffer(c->ctx_buf, c->ctx_len, ctx);
	if (s != LATHE_OK) {
		int code = s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE;
		cli_container_free(c);
		return cli_fail(code, "%s: bad parameters: %s", path, cli_detail(s));
	}
	return CLI_OK;
}

void
cli_container_free(cli_container *c)
{
	if (!c)
		return;
	if (c->data)
		cli_unmap_file(c->data, c->size);
	memset(c, 0, sizeof *c);
}

int
cli_container_same_params(const cli_container *c, const lathe_ctx *ctx)
{
	uint8_t *cb;
	size_t cl;
	if (lathe_ctx_to_buffer(ctx, &cb, &cl) != LATHE_OK)
		return 0;
	int same = cl == c->ctx_len && memcmp(cb, c->ctx_buf, cl) == 0;
	lathe_buffer_free(cb);
	if (same)
		return 1;
	/* other bytes may still describe the same parameters: compare what objects are matched by */
	lathe_ctx *other = NULL;
	if (lathe_ctx_from_buffer(c->ctx_buf, c->ctx_len, &other) != LATHE_OK)
		return 0;
	same = cli_same_params(ctx, other);
	lathe_ctx_free(other);
	return same;
}

int
cli_same_params(const lathe_ctx *a, const lathe_ctx *b)
{
	lathe_context_info ia, ib;
	if (lathe_ctx_info(a, &ia) != LATHE_OK || lathe_ctx_info(b, &ib) != LATHE_OK)
		return 0;
	return memcmp(ia.param_hash, ib.param_hash, sizeof ia.param_hash) == 0;
}

int
cli_container_write_to(cli_out *o, unsigned kind, const uint8_t key_id[LATHE_KEY_ID_BYTES], const char *preset,
                       const lathe_ctx *ctx, const uint8_t *obj, size_t obj_len)
{
	uint8_t *cb;
	size_t cl;
	lathe_status s = lathe_ctx_to_buffer(ctx, &cb, &cl);
	if (s != LATHE_OK)
		return cli_fail(cli_code_of(s), "%s: cannot serialize the parameters: %s", o->path, cli_detail(s));
	uint8_t h[CLI_CONTAINER_HEADER];
	memset(h, 0, sizeof h);
	memcpy(h, CLI_CONTAINER_MAGIC, 8);
	put_u16(h + 8, CLI_CONTAINER_VERSION);
	put_u16(h + 10, kind);
	if (key_id)
		memcpy(h + 16, key_id, LATHE_KEY_ID_BYTES);
	if (preset) {
		size_t pl = strlen(preset);
		if (pl >= CLI_PRESET_MAX)
			pl = 0;
		memcpy(h + 48, preset, pl);
	}
	put_u64(h + 112, cl);
	put_u64(h + 120, obj_len);
	crypto_generichash_state st;
	uint8_t sum[32];
	crypto_generichash_init(&st, NULL, 0, sizeof sum);
	crypto_generichash_update(&st, h, sizeof h);
	crypto_generichash_update(&st, cb, cl);
	crypto_generichash_update(&st, obj, obj_len);
	crypto_generichash_final(&st, sum, sizeof sum);
	int rc = cli_out_write(o, h, sizeof h);
	if (rc == CLI_OK)
		rc = cli_out_write(o, cb, cl);
	if (rc == CLI_OK)
		rc = cli_out_write(o, obj, obj_len);
	if (rc == CLI_OK)
		rc = cli_out_write(o, sum, sizeof sum);
	lathe_buffer_free(cb);
	return rc;
}

int
cli_container_write(const char *path, unsigned kind, const uint8_t key_id[LATHE_KEY_ID_BYTES], const char *preset,
                    const lathe_ctx *ctx, const uint8_t *obj, size_t obj_len, mode_t mode)
{
	cli_out o;
	int rc = cli_out_open(&o, path, mode);
	if (rc != CLI_OK)
		return rc;
	rc = cli_container_write_to(&o, kind, key_id, preset, ctx, obj, obj_len);
	if (rc == CLI_OK)
		rc = cli_out_commit(&o);
	if (rc != CLI_OK)
		cli_out_abort(&o);
	return rc;
}
