/*
 * Plaintexts and encoders. Batch encoding puts one value mod t = p^r in
 * each slot of the slot structure (slots.h): N slots when p = 1 mod 2N,
 * where slot j holds the evaluation at psi_t^(5^j) (row 0) or psi_t^(-5^j)
 * (row 1), so the Galois element 5 rotates both rows and 2N - 1 swaps them
 * (the layout of SEAL and OpenFHE); N / d thin slots otherwise.
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

lathe_status
lathe_pt_new(const lathe_ctx *ctx, lathe_pt **out)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	lathe_pt *pt = lt_calloc(1, sizeof(*pt));
	if (!pt)
		return lt_fail(LATHE_ENOMEM, "lathe_pt_new: out of memory");
	pt->ctx = ctx;
	pt->m = lt_calloc(ctx->n, sizeof(uint64_t));
	if (!pt->m) {
		lt_free(pt);
		return lt_fail(LATHE_ENOMEM, "lathe_pt_new: out of memory");
	}
	*out = pt;
	return LATHE_OK;
}

void
lathe_pt_free(lathe_pt *pt)
{
	if (!pt)
		return;
	lt_free_secret(pt->m, pt->ctx->n * sizeof(uint64_t));
	lt_free(pt);
}

static lathe_status
check_batch(const char *fn, const lathe_pt *pt, const void *values, size_t n)
{
	if (!pt)
		return lt_fail(LATHE_EINVAL, "%s: plaintext is NULL", fn);
	if (n && !values)
		return lt_fail(LATHE_EINVAL, "%s: values is NULL", fn);
	const lt_slots *sl = &lt_pt_pm(pt)->slots;
	if (!sl->ell)
		return lt_fail(LATHE_EPARAM, "%s: t = %llu = 2^r has no slot structure; use coefficient encoding", fn,
		               (unsigned long long)lt_pt_pm(pt)->t);
	if (n > sl->ell)
		return lt_fail(LATHE_EINVAL, "%s: %zu values for %zu slots", fn, n, sl->ell);
	return LATHE_OK;
}

/* slots (values mod t, already reduced; ell of them) -> coefficients, under the user's modulus */
static lathe_status
slots_to_coeffs(const char *fn, lathe_pt *pt, const uint64_t *slots)
{
	pt->pm = LT_PM_USER;
	if (lt_slots_encode(&lt_pt_pm(pt)->slots, pt->m, slots))
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	memset(pt->keyid, 0, sizeof(pt->keyid)); /* a fresh encoding is under no key */
	return LATHE_OK;
}

lathe_status
lathe_encode_u64(lathe_pt *out, const uint64_t *values, size_t n)
{
	lathe_status s = check_batch("lathe_encode_u64", out, values, n);
	if (s)
		return s;
	const uint64_t t = out->ctx->t;
	for (size_t i = 0; i < n; i++)
		if (values[i] >= t)
			return lt_fail(LATHE_EINVAL, "lathe_encode_u64: values[%zu] = %llu is not below t = %llu", i,
			               (unsigned long long)values[i], (unsigned long long)t);
	const size_t ell = out->ctx->pm[LT_PM_USER].slots.ell;
	uint64_t *slots = lt_calloc(ell, sizeof(uint64_t));
	if (!slots)
		return lt_fail(LATHE_ENOMEM, "lathe_encode_u64: out of memory");
	memcpy(slots, values, n * sizeof(uint64_t));
	s = slots_to_coeffs("lathe_encode_u64", out, slots);
	lt_free_secret(slots, ell * sizeof(uint64_t));
	return s;
}

static lathe_status
signed_to_mod(const char *fn, uint64_t t, const int64_t *values, size_t n, uint64_t *dst)
{
	const int64_t h = (int64_t)((t - 1) / 2);
	const int64_t lo = -h, hi = (int64_t)(t - 1) - h; /* [-(t-1)/2, t-1-(t-1)/2] */
	for (size_t i = 0; i < n; i++) {
		if (values[i] < lo || values[i] > hi)
			return lt_fail(LATHE_EINVAL, "%s: values[%zu] = %lld outside [%lld, %lld] for t = %llu", fn, i,
			               (long long)values[i], (long long)lo, (long long)hi, (unsigned long long)t);
		dst[i] = values[i] < 0 ? (uint64_t)(values[i] + (int64_t)t) : (uint64_t)values[i];
	}
	return LATHE_OK;
}

lathe_status
lathe_encode(lathe_pt *out, const int64_t *values, size_t n)
{
	lathe_status s = check_batch("lathe_encode", out, values, n);
	if (s)
		return s;
	const size_t ell = out->ctx->pm[LT_PM_USER].slots.ell;
	uint64_t *slots = lt_calloc(ell, sizeof(uint64_t));
	if (!slots)
		return lt_fail(LATHE_ENOMEM, "lathe_encode: out of memory");
	s = signed_to_mod("lathe_encode", out->ctx->t, values, n, slots);
	if (s == LATHE_OK)
		s = slots_to_coeffs("lathe_encode", out, slots);
	lt_free_secret(slots, ell * sizeof(uint64_t));
	return s;
}

