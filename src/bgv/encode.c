/*
 * Plaintexts and encoders. Batch encoding: with t prime and t = 1 mod 2N,
 * Z_t[X]/(X^N + 1) splits into N slots; slot j holds the evaluation at
 * psi_t^(5^j) (row 0) or psi_t^(-5^j) (row 1), so the Galois element 5
 * rotates both rows and 2N - 1 swaps them (the layout of SEAL and OpenFHE).
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
	if (!pt->ctx->batching)
		return lt_fail(LATHE_EPARAM, "%s: t = %llu is not a batching prime (1 mod 2N); use coefficient encoding",
		               fn, (unsigned long long)pt->ctx->t);
	if (n > pt->ctx->n)
		return lt_fail(LATHE_EINVAL, "%s: %zu values for %zu slots", fn, n, pt->ctx->n);
	return LATHE_OK;
}

/* slots (values mod t, already reduced) -> coefficients */
static void
slots_to_coeffs(lathe_pt *pt, const uint64_t *slots)
{
	const lathe_ctx *c = pt->ctx;
	for (size_t j = 0; j < c->n; j++)
		pt->m[c->slot_idx[j]] = slots[j];
	lt_ntt_inv(pt->m, &c->tntt);
	memset(pt->keyid, 0, sizeof(pt->keyid)); /* a fresh encoding is under no key */
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
	uint64_t *slots = lt_calloc(out->ctx->n, sizeof(uint64_t));
	if (!slots)
		return lt_fail(LATHE_ENOMEM, "lathe_encode_u64: out of memory");
	memcpy(slots, values, n * sizeof(uint64_t));
	slots_to_coeffs(out, slots);
	lt_free_secret(slots, out->ctx->n * sizeof(uint64_t));
	return LATHE_OK;
}

static lathe_status
signed_to_mod(const char *fn, const lathe_ctx *c, const int64_t *values, size_t n, uint64_t *dst)
{
	const int64_t h = (int64_t)((c->t - 1) / 2);
	const int64_t lo = -h, hi = (int64_t)(c->t - 1) - h; /* [-(t-1)/2, t-1-(t-1)/2] */
	for (size_t i = 0; i < n; i++) {
		if (values[i] < lo || values[i] > hi)
			return lt_fail(LATHE_EINVAL, "%s: values[%zu] = %lld outside [%lld, %lld] for t = %llu", fn, i,
			               (long long)values[i], (long long)lo, (long long)hi, (unsigned long long)c->t);
		dst[i] = values[i] < 0 ? (uint64_t)(values[i] + (int64_t)c->t) : (uint64_t)values[i];
	}
	return LATHE_OK;
}

lathe_status
lathe_encode(lathe_pt *out, const int64_t *values, size_t n)
{
	lathe_status s = check_batch("lathe_encode", out, values, n);
	if (s)
		return s;
	uint64_t *slots = lt_calloc(out->ctx->n, sizeof(uint64_t));
	if (!slots)
		return lt_fail(LATHE_ENOMEM, "lathe_encode: out of memory");
	s = signed_to_mod("lathe_encode", out->ctx, values, n, slots);
	if (s == LATHE_OK)
		slots_to_coeffs(out, slots);
	lt_free_secret(slots, out->ctx->n * sizeof(uint64_t));
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

lathe_status
lathe_decode_u64(uint64_t *values, size_t n, const lathe_pt *pt)
{
	lathe_status s = check_batch("lathe_decode_u64", pt, values, n);
	if (s)
		return s;
	const lathe_ctx *c = pt->ctx;
	uint64_t *e = lt_alloc(c->n * sizeof(uint64_t));
	if (!e)
		return lt_fail(LATHE_ENOMEM, "lathe_decode_u64: out of memory");
	memcpy(e, pt->m, c->n * sizeof(uint64_t));
	lt_ntt_fwd(e, &c->tntt);
	for (size_t j = 0; j < n; j++)
		values[j] = e[c->slot_idx[j]];
	lt_free_secret(e, c->n * sizeof(uint64_t));
	return LATHE_OK;
}

lathe_status
lathe_decode(int64_t *values, size_t n, const lathe_pt *pt)
{
	lathe_status s = check_batch("lathe_decode", pt, values, n);
	if (s)
		return s;
	const lathe_ctx *c = pt->ctx;
	uint64_t *e = lt_alloc(c->n * sizeof(uint64_t));
	if (!e)
		return lt_fail(LATHE_ENOMEM, "lathe_decode: out of memory");
	memcpy(e, pt->m, c->n * sizeof(uint64_t));
	lt_ntt_fwd(e, &c->tntt);
	for (size_t j = 0; j < n; j++)
		values[j] = centered(e[c->slot_idx[j]], c->t);
	lt_free_secret(e, c->n * sizeof(uint64_t));
	return LATHE_OK;
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
	lathe_status s = signed_to_mod("lathe_encode_coeffs", out->ctx, values, n, tmp);
	if (s == LATHE_OK) {
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
		values[i] = centered(pt->m[i], pt->ctx->t);
	return LATHE_OK;
}

void
lt_lift_plain(const lathe_ctx *ctx, uint64_t *out, const uint64_t *m, uint64_t scale, unsigned l)
{
	const size_t n = ctx->n;
	const uint64_t t = ctx->t, half = (t - 1) / 2;
#pragma omp parallel for schedule(static) if (lt_par(l + 1, n))
	for (unsigned i = 0; i <= l; i++) {
		const lt_modulus *md = ctx->ring.modp[i];
		const uint64_t q = md->q, tq = t % q;
		uint64_t *o = out + (size_t)i * n;
		for (size_t j = 0; j < n; j++) {
			uint64_t v = lt_mulmod(m[j], scale, t, ctx->t_br); /* [0, t) */
			uint64_t vq = lt_reduce64(v, q, md->br); /* no division: v is secret */
			/* centered: v - t when v > (t-1)/2 */
			uint64_t neg = (uint64_t)0 - ((half - v) >> 63); /* all ones when v > (t-1)/2 */
			uint64_t alt = lt_submod(vq, tq, q);
			o[j] = (vq & ~neg) | (alt & neg);
		}
		lt_ntt_fwd(o, &md->ntt);
	}
}
