/*
 * lathe party: keys shared by several parties (lathe/multiparty.h; Mouchet,
 * Troncoso-Pastoriza, Bossuat, Hubaux, PETS 2021). Each hospital runs its
 * own steps on its own machine and the parties exchange files:
 *
 *   init            the study: a context for n parties and a fresh common seed
 *   keygen-share    a party's sealed key and its public-key share
 *   evalkey-share   round 1 (relinearization) and round 2 (relinearization
 *                   and the circuits' Galois keys) of the evaluation keys
 *   combine-keys    the collective public key, round 1's combination, the
 *                   evaluation-key bundle: an ordinary key directory
 *   decrypt-share   a party's decryption shares of a result (with DP noise)
 *   combine-decrypt the result from every party's shares, as lathe decrypt
 *
 * docs/cli.md, "lathe party", is the reference.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

/* the Argon2id cost of a sealed party: as the secret key's (keygen.c says why) */
#define PARTY_PWHASH_LEVEL LATHE_PWHASH_INTERACTIVE
/* files of a party's directory and of the collective key directory */
#define F_PARTY "party.key"
#define F_PK_SHARE "pk.share"
#define F_ROUND1 "round1.share"
#define F_ROUND2 "round2.shares"
#define F_PK "public.key"
#define F_SUM1 "relin1.sum"
#define F_EK "eval.keys"
/* standard deviations of the released noise a DP value may lie beyond its item's bound (tail below 2^-100) */
#define DP_TAIL 12

static const char help[] =
	"usage: lathe party STEP [OPTIONS]\n"
	"\n"
	"Keys shared by several parties (hospitals): no party holds a key that decrypts\n"
	"alone; every step reads and writes files, so that the parties run on different\n"
	"machines and exchange files. The collective key directory KEYS that\n"
	"combine-keys fills holds public.key and eval.keys as lathe keygen's does:\n"
	"lathe encrypt --keys KEYS and lathe eval --eval-keys KEYS/eval.keys work unchanged.\n"
	"\n"
	"steps:\n"
	"  init --parties N [--preset NAME] --out STUDY\n"
	"        the study file every party is given: the parameters for N parties and a\n"
	"        fresh public common seed\n"
	"  keygen-share --study STUDY --index I --out DIR [--passphrase-file F]\n"
	"        party I (0 ... N-1) makes its secret, sealed in DIR/party.key (mode 0600,\n"
	"        never leaves DIR), and its public-key share DIR/pk.share\n"
	"  combine-keys --study STUDY --out KEYS SHARE-FILE...\n"
	"        combines the shares given, by kind: every party's pk.share into\n"
	"        KEYS/public.key; every round1.share into KEYS/relin1.sum; every\n"
	"        round2.shares into KEYS/eval.keys (needs KEYS/public.key, relin1.sum)\n"
	"  evalkey-share --party DIR --keys KEYS --round 1|2 [--passphrase-file F]\n"
	"        round 1: binds the party to KEYS/public.key, writes DIR/round1.share;\n"
	"        round 2: from KEYS/relin1.sum, writes DIR/round2.shares (the second\n"
	"        relinearization round and the Galois keys of the built-in circuits)\n"
	"  decrypt-share --party DIR --in RESULT --out FILE [--passphrase-file F]\n"
	"                [--dp-epsilon E --dp-delta D | --dp-rho R] [--sensitivity S]\n"
	"        the party's decryption shares of an encrypted result (smudged with\n"
	"        40-bit statistical security); with --dp-*, each party adds discrete\n"
	"        Gaussian noise to every aggregate for (E, D)-DP or R-zCDP over the whole\n"
	"        release; S is one patient's largest effect on an aggregate in its real\n"
	"        units, or 'ranges' (default): each aggregate's from the declared column\n"
	"        ranges\n"
	"  combine-decrypt --in RESULT --out FILE.csv SHARE-FILE...\n"
	"        the result from the decryption shares of every party, written as\n"
	"        lathe decrypt writes it; with DP, the noisy aggregates themselves\n"
	"        (quantity,value) and the accounting on standard output\n"
	"\n"
	"  lathe party STEP --help   the same text\n";

/* ---- files ---- */

/* the study: its context and common seed */
static int
open_study(const char *path, cli_container *c, lathe_ctx **ctx, uint8_t crs[LATHE_MP_SEED_BYTES])
{
	int rc = cli_container_open(path, CLI_FILE_STUDY, c, ctx);
	if (rc != CLI_OK)
		return rc;
	lathe_context_info ci;
	if (c->obj_len != LATHE_MP_SEED_BYTES || lathe_ctx_info(*ctx, &ci) != LATHE_OK || ci.parties < 2) {
		lathe_ctx_free(*ctx);
		*ctx = NULL;
		cli_container_free(c);
		return cli_fail(CLI_EFILE, "%s: corrupted study (its seed or its number of parties)", path);
	}
	memcpy(crs, c->obj_buf, LATHE_MP_SEED_BYTES);
	return CLI_OK;
}

static unsigned
ctx_parties(const lathe_ctx *ctx)
{
	lathe_context_info ci;
	return lathe_ctx_info(ctx, &ci) == LATHE_OK ? ci.parties : 0;
}

/* a list of shares as the object of a container: u32 count, then per share u64 length and its bytes */
static int
write_shares(const char *path, const uint8_t key_id[LATHE_KEY_ID_BYTES], const char *preset, const lathe_ctx *ctx,
             lathe_share *const *sh, size_t n)
{
	uint8_t *obj = NULL;
	size_t len = 4, off = 0;
	uint8_t **b = calloc(n ? n : 1, sizeof *b);
	size_t *l = calloc(n ? n : 1, sizeof *l);
	int rc = b && l ? CLI_OK : cli_fail(CLI_EOTHER, "out of memory");
	for (size_t i = 0; i < n && rc == CLI_OK; i++) {
		lathe_status s = lathe_share_to_buffer(sh[i], &b[i], &l[i]);
		if (s)
			rc = cli_fail(cli_code_of(s), "%s: share %zu: %s", path, i, cli_detail(s));
		len += 8 + l[i];
	}
	if (rc == CLI_OK && !(obj = malloc(len)))
		rc = cli_fail(CLI_EOTHER, "out of memory");
	if (rc == CLI_OK) {
		for (int k = 0; k < 4; k++)
			obj[off++] = (uint8_t)(n >> (8 * k));
		for (size_t i = 0; i < n; i++) {
			for (int k = 0; k < 8; k++)
				obj[off++] = (uint8_t)((uint64_t)l[i] >> (8 * k));
			memcpy(obj + off, b[i], l[i]);
			off += l[i];
		}
		rc = cli_container_write(path, CLI_FILE_SHARES, key_id, preset, ctx, obj, len, 0666);
	}
	for (size_t i = 0; b && i < n; i++)
		lathe_buffer_free(b[i]);
	free(b);
	free(l);
	free(obj);
	return rc;
}

