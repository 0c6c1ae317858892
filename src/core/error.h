/*
 * Internal error reporting: set the thread-local detail string and return
 * the status in one expression.
 */
#ifndef LT_ERROR_H
#define LT_ERROR_H

#include <lathe/error.h>

#if defined(__GNUC__)
#define LT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LT_PRINTF(a, b)
#endif

/* Records a printf-style detail for lathe_last_error() and returns s. */
lathe_status lt_fail(lathe_status s, const char *fmt, ...) LT_PRINTF(2, 3);

/* Clears the detail string (called on success by entry points that want it). */
void lt_error_clear(void);

/* Returns LATHE_EINVAL with "<func>: argument '<name>' is NULL" when p is NULL. */
#define LT_CHECK_NULL(p) \
	do { \
		if ((p) == NULL) \
			return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", __func__, #p); \
	} while (0)

#endif
