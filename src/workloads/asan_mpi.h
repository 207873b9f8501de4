/* asan_mpi.h — what an MPI program needs to run under AddressSanitizer
 * without LeakSanitizer reporting Open MPI's own allocations.  Include it in
 * exactly one translation unit of the program (it defines two functions);
 * outside sanitizer builds it is empty.
 *
 * Open MPI 4.1 dlclose()s its MCA plugins in MPI_Finalize, which turns their
 * start-up allocations into "<unknown module>" frames that no suppression
 * can name, so dlclose is made a no-op (plugins stay mapped until exit,
 * which is all it changes); and the fast unwinder stops inside libc (no
 * frame pointers), so stacks of allocations made through vasprintf never
 * reach libmpi — the slow unwinder does, and tests/lsan.supp then matches
 * them. */
#ifndef SW_WORKLOADS_ASAN_MPI_H
#define SW_WORKLOADS_ASAN_MPI_H

#if defined(__SANITIZE_ADDRESS__)
int dlclose(void *handle);
int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
#endif

#endif
