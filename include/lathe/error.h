/*
 * lathe — status codes and error reporting.
 *
 * Every public function returns a lathe_status; LATHE_OK (0) means success.
 * After a failing call, lathe_last_error() returns a thread-local sentence
 * naming what was wrong (which argument, which level, which limb).
 */
#ifndef LATHE_ERROR_H
#define LATHE_ERROR_H

#include "common.h"

LATHE_BEGIN_DECLS

typedef enum lathe_status {
	LATHE_OK = 0,
	LATHE_EINVAL,    /* an argument is NULL, out of range or of the wrong form */
	LATHE_ENOMEM,    /* an allocation failed */
	LATHE_EPARAM,    /* parameters are inconsistent (N, primes, plaintext modulus) */
	LATHE_EINSECURE, /* parameters fall below the requested security level */
	LATHE_EMISMATCH, /* objects belong to different contexts or bases */
	LATHE_ELEVEL,    /* no level left, or levels that cannot be reconciled */
	LATHE_ENOKEY,    /* a required evaluation key is missing */
	LATHE_ENOISE,    /* the noise budget is exhausted */
	LATHE_EFORMAT,   /* unknown file format or version */
	LATHE_ECORRUPT,  /* a file or buffer is truncated or corrupted */
	LATHE_EIO,       /* an operating-system I/O error */
	LATHE_EAUTH,     /* authentication failed (wrong passphrase or tampering) */
	LATHE_EUNSUPPORTED, /* a valid request this build or CPU cannot serve */
	LATHE_EBUSY,     /* the evaluator is in use by another call (one evaluator per thread) */
	LATHE_ERANGE,    /* a value or result does not fit the plaintext space (it would wrap around mod t) */
	LATHE_STATUS_COUNT
} lathe_status;

/* A static, human-readable description of a status code. Never NULL. */
LATHE_API const char *lathe_strerror(lathe_status s);

/*
 * Detail of the last failing call on this thread ("" when none). The string
 * stays valid until the next lathe call on the same thread.
 */
LATHE_API const char *lathe_last_error(void);

LATHE_END_DECLS

#endif
