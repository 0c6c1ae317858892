#define _POSIX_C_SOURCE 200809L
/*
 * Serialization: round trips of every object kind (a loaded ciphertext
 * evaluates like the original), every byte of a small object corrupted and
 * every truncation refused with a status, wrong contexts, wrong
 * passphrases, and the size of seeded objects; key identifiers through
 * files, object inspection, what file loading refuses before reading,
 * file modes under concurrent saves, and the Argon2id costs a key file may
 * name.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/resource.h>

#include <sodium.h>

#include <lathe.h>

#include "bgv/internal.h"
#include "common/util.h"

#define OK(x) cr_assert_eq((x), LATHE_OK, "%s: %s", #x, lathe_last_error())

typedef struct {
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	size_t slots;
	uint64_t t;
} fixture;

static lathe_ctx *
small_ctx(unsigned logn, unsigned depth, unsigned dnum)
{
	lathe_params *p;
	lathe_ctx *c;
	OK(lathe_params_new(&p));
	OK(lathe_params_set_ring(p, logn));
	OK(lathe_params_set_plain_modulus(p, 40961, 1));
	OK(lathe_params_set_depth(p, depth));
	OK(lathe_params_set_keyswitch(p, dnum, NULL, 0));
	OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	OK(lathe_ctx_new(p, &c));
	lathe_params_free(p);
	return c;
}

static void
fix_init(fixture *f, unsigned logn, unsigned depth, unsigned dnum)
{
	f->ctx = small_ctx(logn, depth, dnum);
	OK(lathe_keygen(f->ctx, &f->sk, &f->pk));
	int steps[] = { 1, -1, 0 };
	OK(lathe_evalkeys_new(f->ctx, f->sk, steps, 3, &f->ek));
	OK(lathe_eval_new(f->ctx, f->ek, &f->ev));
	f->slots = lathe_ctx_slots(f->ctx);
	f->t = lathe_ctx_plain_modulus(f->ctx);
}

static void
fix_clear(fixture *f)
{
	lathe_eval_free(f->ev);
	lathe_evalkeys_free(f->ek);
	lathe_pk_free(f->pk);
	lathe_sk_free(f->sk);
	lathe_ctx_free(f->ctx);
}

static lathe_ct *
enc_random(fixture *f, lt_prng *g, int64_t *vals, int sk)
{
	lathe_pt *pt;
	lathe_ct *ct;
	OK(lathe_pt_new(f->ctx, &pt));
	for (size_t i = 0; i < f->slots; i++)
		vals[i] = (int64_t)test_rand(g, f->t) - (int64_t)(f->t - 1) / 2;
	OK(lathe_encode(pt, vals, f->slots));
	OK(lathe_ct_new(f->ctx, &ct));
	if (sk)
		OK(lathe_encrypt_sk(f->sk, ct, pt));
	else
		OK(lathe_encrypt(f->pk, ct, pt));
	lathe_pt_free(pt);
	return ct;
}

static void
dec_check(fixture *f, const lathe_ct *ct, const int64_t *want, const char *what)
{
	lathe_pt *pt;
	OK(lathe_pt_new(f->ctx, &pt));
	OK(lathe_decrypt(f->sk, pt, ct));
	int64_t *got = malloc(f->slots * sizeof(int64_t));
	OK(lathe_decode(got, f->slots, pt));
	for (size_t i = 0; i < f->slots; i++)
		cr_assert_eq(got[i], want[i], "%s: slot %zu (seed=%llu)", what, i, (unsigned long long)test_seed());
	free(got);
	lathe_pt_free(pt);
}

static int64_t
cmod(int64_t x, uint64_t t)
{
	int64_t m = x % (int64_t)t;
	if (m < 0)
		m += (int64_t)t;
	return m > (int64_t)(t - 1) / 2 ? m - (int64_t)t : m;
}

Test(io, round_trip_of_every_kind)
{
	fixture f;
	fix_init(&f, 11, 3, 2);
	lt_prng g;
	test_prng(&g, 500);
	int64_t *x = malloc(f.slots * 8), *y = malloc(f.slots * 8), *z = malloc(f.slots * 8);
	uint8_t *b;
	size_t l;

	/* context */
	lathe_ctx *c2;
	OK(lathe_ctx_to_buffer(f.ctx, &b, &l));
	OK(lathe_ctx_from_buffer(b, l, &c2));
	lathe_buffer_free(b);
	char d1[2048], d2[2048];
	OK(lathe_ctx_describe(f.ctx, d1, sizeof d1, NULL));
	OK(lathe_ctx_describe(c2, d2, sizeof d2, NULL));
	cr_assert_str_eq(d1, d2);

	/* keys: the loaded ones work in the reloaded context with the original objects */
	lathe_pk *pk2;
	lathe_evalkeys *ek2;
	lathe_sk *sk2;
	OK(lathe_pk_to_buffer(f.pk, &b, &l));
	OK(lathe_pk_from_buffer(c2, b, l, &pk2));
	lathe_buffer_free(b);
	OK(lathe_evalkeys_set_pk(f.ek, f.pk));
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	OK(lathe_evalkeys_from_buffer(c2, b, l, &ek2));
	lathe_buffer_free(b);
	cr_assert_not_null(lathe_evalkeys_pk(ek2));
	cr_assert(lathe_evalkeys_has_rotation(ek2, 1) && lathe_evalkeys_has_rotation(ek2, -1) &&
	          lathe_evalkeys_has_rotation(ek2, 0));
	OK(lathe_sk_to_buffer(f.sk, "correct horse", LATHE_PWHASH_INTERACTIVE, &b, &l));
	OK(lathe_sk_from_buffer(c2, b, l, "correct horse", &sk2));
	lathe_buffer_free(b);

	/* ciphertexts: fresh pk, fresh sk (seeded), after evaluation (lower level, 3 components) */
	lathe_ct *cx = enc_random(&f, &g, x, 0), *cy = enc_random(&f, &g, y, 1);
	lathe_ct *cz, *craw;
	OK(lathe_ct_new(f.ctx, &cz));
	OK(lathe_ct_new(f.ctx, &craw));
	OK(lathe_ct_mul(f.ev, cz, cx, cy));
	OK(lathe_ct_mul_raw(f.ev, craw, cz, cx));
	lathe_ct *lx, *ly, *lz, *lraw;
	OK(lathe_ct_to_buffer(cx, &b, &l));
	OK(lathe_ct_from_buffer(c2, b, l, &lx));
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(cy, &b, &l));
	OK(lathe_ct_from_buffer(c2, b, l, &ly));
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(cz, &b, &l));
	OK(lathe_ct_from_buffer(c2, b, l, &lz));
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(craw, &b, &l));
	OK(lathe_ct_from_buffer(c2, b, l, &lraw));
	lathe_buffer_free(b);
	cr_assert_eq(lathe_ct_level(lz), lathe_ct_level(cz));
	cr_assert_eq(lathe_ct_size(lraw), 3);

	/* decrypt with the reloaded key, evaluate with the reloaded keys */
	fixture f2 = { c2, sk2, pk2, ek2, NULL, f.slots, f.t };
	OK(lathe_eval_new(c2, ek2, &f2.ev));
	dec_check(&f2, lx, x, "loaded pk ciphertext");
	dec_check(&f2, ly, y, "loaded seeded sk ciphertext");
	for (size_t i = 0; i < f.slots; i++)
		z[i] = cmod(x[i] * y[i], f.t);
	dec_check(&f2, lz, z, "loaded product");
	lathe_ct *r;
	OK(lathe_ct_new(c2, &r));
	OK(lathe_ct_mul(f2.ev, r, lx, ly));
	OK(lathe_ct_rotate(f2.ev, r, r, 1));
	int64_t *w = malloc(f.slots * 8);
	size_t half = f.slots / 2;
	for (size_t i = 0; i < f.slots; i++) {
		size_t k = (i / half) * half + (i % half + 1) % half;
		w[i] = z[k];
	}
	dec_check(&f2, r, w, "evaluation on loaded objects");
	OK(lathe_ct_relin(f2.ev, lraw, lraw));
	for (size_t i = 0; i < f.slots; i++)
		w[i] = cmod(z[i] * x[i], f.t);
	dec_check(&f2, lraw, w, "loaded 3-component ciphertext");

	/* plaintext */
	lathe_pt *pt, *pt2;
	OK(lathe_pt_new(f.ctx, &pt));
	OK(lathe_encode(pt, x, f.slots));
	OK(lathe_pt_to_buffer(pt, &b, &l));
	OK(lathe_pt_from_buffer(c2, b, l, &pt2));
	lathe_buffer_free(b);
	OK(lathe_decode(w, f.slots, pt2));
	cr_assert_arr_eq(w, x, f.slots * 8);

	/* batch, through files */
	char path[] = "/tmp/lathe-io-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	const lathe_ct *batch[3] = { cx, cy, cz };
	OK(lathe_ct_batch_save(batch, 3, path));
	lathe_ct **got;
	size_t ng;
	OK(lathe_ct_batch_load(c2, path, &got, &ng));
	cr_assert_eq(ng, 3);
	dec_check(&f2, got[0], x, "batch 0");
	dec_check(&f2, got[1], y, "batch 1");
	dec_check(&f2, got[2], z, "batch 2");
	for (size_t i = 0; i < ng; i++)
		lathe_ct_free(got[i]);
	lathe_buffer_free((uint8_t *)got);
	OK(lathe_sk_save(f.sk, path, "pw"));
	lathe_sk *sk3;
	OK(lathe_sk_load(c2, path, "pw", &sk3));
	lathe_sk_free(sk3);
	cr_assert_eq(lathe_sk_load(c2, path, "pw2", &sk3), LATHE_EAUTH);
	cr_assert_null(sk3);
	OK(lathe_ctx_save(f.ctx, path));
	lathe_ctx *c3;
	OK(lathe_ctx_load(path, &c3));
	lathe_ctx_free(c3);
	unlink(path);
	lathe_ct *missing;
	cr_assert_eq(lathe_ct_load(c2, "/nonexistent/dir/x", &missing), LATHE_EIO);
	cr_assert_null(missing);
	cr_assert_eq(lathe_ct_save(cx, "/nonexistent/dir/x"), LATHE_EIO);

	lathe_pt_free(pt);
	lathe_pt_free(pt2);
	lathe_ct *all[] = { cx, cy, cz, craw, lx, ly, lz, lraw, r };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		lathe_ct_free(all[i]);
	free(x);
	free(y);
	free(z);
	free(w);
	lathe_eval_free(f2.ev);
	lathe_evalkeys_free(ek2);
	lathe_pk_free(pk2);
	lathe_sk_free(sk2);
	fix_clear(&f);
	lathe_ctx_free(c2);
}