typedef struct share_list {
	lathe_share **s;
	size_t n, cap;
} share_list;

static void
list_free(share_list *L)
{
	for (size_t i = 0; i < L->n; i++)
		lathe_share_free(L->s[i]);
	free(L->s);
	memset(L, 0, sizeof *L);
}

/*
 * Appends the shares of a shares file to L; the file must be of ctx's
 * parameters. key_id (may be NULL) gets the file's key id.
 */
static int
read_shares(const char *path, const lathe_ctx *ctx, share_list *L, uint8_t key_id[LATHE_KEY_ID_BYTES])
{
	cli_container c;
	int rc = cli_container_open(path, CLI_FILE_SHARES, &c, NULL);
	if (rc != CLI_OK)
		return rc;
	if (!cli_container_same_params(&c, ctx)) {
		cli_container_free(&c);
		return cli_fail(CLI_EFILE, "%s: shares of another study (other parameters)", path);
	}
	if (key_id)
		memcpy(key_id, c.key_id, LATHE_KEY_ID_BYTES);
	const uint8_t *p = c.obj_buf;
	size_t left = c.obj_len;
	uint64_t n = 0;
	if (left < 4) {
		cli_container_free(&c);
		return cli_fail(CLI_EFILE, "%s: corrupted (no share count)", path);
	}
	for (int k = 0; k < 4; k++)
		n |= (uint64_t)p[k] << (8 * k);
	p += 4;
	left -= 4;
	if (n == 0 || n > left / 8) {
		cli_container_free(&c);
		return cli_fail(CLI_EFILE, "%s: corrupted (share count %llu)", path, (unsigned long long)n);
	}
	for (uint64_t i = 0; i < n && rc == CLI_OK; i++) {
		uint64_t l = 0;
		if (left < 8) {
			rc = cli_fail(CLI_EFILE, "%s: truncated at share %llu", path, (unsigned long long)i);
			break;
		}
		for (int k = 0; k < 8; k++)
			l |= (uint64_t)p[k] << (8 * k);
		p += 8;
		left -= 8;
		if (l > left) {
			rc = cli_fail(CLI_EFILE, "%s: truncated at share %llu", path, (unsigned long long)i);
			break;
		}
		if (L->n == L->cap) {
			size_t cap = L->cap ? 2 * L->cap : 16;
			lathe_share **ns = realloc(L->s, cap * sizeof *ns);
			if (!ns) {
				rc = cli_fail(CLI_EOTHER, "out of memory");
				break;
			}
			L->s = ns;
			L->cap = cap;
		}
		lathe_status s = lathe_share_from_buffer(ctx, p, (size_t)l, &L->s[L->n]);
		if (s) {
			rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: share %llu: %s", path,
			              (unsigned long long)i, cli_detail(s));
			break;
		}
		L->n++;
		p += l;
		left -= (size_t)l;
	}
	if (rc == CLI_OK && left != 0)
		rc = cli_fail(CLI_EFILE, "%s: corrupted (bytes after the last share)", path);
	cli_container_free(&c);
	return rc;
}

/* DIR/party.key read and checked (its context into *ctx), not yet opened */
static int
party_file(const char *dir, cli_container *c, lathe_ctx **ctx, char **path)
{
	*path = cli_path_join(dir, F_PARTY);
	if (!*path)
		return cli_fail(CLI_EOTHER, "out of memory");
	return cli_container_open(*path, CLI_FILE_PARTY, c, ctx);
}

/* the party of a party file, opened with the passphrase (asked now) */
static int
party_open(const cli_container *c, const lathe_ctx *ctx, const char *path, const char *pfile, char **pass,
           lathe_party **party)
{
	*party = NULL;
	int rc = cli_passphrase_read(pfile, 0, pass);
	if (rc != CLI_OK)
		return rc;
	lathe_status s = lathe_party_from_buffer(ctx, c->obj_buf, c->obj_len, *pass, party);
	if (s == LATHE_EAUTH)
		return cli_fail(CLI_EKEY, "%s: wrong passphrase (or the party's file was altered)", path);
	if (s)
		return cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", path, cli_detail(s));
	return CLI_OK;
}

static int
save_party(const char *path, const lathe_party *p, const char *pass, const uint8_t key_id[LATHE_KEY_ID_BYTES],
           const char *preset, const lathe_ctx *ctx)
{
	uint8_t *b;
	size_t l;
	lathe_status s = lathe_party_to_buffer(p, pass, PARTY_PWHASH_LEVEL, &b, &l);
	if (s)
		return cli_fail(cli_code_of(s), "%s: sealing the party: %s", path, cli_detail(s));
	int rc = cli_container_write(path, CLI_FILE_PARTY, key_id, preset, ctx, b, l, 0600);
	lathe_buffer_free(b);
	return rc;
}

/* DIR must be new or empty; made (mode 0700) when missing */
static int
new_dir(const char *dir, const char *what)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT)
			return cli_fail(CLI_EIO, "%s: %s", dir, strerror(errno));
		if (mkdir(dir, 0700) != 0)
			return cli_fail(CLI_EIO, "%s: cannot create the %s: %s", dir, what, strerror(errno));
		return CLI_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return cli_fail(CLI_EIO, "%s: exists and is not a directory", dir);
	DIR *d = opendir(dir);
	if (!d)
		return cli_fail(CLI_EIO, "%s: cannot read the directory: %s", dir, strerror(errno));
	int other = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		other |= strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	if (other)
		return cli_fail(CLI_EKEY, "%s: not empty; refusing to write a %s into it (a new or empty directory)", dir,
		                what);
	return CLI_OK;
}

/* a file that must not exist yet (keys and seeds are never overwritten) */
static int
must_be_new(const char *path, const char *what)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return cli_fail(CLI_EKEY, "%s: exists; refusing to overwrite the %s (remove it first)", path, what);
	return CLI_OK;
}