/*
 * v in [0, t) to [-(t-1)/2, t - 1 - (t-1)/2], the range lathe_encode and
 * lathe_encode_coeffs accept (for even t: [-(t/2 - 1), t/2]), without a
 * branch on v (decoded plaintexts are secret). CT: yes.
 */
static int64_t
centered(uint64_t v, uint64_t t)
{
	uint64_t over = (uint64_t)0 - (((t / 2) - v) >> 63); /* all ones when v > t - 1 - (t-1)/2 = t/2 */
	return (int64_t)(v - (t & over));
}

/* The first n slots of pt, as residues, into values (signed: centered). */
static lathe_status
decode_slots(const char *fn, const lathe_pt *pt, uint64_t *uvals, int64_t *svals, size_t n)
{
	lathe_status s = check_batch(fn, pt, uvals ? (const void *)uvals : (const void *)svals, n);
	if (s)
		return s;
	const lt_plainmod *pm = lt_pt_pm(pt);
	const size_t ell = pm->slots.ell;
	uint64_t *e = lt_alloc(ell * sizeof(uint64_t));
	if (!e)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	s = lt_slots_decode(&pm->slots, e, pt->m);
	if (s == LATHE_ENOMEM)
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	else if (s)
		s = lt_fail(LATHE_EINVAL, "%s: the plaintext is not one of slot values mod t (its coefficients lie "
		                          "off the thin-slot subring: not a batch encoding)", fn);
	for (size_t j = 0; s == LATHE_OK && j < n; j++) {
		if (uvals)
			uvals[j] = e[j];
		else
			svals[j] = centered(e[j], pm->t);
	}
	lt_free_secret(e, ell * sizeof(uint64_t));
	return s;
}

lathe_status
lathe_decode_u64(uint64_t *values, size_t n, const lathe_pt *pt)
{
	return decode_slots("lathe_decode_u64", pt, values, NULL, n);
}

lathe_status
lathe_decode(int64_t *values, size_t n, const lathe_pt *pt)
{
	return decode_slots("lathe_decode", pt, NULL, values, n);
}

lathe_status
lathe_encode_coeffs(lathe_pt *out, const int64_t *values, size_t n)
{
	if (!out)
		return lt_fail(LATHE_EINVAL, "lathe_encode_coeffs: plaintext is NULL");
	if (n && !values)
		return lt_fail(LATHE_EINVAL, "lathe_encode_coeffs: values is NULL");
	if (n > out->ctx->n)
		return lt_fail(LATHE_EINVAL, "lathe_encode_coeffs: %zu values for N = %zu", n, out->ctx->n);
	uint64_t *tmp = lt_calloc(out->ctx->n, sizeof(uint64_t));
	if (!tmp)
		return lt_fail(LATHE_ENOMEM, "lathe_encode_coeffs: out of memory");
	lathe_status s = signed_to_mod("lathe_encode_coeffs", out->ctx->t, values, n, tmp);
	if (s == LATHE_OK) {
		out->pm = LT_PM_USER;
		memcpy(out->m, tmp, out->ctx->n * sizeof(uint64_t));
		memset(out->keyid, 0, sizeof(out->keyid));
	}
	lt_free_secret(tmp, out->ctx->n * sizeof(uint64_t));
	return s;
}

lathe_status
lathe_decode_coeffs(int64_t *values, size_t n, const lathe_pt *pt)
{
	if (!pt)
		return lt_fail(LATHE_EINVAL, "lathe_decode_coeffs: plaintext is NULL");
	if (n && !values)
		return lt_fail(LATHE_EINVAL, "lathe_decode_coeffs: values is NULL");
	if (n > pt->ctx->n)
		return lt_fail(LATHE_EINVAL, "lathe_decode_coeffs: %zu values for N = %zu", n, pt->ctx->n);
	for (size_t i = 0; i < n; i++)
		values[i] = centered(pt->m[i], lt_pt_pm(pt)->t);
	return LATHE_OK;
}

/*
 * The centred lift of m (times scale) mod ring prime i, NTT form, into o.
 * With c, the centred values (|c| < t/2 < q), given: one conditional add
 * per word; otherwise two reductions per word.
 */
