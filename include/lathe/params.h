/*
 * lathe — parameters and contexts.
 *
 * A parameter literal (lathe_params) is filled by the caller and checked
 * into an immutable context (lathe_ctx) or refused with a specific status
 * and a lathe_last_error() sentence. A context holds every precomputed
 * table (primes, NTT tables, RNS constants, encoder permutation) and may be
 * shared by any number of threads. It must outlive every object made from it.
 */
#ifndef LATHE_PARAMS_H
#define LATHE_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "error.h"

LATHE_BEGIN_DECLS

typedef struct lathe_params lathe_params;
typedef struct lathe_ctx lathe_ctx;

/* Security level against the HomomorphicEncryption.org table (DESIGN §4). */
typedef enum lathe_security {
	LATHE_SECURITY_128 = 128,
	LATHE_SECURITY_192 = 192,
	LATHE_SECURITY_256 = 256,
	LATHE_SECURITY_NONE = 0 /* tests only: the context says so when described */
} lathe_security;

/* Secret-key distribution. */
typedef enum lathe_secret_dist {
	LATHE_SECRET_TERNARY = 0 /* uniform in {-1, 0, 1} */
} lathe_secret_dist;

/* A new literal with defaults: N = 2^13, t = 65537, depth 2, 128-bit, dnum 2. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_new(lathe_params **out);
LATHE_API void lathe_params_free(lathe_params *p);

/* Ring degree N = 2^log_n, 10 <= log_n <= 17. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_ring(lathe_params *p, unsigned log_n);

/*
 * Plaintext modulus t = prime^r (prime >= 2, r >= 1, t < 2^60). For an odd
 * prime, t has slots (batch encoding, rotations): with d the order of
 * prime mod 2N, there are N / d slots, each holding a value mod t (thin
 * slots; N slots when prime = 1 mod 2N). For prime = 2 only coefficient
 * encoding is available.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_params_set_plain_modulus(lathe_params *p, uint64_t prime, unsigned r);

/*
 * Multiplicative depth: the chain gets depth + 1 primes sized for t and N
 * (q_0 for decryption and one per multiplication, the top one sized for the
 * product of two fresh encryptions), or depth + 2 when that top prime would
 * exceed 50 bits (large t: then a prime of its own absorbs the noise of
 * fresh encryptions), replacing any explicit chain set before.
 * A context built from it evaluates `depth` sequential multiplications
 * (with automatic modulus switching) and still decrypts.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_depth(lathe_params *p, unsigned depth);

/*
 * Explicit chain: bits[0] is q_0 (the decryption prime), then one prime
 * per level, each of 20 to 61 bits (at most 50 for the vector kernels).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_params_set_chain(lathe_params *p, const unsigned *bits, size_t n);

/*
 * Hybrid key switching: the chain is split into dnum digits (1 <= dnum <=
 * number of chain primes). special_bits: sizes of the special primes P
 * (NULL, 0 = chosen so that P exceeds the largest digit).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_params_set_keyswitch(lathe_params *p, unsigned dnum, const unsigned *special_bits, size_t n);

LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_security(lathe_params *p, lathe_security s);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_secret(lathe_params *p, lathe_secret_dist d);

/*
 * Makes the context bootstrappable (lathe/boot.h): besides t = p^r it
 * serves p^e, e = r + 1, under which its keys are made, and bootstrapping
 * uses a sparse secret of Hamming weight h (the main secret stays dense).
 * e = 0 turns it off. Set the plaintext modulus first. At a security level,
 * lathe_ctx_new also requires h >= 64, N >= 2^15, log2(q_0 p_0) <= 120 and
 * p_0 >= q_0 2^6 (q_0 the first chain prime, p_0 the first special prime;
 * docs/bootstrapping.md says why). Errors: LATHE_EINVAL (NULL, h = 0 or
 * above 2^17), LATHE_EUNSUPPORTED (e != r + 1, p = 2).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_bootstrap(lathe_params *p, unsigned e, unsigned h);

/*
 * A context for keys shared by n parties (lathe/multiparty.h), 1 <= n <=
 * LATHE_MAX_PARTIES: the secret is the sum of n ternary secrets and the
 * keys' errors are sums and products of the parties' errors, and the
 * noise model counts them (so a product leaves less budget than in a
 * one-party context of the same chain). n = 1 (the default) is the
 * ordinary one-key context. A context for n > 1 parties is a different
 * context (its hash and file say n) and cannot be bootstrapping's.
 * Errors: LATHE_EINVAL (NULL, n = 0 or above LATHE_MAX_PARTIES).
 */
#define LATHE_MAX_PARTIES 64
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_set_parties(lathe_params *p, unsigned n);