static int
parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *v, const char *what)
{
	char *end;
	errno = 0;
	unsigned long x = s ? strtoul(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || x < lo || x > hi || s[0] == '-' || s[0] == '+')
		return cli_fail(CLI_EUSAGE, "party: %s must be an integer from %u to %u (got '%s')", what, lo, hi,
		                s ? s : "");
	*v = (unsigned)x;
	return CLI_OK;
}

/* ---- init ---- */

static int
cmd_init(int argc, char **argv)
{
	const char *preset = NULL, *np_s = NULL, *out = NULL;
	const cli_opt opts[] = { { "preset", 1, &preset }, { "parties", 1, &np_s }, { "out", 1, &out }, { NULL, 0, NULL } };
	size_t npos;
	int h;
	int rc = cli_parse("party init", argc, argv, opts, NULL, 0, &npos, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!out)
		return cli_fail(CLI_EUSAGE, "party init: missing --out STUDY (the study file to write)");
	unsigned np = 0;
	if ((rc = parse_uint(np_s, 2, LATHE_MAX_PARTIES, &np, "--parties")) != CLI_OK)
		return rc;
	if (!preset)
		preset = CLI_DEFAULT_PRESET;
	if ((rc = must_be_new(out, "study (its common seed would change)")) != CLI_OK)
		return rc;
	lathe_params *par = NULL;
	lathe_ctx *ctx = NULL;
	lathe_status s = lathe_params_new_preset(preset, &par);
	if (s == LATHE_EINVAL)
		return cli_fail(CLI_EUSAGE, "party init: unknown preset '%s' (see lathe keygen --help)", preset);
	if (!s)
		s = lathe_params_set_parties(par, np);
	if (!s)
		s = lathe_ctx_new(par, &ctx);
	lathe_params_free(par);
	if (s)
		return cli_fail(cli_code_of(s), "party init: preset %s for %u parties: %s", preset, np, cli_detail(s));
	lathe_context_info ci;
	if ((s = lathe_ctx_info(ctx, &ci)) != LATHE_OK) {
		lathe_ctx_free(ctx);
		return cli_fail(CLI_EOTHER, "party init: %s", cli_detail(s));
	}
	uint8_t crs[LATHE_MP_SEED_BYTES];
	randombytes_buf(crs, sizeof crs);
	static const uint8_t zero[LATHE_KEY_ID_BYTES];
	rc = cli_container_write(out, CLI_FILE_STUDY, zero, preset, ctx, crs, sizeof crs, 0666);
	lathe_ctx_free(ctx);
	if (rc == CLI_OK && ci.security == 0)
		cli_warn("preset %s is INSECURE (test parameters, no security at all): never use it for real data",
		         preset);
	return rc;
}

/* ---- keygen-share ---- */

static int
cmd_keygen_share(int argc, char **argv)
{
	const char *study = NULL, *idx_s = NULL, *out = NULL, *pfile = NULL;
	const cli_opt opts[] = { { "study", 1, &study }, { "index", 1, &idx_s },       { "out", 1, &out },
		                 { "passphrase-file", 1, &pfile }, { NULL, 0, NULL } };
	size_t npos;
	int h;
	int rc = cli_parse("party keygen-share", argc, argv, opts, NULL, 0, &npos, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!study || !out)
		return cli_fail(CLI_EUSAGE, "party keygen-share: missing %s", !study ? "--study STUDY" : "--out DIR");
	cli_container sc;
	lathe_ctx *ctx = NULL;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	if ((rc = open_study(study, &sc, &ctx, crs)) != CLI_OK)
		return rc;
	const unsigned np = ctx_parties(ctx);
	unsigned idx = 0;
	char *pass = NULL, *ppath = NULL, *spath = NULL;
	lathe_party *p = NULL;
	lathe_share *sh = NULL;
	int made = 0;
	if ((rc = parse_uint(idx_s, 0, np - 1, &idx, "--index")) != CLI_OK)
		goto done;
	ppath = cli_path_join(out, F_PARTY);
	spath = cli_path_join(out, F_PK_SHARE);
	if (!ppath || !spath) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	struct stat st;
	made = stat(out, &st) != 0;
	if ((rc = new_dir(out, "party's key")) != CLI_OK) {
		made = 0;
		goto done;
	}
	if ((rc = cli_passphrase_read(pfile, 1, &pass)) != CLI_OK)
		goto done;
	lathe_status s = lathe_party_new(ctx, crs, idx, np, NULL, &p);
	if (!s)
		s = lathe_mp_pk_share(p, &sh);
	if (s) {
		rc = cli_fail(cli_code_of(s), "party keygen-share: %s", cli_detail(s));
		goto done;
	}
	static const uint8_t zero[LATHE_KEY_ID_BYTES];
	if ((rc = save_party(ppath, p, pass, zero, sc.preset, ctx)) != CLI_OK)
		goto done;
	if ((rc = write_shares(spath, zero, sc.preset, ctx, &sh, 1)) != CLI_OK) {
		unlink(ppath);
		goto done;
	}
	printf("party %u of %u: %s (sealed; keep it), %s (send it to the combiner)\n", idx, np, ppath, spath);
done:
	if (rc != CLI_OK && made)
		rmdir(out);
	lathe_share_free(sh);
	lathe_party_free(p);
	cli_secret_free(pass);
	free(ppath);
	free(spath);
	lathe_ctx_free(ctx);
	cli_container_free(&sc);
	return rc;
}

/* ---- evalkey-share ---- */

/* the Galois elements of the built-in circuits' sums and the level their keys reach (lathe_circuits_keys) */
static int
circuit_elements(const lathe_ctx *ctx, uint64_t **g, size_t *n, unsigned *level)
{
	*g = NULL;
	size_t k = 0;
	lathe_status s = lathe_circuits_keys(ctx, NULL, 0, &k, NULL);
	if (s)
		return cli_fail(CLI_EFIT, "the study's parameters cannot serve the built-in circuits: %s", cli_detail(s));
	int *steps = malloc((k ? k : 1) * sizeof *steps);
	*g = malloc((k ? k : 1) * sizeof **g);
	if (!steps || !*g) {
		free(steps);
		free(*g);
		*g = NULL;
		return cli_fail(CLI_EOTHER, "out of memory");
	}
	s = lathe_circuits_keys(ctx, steps, k, &k, level);
	for (size_t i = 0; i < k && !s; i++)
		s = steps[i] == 0 ? lathe_galois_elt_row_swap(ctx, &(*g)[i]) : lathe_galois_elt_rotation(ctx, steps[i], &(*g)[i]);
	free(steps);
	if (s) {
		free(*g);
		*g = NULL;
		return cli_fail(CLI_EOTHER, "Galois elements: %s", cli_detail(s));
	}
	*n = k;
	return CLI_OK;
}

