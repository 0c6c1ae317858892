/*
 * The context of a public key. lathe/bgv.h has no accessor for it yet
 * (lathe_pk_ctx is wanted there, next to lathe_eval_ctx); when the library
 * defines one, it is used. Until then the context is read as the first
 * member of struct lathe_pk (src/bgv/internal.h), the one place where this
 * layer depends on a layout of another: remove the fallback with it.
 */
#include "internal.h"

/* a weak reference: NULL while no definition is linked in */
extern const lathe_ctx *lathe_pk_ctx(const lathe_pk *pk) __attribute__((weak));

const lathe_ctx *
lt_circ_pk_ctx(const lathe_pk *pk)
{
	if (!pk)
		return NULL;
	if (lathe_pk_ctx)
		return lathe_pk_ctx(pk);
	const lathe_ctx *const *first = (const lathe_ctx *const *)(const void *)pk;
	return *first;
}
