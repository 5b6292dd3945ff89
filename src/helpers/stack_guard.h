/* C stack guard for the levels of hooks and reduce protocol, and the room
   left for the recursive copy of nested tuples (the walk over containers and
   plain instances itself does not recurse). */
#ifndef FASTCOPY_STACK_GUARD_H
#define FASTCOPY_STACK_GUARD_H

#if defined(_WIN32)
#  include <windows.h>
#else
#  include <pthread.h>
#endif


/* C stack guard.
 *
 * Built-in containers and plain instances are walked without C recursion,
 * but hooks and the reduce protocol nest (a linked list of objects with
 * __deepcopy__ copies node inside node), and every level takes some C stack.
 * The levels are not counted against the recursion limit: a hook written in
 * Python counts its own frame, as it does under the stdlib, so a chain of
 * hooks goes as deep as the stdlib's (the stdlib's deepcopy frame between
 * two hooks is C code here).  What bounds them is the C stack: each level
 * checks the address of a local variable against the lowest address of the
 * thread's stack plus a margin, and raises RecursionError instead of
 * overflowing.  The margin leaves room for what the deepest hook runs: an
 * eighth of the stack, between 20 KiB (a thread made with
 * threading.stack_size(64 * 1024)) and 256 KiB (a main thread of 8 MiB).
 * The bounds are looked up once per thread.
 */
#define FC_STACK_MARGIN_MIN (20 * 1024)
#define FC_STACK_MARGIN_MAX (256 * 1024)

#if defined(_MSC_VER)
#  define FC_THREAD_LOCAL __declspec(thread)
#else
#  define FC_THREAD_LOCAL __thread
#endif

/* Nested tuples are copied by recursion (list_copy.pxi) only while the
   stack is in its upper half (and within the thread's stack as looked up:
   not on a stack of its own that some runtime switched to): below, they go
   to the walk's frames, so that the lower half is left for hooks, whatever
   the nesting.  No recursion on a stack whose upper half would reach into
   the hooks' margin. */
static FC_THREAD_LOCAL char *fc_stack_floor = NULL;   /* NULL: unknown */
static FC_THREAD_LOCAL char *fc_recursion_floor = NULL;   /* NULL: none */
static FC_THREAD_LOCAL char *fc_recursion_ceiling = NULL;
static FC_THREAD_LOCAL int fc_stack_looked_up = 0;

static void fc_stack_lookup(void)
{
    char *low = NULL;
    size_t size = 0;
#if defined(_WIN32)
    ULONG_PTR lo, hi;
    GetCurrentThreadStackLimits(&lo, &hi);
    low = (char *)lo;
    size = (size_t)(hi - lo);
#elif defined(__APPLE__)
    char *high = (char *)pthread_get_stackaddr_np(pthread_self());
    size = pthread_get_stacksize_np(pthread_self());
    low = high - size;
#elif defined(__linux__) || defined(__FreeBSD__)
    pthread_attr_t attr;
    void *addr;
#  if defined(__FreeBSD__)
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_get_np(pthread_self(), &attr) == 0
#  else
    {
        if (pthread_getattr_np(pthread_self(), &attr) == 0
#  endif
                && pthread_attr_getstack(&attr, &addr, &size) == 0) {
            low = (char *)addr;
        }
        pthread_attr_destroy(&attr);
    }
#endif
    size_t margin = size / 8;
    if (margin < FC_STACK_MARGIN_MIN)
        margin = FC_STACK_MARGIN_MIN;
    if (margin > FC_STACK_MARGIN_MAX)
        margin = FC_STACK_MARGIN_MAX;
    if (low != NULL && size > margin) {
        fc_stack_floor = low + margin;
        if (size / 2 > margin) {
            fc_recursion_floor = low + size / 2;
            fc_recursion_ceiling = low + size;
        }
    }
    fc_stack_looked_up = 1;
}

/* The lowest safe stack address of this thread, NULL if unknown, and in
   *recursion_floor and *recursion_ceiling the range of the recursive tuple
   copy (NULL: no recursion).  Reading a thread-local from a shared library
   is a function call, so a deepcopy() call reads them at most once, when
   first needed, and keeps them (in its Session). */
static inline char *fc_thread_stack_floor(char **recursion_floor, char **recursion_ceiling)
{
    if (!fc_stack_looked_up)
        fc_stack_lookup();
    *recursion_floor = fc_recursion_floor;
    *recursion_ceiling = fc_recursion_ceiling;
    return fc_stack_floor;
}

/* Is the stack between floor and ceiling here (never if floor is NULL)? */
static inline int fc_stack_within(const char *floor, const char *ceiling)
{
    char here;
    return floor != NULL && &here > floor && &here < ceiling;
}

/* 0, or -1 with RecursionError set when the C stack is nearly exhausted
   (below floor, from fc_thread_stack_floor() of this thread). */
static inline int fc_check_stack(const char *floor)
{
    char here;
    if (floor != NULL && &here < floor) {
        PyErr_SetString(PyExc_RecursionError,
                        "maximum recursion depth exceeded while deep-copying "
                        "(the thread's C stack is nearly exhausted)");
        return -1;
    }
    return 0;
}

#endif