/* loads KEYS/public.key of ctx's parameters */
static int
load_pk(const char *keys, const lathe_ctx *ctx, lathe_pk **pk, uint8_t id[LATHE_KEY_ID_BYTES])
{
	*pk = NULL;
	char *path = cli_path_join(keys, F_PK);
	if (!path)
		return cli_fail(CLI_EOTHER, "out of memory");
	cli_container c;
	int rc = cli_container_open(path, CLI_FILE_PUBLIC_KEY, &c, NULL);
	if (rc == CLI_OK) {
		lathe_status s;
		if (!cli_container_same_params(&c, ctx))
			rc = cli_fail(CLI_EFILE, "%s: a public key of another study (other parameters)", path);
		else if ((s = lathe_pk_from_buffer(ctx, c.obj_buf, c.obj_len, pk)) != LATHE_OK)
			rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", path, cli_detail(s));
		else
			memcpy(id, c.key_id, LATHE_KEY_ID_BYTES);
		cli_container_free(&c);
	}
	free(path);
	return rc;
}

static int
cmd_evalkey_share(int argc, char **argv)
{
	const char *dir = NULL, *keys = NULL, *round_s = NULL, *pfile = NULL;
	const cli_opt opts[] = { { "party", 1, &dir }, { "keys", 1, &keys },       { "round", 1, &round_s },
		                 { "passphrase-file", 1, &pfile }, { NULL, 0, NULL } };
	size_t npos;
	int h;
	int rc = cli_parse("party evalkey-share", argc, argv, opts, NULL, 0, &npos, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!dir || !keys)
		return cli_fail(CLI_EUSAGE, "party evalkey-share: missing %s", !dir ? "--party DIR" : "--keys KEYS");
	unsigned round = 0;
	if ((rc = parse_uint(round_s, 1, 2, &round, "--round")) != CLI_OK)
		return rc;
	cli_container pc;
	memset(&pc, 0, sizeof pc);
	lathe_ctx *ctx = NULL;
	lathe_party *p = NULL;
	lathe_pk *pk = NULL;
	char *pass = NULL, *ppath = NULL, *out = NULL, *sum_path = NULL;
	share_list sum = { 0 };
	lathe_share **sh = NULL;
	size_t nsh = 0;
	uint64_t *g = NULL;
	lathe_status s;
	if ((rc = party_file(dir, &pc, &ctx, &ppath)) != CLI_OK ||
	    (rc = party_open(&pc, ctx, ppath, pfile, &pass, &p)) != CLI_OK)
		goto done;
	out = cli_path_join(dir, round == 1 ? F_ROUND1 : F_ROUND2);
	if (!out) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	static const uint8_t zero[LATHE_KEY_ID_BYTES];
	if (round == 1) {
		/* the party is bound to the collective key it sees first, and to no other afterwards */
		uint8_t id[LATHE_KEY_ID_BYTES];
		if ((rc = load_pk(keys, ctx, &pk, id)) != CLI_OK)
			goto done;
		if (sodium_memcmp(pc.key_id, zero, sizeof zero) != 0 && sodium_memcmp(pc.key_id, id, sizeof id) != 0) {
			rc = cli_fail(CLI_EKEY, "%s: the party is bound to another collective key than %s/%s", ppath, keys, F_PK);
			goto done;
		}
		if ((s = lathe_party_set_pk(p, pk)) != LATHE_OK) {
			rc = cli_fail(CLI_EFILE, "%s/%s: %s", keys, F_PK, cli_detail(s));
			goto done;
		}
		sh = calloc(1, sizeof *sh);
		if (!sh || (s = lathe_mp_relin_share1(p, &sh[0])) != LATHE_OK) {
			rc = sh ? cli_fail(cli_code_of(s), "party evalkey-share: %s", cli_detail(s))
			        : cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		nsh = 1;
		if ((rc = save_party(ppath, p, pass, id, pc.preset, ctx)) != CLI_OK)
			goto done;
	} else {
		sum_path = cli_path_join(keys, F_SUM1);
		if (!sum_path) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		if ((rc = read_shares(sum_path, ctx, &sum, NULL)) != CLI_OK)
			goto done;
		lathe_share_kind k;
		unsigned who, np;
		if (sum.n != 1 || lathe_share_info(sum.s[0], &k, &who, &np) != LATHE_OK || k != LATHE_SHARE_RELIN1_SUM) {
			rc = cli_fail(CLI_EFILE, "%s: not the combination of round 1", sum_path);
			goto done;
		}
		size_t ng = 0;
		unsigned glevel = 0;
		if ((rc = circuit_elements(ctx, &g, &ng, &glevel)) != CLI_OK)
			goto done;
		sh = calloc(ng + 1, sizeof *sh);
		if (!sh) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		if ((s = lathe_mp_relin_share2(p, sum.s[0], &sh[0])) != LATHE_OK) {
			rc = cli_fail(s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s), "%s: %s", sum_path, cli_detail(s));
			goto done;
		}
		nsh = 1;
		for (size_t i = 0; i < ng; i++, nsh++)
			if ((s = lathe_mp_galois_share_at(p, g[i], glevel, &sh[nsh])) != LATHE_OK) {
				rc = cli_fail(cli_code_of(s), "party evalkey-share: %s", cli_detail(s));
				goto done;
			}
	}
	if ((rc = write_shares(out, zero, pc.preset, ctx, sh, nsh)) != CLI_OK)
		goto done;
	printf("round %u: %s (send it to the combiner)\n", round, out);
done:
	for (size_t i = 0; sh && i < nsh; i++)
		lathe_share_free(sh[i]);
	free(sh);
	free(g);
	list_free(&sum);
	lathe_pk_free(pk);
	lathe_party_free(p);
	cli_secret_free(pass);
	free(ppath);
	free(out);
	free(sum_path);
	lathe_ctx_free(ctx);
	cli_container_free(&pc);
	return rc;
}

/* ---- combine-keys ---- */