static void
lift_limb(const lathe_ctx *ctx, const lt_plainmod *pm, uint64_t *o, const uint64_t *m, const int64_t *c,
          uint64_t scale, unsigned i)
{
	const size_t n = ctx->n;
	const uint64_t t = pm->t, half = (t - 1) / 2;
	const lt_modulus *md = ctx->ring.modp[i];
	const uint64_t q = md->q, tq = t % q;
	if (c && t < q) {
		for (size_t j = 0; j < n; j++)
			o[j] = (uint64_t)c[j] + (q & (uint64_t)(c[j] >> 63));
	} else {
		for (size_t j = 0; j < n; j++) {
			uint64_t v = lt_mulmod(m[j], scale, t, pm->br); /* [0, t) */
			uint64_t vq = lt_reduce64(v, q, md->br); /* no division: v is secret */
			/* centered: v - t when v > (t-1)/2 */
			uint64_t neg = (uint64_t)0 - ((half - v) >> 63); /* all ones when v > (t-1)/2 */
			uint64_t alt = lt_submod(vq, tq, q);
			o[j] = (vq & ~neg) | (alt & neg);
		}
	}
	lt_ntt_fwd(o, &md->ntt);
}

/* the centred values of m times scale mod t, once for all limbs; NULL when out of memory */
static int64_t *
centred_values(const lathe_ctx *ctx, const lt_plainmod *pm, const uint64_t *m, uint64_t scale)
{
	const size_t n = ctx->n;
	int64_t *c = lt_alloc(n * sizeof(int64_t));
	if (!c)
		return NULL;
	const uint64_t t = pm->t, half = (t - 1) / 2;
#pragma omp parallel for schedule(static) if (lt_par(2, n))
	for (size_t j = 0; j < n; j++) {
		const uint64_t v = lt_mulmod(m[j], scale, t, pm->br);
		const uint64_t neg = (uint64_t)0 - ((half - v) >> 63);
		c[j] = (int64_t)v - (int64_t)(t & neg);
	}
	return c;
}

void
lt_lift_plain(const lathe_ctx *ctx, const lt_plainmod *pm, uint64_t *out, const uint64_t *m, uint64_t scale,
              unsigned l)
{
	const size_t n = ctx->n;
	int64_t *c = centred_values(ctx, pm, m, scale);
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(l + 1, n))
	for (unsigned i = 0; i <= l; i++)
		lift_limb(ctx, pm, out + (size_t)i * n, m, c, scale, i);
	if (c)
		lt_free_secret(c, n * sizeof(int64_t));
}

void
lt_lift_plain_qp_many(const lathe_ctx *ctx, const lt_plainmod *const *pm, uint64_t *const *out,
                      const uint64_t *const *m, size_t count, unsigned level)
{
	const size_t n = ctx->n, hn = n / 2;
	const unsigned limbs = level + 1 + ctx->np;
	/* the centred values of all of them (NULL when out of memory: two reductions per word instead) */
	int64_t *c = count ? lt_alloc(count * n * sizeof(int64_t)) : NULL;
	if (c) {
#pragma omp parallel for schedule(static) if (lt_par(2 * (unsigned)count, hn))
		for (size_t y = 0; y < 2 * count; y++) {
			const size_t j = y / 2, k0 = (y % 2) * hn, k1 = y % 2 ? n : hn;
			const uint64_t t = pm[j]->t, half = (t - 1) / 2;
			int64_t *cj = c + j * n;
			for (size_t k = k0; k < k1; k++) {
				const uint64_t v = m[j][k];
				const uint64_t neg = (uint64_t)0 - ((half - v) >> 63);
				cj[k] = (int64_t)v - (int64_t)(t & neg);
			}
		}
	}
	/* every limb of every plaintext (a centred lift and an NTT) a task of its own */
	const size_t tasks = count * limbs;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par((unsigned)tasks, n))
	for (size_t x = 0; x < tasks; x++) {
		const size_t j = x / limbs;
		const unsigned i = (unsigned)(x % limbs);
		lift_limb(ctx, pm[j], out[j] + (size_t)i * n, m[j], c ? c + j * n : NULL, 1,
		          i <= level ? i : ctx->nq + (i - level - 1));
	}
	if (c) {
#pragma omp parallel for schedule(static) if (lt_par(2 * (unsigned)count, hn))
		for (size_t y = 0; y < 2 * count; y++)
			lt_memzero(c + (y / 2) * n + (y % 2) * hn, (y % 2 ? n - hn : hn) * sizeof(int64_t));
		lt_free(c);
	}
}

void
lt_lift_plain_qp(const lathe_ctx *ctx, const lt_plainmod *pm, uint64_t *out, const uint64_t *m, unsigned level)
{
	const size_t n = ctx->n;
	const unsigned limbs = level + 1 + ctx->np;
	int64_t *c = centred_values(ctx, pm, m, 1);
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(limbs, n))
	for (unsigned x = 0; x < limbs; x++)
		lift_limb(ctx, pm, out + (size_t)x * n, m, c, 1, x <= level ? x : ctx->nq + (x - level - 1));
	if (c)
		lt_free_secret(c, n * sizeof(int64_t));
}
