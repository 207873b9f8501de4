/* top500_facts.h — the layout of the built-in TOP500 / HPL-MxP facts, shared
 * by the generated table (top500_embedded.c) and its reader
 * (top500_builtin.c).  Internal to the library. */
#ifndef SW_TOP500_FACTS_H
#define SW_TOP500_FACTS_H

#include <stddef.h>

typedef struct sw_t5_fact {
    const char *list;
    long rank;
    const char *name; /* the system name, or the computer when the list has none */
    double cores, accel_cores, rmax, rpeak, hpcg, power_kw; /* NAN = blank */
} sw_t5_fact;

typedef struct sw_t5_edition {
    const char *list;
    size_t rows; /* rows of the full list */
} sw_t5_edition;

typedef struct sw_t5_mxp_fact {
    const char *list, *name;
    double hpl_mxp_eflops, hpl_eflops;
    long top500_rank;
    double cores;
    const char *note;
} sw_t5_mxp_fact;

extern const sw_t5_fact sw_t5_facts[];
extern const size_t sw_t5_nfacts;
extern const sw_t5_edition sw_t5_editions[];
extern const size_t sw_t5_neditions;
extern const sw_t5_mxp_fact sw_t5_mxp_facts[];
extern const size_t sw_t5_nmxp;

#endif
