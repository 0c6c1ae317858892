/*
 * lathe info: what a lathe file holds, one "key: value" line per fact on
 * stdout. Program files (containers) are loaded with the context they
 * carry and checked whole; plain lathe objects are described from their
 * header (lathe_object_info_load), as far as that goes without a context.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"

static const char help[] =
	"usage: lathe info FILE\n"
	"\n"
	"Describes a lathe file: its kind, parameters (N, t, levels, security), key id,\n"
	"and for an encrypted table its rows, columns, scales, declared ranges, level\n"
	"and noise budget estimate; for a result its circuit, rows and items. Works on\n"
	"every file the lathe program writes, and on plain lathe objects and tables or\n"
	"results saved by the library (from their header and layout). Nothing is\n"
	"decrypted; a secret key is not opened.\n";

/* The description is gathered here and printed only when it is complete: a failure prints nothing on stdout. */
static FILE *o;

static const char *
plain_kind(unsigned k)
{
	switch (k) {
	case LATHE_OBJECT_CONTEXT:
		return "context";
	case LATHE_OBJECT_PUBLIC_KEY:
		return "public key";
	case LATHE_OBJECT_EVALKEYS:
		return "evaluation keys";
	case LATHE_OBJECT_PLAINTEXT:
		return "plaintext";
	case LATHE_OBJECT_CIPHERTEXT:
		return "ciphertext";
	case LATHE_OBJECT_CIPHERTEXT_BATCH:
		return "batch of ciphertexts";
	case LATHE_OBJECT_SECRET_KEY:
		return "secret key (sealed)";
	case LATHE_OBJECT_SHARE:
		return "multiparty share";
	case LATHE_OBJECT_PARTY:
		return "party of a multiparty key (sealed)";
	default:
		return NULL;
	}
}

static const char *
pwhash_name(int level)
{
	switch (level) {
	case LATHE_PWHASH_INTERACTIVE:
		return "interactive (Argon2id, 64 MiB)";
	case LATHE_PWHASH_MODERATE:
		return "moderate (Argon2id, 256 MiB)";
	case LATHE_PWHASH_SENSITIVE:
		return "sensitive (Argon2id, 1 GiB)";
	default:
		return "unknown";
	}
}

static void
print_id(const uint8_t id[LATHE_KEY_ID_BYTES])
{
	int any = 0;
	for (int i = 0; i < LATHE_KEY_ID_BYTES; i++)
		any |= id[i];
	if (!any) {
		fprintf(o, "key id: none\n");
		return;
	}
	char hex[2 * LATHE_KEY_ID_BYTES + 1];
	lathe_key_id_hex(id, hex);
	fprintf(o, "key id: %s\n", hex);
}

static int
info_plain(const char *path, const cli_container *c)
{
	lathe_object_info info;
	lathe_status s = lathe_object_info_from_buffer(c->data, c->size, &info);
	if (s == LATHE_EFORMAT && info.version)
		return cli_fail(CLI_EFILE, "%s: a lathe object of format version %u, which this lathe does not read", path,
		                info.version);
	if (s != LATHE_OK)
		return cli_fail(cli_code_of(s) == CLI_EOTHER ? CLI_EFILE : cli_code_of(s), "%s: %s", path, cli_detail(s));
	fprintf(o, "file: %s\n", path);
	const char *k = plain_kind(info.kind);
	if (k)
		fprintf(o, "kind: %s\n", k);
	else
		fprintf(o, "kind: object kind %u\n", info.kind);
	fprintf(o, "format: plain lathe object, version %u (no parameters inside: load it with its context)\n",
	       info.version);
	char hex[65];
	lathe_key_id_hex(info.param_hash, hex);
	fprintf(o, "parameter hash: %s\n", hex);
	if (info.has_key_id)
		print_id(info.key_id);
	if (info.kind == LATHE_OBJECT_CIPHERTEXT || info.kind == LATHE_OBJECT_CIPHERTEXT_BATCH) {
		fprintf(o, "level: %u\n", info.level);
		fprintf(o, "components: %u\n", info.components);
	}
	if (info.kind == LATHE_OBJECT_CIPHERTEXT_BATCH)
		fprintf(o, "ciphertexts: %u\n", info.count);
	if (info.kind == LATHE_OBJECT_SECRET_KEY || info.kind == LATHE_OBJECT_PARTY)
		fprintf(o, "passphrase cost: %s\n", pwhash_name(info.pwhash_level));
	fprintf(o, "size: %zu bytes\n", c->size);
	return CLI_OK;
}

