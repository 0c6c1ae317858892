/*
 * lathe — fully homomorphic encryption (BGV on RNS/NTT power-of-two rings).
 * Include this header to get the whole public API.
 */
#ifndef LATHE_H
#define LATHE_H

#include "lathe/common.h"
#include "lathe/version.h"
#include "lathe/error.h"
#include "lathe/rng.h"
#include "lathe/runtime.h"
#include "lathe/params.h"
#include "lathe/bgv.h"
#include "lathe/io.h"
#include "lathe/polyeval.h"
#include "lathe/lintrans.h"
#include "lathe/boot.h"
#include "lathe/multiparty.h"
#include "lathe/circuits.h"

#endif