static int
cmd_combine_keys(int argc, char **argv)
{
	const char *study = NULL, *keys = NULL;
	const cli_opt opts[] = { { "study", 1, &study }, { "out", 1, &keys }, { NULL, 0, NULL } };
	const char *files[4 * LATHE_MAX_PARTIES];
	size_t nf;
	int h;
	int rc = cli_parse("party combine-keys", argc, argv, opts, files, sizeof files / sizeof files[0], &nf, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!study || !keys)
		return cli_fail(CLI_EUSAGE, "party combine-keys: missing %s", !study ? "--study STUDY" : "--out KEYS");
	if (nf == 0)
		return cli_fail(CLI_EUSAGE, "party combine-keys: no share files given");
	cli_container sc;
	lathe_ctx *ctx = NULL;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	if ((rc = open_study(study, &sc, &ctx, crs)) != CLI_OK)
		return rc;
	share_list all = { 0 }, sum = { 0 };
	lathe_pk *pk = NULL;
	lathe_evalkeys *ek = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	char *pk_path = cli_path_join(keys, F_PK), *sum_path = cli_path_join(keys, F_SUM1),
	     *ek_path = cli_path_join(keys, F_EK);
	const lathe_share **by[6] = { NULL };
	size_t cnt[6] = { 0 };
	lathe_status s;
	if (!pk_path || !sum_path || !ek_path) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nf && rc == CLI_OK; i++)
		rc = read_shares(files[i], ctx, &all, NULL);
	if (rc != CLI_OK)
		goto done;
	for (int k = 0; k < 6; k++)
		if (!(by[k] = calloc(all.n, sizeof *by[k]))) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
	for (size_t i = 0; i < all.n; i++) {
		lathe_share_kind k;
		unsigned who, np;
		if ((s = lathe_share_info(all.s[i], &k, &who, &np)) != LATHE_OK) {
			rc = cli_fail(CLI_EOTHER, "%s", cli_detail(s));
			goto done;
		}
		if (k != LATHE_SHARE_PK && k != LATHE_SHARE_RELIN1 && k != LATHE_SHARE_RELIN2 && k != LATHE_SHARE_GALOIS) {
			rc = cli_fail(CLI_EUSAGE, "party combine-keys: a share that is no key share (decryption shares go to "
			              "lathe party combine-decrypt)");
			goto done;
		}
		by[k][cnt[k]++] = all.s[i];
	}
	struct stat st;
	if (stat(keys, &st) != 0 && mkdir(keys, 0700) != 0) {
		rc = cli_fail(CLI_EIO, "%s: cannot create the key directory: %s", keys, strerror(errno));
		goto done;
	}
	static const uint8_t zero[LATHE_KEY_ID_BYTES];
	uint8_t id[LATHE_KEY_ID_BYTES];
	if (cnt[LATHE_SHARE_PK]) {
		if ((rc = must_be_new(pk_path, "collective public key")) != CLI_OK)
			goto done;
		if ((s = lathe_mp_pk_combine(by[LATHE_SHARE_PK], cnt[LATHE_SHARE_PK], &pk)) != LATHE_OK ||
		    (s = lathe_pk_key_id(pk, id)) != LATHE_OK || (s = lathe_pk_to_buffer(pk, &buf, &len)) != LATHE_OK) {
			rc = cli_fail(s == LATHE_EINVAL || s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s),
			              "public-key shares: %s", cli_detail(s));
			goto done;
		}
		if ((rc = cli_container_write(pk_path, CLI_FILE_PUBLIC_KEY, id, sc.preset, ctx, buf, len, 0666)) != CLI_OK)
			goto done;
		lathe_buffer_free(buf);
		buf = NULL;
		printf("collective public key: %s\n", pk_path);
	}
	if (cnt[LATHE_SHARE_RELIN1]) {
		if ((rc = must_be_new(sum_path, "combination of round 1")) != CLI_OK)
			goto done;
		lathe_share *c1 = NULL;
		if ((s = lathe_mp_relin_combine1(by[LATHE_SHARE_RELIN1], cnt[LATHE_SHARE_RELIN1], &c1)) != LATHE_OK) {
			rc = cli_fail(s == LATHE_EINVAL || s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s),
			              "round-1 shares: %s", cli_detail(s));
			goto done;
		}
		rc = write_shares(sum_path, zero, sc.preset, ctx, &c1, 1);
		lathe_share_free(c1);
		if (rc != CLI_OK)
			goto done;
		printf("round 1 combined: %s\n", sum_path);
	}
	if (cnt[LATHE_SHARE_RELIN2] || cnt[LATHE_SHARE_GALOIS]) {
		if ((rc = must_be_new(ek_path, "evaluation keys")) != CLI_OK)
			goto done;
		if (!pk && (rc = load_pk(keys, ctx, &pk, id)) != CLI_OK)
			goto done;
		if ((rc = read_shares(sum_path, ctx, &sum, NULL)) != CLI_OK)
			goto done;
		if (sum.n != 1) {
			rc = cli_fail(CLI_EFILE, "%s: not the combination of round 1", sum_path);
			goto done;
		}
		if (!cnt[LATHE_SHARE_RELIN2]) {
			rc = cli_fail(CLI_EUSAGE, "party combine-keys: Galois shares without the round-2 shares");
			goto done;
		}
		if ((s = lathe_mp_evalkeys_new(pk, &ek)) != LATHE_OK ||
		    (s = lathe_mp_relin_combine2(ek, sum.s[0], by[LATHE_SHARE_RELIN2], cnt[LATHE_SHARE_RELIN2])) != LATHE_OK) {
			rc = cli_fail(s == LATHE_EINVAL || s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s),
			              "round-2 shares: %s", cli_detail(s));
			goto done;
		}
		/* the Galois shares by element, in the order they came */
		const size_t ngs = cnt[LATHE_SHARE_GALOIS];
		const lathe_share **grp = calloc(ngs + 1, sizeof *grp);
		uint64_t *elt = calloc(ngs + 1, sizeof *elt);
		char *used = calloc(ngs + 1, 1);
		if (!grp || !used || !elt) {
			free(grp);
			free(used);
			free(elt);
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < ngs; i++)
			if (lathe_share_galois_element(by[LATHE_SHARE_GALOIS][i], &elt[i]) != LATHE_OK)
				elt[i] = 0;
		size_t nkeys = 0;
		for (size_t i = 0; i < ngs && rc == CLI_OK; i++) {
			if (used[i])
				continue;
			size_t m = 0;
			for (size_t j = i; j < ngs; j++)
				if (!used[j] && elt[j] == elt[i]) {
					grp[m++] = by[LATHE_SHARE_GALOIS][j];
					used[j] = 1;
				}
			if ((s = lathe_mp_galois_combine(ek, grp, m)) != LATHE_OK)
				rc = cli_fail(s == LATHE_EINVAL || s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s),
				              "Galois shares of element %llu: %s", (unsigned long long)elt[i], cli_detail(s));
			nkeys++;
		}
		free(elt);
		free(grp);
		free(used);
		if (rc != CLI_OK)
			goto done;
		if ((s = lathe_evalkeys_to_buffer(ek, &buf, &len)) != LATHE_OK) {
			rc = cli_fail(cli_code_of(s), "evaluation keys: %s", cli_detail(s));
			goto done;
		}
		if ((rc = cli_container_write(ek_path, CLI_FILE_EVAL_KEYS, id, sc.preset, ctx, buf, len, 0666)) != CLI_OK)
			goto done;
		printf("collective evaluation keys: %s (relinearization and %zu Galois keys)\n", ek_path, nkeys);
	}
