/*
 * lathe — version of the headers and of the library they are linked with.
 */
#ifndef LATHE_VERSION_H
#define LATHE_VERSION_H

#include "common.h"

LATHE_BEGIN_DECLS

#define LATHE_VERSION_MAJOR 0
#define LATHE_VERSION_MINOR 1
#define LATHE_VERSION_PATCH 0

/*
 * The version of the library in use, "MAJOR.MINOR.PATCH" (a static string):
 * compare it with the LATHE_VERSION_* macros of the headers a program was
 * built with.
 */
LATHE_API const char *lathe_version_string(void);

LATHE_END_DECLS

#endif
