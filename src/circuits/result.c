/*
 * Results of circuits: named items with their denominators and bounds,
 * multi-hospital sums, and their decryption by the data owner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

void
lathe_result_free(lathe_result *r)
{
	if (!r)
		return;
	if (r->items)
		for (size_t i = 0; i < r->n_items; i++) {
			lt_circ_item *it = &r->items[i];
			if (it->cts)
				for (size_t k = 0; k < it->n_cts; k++)
					lathe_ct_free(it->cts[k]);
			free(it->cts);
		}
	free(r->items);
	free(r);
}

lathe_status
lt_circ_result_new(const lathe_ctx *ctx, const char *circuit, size_t rows, size_t n_items,
                   const uint8_t key_id[LATHE_KEY_ID_BYTES], lathe_result **out)
{
	const size_t S = lathe_ctx_slots(ctx);
	lathe_result *r = calloc(1, sizeof(*r));
	if (!r)
		return lt_fail(LATHE_ENOMEM, "lathe_result: out of memory");
	r->ctx = ctx;
	snprintf(r->circuit, sizeof(r->circuit), "%s", circuit);
	r->rows = rows;
	r->slots = S;
	r->chunks = S ? rows / S + (rows % S != 0) : 0;
	memcpy(r->key_id, key_id, LATHE_KEY_ID_BYTES);
	r->items = calloc(n_items ? n_items : 1, sizeof(lt_circ_item));
	if (!r->items) {
		free(r);
		return lt_fail(LATHE_ENOMEM, "lathe_result: out of memory");
	}
	r->n_items = n_items;
	*out = r;
	return LATHE_OK;
}

lathe_status
lt_circ_item_set(lathe_result *r, size_t i, const char *name, int kind, double denom, uint64_t bound, int alloc)
{
	lt_circ_item *it = &r->items[i];
	snprintf(it->name, sizeof(it->name), "%s", name);
	it->kind = kind;
	it->denom = denom;
	it->bound = bound;
	it->n_cts = kind == LATHE_ITEM_PER_PATIENT ? r->chunks : 1;
	it->cts = calloc(it->n_cts ? it->n_cts : 1, sizeof(lathe_ct *));
	if (!it->cts)
		return lt_fail(LATHE_ENOMEM, "lathe_result: out of memory");
	for (size_t k = 0; alloc && k < it->n_cts; k++) {
		/* storage grows with what the circuit writes: results mostly sit low in the chain */
		lathe_status s = lathe_ct_new_at(r->ctx, 0, &it->cts[k]);
		if (s)
			return s;
	}
	return LATHE_OK;
}

const char *
lathe_result_circuit(const lathe_result *r)
{
	return r ? r->circuit : NULL;
}

size_t
lathe_result_rows(const lathe_result *r)
{
	return r ? r->rows : 0;
}

size_t
lathe_result_items(const lathe_result *r)
{
	return r ? r->n_items : 0;
}

const char *
lathe_result_item_name(const lathe_result *r, size_t i)
{
	return r && i < r->n_items ? r->items[i].name : NULL;
}

int
lathe_result_item_kind(const lathe_result *r, size_t i)
{
	return r && i < r->n_items ? r->items[i].kind : 0;
}

double
lathe_result_item_denominator(const lathe_result *r, size_t i)
{
	return r && i < r->n_items ? r->items[i].denom : 0;
}

uint64_t
lathe_result_bound(const lathe_result *r, size_t i)
{
	return r && i < r->n_items ? r->items[i].bound : 0;
}

long
lathe_result_find(const lathe_result *r, const char *name)
{
	if (!r || !name)
		return -1;
	for (size_t i = 0; i < r->n_items; i++)
		if (strncmp(r->items[i].name, name, LATHE_ITEM_NAME_MAX) == 0)
			return (long)i;
	return -1;
}

