/*
 * Factored slot maps for Steps 1 and 6 (BOOTSTRAP.md §2): SlotToCoeff and
 * CoeffToSlot as a few sparse linear maps instead of one dense one, for
 * thin slots of p = 1 mod 4 (rows 2 x cols). The thin plaintexts are
 * Z_t[Y]/(Y^l + 1), Y = X^d, and slot (r, c) is the value at rho_(r,c) =
 * rho_r^(5^c), rho_1 = rho_0^-1, a primitive 2l-th root. With I_r =
 * rho_r^cols (a square root of -1) and m = m_lo + Y^cols m_hi,
 *     slot (r, c) = sum_(k < cols) u_r[k] rho_(r,c)^k,  u_r = m_lo + I_r m_hi,
 * a mixing of the two rows followed in each row by the "special FFT" of
 * the 5^c order, log2(cols) butterfly layers in decimation in time
 * (Cheon, Han, Kim, Kim, Song, "Bootstrapping for approximate homomorphic
 * encryption", Eurocrypt 2018, Algorithm 1; the layers as sparse diagonal
 * matrices and their grouping: Chen, Chillotti, Song, "Improved
 * bootstrapping for approximate homomorphic encryption", Eurocrypt 2019,
 * §3): at block length len the butterfly of positions a = s + j and
 * b = a + len/2 is (x_a + w x_b, x_a - w x_b), w = rho_(r,j)^(cols/len).
 * Each layer has the diagonals 0 and +-len/2 (the mixing: 0 and the row
 * swap); a group of layers composed in the clear has its diagonals on an
 * arithmetic progression and costs one level, evaluated with baby and
 * giant steps. The decimation reads its input in bit-reversed order, so
 * SlotToCoeff puts the value of slot perm[k] at Y^k (perm: the bit
 * reversal within each row), and CoeffToSlot, its exact inverse, brings
 * it back; digit removal in between works slot by slot and does not mind.
 */
#include <string.h>

#include "../bgv/evalcore.h"
#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

__extension__ typedef unsigned __int128 fm_u128;

static uint64_t
mulm(uint64_t a, uint64_t b, uint64_t q)
{
	return (uint64_t)((fm_u128)a * b % q);
}

static uint64_t
powm(uint64_t a, uint64_t e, uint64_t q)
{
	uint64_t x = 1 % q;
	for (; e; e >>= 1, a = mulm(a, a, q))
		if (e & 1)
			x = mulm(x, a, q);
	return x;
}

static size_t
bitrev(size_t x, unsigned bits)
{
	size_t y = 0;
	for (unsigned i = 0; i < bits; i++, x >>= 1)
		y = (y << 1) | (x & 1);
	return y;
}