done:
	for (int k = 0; k < 6; k++)
		free(by[k]);
	lathe_buffer_free(buf);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	list_free(&all);
	list_free(&sum);
	free(pk_path);
	free(sum_path);
	free(ek_path);
	lathe_ctx_free(ctx);
	cli_container_free(&sc);
	return rc;
}

/* ---- decryption ---- */

/* the result of RESULT under ctx's parameters; id gets the key it is encrypted under */
static int
load_result(const char *in, const lathe_ctx *ctx, lathe_result **res, uint8_t id[LATHE_KEY_ID_BYTES])
{
	*res = NULL;
	cli_container c;
	int rc = cli_container_open(in, CLI_FILE_RESULT, &c, NULL);
	if (rc != CLI_OK)
		return rc;
	lathe_status s;
	if (!cli_container_same_params(&c, ctx))
		rc = cli_fail(CLI_EFILE, "%s: a result under other parameters than the study's", in);
	else if ((s = lathe_result_from_buffer(ctx, c.obj_buf, c.obj_len, res)) != LATHE_OK)
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", in, cli_detail(s));
	else
		memcpy(id, c.key_id, LATHE_KEY_ID_BYTES);
	cli_container_free(&c);
	return rc;
}

/* the number of ciphertexts of a result, over all items */
static size_t
result_cts(const lathe_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < lathe_result_items(r); i++)
		n += lathe_result_item_cts(r, i);
	return n;
}

/*
 * The privacy parameters of item i of a release of k aggregates: rho
 * split evenly (zCDP composes by adding rho: Bun, Steinke, TCC 2016,
 * Lemma 2.3), the sensitivity in the item's integer units.
 */
static void
item_dp(const lathe_result *r, size_t i, double rho, double sens, lathe_dp *dp)
{
	const size_t k = lathe_result_items(r);
	memset(dp, 0, sizeof *dp);
	dp->rho = rho / (double)k;
	dp->one_value = 1;
	if (sens > 0) {
		dp->sensitivity = sens * lathe_result_item_denominator(r, i);
	} else {
		/* from the declared ranges: the item's bound is the rows times one patient's largest term */
		const size_t rows = lathe_result_rows(r);
		dp->sensitivity = rows ? ceil((double)lathe_result_bound(r, i) / (double)rows) : 0;
	}
	if (!(dp->sensitivity >= 1))
		dp->sensitivity = 1;
}

/* rho from the command line: (epsilon, delta) converted as lathe_dp does, or rho itself; 0 without DP */
static int
parse_dp(const char *e_s, const char *d_s, const char *r_s, const char *s_s, double *rho, double *sens, double *eps,
         double *del)
{
	*rho = 0;
	*sens = 0;
	*eps = *del = 0;
	if (!e_s && !d_s && !r_s) {
		if (s_s)
			return cli_fail(CLI_EUSAGE, "party decrypt-share: --sensitivity without --dp-epsilon/--dp-delta or "
			                "--dp-rho");
		return CLI_OK;
	}
	const char *why;
	if (r_s) {
		if (e_s || d_s)
			return cli_fail(CLI_EUSAGE, "party decrypt-share: give --dp-epsilon and --dp-delta, or --dp-rho, not both");
		if (!cli_parse_decimal(r_s, rho, &why) || !(*rho > 0))
			return cli_fail(CLI_EUSAGE, "party decrypt-share: --dp-rho must be a positive number (got '%s')", r_s);
	} else {
		if (!e_s || !d_s)
			return cli_fail(CLI_EUSAGE, "party decrypt-share: --dp-epsilon and --dp-delta go together (a DP "
			                "release is never made without both)");
		if (!cli_parse_decimal(e_s, eps, &why) || !(*eps > 0))
			return cli_fail(CLI_EUSAGE, "party decrypt-share: --dp-epsilon must be a positive number (got '%s')", e_s);
		if (!cli_parse_decimal(d_s, del, &why) || !(*del > 0 && *del < 1))
			return cli_fail(CLI_EUSAGE, "party decrypt-share: --dp-delta must be in (0, 1) (got '%s')", d_s);
		/* the rho whose zCDP implies (epsilon, delta)-DP (Bun, Steinke, TCC 2016, Proposition 1.3) */
		const double L = log(1 / *del);
		*rho = (sqrt(L + *eps) - sqrt(L)) * (sqrt(L + *eps) - sqrt(L));
	}
	if (s_s && strcmp(s_s, "ranges") != 0 && (!cli_parse_decimal(s_s, sens, &why) || !(*sens > 0)))
		return cli_fail(CLI_EUSAGE, "party decrypt-share: --sensitivity must be a positive number or 'ranges' (got "
		                "'%s')", s_s);
	return CLI_OK;
}