/* flip one bit of every byte in turn, and cut at every length: always a status, never a crash */
typedef lathe_status (*loader)(const lathe_ctx *, const uint8_t *, size_t, void **);

static lathe_status
load_ct(const lathe_ctx *c, const uint8_t *b, size_t l, void **o)
{
	return lathe_ct_from_buffer(c, b, l, (lathe_ct **)o);
}
static lathe_status
load_pt(const lathe_ctx *c, const uint8_t *b, size_t l, void **o)
{
	return lathe_pt_from_buffer(c, b, l, (lathe_pt **)o);
}
static lathe_status
load_pk(const lathe_ctx *c, const uint8_t *b, size_t l, void **o)
{
	return lathe_pk_from_buffer(c, b, l, (lathe_pk **)o);
}
static lathe_status
load_ek(const lathe_ctx *c, const uint8_t *b, size_t l, void **o)
{
	return lathe_evalkeys_from_buffer(c, b, l, (lathe_evalkeys **)o);
}
static lathe_status
load_ctx(const lathe_ctx *c, const uint8_t *b, size_t l, void **o)
{
	(void)c;
	return lathe_ctx_from_buffer(b, l, (lathe_ctx **)o);
}

static void
hammer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, loader ld, const char *what, size_t stride)
{
	uint8_t *b = malloc(len);
	for (size_t i = 0; i < len; i += stride) {
		memcpy(b, buf, len);
		b[i] ^= (uint8_t)(1u << (i % 8));
		void *o = NULL;
		lathe_status s = ld(ctx, b, len, &o);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "%s: byte %zu flipped -> %s", what, i,
		          lathe_strerror(s));
		cr_assert_null(o);
		cr_assert(lathe_last_error()[0] != '\0');
	}
	for (size_t cut = 0; cut < len; cut += stride) {
		void *o = NULL;
		lathe_status s = ld(ctx, buf, cut, &o);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "%s: truncated at %zu -> %s", what, cut,
		          lathe_strerror(s));
		cr_assert_null(o);
	}
	free(b);
}

Test(io, corruption_and_truncation_are_refused)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	lt_prng g;
	test_prng(&g, 501);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0);
	lathe_ct *low;
	OK(lathe_ct_new(f.ctx, &low));
	OK(lathe_ct_mod_switch_to(f.ev, low, ct, 0));
	lathe_pt *pt;
	OK(lathe_pt_new(f.ctx, &pt));
	OK(lathe_encode(pt, x, f.slots));
	uint8_t *b;
	size_t l;
	OK(lathe_ct_to_buffer(low, &b, &l));
	hammer(f.ctx, b, l, load_ct, "ciphertext at level 0", 1);
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(ct, &b, &l));
	hammer(f.ctx, b, l, load_ct, "ciphertext", 7);
	lathe_buffer_free(b);
	OK(lathe_pt_to_buffer(pt, &b, &l));
	hammer(f.ctx, b, l, load_pt, "plaintext", 1);
	lathe_buffer_free(b);
	OK(lathe_ctx_to_buffer(f.ctx, &b, &l));
	hammer(f.ctx, b, l, load_ctx, "context", 1);
	lathe_buffer_free(b);
	OK(lathe_pk_to_buffer(f.pk, &b, &l));
	hammer(f.ctx, b, l, load_pk, "public key", 13);
	lathe_buffer_free(b);
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	hammer(f.ctx, b, l, load_ek, "evaluation keys", 997);
	lathe_buffer_free(b);
	/* the secret key: corruption is tampering */
	OK(lathe_sk_to_buffer(f.sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l));
	for (size_t i = 52; i < l; i += 61) {
		b[i] ^= 1;
		lathe_sk *sk = NULL;
		lathe_status s = lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk);
		cr_assert(s == LATHE_EAUTH || s == LATHE_ECORRUPT, "sk byte %zu -> %s", i, lathe_strerror(s));
		cr_assert_null(sk);
		b[i] ^= 1;
	}
	lathe_sk *sk = NULL;
	cr_assert_eq(lathe_sk_from_buffer(f.ctx, b, l, "not pw", &sk), LATHE_EAUTH);
	cr_assert_null(sk);
	cr_assert_eq(lathe_sk_from_buffer(f.ctx, b, l - 1, "pw", &sk), LATHE_ECORRUPT);
	lathe_buffer_free(b);
	/* wrong kinds and versions */
	OK(lathe_ct_to_buffer(ct, &b, &l));
	lathe_pt *p2 = NULL;
	cr_assert_eq(lathe_pt_from_buffer(f.ctx, b, l, &p2), LATHE_EFORMAT);
	b[6] = 99;
	lathe_ct *c2 = NULL;
	cr_assert_eq(lathe_ct_from_buffer(f.ctx, b, l, &c2), LATHE_EFORMAT);
	cr_assert_eq(lathe_ct_from_buffer(f.ctx, NULL, l, &c2), LATHE_EINVAL);
	lathe_buffer_free(b);
	lathe_pt_free(pt);
	lathe_ct_free(ct);
	lathe_ct_free(low);
	free(x);
	fix_clear(&f);
}

Test(io, objects_from_another_context_are_refused)
{
	fixture a, b2;
	fix_init(&a, 10, 1, 1);
	fix_init(&b2, 10, 2, 1);
	lt_prng g;
	test_prng(&g, 502);
	int64_t *x = malloc(a.slots * 8);
	lathe_ct *ct = enc_random(&a, &g, x, 0);
	uint8_t *buf;
	size_t l;
	void *o = NULL;
	OK(lathe_ct_to_buffer(ct, &buf, &l));
	cr_assert_eq(lathe_ct_from_buffer(b2.ctx, buf, l, (lathe_ct **)&o), LATHE_EMISMATCH);
	lathe_buffer_free(buf);
	OK(lathe_pk_to_buffer(a.pk, &buf, &l));
	cr_assert_eq(lathe_pk_from_buffer(b2.ctx, buf, l, (lathe_pk **)&o), LATHE_EMISMATCH);
	lathe_buffer_free(buf);
	OK(lathe_evalkeys_to_buffer(a.ek, &buf, &l));
	cr_assert_eq(lathe_evalkeys_from_buffer(b2.ctx, buf, l, (lathe_evalkeys **)&o), LATHE_EMISMATCH);
	lathe_buffer_free(buf);
	OK(lathe_sk_to_buffer(a.sk, "pw", LATHE_PWHASH_INTERACTIVE, &buf, &l));
	cr_assert_eq(lathe_sk_from_buffer(b2.ctx, buf, l, "pw", (lathe_sk **)&o), LATHE_EMISMATCH);
	lathe_buffer_free(buf);
	cr_assert_null(o);
	cr_assert_eq(lathe_sk_to_buffer(a.sk, "", LATHE_PWHASH_INTERACTIVE, &buf, &l), LATHE_EINVAL);
	lathe_ct_free(ct);
	free(x);
	fix_clear(&a);
	fix_clear(&b2);
}

Test(io, seeded_objects_are_at_most_55_percent)
{
	fixture f;
	fix_init(&f, 12, 3, 2);
	lt_prng g;
	test_prng(&g, 503);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *s = enc_random(&f, &g, x, 1), *p = enc_random(&f, &g, x, 0);
	uint8_t *b;
	size_t ls, lp, lk;
	OK(lathe_ct_to_buffer(s, &b, &ls));
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(p, &b, &lp));
	lathe_buffer_free(b);
	cr_assert_leq(ls * 100, lp * 55, "seeded ciphertext %zu bytes, unseeded %zu", ls, lp);
	/* a key with its uniform halves stored in full would take twice the b parts */
	OK(lathe_pk_to_buffer(f.pk, &b, &lk));
	lathe_buffer_free(b);
	cr_assert_leq(lk * 100, lp * 55, "public key %zu bytes vs unseeded pair %zu", lk, lp);
	/* packed words: a fresh ciphertext is below 2 * N * sum(bits) / 8 + overhead */
	lathe_ct_free(s);
	lathe_ct_free(p);
	free(x);
	fix_clear(&f);
}

