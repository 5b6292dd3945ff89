/* The C helpers of the Cython core: what is awkward or impossible to say in
   Cython, one header per concern.  capi.pxd declares them for Cython. */
#ifndef FASTCOPY_HELPERS_H
#define FASTCOPY_HELPERS_H

#include <Python.h>
#include <stdint.h>

/* Set by a debug build (FASTCOPY_DEBUG=1 at build time): the core asserts
   its invariants. */
#ifndef FASTCOPY_DEBUG
#define FASTCOPY_DEBUG 0
#endif

/* For the few helpers the compiler would not inline into the large
   functions of the walk by itself. */
#if defined(_MSC_VER)
#define FC_ALWAYS_INLINE static __forceinline
#elif defined(__GNUC__) || defined(__clang__)
#define FC_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define FC_ALWAYS_INLINE static inline
#endif

#include "helpers/versions.h"
#include "helpers/cpython_internals.h"   /* every private layout read */
#include "helpers/stack_guard.h"         /* recursion limit, C stack floor */
#include "helpers/dispatch_watch.h"      /* the dispatch-table epoch */
#include "helpers/type_slots.h"          /* type-slot checks, address hash */
#include "helpers/spare_slot.h"          /* the memo storage kept between calls */
#include "helpers/bulk_copy.h"           /* GC-off whole-container copies */
#include "helpers/entry.h"               /* built-in entry points, patched vectorcall */

#endif