static int
cmd_decrypt_share(int argc, char **argv)
{
	const char *dir = NULL, *in = NULL, *out = NULL, *pfile = NULL, *e_s = NULL, *d_s = NULL, *r_s = NULL,
	           *s_s = NULL;
	const cli_opt opts[] = { { "party", 1, &dir },         { "in", 1, &in },         { "out", 1, &out },
		                 { "passphrase-file", 1, &pfile }, { "dp-epsilon", 1, &e_s }, { "dp-delta", 1, &d_s },
		                 { "dp-rho", 1, &r_s },         { "sensitivity", 1, &s_s }, { NULL, 0, NULL } };
	size_t npos;
	int h;
	int rc = cli_parse("party decrypt-share", argc, argv, opts, NULL, 0, &npos, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!dir || !in || !out)
		return cli_fail(CLI_EUSAGE, "party decrypt-share: missing %s",
		                !dir ? "--party DIR" : !in ? "--in RESULT" : "--out FILE");
	double rho, sens, eps, del;
	if ((rc = parse_dp(e_s, d_s, r_s, s_s, &rho, &sens, &eps, &del)) != CLI_OK)
		return rc;
	cli_container pc;
	memset(&pc, 0, sizeof pc);
	lathe_ctx *ctx = NULL;
	lathe_party *p = NULL;
	lathe_result *res = NULL;
	char *pass = NULL, *ppath = NULL;
	lathe_share **sh = NULL;
	size_t nsh = 0;
	uint8_t id[LATHE_KEY_ID_BYTES];
	static const uint8_t zero[LATHE_KEY_ID_BYTES];
	/* the party's file and the result checked before the passphrase is asked */
	if ((rc = party_file(dir, &pc, &ctx, &ppath)) != CLI_OK)
		goto done;
	if (sodium_memcmp(pc.key_id, zero, sizeof zero) == 0) {
		rc = cli_fail(CLI_EKEY, "%s: the party is bound to no collective key yet (lathe party evalkey-share "
		              "--round 1 binds it)", ppath);
		goto done;
	}
	if ((rc = load_result(in, ctx, &res, id)) != CLI_OK)
		goto done;
	if (sodium_memcmp(id, pc.key_id, sizeof id) != 0) {
		rc = cli_fail(CLI_EFILE, "%s: encrypted under another key than the party's collective key", in);
		goto done;
	}
	if ((rc = party_open(&pc, ctx, ppath, pfile, &pass, &p)) != CLI_OK)
		goto done;
	const size_t n_items = lathe_result_items(res), total = result_cts(res);
	if (rho > 0)
		for (size_t i = 0; i < n_items; i++)
			if (lathe_result_item_kind(res, i) != LATHE_ITEM_AGGREGATE) {
				rc = cli_fail(CLI_EUSAGE, "%s: item '%s' is per patient: a DP release is for aggregates only", in,
				              lathe_result_item_name(res, i));
				goto done;
			}
	sh = calloc(total ? total : 1, sizeof *sh);
	if (!sh) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	for (size_t i = 0; i < n_items; i++) {
		lathe_dp dp;
		if (rho > 0) {
			item_dp(res, i, rho, sens, &dp);
			/* the noisy value must stay below t/2 (12 standard deviations: a tail below 2^-100) */
			uint64_t s2;
			lathe_status s = lathe_dp_sigma2(&dp, &s2, NULL);
			if (s) {
				rc = cli_fail(CLI_EFIT, "%s: item '%s': %s", in, lathe_result_item_name(res, i), cli_detail(s));
				goto done;
			}
			const double reach = (double)lathe_result_bound(res, i) + DP_TAIL * sqrt((double)ctx_parties(ctx) * (double)s2);
			if (!(reach < (double)((t - 1) / 2))) {
				rc = cli_fail(CLI_EFIT, "%s: item '%s': its bound and the DP noise (sigma^2 = %llu per party) "
				              "reach t/2 = %llu: a noisy value could wrap around (a larger epsilon or rho, or a "
				              "larger t)", in, lathe_result_item_name(res, i), (unsigned long long)s2,
				              (unsigned long long)(t / 2));
				goto done;
			}
		}
		for (size_t k = 0; k < lathe_result_item_cts(res, i); k++, nsh++) {
			const lathe_ct *ct = lathe_result_item_ct(res, i, k);
			lathe_status s = rho > 0 ? lathe_mp_decrypt_share_dp(p, ct, &dp, &sh[nsh])
			                         : lathe_mp_decrypt_share(p, ct, &sh[nsh]);
			if (s) {
				rc = cli_fail(s == LATHE_ENOISE ? CLI_EFIT : s == LATHE_EMISMATCH ? CLI_EFILE : cli_code_of(s),
				              "%s: item '%s': %s", in, lathe_result_item_name(res, i), cli_detail(s));
				goto done;
			}
		}
	}
	if ((rc = write_shares(out, id, pc.preset, ctx, sh, nsh)) != CLI_OK)
		goto done;
	unsigned idx, np, thr;
	int bound;
	if (lathe_party_info(p, &idx, &np, &thr, &bound) == LATHE_OK)
		printf("party %u: %zu decryption share%s of %s: %s%s\n", idx, nsh, nsh == 1 ? "" : "s", in, out,
		       rho > 0 ? " (with DP noise)" : "");
done:
	for (size_t i = 0; sh && i < nsh; i++)
		lathe_share_free(sh[i]);
	free(sh);
	lathe_result_free(res);
	lathe_party_free(p);
	cli_secret_free(pass);
	free(ppath);
	lathe_ctx_free(ctx);
	cli_container_free(&pc);
	return rc;
}