/* relinearization and Galois keys can be made, saved and loaded apart */
Test(io, key_parts_travel_separately)
{
	fixture f;
	fix_init(&f, 10, 2, 2);
	lt_prng g;
	test_prng(&g, 504);
	int steps[] = { 1 };
	lathe_evalkeys *rk, *gk, *rk2, *gk2, *bad = NULL;
	OK(lathe_evalkeys_new_ex(f.ctx, f.sk, steps, 1, LATHE_EVALKEYS_RELIN, &rk));
	OK(lathe_evalkeys_new_ex(f.ctx, f.sk, steps, 1, LATHE_EVALKEYS_GALOIS, &gk));
	cr_assert_eq(lathe_evalkeys_new_ex(f.ctx, f.sk, steps, 1, 0, &bad), LATHE_EINVAL);
	cr_assert_eq(lathe_evalkeys_new_ex(f.ctx, f.sk, steps, 1, 4, &bad), LATHE_EINVAL);
	cr_assert_null(bad);
	cr_assert(!lathe_evalkeys_has_rotation(rk, 1));
	cr_assert(lathe_evalkeys_has_rotation(gk, 1));
	uint8_t *b;
	size_t l, lr, lg;
	OK(lathe_evalkeys_to_buffer(rk, &b, &lr));
	OK(lathe_evalkeys_from_buffer(f.ctx, b, lr, &rk2));
	lathe_buffer_free(b);
	OK(lathe_evalkeys_to_buffer(gk, &b, &lg));
	OK(lathe_evalkeys_from_buffer(f.ctx, b, lg, &gk2));
	lathe_buffer_free(b);
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	lathe_buffer_free(b);
	cr_assert_lt(lr, l);
	cr_assert_lt(lg, l);

	int64_t *x = malloc(f.slots * 8), *w = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0), *r;
	OK(lathe_ct_new(f.ctx, &r));
	lathe_eval *er, *eg;
	OK(lathe_eval_new(f.ctx, rk2, &er));
	OK(lathe_eval_new(f.ctx, gk2, &eg));
	cr_assert_eq(lathe_ct_rotate(er, r, ct, 1), LATHE_ENOKEY);
	cr_assert_eq(lathe_ct_mul(eg, r, ct, ct), LATHE_ENOKEY);
	OK(lathe_ct_mul(er, r, ct, ct));
	for (size_t i = 0; i < f.slots; i++)
		w[i] = cmod(x[i] * x[i], f.t);
	dec_check(&f, r, w, "relinearization-only bundle");
	OK(lathe_ct_rotate(eg, r, ct, 1));
	size_t half = f.slots / 2;
	for (size_t i = 0; i < f.slots; i++)
		w[i] = x[(i / half) * half + (i % half + 1) % half];
	dec_check(&f, r, w, "Galois-only bundle");
	lathe_eval_free(er);
	lathe_eval_free(eg);
	lathe_ct_free(ct);
	lathe_ct_free(r);
	lathe_evalkeys_free(rk);
	lathe_evalkeys_free(gk);
	lathe_evalkeys_free(rk2);
	lathe_evalkeys_free(gk2);
	free(x);
	free(w);
	fix_clear(&f);
}

/* a save that fails half-way leaves the previous file whole */
Test(io, failed_save_keeps_the_old_file)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	char path[] = "/tmp/lathe-io-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	OK(lathe_sk_save(f.sk, path, "pw"));
	struct stat st0;
	cr_assert_eq(stat(path, &st0), 0);
	cr_assert_eq(st0.st_mode & 077, 0, "secret key file readable by others: %o", st0.st_mode & 0777);
	/* a file-size limit stands in for a full disk */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit old, lim;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim.rlim_cur = 100; /* the soft limit only, so that it can be raised again */
	lim.rlim_max = old.rlim_max;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	lathe_sk *sk2;
	lathe_pk *pk2;
	OK(lathe_keygen(f.ctx, &sk2, &pk2));
	cr_assert_eq(lathe_sk_save(sk2, path, "pw"), LATHE_EIO);
	cr_assert_eq(lathe_pk_save(pk2, path), LATHE_EIO);
	lim = old;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	lathe_sk *back;
	OK(lathe_sk_load(f.ctx, path, "pw", &back));
	lathe_sk_free(back);
	unlink(path);
	lathe_sk_free(sk2);
	lathe_pk_free(pk2);
	fix_clear(&f);
}

/* a context file with digit sizes lathe_ctx_new never makes is refused */
Test(io, context_with_uneven_digits_is_refused)
{
	lathe_ctx *c = small_ctx(10, 4, 2); /* 5 chain primes: digits of 3 and 2 */
	uint8_t *b;
	size_t l;
	OK(lathe_ctx_to_buffer(c, &b, &l));
	/* body: u8 logn, u8 r, u16 sec, u64 p, u16 nq, u16 np, u16 alpha */
	size_t at = 52 + 1 + 1 + 2 + 8 + 2 + 2;
	cr_assert_eq(b[at], 3);
	b[at] = 4;
	crypto_generichash(b + l - 32, 32, b, l - 32, NULL, 0);
	lathe_ctx *c2 = NULL;
	lathe_status s = lathe_ctx_from_buffer(b, l, &c2);
	cr_assert(s == LATHE_EPARAM || s == LATHE_ECORRUPT, "got %s", lathe_strerror(s));
	cr_assert_null(c2);
	lathe_buffer_free(b);
	lathe_ctx_free(c);
}

/* keys asked for with steps outside (-N/2, N/2) still save and load */
Test(io, large_rotation_steps_round_trip)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	int steps[] = { 513, -1000 };
	lathe_evalkeys *ek, *back;
	OK(lathe_evalkeys_new(f.ctx, f.sk, steps, 2, &ek));
	cr_assert(lathe_evalkeys_has_rotation(ek, 1));
	uint8_t *b;
	size_t l;
	OK(lathe_evalkeys_to_buffer(ek, &b, &l));
	OK(lathe_evalkeys_from_buffer(f.ctx, b, l, &back));
	cr_assert(lathe_evalkeys_has_rotation(back, 1) && lathe_evalkeys_has_rotation(back, 24));
	lathe_buffer_free(b);
	lathe_evalkeys_free(ek);
	lathe_evalkeys_free(back);
	fix_clear(&f);
}

/* ---- helpers for crafted files ---- */

/* body offset in every object */
#define BODY 52

static void
fix_checksum(uint8_t *b, size_t l)
{
	crypto_generichash(b + l - 32, 32, b, l - 32, NULL, 0);
}

static void
write_bytes(const char *path, const uint8_t *b, size_t l)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(b, 1, l, f), l);
	cr_assert_eq(fclose(f), 0);
}

/* a fresh directory under base (NULL: /tmp) */
static char *
temp_dir(const char *base)
{
	char *d = malloc(256);
	snprintf(d, 256, "%s/lathe-io-XXXXXX", base ? base : "/tmp");
	cr_assert_not_null(mkdtemp(d), "mkdtemp: %s", strerror(errno));
	return d;
}

/* removes every entry of dir and dir itself; returns how many entries it held */
static size_t
remove_dir(char *dir)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	size_t n = 0;
	struct dirent *e;
	char p[512];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
		n++;
	}
	closedir(d);
	rmdir(dir);
	free(dir);
	return n;
}

static void
assert_same_id(const uint8_t *a, const uint8_t *b, const char *what)
{
	char ha[65], hb[65];
	lathe_key_id_hex(a, ha);
	lathe_key_id_hex(b, hb);
	cr_assert_str_eq(ha, hb, "%s: key id %s, expected %s", what, ha, hb);
}

/* ---- key identifiers in the file format ---- */

