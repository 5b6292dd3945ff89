/* Small C helpers for the Cython core that are awkward to express in Cython. */
#ifndef FASTCOPY_HELPERS_H
#define FASTCOPY_HELPERS_H

#include <Python.h>
#include <stdint.h>

/* Py_EnterRecursiveCall returns "non-zero" on error (1 on some versions,
   -1 on others); normalise to -1 so Cython can declare `except -1`. */
static inline int fc_enter_recursive_call(const char *where)
{
    return Py_EnterRecursiveCall(where) ? -1 : 0;
}

/* Fibonacci hashing of an object address into a table of 2**bits slots.
   Object addresses are 16-byte aligned, so the low bits carry nothing. */
static inline Py_ssize_t fc_address_slot(const void *p, int bits)
{
    uint64_t h = ((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL;
    return (Py_ssize_t)(h >> (64 - bits));
}

#endif