static size_t
gcd_sz(size_t a, size_t b)
{
	while (b) {
		const size_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/*
 * A map in diagonal form while it is built: slot[s cols + k] is the
 * diagonal of rot_k(swap^s(x)) (ell words) or NULL.
 */
typedef struct dense_form {
	size_t cols, ell;
	uint64_t **d;
} dense_form;

static lathe_status
df_init(dense_form *f, size_t cols)
{
	f->cols = cols;
	f->ell = 2 * cols;
	f->d = lt_calloc(2 * cols, sizeof(*f->d));
	return f->d ? LATHE_OK : lt_fail(LATHE_ENOMEM, "lt_boot_fft_new: out of memory");
}

static void
df_clear(dense_form *f)
{
	if (f->d)
		for (size_t i = 0; i < 2 * f->cols; i++)
			lt_free(f->d[i]);
	lt_free(f->d);
	f->d = NULL;
}

static uint64_t *
df_get(dense_form *f, unsigned s, size_t k)
{
	uint64_t **p = &f->d[s * f->cols + k % f->cols];
	if (!*p)
		*p = lt_calloc(f->ell, 8);
	return *p;
}

/* out = A after B, both in diagonal form mod t */
static lathe_status
df_compose(dense_form *out, const dense_form *A, const dense_form *B, uint64_t t)
{
	const size_t cols = A->cols, l = A->ell;
	lathe_status s = df_init(out, cols);
	for (size_t ia = 0; ia < 2 * cols && !s; ia++) {
		if (!A->d[ia])
			continue;
		const unsigned sa = ia >= cols;
		const size_t ka = ia % cols;
		for (size_t ib = 0; ib < 2 * cols && !s; ib++) {
			if (!B->d[ib])
				continue;
			const unsigned sb = ib >= cols;
			const size_t kb = ib % cols;
			uint64_t *o = df_get(out, sa ^ sb, ka + kb);
			if (!o) {
				s = lt_fail(LATHE_ENOMEM, "lt_boot_fft_new: out of memory");
				break;
			}
			/* (dA (.) rot_ka(swap^sa(dB)))[(r, c)] = dA[(r, c)] dB[(r xor sa, c + ka)] */
			for (size_t r = 0; r < 2; r++)
				for (size_t c = 0; c < cols; c++) {
					const uint64_t x = mulm(A->d[ia][r * cols + c], B->d[ib][(r ^ sa) * cols + (c + ka) % cols], t);
					o[r * cols + c] = (o[r * cols + c] + x) % t;
				}
		}
	}
	/* drop the diagonals that cancelled */
	for (size_t i = 0; i < 2 * cols && !s; i++)
		if (out->d[i]) {
			size_t nz = 0;
			for (size_t j = 0; j < l; j++)
				nz |= out->d[i][j] != 0;
			if (!nz) {
				lt_free(out->d[i]);
				out->d[i] = NULL;
			}
		}
	if (s)
		df_clear(out);
	return s;
}

/*
 * Layer `layer` of the sequence: 0 the row mixing, i >= 1 the butterflies
 * of block length 2^i; inverse: the inverse layer. rho: the slots' roots.
 */
static lathe_status
df_layer(dense_form *f, size_t cols, unsigned layer, int inverse, const uint64_t *rho, uint64_t t)
{
	lathe_status s = df_init(f, cols);
	if (s)
		return s;
	const uint64_t inv2 = lt_invmod_any(2 % t, t);
	if (layer == 0) {
		/* u_r = x_0 + I_r x_1 at column c: out = D1 (.) x + D2 (.) swap(x) */
		const uint64_t I0 = powm(rho[0], cols, t), I1 = powm(rho[cols], cols, t);
		const uint64_t D = (I0 + t - I1) % t, Di = lt_invmod_any(D, t);
		uint64_t *d1 = df_get(f, 0, 0), *d2 = df_get(f, 1, 0);
		if (!d1 || !d2 || !Di) {
			df_clear(f);
			return d1 && d2 ? lt_fail(LATHE_EPARAM, "lt_boot_fft_new: the slots' roots do not mix")
			                : lt_fail(LATHE_ENOMEM, "lt_boot_fft_new: out of memory");
		}
		for (size_t c = 0; c < cols; c++) {
			if (!inverse) {
				d1[c] = 1;
				d2[c] = I0;
				d1[cols + c] = I1;
				d2[cols + c] = 1;
			} else {
				/* x_0 = (I0 u_1 - I1 u_0) / D, x_1 = (u_0 - u_1) / D, D = I0 - I1 */
				d1[c] = mulm(t - I1, Di, t);
				d2[c] = mulm(I0, Di, t);
				d1[cols + c] = (t - Di) % t;
				d2[cols + c] = Di;
			}
		}
		return LATHE_OK;
	}
	const size_t len = (size_t)1 << layer, h = len / 2;
	uint64_t *d0 = df_get(f, 0, 0), *dp = df_get(f, 0, h), *dm = df_get(f, 0, cols - h);
	if (!d0 || !dp || !dm) {
		df_clear(f);
		return lt_fail(LATHE_ENOMEM, "lt_boot_fft_new: out of memory");
	}
	for (size_t r = 0; r < 2; r++)
		for (size_t c = 0; c < cols; c++) {
			const size_t j = c % len, i = r * cols + c;
			const uint64_t w = powm(rho[r * cols + (j < h ? j : j - h)], cols / len, t);
			if (!inverse) {
				if (j < h) { /* x_a + w x_b */
					d0[i] = 1;
					dp[i] = w;
				} else { /* x_a - w x_b */
					d0[i] = (t - w) % t;
					dm[i] = (dm[i] + 1) % t;
				}
			} else {
				const uint64_t wi = lt_invmod_any(mulm(2, w, t), t);
				if (j < h) { /* (y_a + y_b) / 2 */
					d0[i] = inv2;
					dp[i] = (dp[i] + inv2) % t;
				} else { /* (y_a - y_b) / (2 w) */
					d0[i] = (t - wi) % t;
					dm[i] = (dm[i] + wi) % t;
				}
			}
		}
	return LATHE_OK;
}

void
lt_boot_fft_free(lt_boot_fft *f)
{
	if (!f)
		return;
	for (size_t g = 0; g < f->ngroups && f->g; g++) {
		lt_free(f->g[g].sw);
		lt_free(f->g[g].rot);
		lt_free(f->g[g].diag);
	}
	lt_free(f->g);
	lt_free(f->perm);
	lt_free(f);
}

/* the diagonal form, packed: nd diagonals in key order (swap, then rotation) */
static lathe_status
df_pack(lt_boot_dmap *m, const dense_form *f)
{
	size_t nd = 0;
	for (size_t i = 0; i < 2 * f->cols; i++)
		nd += f->d[i] != NULL;
	m->nd = nd;
	m->sw = lt_calloc(nd ? nd : 1, 1);
	m->rot = lt_calloc(nd ? nd : 1, sizeof(*m->rot));
	m->diag = lt_alloc((nd ? nd : 1) * f->ell * 8);
	if (!m->sw || !m->rot || !m->diag)
		return lt_fail(LATHE_ENOMEM, "lt_boot_fft_new: out of memory");
	size_t j = 0;
	for (size_t i = 0; i < 2 * f->cols; i++)
		if (f->d[i]) {
			m->sw[j] = (uint8_t)(i >= f->cols);
			m->rot[j] = (uint32_t)(i % f->cols);
			memcpy(m->diag + j * f->ell, f->d[i], f->ell * 8);
			j++;
		}
	return LATHE_OK;
}

lathe_status
lt_boot_fft_new(const lathe_ctx *c, unsigned pmi, int inverse, unsigned groups, uint64_t scale, lt_boot_fft **out)
{
	const char *fn = "lt_boot_fft_new";
	if (!c || !out)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	*out = NULL;
	if (pmi >= c->npm)
		return lt_fail(LATHE_EINVAL, "%s: plaintext modulus %u of %u", fn, pmi, c->npm);
	const lt_slots *sl = &c->pm[pmi].slots;
	if (sl->ell == 0 || sl->kind == LT_SLOTS_CYCLIC || sl->rows != 2)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: the factored maps need two rows of thin slots (p = 1 mod 4)", fn);
	const size_t cols = sl->cols, l = sl->ell;
	unsigned logc = 0;
	while (((size_t)1 << logc) < cols)
		logc++;
	const unsigned nl = logc + 1; /* the mixing and log2(cols) butterfly layers */
	if (groups < 1 || groups > nl)
		return lt_fail(LATHE_EINVAL, "%s: %u groups for %u layers", fn, groups, nl);
	const uint64_t t = c->pm[pmi].t;
	scale %= t;
	lt_boot_fft *f = lt_calloc(1, sizeof(*f));
	uint64_t *m = lt_calloc(c->n, 8), *rho = lt_alloc(l * 8);
	if (!f || !m || !rho) {
		lt_free(f);
		lt_free(m);
		lt_free(rho);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	f->ctx = c;
	f->pmi = pmi;
	f->inverse = inverse;
	f->ngroups = groups;
	f->g = lt_calloc(groups, sizeof(*f->g));
	f->perm = lt_alloc(l * sizeof(*f->perm));
	lathe_status s = f->g && f->perm ? LATHE_OK : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	/* the roots: the slots of Y */
	m[sl->stride] = 1;
	if (!s)
		s = lt_slots_decode(sl, rho, m);
	for (size_t k = 0; k < l && !s; k++)
		f->perm[k] = (uint32_t)(k < cols ? bitrev(k, logc) : cols + bitrev(k - cols, logc));
	/* the layers in the order they act: StC mixing, then len = 2 .. cols; CtS the inverses backwards */
	for (unsigned g = 0, done = 0; g < groups && !s; g++) {
		const unsigned size = nl / groups + (g < nl % groups);
		dense_form acc = { 0 }, lay = { 0 }, nxt = { 0 };
		for (unsigned i = 0; i < size && !s; i++, done++) {
			const unsigned layer = inverse ? nl - 1 - done : done;
			if ((s = df_layer(&lay, cols, layer, inverse, rho, t)))
				break;
			if (i == 0) {
				acc = lay;
				lay.d = NULL;
				continue;
			}
			s = df_compose(&nxt, &lay, &acc, t);
			df_clear(&lay);
			df_clear(&acc);
			acc = nxt;
			nxt.d = NULL;
		}
		if (!s && g == 0 && scale != 1)
			for (size_t i = 0; i < 2 * cols; i++)
				if (acc.d[i])
					for (size_t j = 0; j < l; j++)
						acc.d[i][j] = mulm(acc.d[i][j], scale, t);
		if (!s)
			s = df_pack(&f->g[g], &acc);
		df_clear(&acc);
		df_clear(&lay);
	}
	lt_free(m);
	lt_free(rho);
	if (s) {
		lt_boot_fft_free(f);
		return s;
	}
	*out = f;
	return LATHE_OK;
}

lathe_status
lt_boot_fft_apply_clear(const lt_boot_fft *f, uint64_t *out, const uint64_t *in)
{
	if (!f || !out || !in)
		return lt_fail(LATHE_EINVAL, "lt_boot_fft_apply_clear: NULL argument");
	const lt_slots *sl = &f->ctx->pm[f->pmi].slots;
	const size_t cols = sl->cols, l = sl->ell;
	const uint64_t t = f->ctx->pm[f->pmi].t;
	uint64_t *x = lt_alloc(l * 8), *y = lt_alloc(l * 8);
	if (!x || !y) {
		lt_free(x);
		lt_free(y);
		return lt_fail(LATHE_ENOMEM, "lt_boot_fft_apply_clear: out of memory");
	}
	for (size_t i = 0; i < l; i++)
		x[i] = in[i] % t;
	for (size_t g = 0; g < f->ngroups; g++) {
		const lt_boot_dmap *d = &f->g[g];
		memset(y, 0, l * 8);
		for (size_t k = 0; k < d->nd; k++)
			for (size_t r = 0; r < 2; r++)
				for (size_t c = 0; c < cols; c++) {
					const uint64_t v = x[(r ^ d->sw[k]) * cols + (c + d->rot[k]) % cols];
					y[r * cols + c] = (y[r * cols + c] + mulm(d->diag[k * l + r * cols + c], v, t)) % t;
				}
		memcpy(x, y, l * 8);
	}
	memcpy(out, x, l * 8);
	lt_free(x);
	lt_free(y);
	return LATHE_OK;
}

/*
 * The baby/giant split of one group: its rotations are multiples of st
 * covering j0, j0 + 1, .., j0 + span - 1 (mod cols / st), with B baby
 * steps and G giant steps.
 */
typedef struct bsgs {
	size_t st, j0, span, J, B, G;
} bsgs;

static void
plan_bsgs(const lt_boot_dmap *d, size_t cols, bsgs *b)
{
	size_t st = cols;
	for (size_t k = 0; k < d->nd; k++)
		st = gcd_sz(st, d->rot[k]);
	const size_t J = cols / st;
	/* the shortest cyclic interval of Z_J holding every j = rot / st: the complement of the largest gap */
	size_t best_gap = 0, j0 = 0;
	for (size_t k = 0; k < d->nd; k++) {
		const size_t j = d->rot[k] / st;
		size_t next = J; /* distance to the next present j, cyclically */
		for (size_t q = 0; q < d->nd; q++) {
			const size_t dj = (d->rot[q] / st + J - j) % J;
			if (dj && dj < next)
				next = dj;
		}
		if (next > best_gap) {
			best_gap = next;
			j0 = (j + next) % J;
		}
	}
	b->st = st;
	b->J = J;
	b->j0 = j0;
	b->span = J - best_gap + 1;
	size_t B = 1;
	while (B * B < b->span)
		B <<= 1;
	if (B > b->span)
		B = b->span;
	b->B = B;
	b->G = (b->span + B - 1) / B;
}

/* the diagonal of (swap s, rotation k), or -1 */
static long
find_diag(const lt_boot_dmap *d, unsigned s, size_t k)
{
	for (size_t i = 0; i < d->nd; i++)
		if (d->sw[i] == s && d->rot[i] == k)
			return (long)i;
	return -1;
}

static int
group_has_swap(const lt_boot_dmap *d)
{
	for (size_t i = 0; i < d->nd; i++)
		if (d->sw[i])
			return 1;
	return 0;
}

static void
add_elt(uint64_t *g, size_t cap, size_t *n, uint64_t e)
{
	if (e == 1)
		return;
	for (size_t i = 0; i < *n && i < cap; i++)
		if (g[i] == e)
			return;
	if (*n < cap)
		g[*n] = e;
	(*n)++;
}

lathe_status
lt_boot_fft_elts(const lt_boot_fft *f, uint64_t *g, size_t cap, size_t *n)
{
	const char *fn = "lt_boot_fft_elts";
	if (!f || !n || !g)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lt_slots *sl = &f->ctx->pm[f->pmi].slots;
	const size_t cols = sl->cols;
	const uint64_t M = 2 * (uint64_t)f->ctx->n;
	size_t k = 0;
	for (size_t i = 0; i < f->ngroups; i++) {
		const lt_boot_dmap *d = &f->g[i];
		bsgs b;
		plan_bsgs(d, cols, &b);
		for (size_t q = 1; q < b.B; q++)
			add_elt(g, cap, &k, powm(5, (b.st * q) % cols, M));
		for (size_t q = 0; q < b.G; q++)
			add_elt(g, cap, &k, powm(5, (b.st * ((b.j0 + q * b.B) % b.J)) % cols, M));
		if (group_has_swap(d))
			add_elt(g, cap, &k, M - 1);
	}
	*n = k;
	if (k > cap)
		return lt_fail(LATHE_EINVAL, "%s: room for %zu elements, the maps need %zu", fn, cap, k);
	return LATHE_OK;
}

size_t
lt_boot_fft_groups(const lt_boot_fft *f)
{
	return f ? f->ngroups : 0;
}

const uint32_t *
lt_boot_fft_perm(const lt_boot_fft *f)
{
	return f ? f->perm : NULL;
}

/*
 * One group on a ciphertext, baby-step/giant-step over its progression
 * (as lt_boot_slot_map): with rotation st (j0 + g B + b),
 *     out = sum_g rot_(st (j0 + g B))(sum_(s, b) diag'_(s,g,b) (.) rot_(st b)(swap^s(x))),
 * diag' the diagonal rotated back by the giant step in the clear; the
 * baby steps hoisted, one ModDown per giant step and swap.
 */
void
lt_boot_ws_clear(lt_boot_ws *x)
{
	if (!x)
		return;
	for (size_t i = 0; x->store && i < x->nstore; i++) {
		lathe_prepared_pt_free(x->store[i]);
		lathe_pt_free(x->pt[i]);
	}
	lt_free(x->store);
	lt_free(x->pt);
	lathe_ct_free(x->swapped);
	lathe_ct_free(x->inner);
	lathe_ct_free(x->term);
	lt_free(x->diag);
	lathe_rotset_free(x->rs[0]);
	lathe_rotset_free(x->rs[1]);
	lt_pe_pool_clear(&x->keep);
	memset(x, 0, sizeof(*x));
}

lathe_status
lt_boot_ws_reserve(lt_boot_ws *x, const lathe_ctx *ctx, unsigned level, size_t nstore, size_t ndiag)
{
	const char *fn = "lt_boot_ws_reserve";
	if (nstore > x->nstore) {
		lathe_prepared_pt **st = lt_calloc(nstore, sizeof(*st));
		lathe_pt **pt = lt_calloc(nstore, sizeof(*pt));
		if (!st || !pt) {
			lt_free(st);
			lt_free(pt);
			return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		}
		if (x->store) {
			memcpy(st, x->store, x->nstore * sizeof(*st));
			memcpy(pt, x->pt, x->nstore * sizeof(*pt));
		}
		lt_free(x->store);
		lt_free(x->pt);
		x->store = st;
		x->pt = pt;
		x->nstore = nstore;
	}
	if (ndiag > x->ndiag) {
		uint64_t *d = lt_alloc(ndiag * 8);
		if (!d)
			return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		lt_free(x->diag);
		x->diag = d;
		x->ndiag = ndiag;
	}
	lathe_status s = LATHE_OK;
	if (!x->swapped && (s = lathe_ct_new_at(ctx, level, &x->swapped)))
		return s;
	if (!x->inner && (s = lathe_ct_new_at(ctx, level, &x->inner)))
		return s;
	if (!x->term && (s = lathe_ct_new_at(ctx, level, &x->term)))
		return s;
	for (size_t i = 0; i < nstore; i++)
		if (!x->pt[i] && (s = lathe_pt_new(ctx, &x->pt[i])))
			return s;
	return LATHE_OK;
}

int
lt_boot_ws_encode(lt_boot_ws *x, const lt_slots *sl, unsigned pm, size_t y)
{
	lathe_pt *pt = x->pt[y];
	if (lt_slots_encode(sl, pt->m, x->diag + y * sl->ell) != LATHE_OK)
		return 1;
	pt->pm = pm;
	memset(pt->keyid, 0, sizeof(pt->keyid));
	return 0;
}

lathe_status
lt_boot_ws_prepare(lt_boot_ws *x, const unsigned char *use, size_t count, unsigned lv)
{
	const char *fn = "lt_boot_ws_prepare";
	if (count > x->nstore)
		return lt_fail(LATHE_EINVAL, "%s: %zu diagonals, room for %zu", fn, count, x->nstore);
	lathe_prepared_pt **st = lt_alloc((count ? count : 1) * sizeof(*st));
	const lathe_pt **pt = lt_alloc((count ? count : 1) * sizeof(*pt));
	lathe_status s = st && pt ? LATHE_OK : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	size_t k = 0;
	for (size_t i = 0; i < count && !s; i++) {
		if (use && !use[i])
			continue;
		lathe_prepared_pt **p = &x->store[i];
		if (!*p || (size_t)lv + 1 + (*p)->ctx->np > (*p)->cap) {
			lathe_prepared_pt_free(*p);
			*p = NULL;
			if ((s = lt_prepared_pt_alloc(x->pt[i]->ctx, lv, p)))
				break;
		}
		st[k] = *p;
		pt[k++] = x->pt[i];
	}
	if (!s)
		s = lt_prepared_pt_refill_many(st, pt, k, lv);
	lt_free(st);
	lt_free(pt);
	return s;
}

static lathe_status
apply_group(lathe_eval *ev, lathe_ct *out, const lathe_ct *in, const lt_boot_dmap *d, const lt_slots *sl,
            lt_boot_ws *x)
{
	const char *fn = "lt_boot_fft_apply";
	const lathe_ctx *c = in->ctx;
	const size_t cols = sl->cols, l = sl->ell;
	const uint64_t t = c->pm[in->pm].t, N2 = 2 * (uint64_t)c->n;
	bsgs b;
	plan_bsgs(d, cols, &b);
	const unsigned rows = group_has_swap(d) ? 2 : 1;
	/* w: the diagonals of this giant step (NULL: none), in x->store's memory */
	const lathe_prepared_pt **w = lt_calloc(rows * b.B, sizeof(*w));
	int *steps = lt_calloc(b.B, sizeof(int));
	lathe_status s = w && steps && x->nstore >= rows * b.B ? LATHE_OK : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	uint64_t *diag = x->diag;
	lathe_ct *swapped = x->swapped, *inner = x->inner, *term = x->term;
	unsigned char *use = lt_calloc(rows * b.B, 1);
	long *idx = lt_calloc(rows * b.B, sizeof(long));
	if (!s && (!use || !idx))
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t q = 0; q < b.B && !s; q++)
		steps[q] = (int)((b.st * q) % cols);
	if (!s)
		s = lt_rotset_renew(ev, in, steps, b.B, &x->rs[0]);
	if (!s && rows == 2 && !(s = lathe_ct_automorph(ev, swapped, in, N2 - 1)))
		s = lt_rotset_renew(ev, swapped, steps, b.B, &x->rs[1]);
	const unsigned lv = s ? 0 : lathe_rotset_level(x->rs[0]);
	int have = 0;
	for (size_t g = 0; g < b.G && !s; g++) {
		const size_t giant = (b.st * ((b.j0 + g * b.B) % b.J)) % cols;
		int any[2] = { 0, 0 };
		/* which diagonals this giant step has (idx[y]: their index in d, -1 none) */
		for (unsigned sw = 0; sw < rows; sw++)
			for (size_t q = 0; q < b.B; q++) {
				const size_t y = sw * b.B + q, jj = b.j0 + g * b.B + q;
				w[y] = NULL;
				use[y] = 0;
				idx[y] = g * b.B + q >= b.span ? -1 : find_diag(d, sw, (b.st * (jj % b.J)) % cols);
				if (idx[y] >= 0) {
					use[y] = 1;
					any[sw] = 1;
				}
			}
		/* each rotated back by the giant step in the clear and encoded on a thread of its own */
		int bad = 0;
		const size_t ny = rows * b.B;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : bad) if (lt_par((unsigned)ny, c->n))
		for (size_t y = 0; y < ny; y++) {
			if (!use[y])
				continue;
			/* diag'[(r, c)] = diag[(r, c - giant)] */
			const uint64_t *src = d->diag + (size_t)idx[y] * l;
			uint64_t *dg = diag + y * l;
			for (size_t r = 0; r < 2; r++)
				for (size_t cc = 0; cc < cols; cc++)
					dg[r * cols + cc] = src[r * cols + (cc + cols - giant) % cols] % t;
			bad |= lt_boot_ws_encode(x, sl, in->pm, y);
		}
		if (bad)
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		/* the giant step's diagonals, prepared together */
		if (!s)
			s = lt_boot_ws_prepare(x, use, rows * b.B, lv);
		if (s)
			break;
		for (size_t i = 0; i < rows * b.B; i++)
			w[i] = use[i] ? x->store[i] : NULL;
		if (!any[0] && !any[1])
			continue;
		int first = 1;
		for (unsigned sw = 0; sw < rows && !s; sw++) {
			if (!any[sw])
				continue;
			s = lathe_rotset_dot(ev, first ? inner : term, x->rs[sw],
			                     (const lathe_prepared_pt *const *)&w[sw * b.B]);
			if (!s && !first)
				s = lathe_ct_add(ev, inner, inner, term);
			first = 0;
		}
		if (s)
			break;
		if (giant && (s = lathe_ct_automorph(ev, inner, inner, powm(5, giant, N2))))
			break;
		s = have ? lathe_ct_add(ev, out, out, inner) : lathe_ct_copy(out, inner);
		have = 1;
	}
	if (!s && !have)
		s = lt_fail(LATHE_EINVAL, "%s: a group without diagonals", fn);
	lt_free(w);
	lt_free(use);
	lt_free(idx);
	lt_free(steps);
	return s;
}

lathe_status
lt_boot_fft_apply(lathe_eval *ev, lathe_ct *out, const lathe_ct *in, const lt_boot_fft *f)
{
	const char *fn = "lt_boot_fft_apply";
	if (!ev || !out || !in || !f || out == in)
		return lt_fail(LATHE_EINVAL, "%s: NULL or aliased argument", fn);
	if (in->ctx != f->ctx)
		return lt_fail(LATHE_EMISMATCH, "%s: the map belongs to another context", fn);
	if (in->pm != f->pmi)
		return lt_fail(LATHE_EINVAL, "%s: the map is for plaintext modulus %u, the ciphertext under %u", fn, f->pmi,
		               in->pm);
	const lt_slots *sl = &in->ctx->pm[in->pm].slots;
	if (in->level < f->ngroups)
		return lt_fail(LATHE_ELEVEL, "%s: the map takes %zu levels, the ciphertext is at level %u", fn, f->ngroups,
		               in->level);
	lathe_ct *tmp = NULL;
	lathe_status s = LATHE_OK;
	if (f->ngroups > 1)
		s = lathe_ct_new_at(in->ctx, in->level, &tmp);
	/* the groups' shared scratch: the evaluator's kept one, else one for this call */
	lt_boot_ws local, *x = lt_boot_ws_of(ev);
	memset(&local, 0, sizeof(local));
	if (!x)
		x = &local;
	size_t nstore = 0;
	for (size_t g = 0; g < f->ngroups; g++) {
		bsgs b;
		plan_bsgs(&f->g[g], sl->cols, &b);
		const size_t need = (group_has_swap(&f->g[g]) ? 2 : 1) * b.B;
		if (need > nstore)
			nstore = need;
	}
	if (!s)
		s = lt_boot_ws_reserve(x, in->ctx, in->level, nstore, nstore * sl->ell);
	/*
	 * exactly one level per group: each group multiplies at its input's
	 * level and is switched down one prime after it (automatic switching,
	 * which may drop several primes before a product of a noisy input, is
	 * off meanwhile), so the map ends ngroups levels down whatever the
	 * input's noise
	 */
	const int auto_ms = ev->auto_ms;
	ev->auto_ms = 0;
	/* groups alternate between out and tmp so that the last lands in out */
	const lathe_ct *src = in;
	for (size_t g = 0; g < f->ngroups && !s; g++) {
		lathe_ct *dst = ((f->ngroups - 1 - g) % 2 == 0) ? out : tmp;
		if (!(s = apply_group(ev, dst, src, &f->g[g], sl, x)))
			s = lathe_ct_mod_switch(ev, dst, dst);
		src = dst;
	}
	ev->auto_ms = auto_ms;
	lt_boot_ws_clear(&local);
	lathe_ct_free(tmp);
	return s;
}