/* every object made under a key comes back from a buffer or a file with its key's id */
Test(io, key_ids_survive_save_and_load)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	lt_prng g;
	test_prng(&g, 510);
	int64_t *x = malloc(f.slots * 8);
	uint8_t id[LATHE_KEY_ID_BYTES], got[LATHE_KEY_ID_BYTES], zero[LATHE_KEY_ID_BYTES] = { 0 };
	OK(lathe_pk_key_id(f.pk, id));
	cr_assert(memcmp(id, zero, sizeof id) != 0);
	char *dir = temp_dir(NULL);
	char path[512];
	uint8_t *b;
	size_t l;

	lathe_pk *pk2;
	snprintf(path, sizeof path, "%s/pk", dir);
	OK(lathe_pk_save(f.pk, path));
	OK(lathe_pk_load(f.ctx, path, &pk2));
	OK(lathe_pk_key_id(pk2, got));
	assert_same_id(got, id, "loaded public key");

	lathe_evalkeys *ek2;
	snprintf(path, sizeof path, "%s/ek", dir);
	OK(lathe_evalkeys_save(f.ek, path));
	OK(lathe_evalkeys_load(f.ctx, path, &ek2));
	OK(lathe_evalkeys_key_id(ek2, got));
	assert_same_id(got, id, "loaded evaluation keys");
	lathe_evalkeys_free(ek2);
	OK(lathe_evalkeys_set_pk(f.ek, f.pk));
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	OK(lathe_evalkeys_from_buffer(f.ctx, b, l, &ek2));
	lathe_buffer_free(b);
	OK(lathe_evalkeys_key_id(ek2, got));
	assert_same_id(got, id, "loaded evaluation keys with their public key");
	OK(lathe_pk_key_id(lathe_evalkeys_pk(ek2), got));
	assert_same_id(got, id, "public key inside a loaded bundle");

	lathe_sk *sk2;
	snprintf(path, sizeof path, "%s/sk", dir);
	OK(lathe_sk_save(f.sk, path, "pw"));
	OK(lathe_sk_load(f.ctx, path, "pw", &sk2));
	OK(lathe_sk_key_id(sk2, got));
	assert_same_id(got, id, "loaded secret key");

	/* ciphertexts: public-key and (seeded) secret-key encryptions, alone and in a batch */
	lathe_ct *cp = enc_random(&f, &g, x, 0), *cs = enc_random(&f, &g, x, 1), *l1, *l2;
	snprintf(path, sizeof path, "%s/ct", dir);
	OK(lathe_ct_save(cp, path));
	OK(lathe_ct_load(f.ctx, path, &l1));
	OK(lathe_ct_key_id(l1, got));
	assert_same_id(got, id, "loaded ciphertext");
	OK(lathe_ct_to_buffer(cs, &b, &l));
	OK(lathe_ct_from_buffer(f.ctx, b, l, &l2));
	lathe_buffer_free(b);
	OK(lathe_ct_key_id(l2, got));
	assert_same_id(got, id, "loaded seeded ciphertext");
	const lathe_ct *batch[2] = { cp, cs };
	lathe_ct **bl;
	size_t nb;
	snprintf(path, sizeof path, "%s/batch", dir);
	OK(lathe_ct_batch_save(batch, 2, path));
	OK(lathe_ct_batch_load(f.ctx, path, &bl, &nb));
	cr_assert_eq(nb, 2);
	for (size_t i = 0; i < nb; i++) {
		OK(lathe_ct_key_id(bl[i], got));
		assert_same_id(got, id, "batch record");
		lathe_ct_free(bl[i]);
	}
	lathe_buffer_free((uint8_t *)bl);

	/* plaintexts: a decrypted one is bound to its key, a fresh encoding to none */
	lathe_pt *pt, *pt2;
	OK(lathe_pt_new(f.ctx, &pt));
	OK(lathe_decrypt(sk2, pt, l1));
	OK(lathe_pt_to_buffer(pt, &b, &l));
	OK(lathe_pt_from_buffer(f.ctx, b, l, &pt2));
	lathe_buffer_free_secret(b, l);
	OK(lathe_pt_key_id(pt2, got));
	assert_same_id(got, id, "loaded decrypted plaintext");
	lathe_pt_free(pt2);
	lathe_pt *fresh;
	OK(lathe_pt_new(f.ctx, &fresh));
	OK(lathe_encode(fresh, x, f.slots));
	OK(lathe_pt_to_buffer(fresh, &b, &l));
	OK(lathe_pt_from_buffer(f.ctx, b, l, &pt2));
	lathe_buffer_free_secret(b, l);
	OK(lathe_pt_key_id(pt2, got));
	cr_assert_arr_eq(got, zero, sizeof got, "a fresh encoding must load unbound");
	lathe_pt_free(pt2);

	/* the loaded identifiers are enforced: another key pair's secret key refuses the loaded ciphertext */
	lathe_sk *other;
	lathe_pk *opk;
	OK(lathe_keygen(f.ctx, &other, &opk));
	cr_assert_eq(lathe_decrypt(other, pt, l1), LATHE_EMISMATCH, "%s", lathe_last_error());
	cr_assert_eq(lathe_decrypt(other, pt, l2), LATHE_EMISMATCH, "%s", lathe_last_error());

	lathe_sk_free(other);
	lathe_pk_free(opk);
	lathe_pt_free(pt);
	lathe_pt_free(fresh);
	lathe_ct_free(cp);
	lathe_ct_free(cs);
	lathe_ct_free(l1);
	lathe_ct_free(l2);
	lathe_sk_free(sk2);
	lathe_evalkeys_free(ek2);
	lathe_pk_free(pk2);
	free(x);
	remove_dir(dir);
	fix_clear(&f);
}

/* a file of format version 1 (no key ids) is refused with a sentence naming both versions */
Test(io, unknown_format_versions_are_refused_naming_the_range)
{
	lathe_ctx *c = small_ctx(10, 1, 1);
	uint8_t *b;
	size_t l;
	OK(lathe_ctx_to_buffer(c, &b, &l));
	cr_assert_eq(b[6] | (b[7] << 8), 2, "objects are written in format version 2");
	char *dir = temp_dir(NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/other", dir);
	char range[32];
	snprintf(range, sizeof range, "versions 1 to %d", LATHE_FORMAT_VERSION);
	for (unsigned v = 0; v <= LATHE_FORMAT_VERSION + 1; v += LATHE_FORMAT_VERSION + 1) {
		b[6] = (uint8_t)v;
		fix_checksum(b, l);
		lathe_ctx *c2 = NULL;
		cr_assert_eq(lathe_ctx_from_buffer(b, l, &c2), LATHE_EFORMAT, "version %u", v);
		cr_assert_null(c2);
		char want[32];
		snprintf(want, sizeof want, "version %u", v);
		const char *e = lathe_last_error();
		cr_assert(strstr(e, want) && strstr(e, range), "message: %s", e);
		lathe_object_info info;
		cr_assert_eq(lathe_object_info_from_buffer(b, l, &info), LATHE_EFORMAT);
		cr_assert_eq(info.version, v, "info names the file's version");
		/* the same through a file */
		write_bytes(path, b, l);
		cr_assert_eq(lathe_ctx_load(path, &c2), LATHE_EFORMAT);
		e = lathe_last_error();
		cr_assert(strstr(e, want) && strstr(e, range), "message: %s", e);
		cr_assert_eq(lathe_object_info_load(path, &info), LATHE_EFORMAT);
		cr_assert_eq(info.version, v);
	}
	remove_dir(dir);
	lathe_buffer_free(b);
	lathe_ctx_free(c);
}

/*
 * Files of format version 1, written by lathe 0.1.0 (commit cec4c5d) from
 * deterministic inputs: slot i holds (i mod 1000) - 500. They
 * load, decrypt and evaluate; version-1 objects name no key (ciphertexts,
 * plaintexts and the secret key load unbound, the public key and a bundle
 * carrying it get the id computed from the key).
 */
static void
fixture_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/v1/%s", LT_FIXTURE_DIR, name);
}

Test(io, format_version_1_files_still_load_and_decrypt)
{
	char p[1024];
	lathe_ctx *ctx;
	fixture_path(p, sizeof p, "ctx.lathe");
	OK(lathe_ctx_load(p, &ctx));
	lathe_object_info info;
	OK(lathe_object_info_load(p, &info));
	cr_assert_eq(info.version, 1);
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	fixture_path(p, sizeof p, "sk.lathe");
	OK(lathe_object_info_load(p, &info));
	cr_assert_eq(info.kind, LATHE_OBJECT_SECRET_KEY);
	cr_assert_eq(info.pwhash_level, LATHE_PWHASH_INTERACTIVE);
	cr_assert_eq(info.has_key_id, 0);
	lathe_sk *bad = NULL;
	cr_assert_eq(lathe_sk_load(ctx, p, "wrong passphrase", &bad), LATHE_EAUTH);
	OK(lathe_sk_load(ctx, p, "fixture passphrase", &sk));
	fixture_path(p, sizeof p, "pk.lathe");
	OK(lathe_pk_load(ctx, p, &pk));
	fixture_path(p, sizeof p, "evalkeys.lathe");
	OK(lathe_evalkeys_load(ctx, p, &ek));
	cr_assert(lathe_evalkeys_has_rotation(ek, 1) && lathe_evalkeys_has_rotation(ek, 0));
	uint8_t idp[LATHE_KEY_ID_BYTES], ide[LATHE_KEY_ID_BYTES], ids[LATHE_KEY_ID_BYTES];
	OK(lathe_pk_key_id(pk, idp));
	OK(lathe_evalkeys_key_id(ek, ide));
	OK(lathe_sk_key_id(sk, ids));
	cr_assert(memcmp(idp, ide, sizeof idp) == 0, "the bundle takes its public key's id");
	for (size_t i = 0; i < sizeof ids; i++)
		cr_assert_eq(ids[i], 0, "a version-1 secret key loads unbound");
	const size_t n = lathe_ctx_slots(ctx);
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	int64_t *want = malloc(n * 8), *got = malloc(n * 8), *sq = malloc(n * 8), *rot = malloc(n * 8);
	for (size_t i = 0; i < n; i++) {
		want[i] = (int64_t)(i % 1000) - 500;
		int64_t v = (want[i] * want[i]) % (int64_t)t;
		sq[i] = v > (int64_t)(t - 1) / 2 ? v - (int64_t)t : v;
	}
	for (size_t i = 0; i < n; i++)
		rot[i] = sq[(i / (n / 2)) * (n / 2) + (i % (n / 2) + 1) % (n / 2)];
	lathe_eval *ev;
	OK(lathe_eval_new(ctx, ek, &ev));
	lathe_pt *pt;
	OK(lathe_pt_new(ctx, &pt));
	const char *cts[] = { "ct_pk.lathe", "ct_sk.lathe", "ct_level0.lathe" };
	for (size_t k = 0; k < 3; k++) {
		lathe_ct *ct, *y;
		fixture_path(p, sizeof p, cts[k]);
		OK(lathe_ct_load(ctx, p, &ct));
		OK(lathe_decrypt(sk, pt, ct));
		OK(lathe_decode(got, n, pt));
		cr_assert(memcmp(got, want, n * 8) == 0, "%s decrypts wrong", cts[k]);
		if (k < 2) {
			/* evaluation keys of version 1 still multiply and rotate */
			OK(lathe_ct_new(ctx, &y));
			OK(lathe_ct_mul(ev, y, ct, ct));
			OK(lathe_ct_rotate(ev, y, y, 1));
			OK(lathe_decrypt(sk, pt, y));
			OK(lathe_decode(got, n, pt));
			cr_assert(memcmp(got, rot, n * 8) == 0, "%s: rotate(x * x, 1) wrong", cts[k]);
			lathe_ct_free(y);
		}
		lathe_ct_free(ct);
	}
	fixture_path(p, sizeof p, "ct_batch.lathe");
	lathe_ct **batch;
	size_t nb;
	OK(lathe_ct_batch_load(ctx, p, &batch, &nb));
	cr_assert_eq(nb, 3);
	for (size_t k = 0; k < nb; k++) {
		OK(lathe_decrypt(sk, pt, batch[k]));
		OK(lathe_decode(got, n, pt));
		cr_assert(memcmp(got, want, n * 8) == 0, "batch record %zu decrypts wrong", k);
		lathe_ct_free(batch[k]);
	}
	lathe_buffer_free((uint8_t *)batch);
	/* a plaintext buffer of version 1 */
	fixture_path(p, sizeof p, "pt.lathe");
	FILE *fp = fopen(p, "rb");
	cr_assert_not_null(fp);
	uint8_t buf[1 << 16];
	size_t bl = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	lathe_pt *pt1;
	OK(lathe_pt_from_buffer(ctx, buf, bl, &pt1));
	OK(lathe_decode(got, n, pt1));
	cr_assert(memcmp(got, want, n * 8) == 0, "the version-1 plaintext decodes wrong");
	/* re-saved objects are written in version 2 and load again */
	uint8_t *b2;
	size_t l2;
	OK(lathe_evalkeys_to_buffer(ek, &b2, &l2));
	cr_assert_eq(b2[6], 2);
	lathe_evalkeys *ek2;
	OK(lathe_evalkeys_from_buffer(ctx, b2, l2, &ek2));
	lathe_buffer_free(b2);
	lathe_evalkeys_free(ek2);
	/*
	 * a context's body did not change in version 2: the version-1 file
	 * re-saves as the same body under version 2, and that loads back to itself
	 */
	fixture_path(p, sizeof p, "ctx.lathe");
	fp = fopen(p, "rb");
	cr_assert_not_null(fp);
	bl = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	OK(lathe_ctx_to_buffer(ctx, &b2, &l2));
	cr_assert_eq(buf[6], 1);
	cr_assert_eq(b2[6], 2);
	cr_assert_eq(l2, bl);
	cr_assert(memcmp(b2 + 8, buf + 8, bl - 8 - 32) == 0, "the re-saved context's body differs");
	lathe_ctx *ctx2;
	OK(lathe_ctx_from_buffer(b2, l2, &ctx2));
	uint8_t *b3;
	size_t l3;
	OK(lathe_ctx_to_buffer(ctx2, &b3, &l3));
	cr_assert(l3 == l2 && memcmp(b3, b2, l2) == 0, "the upgraded context does not save back to itself");
	lathe_buffer_free(b3);
	lathe_buffer_free(b2);
	lathe_ctx_free(ctx2);
	lathe_pt_free(pt1);
	lathe_pt_free(pt);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	free(want);
	free(got);
	free(sq);
	free(rot);
}

