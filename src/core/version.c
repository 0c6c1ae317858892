#include <lathe/version.h>

#define LT_STR_(x) #x
#define LT_STR(x) LT_STR_(x)

const char *
lathe_version_string(void)
{
	return LT_STR(LATHE_VERSION_MAJOR) "." LT_STR(LATHE_VERSION_MINOR) "." LT_STR(LATHE_VERSION_PATCH);
}