lathe_status
lathe_result_add(lathe_eval *ev, lathe_result **out, const lathe_result *a, const lathe_result *b)
{
	const char *fn = "lathe_result_add";
	if (!ev || !out || !a || !b)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !ev ? "ev" : !out ? "out" : !a ? "a" : "b");
	/* *out aliases a or b: replaced on success, left as it is on error */
	const int alias = *out == a || *out == b;
	if (!alias)
		*out = NULL;
	const lathe_ctx *ctx = lathe_eval_ctx(ev);
	if (a->ctx != ctx || b->ctx != ctx)
		return lt_fail(LATHE_EMISMATCH, "%s: the results and the evaluator belong to different contexts", fn);
	if (strcmp(a->circuit, b->circuit) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: results of different circuits ('%s' and '%s')", fn, a->circuit,
		               b->circuit);
	if (memcmp(a->key_id, b->key_id, LATHE_KEY_ID_BYTES) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: results under different key pairs", fn);
	if (a->n_items != b->n_items)
		return lt_fail(LATHE_EMISMATCH, "%s: results of %zu and %zu items", fn, a->n_items, b->n_items);
	for (size_t i = 0; i < a->n_items; i++) {
		const lt_circ_item *x = &a->items[i], *y = &b->items[i];
		if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->denom != y->denom)
			return lt_fail(LATHE_EMISMATCH, "%s: item %zu differs ('%s' / '%s', denominators %g / %g)", fn, i,
			               x->name, y->name, x->denom, y->denom);
		if (x->kind != LATHE_ITEM_AGGREGATE)
			return lt_fail(LATHE_EINVAL, "%s: item '%s' is one value per patient: such items do not add", fn,
			               x->name);
	}
	if (a->rows > SIZE_MAX - b->rows)
		return lt_fail(LATHE_EINVAL, "%s: row counts overflow", fn);
	lathe_status s;
	for (size_t i = 0; i < a->n_items; i++)
		if ((s = lt_circ_check_bound(fn, ctx, a->items[i].name, lt_circ_add_sat(a->items[i].bound,
		                                                                      b->items[i].bound))))
			return s;
	lathe_result *r = NULL;
	if ((s = lt_circ_result_new(ctx, a->circuit, a->rows + b->rows, a->n_items, a->key_id, &r)))
		return s;
	for (size_t i = 0; i < a->n_items && !s; i++) {
		const lt_circ_item *x = &a->items[i], *y = &b->items[i];
		s = lt_circ_item_set(r, i, x->name, x->kind, x->denom, x->bound + y->bound, 1);
		if (!s && (s = lathe_ct_add(ev, r->items[i].cts[0], x->cts[0], y->cts[0])))
			s = lt_circ_pass(s, "%s: item '%s'", fn, x->name);
	}
	if (s) {
		lathe_result_free(r);
		return s;
	}
	if (alias)
		lathe_result_free(*out);
	*out = r;
	return LATHE_OK;
}

size_t
lathe_result_item_cts(const lathe_result *r, size_t i)
{
	return r && i < r->n_items ? r->items[i].n_cts : 0;
}

const lathe_ct *
lathe_result_item_ct(const lathe_result *r, size_t i, size_t k)
{
	return r && i < r->n_items && k < r->items[i].n_cts ? r->items[i].cts[k] : NULL;
}

/* item i's values from the decoded slots of its ciphertext k: values[k S ...], each within the item's bound */
static lathe_status
item_take(const char *fn, const lathe_result *r, size_t i, size_t k, const int64_t *slot, uint64_t slack,
          int64_t *values)
{
	const lt_circ_item *it = &r->items[i];
	const size_t need = it->kind == LATHE_ITEM_PER_PATIENT ? r->rows : 1, S = r->slots;
	const size_t first = k * S;
	size_t n = need - first < S ? need - first : S;
	if (it->kind == LATHE_ITEM_AGGREGATE)
		n = 1;
	for (size_t j = 0; j < n; j++) {
		uint64_t m = slot[j] < 0 ? (uint64_t)(-(slot[j] + 1)) + 1 : (uint64_t)slot[j];
		if (m > it->bound && (slack == 0 || m - it->bound > slack))
			return lt_fail(LATHE_ERANGE,
			               "%s: item '%s', value %zu decrypts to %lld, beyond its bound %llu%s: not a result of "
			               "this circuit",
			               fn, it->name, first + j, (long long)slot[j], (unsigned long long)it->bound,
			               slack ? " and the slack" : "");
		/* within the slack: clamped to the bound (post-processing of a noisy release) */
		values[first + j] = m <= it->bound ? slot[j] : slot[j] < 0 ? -(int64_t)it->bound : (int64_t)it->bound;
	}
	return LATHE_OK;
}