/* ---- the circuits' container (docs/format.md, "Patient tables and results") ---- */

#define CIRC_HEADER 88
#define CIRC_COLUMN 88
#define CIRC_ITEM 160

/* What a table's or result's buffer holds, read from its documented layout. */
struct circ_walk {
	unsigned kind;                 /* 1 table, 2 result */
	const uint8_t *param_hash, *key_id;
	char circuit[17];
	uint64_t rows;
	uint32_t n, chunks;            /* columns or items; ciphertexts per column or per-patient item */
	const uint8_t *entries;        /* n entries of CIRC_COLUMN or CIRC_ITEM bytes */
	unsigned lo_level, hi_level;   /* of its ciphertexts */
	int budget;                    /* the lowest noise-budget estimate, -1 without a context */
	uint64_t records;
};

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static double
rdf64(const uint8_t *p)
{
	uint64_t u = rd64(p);
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

/*
 * Walks buf: header, checksum, the entries, then every ciphertext record
 * (a plain lathe ciphertext object: its level from its header; loaded into
 * ctx, when given, for its noise estimate). 0, or -1 when it is malformed.
 */
static int
circ_walk(const uint8_t *b, size_t len, const lathe_ctx *ctx, struct circ_walk *w)
{
	memset(w, 0, sizeof *w);
	w->budget = -1;
	w->lo_level = ~0u;
	if (len < CIRC_HEADER + 32 || memcmp(b, "LATHECIR", 8) != 0 || b[8] != 1 || b[9] != 0 || rd32(b + 12) != 0)
		return -1;
	w->kind = (unsigned)b[10] | (unsigned)b[11] << 8;
	uint64_t B = rd64(b + 80);
	if ((w->kind != 1 && w->kind != 2) || B > len || CIRC_HEADER + B + 32 != len)
		return -1;
	uint8_t sum[32];
	crypto_generichash(sum, sizeof sum, b, len - 32, NULL, 0);
	if (memcmp(sum, b + len - 32, 32) != 0)
		return -1;
	w->param_hash = b + 16;
	w->key_id = b + 48;
	const uint8_t *p = b + CIRC_HEADER, *end = p + B;
	uint64_t records;
	if (w->kind == 1) {
		if (end - p < 16)
			return -1;
		w->rows = rd64(p);
		w->n = rd32(p + 8);
		w->chunks = rd32(p + 12);
		p += 16;
		if ((uint64_t)(end - p) / CIRC_COLUMN < w->n)
			return -1;
		w->entries = p;
		p += (size_t)w->n * CIRC_COLUMN;
		records = (uint64_t)w->n * w->chunks;
	} else {
		if (end - p < 32)
			return -1;
		memcpy(w->circuit, p, 16);
		w->rows = rd64(p + 16);
		w->n = rd32(p + 24);
		w->chunks = rd32(p + 28);
		p += 32;
		if ((uint64_t)(end - p) / CIRC_ITEM < w->n)
			return -1;
		w->entries = p;
		p += (size_t)w->n * CIRC_ITEM;
		records = 0;
		for (uint32_t i = 0; i < w->n; i++)
			records += w->entries[(size_t)i * CIRC_ITEM + 136] == LATHE_ITEM_PER_PATIENT ? w->chunks : 1;
	}
	for (uint64_t r = 0; r < records; r++) {
		if (end - p < 8)
			return -1;
		uint64_t n = rd64(p);
		p += 8;
		if (n > (uint64_t)(end - p))
			return -1;
		lathe_object_info oi;
		if (lathe_object_info_from_buffer(p, (size_t)n, &oi) != LATHE_OK || oi.kind != LATHE_OBJECT_CIPHERTEXT)
			return -1;
		w->lo_level = oi.level < w->lo_level ? oi.level : w->lo_level;
		w->hi_level = oi.level > w->hi_level ? oi.level : w->hi_level;
		lathe_ct *ct = NULL;
		int bits;
		if (ctx && lathe_ct_from_buffer(ctx, p, (size_t)n, &ct) == LATHE_OK &&
		    lathe_ct_budget_estimate(ct, &bits) == LATHE_OK && (w->budget < 0 || bits < w->budget))
			w->budget = bits;
		lathe_ct_free(ct);
		p += n;
	}
	w->records = records;
	return p == end ? 0 : -1;
}

static void
print_levels(const struct circ_walk *w)
{
	if (!w->records)
		return;
	if (w->lo_level == w->hi_level)
		fprintf(o, "level: %u\n", w->lo_level);
	else
		fprintf(o, "level: %u..%u\n", w->lo_level, w->hi_level);
	if (w->budget >= 0)
		fprintf(o, "noise budget estimate: %d bits (the lowest of its ciphertexts)\n", w->budget);
}

/* A table or result as the library saves it (no parameters inside): what its layout says. */
static int
info_circ_plain(const char *path, const cli_container *c)
{
	struct circ_walk w;
	if (circ_walk(c->data, c->size, NULL, &w) != 0)
		return cli_fail(CLI_EFILE, "%s: a corrupted table or result (its layout or checksum does not hold)", path);
	char hex[65];
	fprintf(o, "file: %s\n", path);
	fprintf(o, "kind: %s\n", w.kind == 1 ? "encrypted table" : "encrypted result");
	fprintf(o, "format: plain lathe circuits object, version 1 (no parameters inside: load it with its "
	        "context)\n");
	lathe_key_id_hex(w.param_hash, hex);
	fprintf(o, "parameter hash: %s\n", hex);
	print_id(w.key_id);
	if (w.kind == 1) {
		fprintf(o, "rows: %llu\n", (unsigned long long)w.rows);
		fprintf(o, "columns: %u\n", w.n);
		for (uint32_t j = 0; j < w.n; j++) {
			const uint8_t *e = w.entries + (size_t)j * CIRC_COLUMN;
			char name[LATHE_NAME_MAX], a[32], b[32], d[32];
			memcpy(name, e, sizeof name);
			name[sizeof name - 1] = '\0';
			fprintf(o, "column: %s scale=%s range=[%s, %s]\n", name, cli_fmt_double(a, rdf64(e + 64)),
			        cli_fmt_double(b, rdf64(e + 72)), cli_fmt_double(d, rdf64(e + 80)));
		}
		fprintf(o, "ciphertexts per column: %u\n", w.chunks);
	} else {
		fprintf(o, "circuit: %s\n", w.circuit);
		fprintf(o, "rows: %llu\n", (unsigned long long)w.rows);
		fprintf(o, "items: %u\n", w.n);
		for (uint32_t i = 0; i < w.n; i++) {
			const uint8_t *e = w.entries + (size_t)i * CIRC_ITEM;
			char name[LATHE_ITEM_NAME_MAX], d[32];
			memcpy(name, e, sizeof name);
			name[sizeof name - 1] = '\0';
			fprintf(o, "item: %s %s denominator=%s bound=%llu\n", name,
			        e[136] == LATHE_ITEM_PER_PATIENT ? "per-patient" : "aggregate", cli_fmt_double(d, rdf64(e + 144)),
			        (unsigned long long)rd64(e + 152));
		}
	}
	print_levels(&w);
	fprintf(o, "size: %zu bytes\n", c->size);
	return CLI_OK;
}

static int
info_table(const char *path, const lathe_ctx *ctx, const cli_container *c)
{
	lathe_table *t = NULL;
	lathe_status s = lathe_table_from_buffer(ctx, c->obj_buf, c->obj_len, &t);
	if (s != LATHE_OK)
		return cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", path, cli_detail(s));
	size_t nc = lathe_table_cols(t), chunks = lathe_table_chunks(t);
	fprintf(o, "rows: %zu\n", lathe_table_rows(t));
	fprintf(o, "columns: %zu\n", nc);
	for (size_t j = 0; j < nc; j++) {
		const lathe_column *col = lathe_table_column(t, j);
		char a[32], b[32], d[32];
		fprintf(o, "column: %s scale=%s range=[%s, %s]\n", col->name, cli_fmt_double(a, col->scale),
		       cli_fmt_double(b, col->lo), cli_fmt_double(d, col->hi));
	}
	fprintf(o, "ciphertexts per column: %zu\n", chunks);
	unsigned lo_level = ~0u, hi_level = 0;
	int budget = -1;
	for (size_t j = 0; j < nc; j++) {
		for (size_t k = 0; k < chunks; k++) {
			const lathe_ct *ct = lathe_table_ct(t, j, k);
			unsigned l = lathe_ct_level(ct);
			lo_level = l < lo_level ? l : lo_level;
			hi_level = l > hi_level ? l : hi_level;
			int b;
			if (lathe_ct_budget_estimate(ct, &b) == LATHE_OK && (budget < 0 || b < budget))
				budget = b;
		}
	}
	if (lo_level == hi_level)
		fprintf(o, "level: %u\n", lo_level);
	else
		fprintf(o, "level: %u..%u\n", lo_level, hi_level);
	if (budget >= 0)
		fprintf(o, "noise budget estimate: %d bits (the lowest of its ciphertexts)\n", budget);
	lathe_table_free(t);
	return CLI_OK;
}

static int
info_result(const char *path, const lathe_ctx *ctx, const cli_container *c)
{
	lathe_result *r = NULL;
	lathe_status s = lathe_result_from_buffer(ctx, c->obj_buf, c->obj_len, &r);
	if (s != LATHE_OK)
		return cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", path, cli_detail(s));
	fprintf(o, "circuit: %s\n", lathe_result_circuit(r));
	fprintf(o, "rows: %zu\n", lathe_result_rows(r));
	size_t n = lathe_result_items(r);
	fprintf(o, "items: %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		char d[32];
		fprintf(o, "item: %s %s denominator=%s bound=%llu\n", lathe_result_item_name(r, i),
		       lathe_result_item_kind(r, i) == LATHE_ITEM_PER_PATIENT ? "per-patient" : "aggregate",
		       cli_fmt_double(d, lathe_result_item_denominator(r, i)), (unsigned long long)lathe_result_bound(r, i));
	}
	uint64_t t = lathe_ctx_plain_modulus(ctx);
	fprintf(o, "plaintext bound: (t - 1)/2 = %llu\n", (unsigned long long)((t - 1) / 2));
	lathe_result_free(r);
	/* the result's ciphertexts are not reachable through lathe/circuits.h: read from its documented layout */
	struct circ_walk w;
	if (circ_walk(c->obj_buf, c->obj_len, ctx, &w) == 0)
		print_levels(&w);
	return CLI_OK;
}

static int
info_evalkeys(const char *path, const lathe_ctx *ctx, const cli_container *c)
{
	lathe_evalkeys *ek = NULL;
	lathe_status s = lathe_evalkeys_from_buffer(ctx, c->obj_buf, c->obj_len, &ek);
	if (s != LATHE_OK)
		return cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", path, cli_detail(s));
	fprintf(o, "public key: %s\n", lathe_evalkeys_pk(ek) ? "included" : "not included");
	size_t half = lathe_ctx_slots(ctx) / 2;
	fprintf(o, "rotation keys:");
	int any = 0;
	for (size_t step = 1; step < half || (half == 0 && step < 2); step <<= 1) {
		if (lathe_evalkeys_has_rotation(ek, (int)step)) {
			fprintf(o, " %zu", step);
			any = 1;
		}
	}
	if (lathe_evalkeys_has_rotation(ek, 0)) {
		fprintf(o, " row-swap");
		any = 1;
	}
	fprintf(o, "%s\n", any ? "" : " none");
	size_t need = 0;
	int ok = lathe_circuits_keys(ctx, NULL, 0, &need, NULL) == LATHE_OK;
	int *steps = ok ? malloc((need ? need : 1) * sizeof *steps) : NULL;
	if (steps && lathe_circuits_keys(ctx, steps, need, &need, NULL) == LATHE_OK) {
		int all = 1;
		for (size_t i = 0; i < need; i++)
			all &= lathe_evalkeys_has_rotation(ek, steps[i]) != 0;
		fprintf(o, "built-in circuits: %s\n", all ? "served (every rotation key they need is present)"
		                                      : "NOT served (rotation keys missing)");
	}
	free(steps);
	lathe_evalkeys_free(ek);
	return CLI_OK;
}

static int
info_secret(const char *path, const cli_container *c)
{
	lathe_object_info oi;
	lathe_status s = lathe_object_info_from_buffer(c->obj_buf, c->obj_len, &oi);
	if (s != LATHE_OK)
		return cli_fail(CLI_EFILE, "%s: %s", path, cli_detail(s));
	fprintf(o, "sealed: yes (XChaCha20-Poly1305 under a passphrase key; not opened here)\n");
	fprintf(o, "passphrase cost: %s\n", pwhash_name(oi.pwhash_level));
	return CLI_OK;
}

/* a shares file of lathe party: how many, of which kinds and parties (read from the share objects' headers) */
static int
info_shares(const char *path, const lathe_ctx *ctx, const cli_container *c)
{
	const uint8_t *p = c->obj_buf;
	size_t left = c->obj_len;
	if (left < 4)
		return cli_fail(CLI_EFILE, "%s: corrupted (no share count)", path);
	uint64_t n = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
	p += 4;
	left -= 4;
	if (n == 0 || n > left / 8)
		return cli_fail(CLI_EFILE, "%s: corrupted (share count)", path);
	fprintf(o, "shares: %llu\n", (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t l = 0;
		for (int k = 0; k < 8; k++)
			l |= (uint64_t)p[k] << (8 * k);
		if (left < 8 || l > left - 8)
			return cli_fail(CLI_EFILE, "%s: truncated at share %llu", path, (unsigned long long)i);
		lathe_share *sh = NULL;
		lathe_status s = lathe_share_from_buffer(ctx, p + 8, (size_t)l, &sh);
		if (s != LATHE_OK)
			return cli_fail(CLI_EFILE, "%s: share %llu: %s", path, (unsigned long long)i, cli_detail(s));
		lathe_share_kind k;
		unsigned who, np;
		if (lathe_share_info(sh, &k, &who, &np) == LATHE_OK && (i < 4 || i + 1 == n))
			fprintf(o, "share %llu: kind %d, party %u of %u\n", (unsigned long long)i, (int)k, who, np);
		lathe_share_free(sh);
		p += 8 + l;
		left -= 8 + (size_t)l;
	}
	return CLI_OK;
}

static int describe(const char *path);

int
cli_cmd_info(int argc, char **argv)
{
	const cli_opt opts[] = { { NULL, 0, NULL } };
	const char *pos[1];
	size_t npos;
	int help_asked;
	int rc = cli_parse("info", argc, argv, opts, pos, 1, &npos, &help_asked);
	if (rc != CLI_OK)
		return rc;
	if (help_asked) {
		fputs(help, stdout);
		return CLI_OK;
	}
	if (npos != 1)
		return cli_fail(CLI_EUSAGE, "info: give one FILE (see lathe info --help)");
	char *text = NULL;
	size_t text_len = 0;
	o = open_memstream(&text, &text_len);
	if (!o)
		return cli_fail(CLI_EOTHER, "out of memory");
	rc = describe(pos[0]);
	if (fclose(o) != 0 && rc == CLI_OK)
		rc = cli_fail(CLI_EOTHER, "out of memory");
	o = NULL;
	if (rc == CLI_OK)
		fwrite(text, 1, text_len, stdout);
	free(text);
	return rc;
}

static int
describe(const char *path)
{
	cli_container c;
	int plain = 0;
	int rc = cli_container_read(path, &c, &plain);
	if (plain) {
		rc = plain == 2 ? info_circ_plain(path, &c) : info_plain(path, &c);
		cli_container_free(&c);
		return rc;
	}
	if (rc != CLI_OK)
		return rc;
	lathe_ctx *ctx = NULL;
	lathe_status s = lathe_ctx_from_buffer(c.ctx_buf, c.ctx_len, &ctx);
	if (s != LATHE_OK) {
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: bad parameters: %s", path, cli_detail(s));
		cli_container_free(&c);
		return rc;
	}
	char summary[256];
	cli_ctx_summary(ctx, summary, sizeof summary);
	lathe_context_info ci;
	int have_ci = lathe_ctx_info(ctx, &ci) == LATHE_OK;
	fprintf(o, "file: %s\n", path);
	fprintf(o, "kind: %s\n", cli_kind_name(c.kind));
	fprintf(o, "format: lathe program file, version %u\n", c.version);
	fprintf(o, "preset: %s\n", c.preset[0] ? c.preset : "unknown");
	fprintf(o, "parameters: %s\n", summary);
	if (have_ci) {
		fprintf(o, "ring degree N: %zu\n", ci.n);
		fprintf(o, "plaintext modulus t: %llu\n", (unsigned long long)ci.t);
		fprintf(o, "levels: %u (top level %u)\n", ci.chain_primes, ci.chain_primes - 1);
		if (ci.security)
			fprintf(o, "security: %d-bit (log2(QP) = %.1f, bound %d)\n", ci.security, ci.log2_qp, ci.security_bound);
		else
			fprintf(o, "security: NONE (insecure test parameters)\n");
	}
	print_id(c.key_id);
	switch (c.kind) {
	case CLI_FILE_SECRET_KEY:
		rc = info_secret(path, &c);
		break;
	case CLI_FILE_PUBLIC_KEY: {
		lathe_pk *pk = NULL;
		s = lathe_pk_from_buffer(ctx, c.obj_buf, c.obj_len, &pk);
		rc = s == LATHE_OK ? CLI_OK : cli_fail(CLI_EFILE, "%s: %s", path, cli_detail(s));
		lathe_pk_free(pk);
		break;
	}
	case CLI_FILE_EVAL_KEYS:
		rc = info_evalkeys(path, ctx, &c);
		break;
	case CLI_FILE_TABLE:
		rc = info_table(path, ctx, &c);
		break;
	case CLI_FILE_RESULT:
		rc = info_result(path, ctx, &c);
		break;
	case CLI_FILE_PARTY:
		rc = info_secret(path, &c);
		break;
	case CLI_FILE_SHARES:
		rc = info_shares(path, ctx, &c);
		break;
	case CLI_FILE_STUDY:
		if (have_ci)
			fprintf(o, "parties: %u\n", ci.parties);
		break;
	default:
		rc = CLI_OK;
	}
	if (rc == CLI_OK)
		fprintf(o, "size: %zu bytes\n", c.size);
	lathe_ctx_free(ctx);
	cli_container_free(&c);
	return rc;
}