static int
cmd_combine_decrypt(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	const cli_opt opts[] = { { "in", 1, &in }, { "out", 1, &out }, { NULL, 0, NULL } };
	const char *files[LATHE_MAX_PARTIES + 1];
	size_t nf;
	int h;
	int rc = cli_parse("party combine-decrypt", argc, argv, opts, files, sizeof files / sizeof files[0], &nf, &h);
	if (rc != CLI_OK || h)
		return h ? (fputs(help, stdout), CLI_OK) : rc;
	if (!in || !out)
		return cli_fail(CLI_EUSAGE, "party combine-decrypt: missing %s", !in ? "--in RESULT" : "--out FILE");
	if (nf == 0)
		return cli_fail(CLI_EUSAGE, "party combine-decrypt: no share files given (one per party)");
	cli_container rcn;
	lathe_ctx *ctx = NULL;
	if ((rc = cli_container_open(in, CLI_FILE_RESULT, &rcn, &ctx)) != CLI_OK)
		return rc;
	const unsigned np = ctx_parties(ctx);
	lathe_result *res = NULL;
	share_list L[LATHE_MAX_PARTIES];
	memset(L, 0, sizeof L);
	lathe_pt **pts = NULL;
	int64_t **vals = NULL;
	size_t n_items = 0, maxc = 0;
	char *text = NULL;
	size_t text_len = 0;
	int dp_any = 0;
	lathe_status s;
	uint8_t id[LATHE_KEY_ID_BYTES];
	if (np < 2) {
		rc = cli_fail(CLI_EFILE, "%s: a result under a one-party key (decrypt it with lathe decrypt)", in);
		goto done;
	}
	if (nf != np) {
		rc = cli_fail(CLI_EUSAGE, "party combine-decrypt: %zu share files for %u parties (one per party: every "
		              "party must take part)", nf, np);
		goto done;
	}
	if ((rc = load_result(in, ctx, &res, id)) != CLI_OK)
		goto done;
	const size_t total = result_cts(res);
	for (size_t f = 0; f < nf; f++) {
		uint8_t fid[LATHE_KEY_ID_BYTES];
		if ((rc = read_shares(files[f], ctx, &L[f], fid)) != CLI_OK)
			goto done;
		if (sodium_memcmp(fid, id, sizeof id) != 0) {
			rc = cli_fail(CLI_EFILE, "%s: shares for a result under another key than %s", files[f], in);
			goto done;
		}
		if (L[f].n != total) {
			rc = cli_fail(CLI_EFILE, "%s: %zu shares, but %s has %zu ciphertexts (shares of another result?)",
			              files[f], L[f].n, in, total);
			goto done;
		}
	}
	n_items = lathe_result_items(res);
	for (size_t i = 0; i < n_items; i++)
		maxc = lathe_result_item_cts(res, i) > maxc ? lathe_result_item_cts(res, i) : maxc;
	vals = calloc(n_items ? n_items : 1, sizeof *vals);
	pts = calloc(maxc ? maxc : 1, sizeof *pts);
	if (!vals || !pts) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < maxc; k++)
		if ((s = lathe_pt_new(ctx, &pts[k])) != LATHE_OK) {
			rc = cli_fail(CLI_EOTHER, "%s", cli_detail(s));
			goto done;
		}
	size_t at = 0;
	for (size_t i = 0; i < n_items; i++) {
		const int per = lathe_result_item_kind(res, i) == LATHE_ITEM_PER_PATIENT;
		const size_t nv = per ? lathe_result_rows(res) : 1, nc = lathe_result_item_cts(res, i);
		vals[i] = calloc(nv ? nv : 1, sizeof **vals);
		if (!vals[i]) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		uint64_t slack = 0;
		for (size_t k = 0; k < nc; k++, at++) {
			const lathe_share *mine[LATHE_MAX_PARTIES];
			for (size_t f = 0; f < nf; f++)
				mine[f] = L[f].s[at];
			lathe_share_kind kind;
			unsigned who, npp;
			if ((s = lathe_share_info(mine[0], &kind, &who, &npp)) != LATHE_OK) {
				rc = cli_fail(CLI_EOTHER, "%s", cli_detail(s));
				goto done;
			}
			const lathe_ct *ct = lathe_result_item_ct(res, i, k);
			lathe_dp_release rel;
			if (kind == LATHE_SHARE_DECRYPT_DP) {
				s = lathe_mp_decrypt_combine_dp(ct, mine, nf, pts[k], &rel);
				if (!s)
					slack = (uint64_t)ceil(DP_TAIL * sqrt(rel.variance));
				if (!s && k == 0) {
					if (!dp_any)
						printf("differentially private release of %zu aggregates by %u parties:\n", n_items, np);
					dp_any = 1;
					printf("  %s: rho = %.6g (zCDP), each party's sigma^2 = %llu, noise variance %.6g "
					       "(standard deviation %.4g in its units)\n",
					       lathe_result_item_name(res, i), rel.rho, (unsigned long long)rel.sigma2, rel.variance,
					       sqrt(rel.variance) / lathe_result_item_denominator(res, i));
				}
			} else {
				s = lathe_mp_decrypt_combine(ct, mine, nf, pts[k]);
			}
			if (s) {
				rc = cli_fail(s == LATHE_ENOISE ? CLI_EFIT : s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE,
				              "%s: item '%s': %s", in, lathe_result_item_name(res, i), cli_detail(s));
				goto done;
			}
		}
		s = lathe_result_item_decode(res, i, (const lathe_pt *const *)pts, nc, slack, vals[i], nv);
		if (s) {
			rc = cli_fail(s == LATHE_ERANGE ? CLI_EFIT : cli_code_of(s), "%s: item '%s': %s", in,
			              lathe_result_item_name(res, i), cli_detail(s));
			goto done;
		}
	}
	if (dp_any)
		printf("  the release composes: its total rho is the sum over the items; %s holds the noisy aggregates "
		       "themselves (means, variances or coefficients follow from them by post-processing)\n", out);
	if ((rc = cli_result_text(res, vals, in, dp_any, &text, &text_len)) != CLI_OK)
		goto done;
	rc = cli_write_text(out, text, text_len);
done:
	if (text) {
		sodium_memzero(text, text_len);
		free(text);
	}
	for (size_t i = 0; vals && i < n_items; i++)
		free(vals[i]);
	free(vals);
	for (size_t k = 0; pts && k < maxc; k++)
		lathe_pt_free(pts[k]);
	free(pts);
	for (size_t f = 0; f < LATHE_MAX_PARTIES; f++)
		list_free(&L[f]);
	lathe_result_free(res);
	lathe_ctx_free(ctx);
	cli_container_free(&rcn);
	return rc;
}

int
cli_cmd_party(int argc, char **argv)
{
	if (argc < 1)
		return (fputs(help, stderr), CLI_EUSAGE);
	const char *step = argv[0];
	if (strcmp(step, "--help") == 0 || strcmp(step, "-h") == 0) {
		fputs(help, stdout);
		return CLI_OK;
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} steps[] = {
		{ "init", cmd_init },
		{ "keygen-share", cmd_keygen_share },
		{ "evalkey-share", cmd_evalkey_share },
		{ "combine-keys", cmd_combine_keys },
		{ "decrypt-share", cmd_decrypt_share },
		{ "combine-decrypt", cmd_combine_decrypt },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strcmp(step, steps[i].name) == 0)
			return steps[i].fn(argc - 1, argv + 1);
	return cli_fail(CLI_EUSAGE, "party: unknown step '%s' (init, keygen-share, evalkey-share, combine-keys, "
	                "decrypt-share, combine-decrypt)", step);
}