/* the argument checks of lathe_result_decrypt and lathe_result_item_decode: the number of values of item i */
static lathe_status
item_check(const char *fn, const lathe_result *r, size_t i, const void *values, size_t n_values, size_t *need)
{
	if (!r || !values)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !r ? "r" : "values");
	if (i >= r->n_items)
		return lt_fail(LATHE_EINVAL, "%s: item %zu of a result of %zu items", fn, i, r->n_items);
	const lt_circ_item *it = &r->items[i];
	*need = it->kind == LATHE_ITEM_PER_PATIENT ? r->rows : 1;
	if (n_values < *need)
		return lt_fail(LATHE_EINVAL, "%s: item '%s' has %zu values, room for %zu", fn, it->name, *need, n_values);
	return LATHE_OK;
}

lathe_status
lathe_result_item_decode(const lathe_result *r, size_t i, const lathe_pt *const *pts, size_t n_pts, uint64_t slack,
                         int64_t *values, size_t n_values)
{
	const char *fn = "lathe_result_item_decode";
	size_t need;
	lathe_status s = item_check(fn, r, i, values, n_values, &need);
	if (s)
		return s;
	const lt_circ_item *it = &r->items[i];
	if (!pts || n_pts != it->n_cts)
		return lt_fail(LATHE_EINVAL, "%s: item '%s' has %zu ciphertexts, %zu plaintexts given", fn, it->name,
		               it->n_cts, pts ? n_pts : 0);
	const size_t S = r->slots;
	int64_t *slot = malloc(S * sizeof(int64_t));
	if (!slot)
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t k = 0; k < it->n_cts && !s; k++) {
		if (!pts[k]) {
			s = lt_fail(LATHE_EINVAL, "%s: plaintext %zu is NULL", fn, k);
			break;
		}
		if ((s = lathe_decode(slot, S, pts[k]))) {
			s = lt_circ_pass(s, "%s: item '%s', plaintext %zu", fn, it->name, k);
			break;
		}
		s = item_take(fn, r, i, k, slot, slack, values);
	}
	if (slot)
		sodium_memzero(slot, S * sizeof(int64_t));
	free(slot);
	if (s)
		memset(values, 0, need * sizeof(int64_t));
	return s;
}

lathe_status
lathe_result_decrypt(const lathe_sk *sk, const lathe_result *r, size_t i, int64_t *values, size_t n_values)
{
	const char *fn = "lathe_result_decrypt";
	if (!sk)
		return lt_fail(LATHE_EINVAL, "%s: argument 'sk' is NULL", fn);
	size_t need;
	lathe_status s = item_check(fn, r, i, values, n_values, &need);
	if (s)
		return s;
	const lt_circ_item *it = &r->items[i];
	const size_t S = r->slots;
	int64_t *slot = malloc(S * sizeof(int64_t));
	lathe_pt *pt = NULL;
	s = slot ? lathe_pt_new(r->ctx, &pt) : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t k = 0; k < it->n_cts && !s; k++) {
		if ((s = lathe_decrypt(sk, pt, it->cts[k])) || (s = lathe_decode(slot, S, pt))) {
			s = lt_circ_pass(s, "%s: item '%s', ciphertext %zu", fn, it->name, k);
			break;
		}
		s = item_take(fn, r, i, k, slot, 0, values);
	}
	lathe_pt_free(pt);
	if (slot)
		sodium_memzero(slot, S * sizeof(int64_t));
	free(slot);
	if (s)
		memset(values, 0, need * sizeof(int64_t));
	return s;
}