/*
 * Checks the literal and builds the context. Errors: LATHE_EINVAL (NULL),
 * LATHE_EPARAM (inconsistent: too few primes of a size, t not prime power,
 * ...), LATHE_EINSECURE (log2(Q*P) above the bound of the security level
 * for N), LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_new(const lathe_params *p, lathe_ctx **out);

/*
 * A context from a preset name:
 *   "bgv-128-n8192-t65537"    depth 2
 *   "bgv-128-n16384-t65537"   depth 6
 *   "bgv-128-n32768-t65537"   depth 14
 *   "bgv-128-n65536-t786433"  depth 30
 * and the bootstrappable ones (lathe/boot.h, lathe_boot_presets):
 *   "bgv-128-boot-n32768-p257"       N = 2^15, t = 257, 128 thin slots;
 *                                    a bootstrap from level 1 leaves level 8
 *   "bgv-128-boot-n32768-p127"       N = 2^15, t = 127, 64 slots in one cycle
 *   "bgv-128-boot-n65536-p65537"     N = 2^16, t = 65537, 32768 thin slots;
 *                                    a bootstrap from level 4 leaves level 19
 *   "insecure-test-boot-n4096-p257", "insecure-test-boot-n4096-p127"
 *                                    the same chains on N = 2^12 (tests only)
 *   "insecure-test-boot-n8192-p65537" B's chain on N = 2^13 (tests only)
 * Errors: LATHE_EINVAL (unknown name) and those of lathe_ctx_new.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_new_preset(const char *name, lathe_ctx **out);
/*
 * The parameters of a preset, to change before lathe_ctx_new (a preset for
 * n parties: lathe_params_set_parties; lathe_ctx_new checks the result as
 * any literal). Free with lathe_params_free. Errors: LATHE_EINVAL (NULL,
 * unknown name), LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_params_new_preset(const char *name, lathe_params **out);

LATHE_API void lathe_ctx_free(lathe_ctx *ctx);

/*
 * Number of batch slots: N / d for an odd prime (d its order mod 2N), 0
 * for t = 2^r. They form rows x cols (lathe_context_info): 2 x slots/2
 * when prime = 1 mod 4 (lathe_ct_rotate turns both rows,
 * lathe_ct_swap_rows swaps them), 1 x slots when prime = 3 mod 4.
 */
LATHE_API size_t lathe_ctx_slots(const lathe_ctx *ctx);
/* Ring degree N. */
LATHE_API size_t lathe_ctx_degree(const lathe_ctx *ctx);
/* Plaintext modulus t. */
LATHE_API uint64_t lathe_ctx_plain_modulus(const lathe_ctx *ctx);
/* Highest level (number of chain primes - 1); fresh ciphertexts are there. */
LATHE_API unsigned lathe_ctx_max_level(const lathe_ctx *ctx);

/* What lathe_ctx_info reports: everything a tool needs to know of a context's parameters. */
#define LATHE_INFO_MAX_CHAIN 64
#define LATHE_INFO_MAX_SPECIAL 16
typedef struct lathe_context_info {
	unsigned log_n;                /* N = 2^log_n */
	size_t n;                      /* ring degree N */
	uint64_t t;                    /* plaintext modulus t = t_prime^t_exp */
	uint64_t t_prime;
	unsigned t_exp;
	size_t slots;                  /* batch slots, as lathe_ctx_slots (0: none) */
	size_t slot_degree;            /* d: the order of t_prime mod 2N (slots = N / d); 0 without slots */
	size_t slot_rows, slot_cols;   /* the slots as rows x cols: 2 x slots/2, or 1 x slots (t_prime = 3 mod 4) */
	unsigned chain_primes;         /* L + 1; the top level is L */
	uint64_t chain[LATHE_INFO_MAX_CHAIN];       /* q_0 ... q_L */
	double log2_q[LATHE_INFO_MAX_CHAIN];        /* log2 Q_l = log2(q_0 ... q_l), per level l */
	unsigned special_primes;       /* k */
	uint64_t special[LATHE_INFO_MAX_SPECIAL];   /* p_0 ... p_{k-1} */
	double log2_p;                 /* log2 P */
	double log2_qp;                /* log2(Q_L P): what the security bound is checked against */
	unsigned dnum;                 /* key-switching digits */
	unsigned alpha;                /* chain primes per digit (the last digit may have fewer) */
	int security;                  /* 128, 192, 256, or 0 (insecure test parameters) */
	int security_bound;            /* the table's bound on log2(Q_L P) for N (0 with security 0) */
	int batching;                  /* 1 when there are slots (slots > 0) */
	/* in-memory sizes, bytes: one key-switching key (relinearization or Galois), a public key, a top-level ciphertext */
	size_t ksk_bytes, pk_bytes, ct_bytes;
	uint8_t param_hash[32];        /* what objects made under this context are matched by */
	/* bootstrapping (lathe_params_set_bootstrap): e, p^e and h; all 0 when the context is not bootstrappable */
	unsigned boot_exp;
	uint64_t boot_t;
	unsigned boot_h;
	unsigned parties;              /* parties whose secrets sum to the key (lathe_params_set_parties): 1 or more */
} lathe_context_info;

/* Fills info with ctx's parameters. Errors: LATHE_EINVAL (NULL). On error info is zeroed. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_info(const lathe_ctx *ctx, lathe_context_info *info);

/*
 * Writes a description (N, log Q per level, P, dnum, t, slots, security
 * level and the bound it was checked against) into buf (always
 * NUL-terminated when size > 0). *needed (if not NULL) gets the full length.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ctx_describe(const lathe_ctx *ctx, char *buf, size_t size, size_t *needed);

LATHE_END_DECLS

#endif
