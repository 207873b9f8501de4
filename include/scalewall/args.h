/* args.h — the values a user types on the command line: lists of unit
 * counts, repetition ranges, "k=v,k=v" parameter tables.
 *
 * Why in the library: every command takes them, they are fuzzed
 * (fuzz/fuzz_options.c), and a check written once is the same everywhere.
 * Errors are SW_EINVAL (usage, exit 2) with a message about the value alone;
 * the CLI puts the option's name in front ("--np: ..."). */
#ifndef SCALEWALL_ARGS_H
#define SCALEWALL_ARGS_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counts of units: "1,2,4,8" (each >= 1), or a range "LO:HI" with
 * 1 <= LO <= HI <= max: the powers of two from LO when both ends are
 * powers of two, else 10 log-spaced points per decade (rounded, ends
 * included).  `whole`: every value must be a whole number (a range's ends
 * too).  *list is malloc'd, ascending for a range, as given for a list. */
sw_status sw_args_counts(const char *arg, double max, int whole, double **list, size_t *n,
                         sw_error *err);

/* "MIN:MAX" or "N" (MIN = MAX = N), whole numbers with 1 <= MIN <= MAX <= max. */
sw_status sw_args_range(const char *arg, long max, long *lo, long *hi, sw_error *err);

/* A parameter table: key, type, inclusive range and default.  `value` is
 * what parsing leaves (the default when the key is absent). */
typedef enum sw_wlp_type { SW_WLP_INT = 0, SW_WLP_REAL = 1 } sw_wlp_type;

typedef struct sw_wlp {
    const char *key;
    sw_wlp_type type;
    double min, max;
    double def;
    double value;
} sw_wlp;

/* Parses `params` ("k=v,k=v"; ';' also separates, so a canonical string
 * parses back; NULL or "" means all defaults) into the table.  Every error
 * (unknown or repeated key, an item without '=', a value that is not a
 * number, not whole for an integer, or out of range) is SW_EINVAL naming
 * `owner` (the workload) and the item. */
sw_status sw_wlp_parse(const char *owner, sw_wlp *tab, size_t n, const char *params,
                       sw_error *err);
/* The value of `key` (which must be in the table). */
double sw_wlp_get(const sw_wlp *tab, size_t n, const char *key);
long sw_wlp_geti(const sw_wlp *tab, size_t n, const char *key);
/* Canonical "k=v;k=v" of every parameter in table order (malloc'd, NULL on
 * allocation failure).  ';' because results files are CSV (see obs.h). */
char *sw_wlp_canon(const sw_wlp *tab, size_t n);

#ifdef __cplusplus
}
#endif
#endif