/* a public key is the key its stored id names, and a bundle's public key is the bundle's */
Test(io, key_id_that_does_not_match_the_key_is_refused)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	uint8_t *b;
	size_t l;
	lathe_pk *pk = NULL;
	OK(lathe_pk_to_buffer(f.pk, &b, &l));
	b[BODY + 5] ^= 0x40; /* the stored key id */
	fix_checksum(b, l);
	cr_assert_eq(lathe_pk_from_buffer(f.ctx, b, l, &pk), LATHE_ECORRUPT);
	cr_assert_null(pk);
	cr_assert(strstr(lathe_last_error(), "key"), "%s", lathe_last_error());
	lathe_buffer_free(b);

	OK(lathe_evalkeys_set_pk(f.ek, f.pk));
	lathe_evalkeys *ek = NULL;
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	/* the bundle's id no longer the one of the public key it carries */
	b[BODY + 3] ^= 1;
	fix_checksum(b, l);
	cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, b, l, &ek), LATHE_ECORRUPT, "%s", lathe_last_error());
	cr_assert_null(ek);
	b[BODY + 3] ^= 1;
	/* the carried public key's id no longer its own: body = id, u8, u8, u32, then the key */
	b[BODY + 32 + 6 + 7] ^= 1;
	fix_checksum(b, l);
	cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, b, l, &ek), LATHE_ECORRUPT, "%s", lathe_last_error());
	cr_assert_null(ek);
	lathe_buffer_free(b);
	fix_clear(&f);
}

/* the secret key's id is inside what the AEAD authenticates */
Test(io, secret_key_id_is_authenticated)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	uint8_t *b;
	size_t l;
	OK(lathe_sk_to_buffer(f.sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l));
	lathe_sk *sk = NULL;
	b[BODY] ^= 1;
	cr_assert_eq(lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk), LATHE_EAUTH, "checksum kept");
	fix_checksum(b, l);
	cr_assert_eq(lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk), LATHE_EAUTH, "checksum recomputed: %s",
	             lathe_last_error());
	cr_assert_null(sk);
	/* the rest of the key id, the salt and the nonce (the checksum recomputed) */
	b[BODY] ^= 1;
	const size_t at[] = { BODY + 31, BODY + 48, BODY + 87 };
	for (size_t k = 0; k < 3; k++) {
		size_t i = at[k];
		b[i] ^= 1;
		fix_checksum(b, l);
		lathe_status s = lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk);
		cr_assert(s == LATHE_EAUTH || s == LATHE_ECORRUPT || s == LATHE_EMISMATCH, "byte %zu -> %s", i,
		          lathe_strerror(s));
		cr_assert_null(sk);
		b[i] ^= 1;
	}
	fix_checksum(b, l);
	OK(lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk));
	lathe_sk_free(sk);
	lathe_buffer_free(b);
	fix_clear(&f);
}

/* ---- inspection without a context ---- */

static void
check_info(const uint8_t *b, size_t l, const char *path, unsigned kind, const uint8_t *hash, const uint8_t *id,
           unsigned level, unsigned count, const char *what)
{
	lathe_object_info in[2];
	OK(lathe_object_info_from_buffer(b, l, &in[0]));
	write_bytes(path, b, l);
	OK(lathe_object_info_load(path, &in[1]));
	for (int k = 0; k < 2; k++) {
		lathe_object_info *i = &in[k];
		cr_assert_eq(i->version, 2, "%s: written in version 2 (version 3 only for level-limited Galois keys)", what);
		cr_assert_eq(i->kind, kind, "%s: kind %u", what, i->kind);
		cr_assert_arr_eq(i->param_hash, hash, 32, "%s: parameter hash", what);
		cr_assert_eq(i->body_len, l - 84, "%s: body length", what);
		cr_assert_eq(i->has_key_id, id != NULL, "%s: has_key_id", what);
		if (id)
			assert_same_id(i->key_id, id, what);
		cr_assert_eq(i->level, level, "%s: level %u", what, i->level);
		cr_assert_eq(i->count, count, "%s: count %u", what, i->count);
	}
	/* a damaged checksum is refused */
	uint8_t *c = malloc(l);
	memcpy(c, b, l);
	c[l - 1] ^= 1;
	cr_assert_eq(lathe_object_info_from_buffer(c, l, &in[0]), LATHE_ECORRUPT, "%s", what);
	cr_assert_eq(in[0].kind, 0);
	cr_assert_eq(lathe_object_info_from_buffer(c, l - 1, &in[0]), LATHE_ECORRUPT, "%s", what);
	free(c);
	unlink(path);
}

