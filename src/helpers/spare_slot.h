/* One pointer shared by every thread and interpreter of the process,
   swapped atomically: where the memo table keeps its storage between
   deepcopy() calls (memo.pxi).  An exchange is all it needs, so it holds
   in free-threaded builds and between interpreters with GILs of their own. */
#ifndef FASTCOPY_SPARE_SLOT_H
#define FASTCOPY_SPARE_SLOT_H

#if defined(_MSC_VER)
#include <intrin.h>
#endif

static void *fc_spare_slot_value = NULL;

/* Put p in the slot; return what was there (NULL if it was empty). */
static inline void *fc_spare_slot_exchange(void *p)
{
#if defined(_MSC_VER)
    return _InterlockedExchangePointer(&fc_spare_slot_value, p);
#else
    return __atomic_exchange_n(&fc_spare_slot_value, p, __ATOMIC_ACQ_REL);
#endif
}

#endif
