/* Named CPython versions for the #if tests of the helpers. */
#ifndef FASTCOPY_VERSIONS_H
#define FASTCOPY_VERSIONS_H

#define FC_PY_3_10 0x030A0000
#define FC_PY_3_11 0x030B0000
#define FC_PY_3_12 0x030C0000
#define FC_PY_3_13 0x030D0000
#define FC_PY_3_14 0x030E0000
#define FC_PY_3_15 0x030F0000
#define FC_PY_3_16 0x03100000

/* The running headers are at least version v (one of the above). */
#define FC_AT_LEAST(v) (PY_VERSION_HEX >= (v))

/* A function the compiler must not inline (Python.h names one only from
   3.11 on). */
#if defined(__GNUC__) || defined(__clang__)
#define FC_NO_INLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define FC_NO_INLINE __declspec(noinline)
#else
#define FC_NO_INLINE
#endif

#endif
