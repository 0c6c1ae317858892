/* The context of a public key, for the layers above bgv. */
#include "internal.h"

const lathe_ctx *
lt_circ_pk_ctx(const lathe_pk *pk)
{
	return lathe_pk_ctx(pk);
}