Test(io, object_info_reports_every_kind)
{
	fixture f;
	fix_init(&f, 10, 2, 1);
	lt_prng g;
	test_prng(&g, 511);
	int64_t *x = malloc(f.slots * 8);
	char *dir = temp_dir(NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/obj", dir);
	uint8_t id[LATHE_KEY_ID_BYTES], hash[32], *b;
	size_t l;
	OK(lathe_pk_key_id(f.pk, id));
	OK(lathe_ctx_to_buffer(f.ctx, &b, &l));
	memcpy(hash, b + 12, 32);
	check_info(b, l, path, LATHE_OBJECT_CONTEXT, hash, NULL, 0, 1, "context");
	lathe_buffer_free(b);
	OK(lathe_pk_to_buffer(f.pk, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_PUBLIC_KEY, hash, id, 0, 1, "public key");
	lathe_buffer_free(b);
	OK(lathe_evalkeys_to_buffer(f.ek, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_EVALKEYS, hash, id, 0, 1, "evaluation keys");
	lathe_buffer_free(b);
	lathe_pt *pt;
	OK(lathe_pt_new(f.ctx, &pt));
	OK(lathe_pt_to_buffer(pt, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_PLAINTEXT, hash, NULL, 0, 1, "fresh plaintext");
	lathe_buffer_free_secret(b, l);
	lathe_ct *top = enc_random(&f, &g, x, 0), *seeded = enc_random(&f, &g, x, 1), *low;
	OK(lathe_decrypt(f.sk, pt, top));
	OK(lathe_pt_to_buffer(pt, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_PLAINTEXT, hash, id, 0, 1, "decrypted plaintext");
	lathe_buffer_free_secret(b, l);
	OK(lathe_ct_new(f.ctx, &low));
	OK(lathe_ct_mod_switch_to(f.ev, low, top, 1));
	OK(lathe_ct_to_buffer(top, &b, &l));
	const unsigned L = lathe_ct_level(top);
	cr_assert_gt(L, 1);
	check_info(b, l, path, LATHE_OBJECT_CIPHERTEXT, hash, id, L, 1, "ciphertext at the top level");
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(low, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_CIPHERTEXT, hash, id, 1, 1, "ciphertext at level 1");
	lathe_buffer_free(b);
	lathe_ct *unbound;
	OK(lathe_ct_new(f.ctx, &unbound));
	OK(lathe_ct_to_buffer(unbound, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_CIPHERTEXT, hash, NULL, L, 1, "unbound ciphertext");
	lathe_buffer_free(b);
	const lathe_ct *batch[3] = { low, seeded, low };
	OK(lathe_ct_batch_to_buffer(batch, 3, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_CIPHERTEXT_BATCH, hash, id, L, 3, "batch");
	lathe_buffer_free(b);
	const lathe_ct *mixed[2] = { low, unbound };
	OK(lathe_ct_batch_to_buffer(mixed, 2, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_CIPHERTEXT_BATCH, hash, NULL, L, 2, "batch of mixed keys");
	lathe_buffer_free(b);
	OK(lathe_sk_to_buffer(f.sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l));
	check_info(b, l, path, LATHE_OBJECT_SECRET_KEY, hash, id, 0, 1, "secret key");
	lathe_object_info in;
	OK(lathe_object_info_from_buffer(b, l, &in));
	cr_assert_eq(in.pwhash_level, LATHE_PWHASH_INTERACTIVE);
	lathe_buffer_free(b);
	/* arguments, and objects that are none of these */
	cr_assert_eq(lathe_object_info_from_buffer(NULL, 10, &in), LATHE_EINVAL);
	cr_assert_eq(lathe_object_info_from_buffer((const uint8_t *)"x", 1, NULL), LATHE_EINVAL);
	cr_assert_eq(lathe_object_info_load(NULL, &in), LATHE_EINVAL);
	cr_assert_eq(lathe_object_info_from_buffer((const uint8_t *)"not a lathe file", 16, &in), LATHE_EFORMAT);
	cr_assert_eq(in.version, 0);
	OK(lathe_ctx_to_buffer(f.ctx, &b, &l));
	b[8] = 42; /* unknown kind */
	fix_checksum(b, l);
	cr_assert_eq(lathe_object_info_from_buffer(b, l, &in), LATHE_EFORMAT);
	lathe_buffer_free(b);
	lathe_pt_free(pt);
	lathe_ct_free(top);
	lathe_ct_free(seeded);
	lathe_ct_free(low);
	lathe_ct_free(unbound);
	free(x);
	remove_dir(dir);
	fix_clear(&f);
}

/* ---- bounded file loading ---- */

static void
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* a device, a FIFO and a directory are refused at once: never read, never waited on */
Test(io, devices_fifos_and_directories_are_refused_without_reading, .timeout = 20)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	char *dir = temp_dir(NULL);
	char fifo[512];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0, "mkfifo: %s", strerror(errno));
	const char *paths[] = { "/dev/zero", fifo, dir };
	for (size_t i = 0; i < 3; i++) {
		const char *p = paths[i];
		double t0 = now_s();
		lathe_ct *ct = (lathe_ct *)1;
		cr_assert_eq(lathe_ct_load(f.ctx, p, &ct), LATHE_EIO, "%s", p);
		cr_assert_null(ct);
		cr_assert(strstr(lathe_last_error(), "not a regular file") && strstr(lathe_last_error(), p), "%s",
		          lathe_last_error());
		lathe_pk *pk;
		cr_assert_eq(lathe_pk_load(f.ctx, p, &pk), LATHE_EIO);
		lathe_evalkeys *ek;
		cr_assert_eq(lathe_evalkeys_load(f.ctx, p, &ek), LATHE_EIO);
		lathe_ctx *c;
		cr_assert_eq(lathe_ctx_load(p, &c), LATHE_EIO);
		lathe_ct **cts;
		size_t n;
		cr_assert_eq(lathe_ct_batch_load(f.ctx, p, &cts, &n), LATHE_EIO);
		lathe_sk *sk;
		cr_assert_eq(lathe_sk_load(f.ctx, p, "pw", &sk), LATHE_EIO);
		lathe_object_info in;
		cr_assert_eq(lathe_object_info_load(p, &in), LATHE_EIO);
		cr_assert_lt(now_s() - t0, 2.0, "%s took %.3f s", p, now_s() - t0);
	}
	remove_dir(dir);
	fix_clear(&f);
}

/*
 * A header naming a body far larger than anything the context allows is
 * refused from the header alone: the (sparse, 4 GiB) file is never read.
 */
Test(io, oversized_body_is_refused_from_the_header, .timeout = 60)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	lt_prng g;
	test_prng(&g, 512);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0);
	uint8_t *b;
	size_t l;
	OK(lathe_ct_to_buffer(ct, &b, &l));
	char *dir = temp_dir(NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/big", dir);
	const uint64_t body = UINT64_C(4) << 30;
	put_u64(b + 44, body);
	write_bytes(path, b, BODY);
	cr_assert_eq(truncate(path, (off_t)(body + 84)), 0, "truncate: %s", strerror(errno));
	double t0 = now_s();
	lathe_ct *back = NULL;
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_ECORRUPT);
	double dt = now_s() - t0;
	cr_assert_null(back);
	cr_assert(strstr(lathe_last_error(), "body length"), "%s", lathe_last_error());
	cr_assert_lt(dt, 0.5, "refusing took %.3f s: the body was read", dt);
	/* a header whose body length disagrees with the file size, by one byte either way */
	lathe_buffer_free(b);
	OK(lathe_ct_to_buffer(ct, &b, &l));
	write_bytes(path, b, l - 1);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_ECORRUPT);
	cr_assert(strstr(lathe_last_error(), "file size"), "%s", lathe_last_error());
	uint8_t *longer = calloc(1, l + 1);
	memcpy(longer, b, l);
	write_bytes(path, longer, l + 1);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_ECORRUPT);
	cr_assert(strstr(lathe_last_error(), "file size"), "%s", lathe_last_error());
	/* a header alone, and less */
	write_bytes(path, b, 30);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_ECORRUPT);
	write_bytes(path, (const uint8_t *)"LATH", 4);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_EFORMAT);
	write_bytes(path, b, 0);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_EFORMAT);
	/* another kind is refused from the header */
	lathe_buffer_free(b);
	OK(lathe_pk_to_buffer(f.pk, &b, &l));
	write_bytes(path, b, l);
	cr_assert_eq(lathe_ct_load(f.ctx, path, &back), LATHE_EFORMAT);
	cr_assert_null(back);
	free(longer);
	lathe_buffer_free(b);
	lathe_ct_free(ct);
	free(x);
	remove_dir(dir);
	fix_clear(&f);
}

/* a batch's record count must fit its body with the smallest ciphertext the context allows */
Test(io, batch_count_must_fit_the_body_before_allocation)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	lt_prng g;
	test_prng(&g, 513);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0);
	const lathe_ct *one[1] = { ct };
	uint8_t *b;
	size_t l;
	OK(lathe_ct_batch_to_buffer(one, 1, &b, &l));
	/* a count that would fit records of fixed fields only, not of real ciphertexts */
	uint64_t body = l - 84, n = (body - 8) / (8 + 56);
	cr_assert_gt(n, 1);
	put_u64(b + BODY, n);
	fix_checksum(b, l);
	lathe_ct **cts = (lathe_ct **)1;
	size_t nn = 7;
	cr_assert_eq(lathe_ct_batch_from_buffer(f.ctx, b, l, &cts, &nn), LATHE_ECORRUPT);
	cr_assert(strstr(lathe_last_error(), "record count"), "%s", lathe_last_error());
	cr_assert_null(cts);
	cr_assert_eq(nn, 0);
	put_u64(b + BODY, 2);
	fix_checksum(b, l);
	cr_assert_eq(lathe_ct_batch_from_buffer(f.ctx, b, l, &cts, &nn), LATHE_ECORRUPT);
	put_u64(b + BODY, 1);
	fix_checksum(b, l);
	OK(lathe_ct_batch_from_buffer(f.ctx, b, l, &cts, &nn));
	lathe_ct_free(cts[0]);
	lathe_buffer_free((uint8_t *)cts);
	lathe_buffer_free(b);
	lathe_ct_free(ct);
	free(x);
	fix_clear(&f);
}

/* a ciphertext loaded at level 0 holds one limb per component, not the whole chain */
Test(io, loaded_level0_ciphertext_allocates_only_its_limbs)
{
	fixture f;
	fix_init(&f, 10, 3, 2);
	lt_prng g;
	test_prng(&g, 514);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0), *low, *back;
	OK(lathe_ct_new(f.ctx, &low));
	OK(lathe_ct_mod_switch_to(f.ev, low, ct, 0));
	uint8_t *b;
	size_t l;
	OK(lathe_ct_to_buffer(low, &b, &l));
	OK(lathe_ct_from_buffer(f.ctx, b, l, &back));
	cr_assert_eq(back->level, 0);
	cr_assert_eq(back->stride, 1, "a level-0 ciphertext allocated %u limbs per component", back->stride);
	cr_assert_eq(back->cap, 2);
	dec_check(&f, back, x, "loaded level-0 ciphertext");
	lathe_ct_free(back);
	lathe_buffer_free(b);
	const lathe_ct *batch[2] = { ct, low };
	lathe_ct **cts;
	size_t n;
	OK(lathe_ct_batch_to_buffer(batch, 2, &b, &l));
	OK(lathe_ct_batch_from_buffer(f.ctx, b, l, &cts, &n));
	cr_assert_eq(cts[0]->stride, f.ctx->nq);
	cr_assert_eq(cts[1]->stride, 1, "a level-0 batch record allocated %u limbs", cts[1]->stride);
	dec_check(&f, cts[1], x, "loaded level-0 batch record");
	for (size_t i = 0; i < n; i++)
		lathe_ct_free(cts[i]);
	lathe_buffer_free((uint8_t *)cts);
	lathe_buffer_free(b);
	lathe_ct_free(ct);
	lathe_ct_free(low);
	free(x);
	fix_clear(&f);
}

/* ---- arguments and paths ---- */

