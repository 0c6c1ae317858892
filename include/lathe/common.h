/*
 * lathe — common macros shared by every public header.
 */
#ifndef LATHE_COMMON_H
#define LATHE_COMMON_H

#if defined(__GNUC__) || defined(__clang__)
#define LATHE_API __attribute__((visibility("default")))
#define LATHE_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define LATHE_API
#define LATHE_WARN_UNUSED
#endif

#ifdef __cplusplus
#define LATHE_BEGIN_DECLS extern "C" {
#define LATHE_END_DECLS }
#else
#define LATHE_BEGIN_DECLS
#define LATHE_END_DECLS
#endif

#endif
