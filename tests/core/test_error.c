#include <stdio.h>
#include <limits.h>
#include <criterion/criterion.h>

#include <string.h>

#include <lathe.h>

Test(error, every_status_has_a_distinct_message)
{
	for (int i = 0; i < LATHE_STATUS_COUNT; i++) {
		const char *m = lathe_strerror((lathe_status)i);
		cr_assert_not_null(m);
		cr_assert_gt(strlen(m), 3);
		cr_assert_neq(strcmp(m, "unknown status code"), 0, "status %d has no message", i);
		for (int j = 0; j < i; j++)
			cr_assert_neq(strcmp(m, lathe_strerror((lathe_status)j)), 0, "%d and %d share a message", i, j);
	}
	cr_assert_str_eq(lathe_strerror((lathe_status)999), "unknown status code");
	cr_assert_str_eq(lathe_strerror(LATHE_OK), "success");
}

Test(error, null_arguments_give_einval_with_detail)
{
	cr_assert_eq(lathe_rng_new(NULL, NULL), LATHE_EINVAL);
	cr_assert(strstr(lathe_last_error(), "out") != NULL, "detail: %s", lathe_last_error());
	cr_assert_eq(lathe_seed_random(NULL), LATHE_EINVAL);
	cr_assert_eq(lathe_rng_bytes(NULL, NULL, 1), LATHE_EINVAL);
	lathe_rng *r;
	cr_assert_eq(lathe_rng_new(&r, NULL), LATHE_OK);
	cr_assert_eq(lathe_rng_bytes(r, NULL, 4), LATHE_EINVAL);
	cr_assert_eq(lathe_rng_bytes(r, NULL, 0), LATHE_OK);
	lathe_rng_free(r);
	lathe_rng_free(NULL);
}

Test(error, thread_count_is_validated)
{
	cr_assert_eq(lathe_set_threads(-1), LATHE_EINVAL);
	cr_assert_eq(lathe_set_threads(1), LATHE_OK);
	cr_assert_eq(lathe_get_threads(), 1);
	cr_assert_eq(lathe_set_threads(2), LATHE_OK);
	cr_assert_eq(lathe_get_threads(), 2);
	cr_assert_eq(lathe_set_threads(0), LATHE_OK);
	cr_assert_geq(lathe_get_threads(), 1);
	/* above the limit: refused, the count unchanged (100000 crashed libgomp, INT_MAX overflowed) */
	cr_assert_eq(lathe_set_threads(2), LATHE_OK);
	cr_assert_eq(lathe_set_threads(100000), LATHE_EINVAL);
	cr_assert(strstr(lathe_last_error(), "limit"), "%s", lathe_last_error());
	cr_assert_eq(lathe_set_threads(INT_MAX), LATHE_EINVAL);
	cr_assert_eq(lathe_set_threads(LATHE_THREADS_MAX + 1), LATHE_EINVAL);
	cr_assert_eq(lathe_get_threads(), 2);
	cr_assert_eq(lathe_set_threads(LATHE_THREADS_MAX), LATHE_OK);
	cr_assert_eq(lathe_get_threads(), LATHE_THREADS_MAX);
	cr_assert_eq(lathe_set_threads(0), LATHE_OK);
	const char *k = lathe_kernel_name();
	cr_assert(strcmp(k, "avx2") == 0 || strcmp(k, "scalar") == 0);
}

Test(error, version_string_matches_the_headers_and_the_build)
{
	char want[32];
	snprintf(want, sizeof want, "%d.%d.%d", LATHE_VERSION_MAJOR, LATHE_VERSION_MINOR, LATHE_VERSION_PATCH);
	cr_assert_str_eq(lathe_version_string(), want);
	cr_assert_str_eq(lathe_version_string(), LT_PROJECT_VERSION, "meson's project version and the headers disagree");
}