#define REFUSES(call, status, fname) \
	do { \
		lathe_status s_ = (call); \
		cr_assert_eq(s_, status, "%s -> %s (%s)", #call, lathe_strerror(s_), lathe_last_error()); \
		cr_assert(strstr(lathe_last_error(), fname), "%s: the sentence does not name %s: %s", #call, fname, \
		          lathe_last_error()); \
	} while (0)

Test(io, null_paths_and_missing_files_name_the_function)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	lt_prng g;
	test_prng(&g, 515);
	int64_t *x = malloc(f.slots * 8);
	lathe_ct *ct = enc_random(&f, &g, x, 0);
	const lathe_ct *one[1] = { ct };
	lathe_ctx *c = (lathe_ctx *)1;
	lathe_pk *pk = (lathe_pk *)1;
	lathe_evalkeys *ek = (lathe_evalkeys *)1;
	lathe_ct *lc = (lathe_ct *)1, **cts = (lathe_ct **)1;
	lathe_sk *sk = (lathe_sk *)1;
	size_t n = 5;
	lathe_object_info in;
	REFUSES(lathe_ctx_load(NULL, &c), LATHE_EINVAL, "lathe_ctx_load");
	cr_assert_null(c);
	REFUSES(lathe_pk_load(f.ctx, NULL, &pk), LATHE_EINVAL, "lathe_pk_load");
	cr_assert_null(pk);
	REFUSES(lathe_evalkeys_load(f.ctx, NULL, &ek), LATHE_EINVAL, "lathe_evalkeys_load");
	cr_assert_null(ek);
	REFUSES(lathe_ct_load(f.ctx, NULL, &lc), LATHE_EINVAL, "lathe_ct_load");
	cr_assert_null(lc);
	REFUSES(lathe_ct_batch_load(f.ctx, NULL, &cts, &n), LATHE_EINVAL, "lathe_ct_batch_load");
	cr_assert_null(cts);
	cr_assert_eq(n, 0);
	REFUSES(lathe_sk_load(f.ctx, NULL, "pw", &sk), LATHE_EINVAL, "lathe_sk_load");
	cr_assert_null(sk);
	REFUSES(lathe_object_info_load(NULL, &in), LATHE_EINVAL, "lathe_object_info_load");
	REFUSES(lathe_ctx_load("/x", NULL), LATHE_EINVAL, "lathe_ctx_load");
	REFUSES(lathe_pk_load(NULL, "/x", &pk), LATHE_EINVAL, "lathe_pk_load");
	REFUSES(lathe_sk_load(f.ctx, "/x", NULL, &sk), LATHE_EINVAL, "lathe_sk_load");
	REFUSES(lathe_ctx_save(f.ctx, NULL), LATHE_EINVAL, "lathe_ctx_save");
	REFUSES(lathe_pk_save(f.pk, NULL), LATHE_EINVAL, "lathe_pk_save");
	REFUSES(lathe_evalkeys_save(f.ek, NULL), LATHE_EINVAL, "lathe_evalkeys_save");
	REFUSES(lathe_ct_save(ct, NULL), LATHE_EINVAL, "lathe_ct_save");
	REFUSES(lathe_ct_save(ct, ""), LATHE_EINVAL, "lathe_ct_save");
	REFUSES(lathe_ct_batch_save(one, 1, NULL), LATHE_EINVAL, "lathe_ct_batch_save");
	REFUSES(lathe_sk_save(f.sk, NULL, "pw"), LATHE_EINVAL, "lathe_sk_save");
	REFUSES(lathe_sk_save_ex(f.sk, NULL, "pw", LATHE_PWHASH_INTERACTIVE), LATHE_EINVAL, "lathe_sk_save_ex");
	REFUSES(lathe_ct_save(NULL, "/tmp/x"), LATHE_EINVAL, "lathe_ct_save");
	/* a missing file: LATHE_EIO naming the function and the path */
	const char *missing = "/nonexistent/lathe/file";
	REFUSES(lathe_ctx_load(missing, &c), LATHE_EIO, "lathe_ctx_load");
	cr_assert(strstr(lathe_last_error(), missing));
	REFUSES(lathe_pk_load(f.ctx, missing, &pk), LATHE_EIO, "lathe_pk_load");
	REFUSES(lathe_evalkeys_load(f.ctx, missing, &ek), LATHE_EIO, "lathe_evalkeys_load");
	REFUSES(lathe_ct_load(f.ctx, missing, &lc), LATHE_EIO, "lathe_ct_load");
	REFUSES(lathe_ct_batch_load(f.ctx, missing, &cts, &n), LATHE_EIO, "lathe_ct_batch_load");
	REFUSES(lathe_sk_load(f.ctx, missing, "pw", &sk), LATHE_EIO, "lathe_sk_load");
	REFUSES(lathe_object_info_load(missing, &in), LATHE_EIO, "lathe_object_info_load");
	REFUSES(lathe_ct_save(ct, missing), LATHE_EIO, "lathe_ct_save");
	cr_assert(strstr(lathe_last_error(), missing));
	/* a file whose content is refused names the file too */
	char *dir = temp_dir(NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/ct", dir);
	OK(lathe_ct_save(ct, path));
	lathe_ctx *other = small_ctx(10, 2, 1);
	REFUSES(lathe_ct_load(other, path, &lc), LATHE_EMISMATCH, path);
	lathe_ctx_free(other);
	remove_dir(dir);
	lathe_ct_free(ct);
	free(x);
	fix_clear(&f);
}

/* ---- saves and the umask ---- */

/* entries of dir whose name contains s */
static size_t
count_entries(const char *dir, const char *s)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strstr(e->d_name, s))
			n++;
	closedir(d);
	return n;
}

typedef struct {
	const lathe_ctx *ctx;
	const char *dir;
	int id, files;
	int failed;
	char err[512];
} saver;

static void *
save_many(void *arg)
{
	saver *s = arg;
	char path[512];
	for (int i = 0; i < s->files && !s->failed; i++) {
		snprintf(path, sizeof path, "%s/t%d-%d", s->dir, s->id, i);
		if (lathe_ctx_save(s->ctx, path) != LATHE_OK) {
			s->failed = 1;
			snprintf(s->err, sizeof s->err, "%s", lathe_last_error());
		}
	}
	return NULL;
}

static volatile int watching;

/* the umask as /proc shows it, without changing it (-1 when /proc has no Umask line) */
static int
read_umask(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	int m = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Umask: %o", (unsigned *)&m) == 1)
			break;
	fclose(f);
	return m;
}

static void *
watch_umask(void *arg)
{
	int *seen_other = arg;
	while (watching) {
		int m = read_umask();
		if (m >= 0 && m != 022)
			*seen_other = 1;
	}
	return NULL;
}

/* saves from several threads never change the umask, so no file is ever group or world writable */
Test(io, concurrent_saves_respect_the_umask, .timeout = 120)
{
	lathe_ctx *c = small_ctx(10, 1, 1);
	umask(022);
	/* tmpfs when there is one: 800 fsyncs on a disk would take long */
	struct stat st;
	char *dir = temp_dir(stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : NULL);
	enum { THREADS = 4, FILES = 200 };
	saver s[THREADS];
	pthread_t th[THREADS], w;
	int seen_other = 0;
	watching = 1;
	cr_assert_eq(pthread_create(&w, NULL, watch_umask, &seen_other), 0);
	for (int i = 0; i < THREADS; i++) {
		s[i] = (saver){ c, dir, i, FILES, 0, "" };
		cr_assert_eq(pthread_create(&th[i], NULL, save_many, &s[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	watching = 0;
	pthread_join(w, NULL);
	for (int i = 0; i < THREADS; i++)
		cr_assert(!s[i].failed, "thread %d: %s", i, s[i].err);
	mode_t now = umask(022);
	cr_assert_eq(now, 022, "the process umask became %03o", (unsigned)now);
	cr_assert(!seen_other, "the umask was changed while saving");
	char path[512];
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < FILES; k++) {
			snprintf(path, sizeof path, "%s/t%d-%d", dir, i, k);
			cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
			cr_assert_eq(st.st_mode & 0777, 0644, "%s has mode %03o", path, (unsigned)(st.st_mode & 0777));
		}
	cr_assert_eq(count_entries(dir, ".tmp-"), 0, "temporary files left behind");
	cr_assert_eq(remove_dir(dir), (size_t)THREADS * FILES);
	lathe_ctx_free(c);
}

/* the kernel applies the umask to ordinary files; a secret key is 0600 under any umask */
Test(io, file_modes_follow_the_umask_and_secret_keys_are_0600)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	char *dir = temp_dir(NULL);
	char pk[512], sk[512];
	snprintf(pk, sizeof pk, "%s/pk", dir);
	snprintf(sk, sizeof sk, "%s/sk", dir);
	const mode_t masks[] = { 0, 022, 027, 077 };
	struct stat st;
	for (size_t i = 0; i < 4; i++) {
		umask(masks[i]);
		OK(lathe_pk_save(f.pk, pk));
		OK(lathe_sk_save(f.sk, sk, "pw"));
		cr_assert_eq(stat(pk, &st), 0);
		cr_assert_eq(st.st_mode & 0777, 0666 & ~masks[i], "umask %03o: public key mode %03o", (unsigned)masks[i],
		             (unsigned)(st.st_mode & 0777));
		cr_assert_eq(stat(sk, &st), 0);
		cr_assert_eq(st.st_mode & 0777, 0600, "umask %03o: secret key mode %03o", (unsigned)masks[i],
		             (unsigned)(st.st_mode & 0777));
		cr_assert_eq(umask(022), masks[i]);
	}
	cr_assert_eq(count_entries(dir, ".tmp-"), 0);
	cr_assert_eq(remove_dir(dir), 2);
	fix_clear(&f);
}

/* ---- Argon2id levels and costs ---- */

Test(io, sk_save_ex_applies_and_validates_the_level)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	char *dir = temp_dir(NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/sk", dir);
	struct stat st;
	REFUSES(lathe_sk_save_ex(f.sk, path, "pw", (lathe_pwhash_level)3), LATHE_EINVAL, "lathe_sk_save_ex");
	REFUSES(lathe_sk_save_ex(f.sk, path, "pw", (lathe_pwhash_level)-1), LATHE_EINVAL, "lathe_sk_save_ex");
	REFUSES(lathe_sk_save_ex(f.sk, path, "", LATHE_PWHASH_INTERACTIVE), LATHE_EINVAL, "lathe_sk_to_buffer");
	REFUSES(lathe_sk_save_ex(NULL, path, "pw", LATHE_PWHASH_INTERACTIVE), LATHE_EINVAL, "lathe_sk_save_ex");
	REFUSES(lathe_sk_save_ex(f.sk, path, NULL, LATHE_PWHASH_INTERACTIVE), LATHE_EINVAL, "lathe_sk_save_ex");
	cr_assert_neq(stat(path, &st), 0, "a refused save created the file");
	cr_assert_eq(count_entries(dir, ""), 0);
	/* MODERATE: the file names its costs and loads back */
	OK(lathe_sk_save_ex(f.sk, path, "pw", LATHE_PWHASH_MODERATE));
	lathe_object_info in;
	OK(lathe_object_info_load(path, &in));
	cr_assert_eq(in.kind, LATHE_OBJECT_SECRET_KEY);
	cr_assert_eq(in.pwhash_level, LATHE_PWHASH_MODERATE);
	lathe_sk *sk;
	OK(lathe_sk_load(f.ctx, path, "pw", &sk));
	lathe_sk_free(sk);
	OK(lathe_sk_save(f.sk, path, "pw"));
	OK(lathe_object_info_load(path, &in));
	cr_assert_eq(in.pwhash_level, LATHE_PWHASH_INTERACTIVE, "lathe_sk_save stays at INTERACTIVE");
	remove_dir(dir);
	fix_clear(&f);
}

/*
 * A file naming the strongest costs (SENSITIVE: about 6 s and 1 GiB here)
 * is honoured: Argon2id runs at those costs and no more, and a wrong
 * passphrase is LATHE_EAUTH. The peak memory of the process (Criterion runs
 * each test in its own) grows by at most the named memory limit plus a
 * margin for the allocator (and ASan's shadow).
 */
Test(io, secret_key_file_naming_the_strongest_costs_spends_no_more, .timeout = 180)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	const uint64_t ops = crypto_pwhash_OPSLIMIT_SENSITIVE, mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
	uint8_t *b;
	size_t l;
	OK(lathe_sk_to_buffer(f.sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l));
	/* body: key id (32), u64 opslimit, u64 memlimit, ... */
	put_u64(b + BODY + 32, ops);
	put_u64(b + BODY + 40, mem);
	fix_checksum(b, l);
	lathe_object_info in;
	OK(lathe_object_info_from_buffer(b, l, &in));
	cr_assert_eq(in.pwhash_level, LATHE_PWHASH_SENSITIVE);
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	lathe_sk *sk = NULL;
	lathe_status s = lathe_sk_from_buffer(f.ctx, b, l, "wrong", &sk);
	getrusage(RUSAGE_SELF, &r1);
	cr_assert_eq(s, LATHE_EAUTH, "%s: %s", lathe_strerror(s), lathe_last_error());
	cr_assert_null(sk);
	const long grown_kib = r1.ru_maxrss - r0.ru_maxrss;
	const long allowed_kib = (long)(mem / 1024) + 256 * 1024;
	cr_assert_leq(grown_kib, allowed_kib, "peak memory grew by %ld KiB, the named cost allows %llu KiB", grown_kib,
	              (unsigned long long)(mem / 1024));
	lathe_buffer_free(b);
	fix_clear(&f);
}

/* costs other than the three pairs are refused before Argon2id runs */
Test(io, secret_key_file_naming_unknown_costs_is_refused_at_once)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	const uint64_t so = crypto_pwhash_OPSLIMIT_SENSITIVE, sm = crypto_pwhash_MEMLIMIT_SENSITIVE;
	const uint64_t pairs[][2] = {
		{ so + 1, sm },
		{ so, sm * 2 },
		{ so * 100, sm },
		{ UINT64_MAX, UINT64_MAX },
		{ crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_SENSITIVE }, /* a mix of two levels */
		{ crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE },
		{ 0, 0 },
	};
	uint8_t *b;
	size_t l;
	OK(lathe_sk_to_buffer(f.sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l));
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		put_u64(b + BODY + 32, pairs[i][0]);
		put_u64(b + BODY + 40, pairs[i][1]);
		fix_checksum(b, l);
		lathe_sk *sk = NULL;
		double t0 = now_s();
		lathe_status s = lathe_sk_from_buffer(f.ctx, b, l, "pw", &sk);
		double dt = now_s() - t0;
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "pair %zu: %s", i, lathe_strerror(s));
		cr_assert_null(sk);
		cr_assert_lt(dt, 0.1, "pair %zu refused after %.3f s: Argon2id ran", i, dt);
		lathe_object_info in;
		cr_assert_eq(lathe_object_info_from_buffer(b, l, &in), LATHE_ECORRUPT);
	}
	lathe_buffer_free(b);
	fix_clear(&f);
}

/* ---- buffers holding secrets ---- */

Test(io, buffer_free_secret_accepts_null_and_plaintext_buffers)
{
	lathe_buffer_free_secret(NULL, 0);
	lathe_buffer_free_secret(NULL, 4096);
	lathe_ctx *c = small_ctx(10, 1, 1);
	lathe_pt *pt;
	OK(lathe_pt_new(c, &pt));
	uint8_t *b;
	size_t l;
	OK(lathe_pt_to_buffer(pt, &b, &l));
	lathe_buffer_free_secret(b, l);
	lathe_buffer_free_secret(malloc(1), 1);
	lathe_pt_free(pt);
	lathe_ctx_free(c);
}

/* Galois keys are stored by element: one that no rotation names survives a round trip */
Test(io, galois_keys_by_element_round_trip)
{
	fixture f;
	fix_init(&f, 10, 1, 1);
	const uint64_t m = 2 * (uint64_t)lathe_ctx_degree(f.ctx);
	const uint64_t elts[] = { m - 5, 3, 5 };
	lathe_evalkeys *ek, *back;
	OK(lathe_evalkeys_new_galois(f.ctx, f.sk, elts, 3, LATHE_EVALKEYS_GALOIS, &ek));
	uint8_t *b;
	size_t l;
	OK(lathe_evalkeys_to_buffer(ek, &b, &l));
	OK(lathe_evalkeys_from_buffer(f.ctx, b, l, &back));
	for (size_t i = 0; i < 3; i++)
		cr_assert(lathe_evalkeys_has_galois(back, elts[i]), "element %llu lost", (unsigned long long)elts[i]);
	cr_assert(lathe_evalkeys_has_rotation(back, 1));
	cr_assert(!lathe_evalkeys_has_galois(back, 7));
	/* the loaded key applies X -> X^3: X^1 goes to X^3 */
	lathe_eval *ev;
	OK(lathe_eval_new(f.ctx, back, &ev));
	lathe_pt *pt;
	lathe_ct *ct;
	OK(lathe_pt_new(f.ctx, &pt));
	OK(lathe_ct_new(f.ctx, &ct));
	int64_t x[2] = { 0, 1 }, y[4];
	OK(lathe_encode_coeffs(pt, x, 2));
	OK(lathe_encrypt(f.pk, ct, pt));
	OK(lathe_ct_automorph(ev, ct, ct, 3));
	OK(lathe_decrypt(f.sk, pt, ct));
	OK(lathe_decode_coeffs(y, 4, pt));
	cr_assert(y[0] == 0 && y[1] == 0 && y[2] == 0 && y[3] == 1, "X^3 expected: %lld %lld %lld %lld", (long long)y[0],
	          (long long)y[1], (long long)y[2], (long long)y[3]);
	/* body: id (32), relin (1), pk (1), G (4), then u64 element: an even element is refused */
	const size_t at = BODY + 32 + 1 + 1 + 4;
	uint8_t save[8];
	memcpy(save, b + at, 8);
	const uint64_t bad_elts[] = { 4, 1, 0, m, m + 1 };
	for (size_t i = 0; i < sizeof bad_elts / sizeof bad_elts[0]; i++) {
		put_u64(b + at, bad_elts[i]);
		fix_checksum(b, l);
		lathe_evalkeys *e2 = NULL;
		lathe_status s = lathe_evalkeys_from_buffer(f.ctx, b, l, &e2);
		cr_assert_eq(s, LATHE_ECORRUPT, "element %llu: %s", (unsigned long long)bad_elts[i], lathe_strerror(s));
		cr_assert_null(e2);
	}
	/* two keys for one element */
	memcpy(b + at, save, 8);
	const size_t second = at + (l - 84 - 38) / 3; /* records of (element, key) */
	memcpy(b + second, save, 8);
	fix_checksum(b, l);
	lathe_evalkeys *e3 = NULL;
	cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, b, l, &e3), LATHE_ECORRUPT);
	lathe_buffer_free(b);
	lathe_pt_free(pt);
	lathe_ct_free(ct);
	lathe_eval_free(ev);
	lathe_evalkeys_free(back);
	lathe_evalkeys_free(ek);
	fix_clear(&f);
}
