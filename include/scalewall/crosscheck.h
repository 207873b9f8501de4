/* crosscheck.h — does a fit of a few real points agree with a simulation of
 * many ranks?  The comparison behind `scalewall crosscheck` (issue 7's closed
 * loop; across nodes, issue 14), reusable by anything that holds a fitted
 * model and a simulated series.
 *
 * The command runs the measurements and the simulation (child processes:
 * each owns its MPI_Init); this module does what comes after: the compute
 * rate a simulated rank gets from the real one-rank runs, the prediction of
 * the fit against the simulated median at every simulated N with the fit's
 * own interval, the one-sentence verdict, and the table as CSV. */
#ifndef SCALEWALL_CROSSCHECK_H
#define SCALEWALL_CROSSCHECK_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/fit.h"
#include "scalewall/obs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sw_xc_row {
    double n;              /* simulated N */
    double pred, lo, hi;   /* the fit's T(N) and its interval */
    double sim;            /* the simulated median */
    double dis;            /* 100 (sim - pred) / pred */
    int inside;            /* sim within [lo, hi]: 1, 0; -1 without an interval */
} sw_xc_row;

/* The rate a simulated rank computes at: the median of flops / run_s over
 * the ok, non-outlier repetitions at N = 1 (the `flops` and `run_s` extras
 * measure writes).  *runs = how many; SW_EPARSE naming `name` when none. */
sw_status sw_crosscheck_rate(const sw_obs *real, const char *name, double *rate, size_t *runs,
                             sw_error *err);

/* rows[i] for each of the n simulated N: the simulated median at that N (an
 * N the series lacks is SW_EPARSE naming `name`) against the prediction at
 * `level`. */
sw_status sw_crosscheck_compare(const sw_fitmodel *m, const sw_obs *sim, const char *name,
                                const double *n, size_t nn, double level, sw_xc_row *rows,
                                sw_error *err);

/* What the sentence says about the real side. */
typedef struct sw_xc_context {
    const char *workload;
    const char *real_n;     /* "1,2,4" */
    const char *sim_n;      /* "16,64" */
    double level;
    size_t oversubscribed;  /* real N that ran more ranks than cores */
    long cores;
    const char *cores_of;   /* whose cores: "this machine's", "a node's" */
} sw_xc_context;

/* One sentence: how far the small-N fit is from the simulation, whether its
 * own interval covers the difference, and, when it does not and some real N
 * were oversubscribed, that the fit then extrapolates time-sharing. */
void sw_crosscheck_summary(const sw_xc_context *c, const sw_xc_row *rows, size_t n, char *buf,
                           size_t len);

/* The table: n,predicted,predicted_lo,predicted_hi,simulated,disagreement_pct,inside */
sw_status sw_crosscheck_write_csv(const sw_xc_row *rows, size_t n, FILE *fp, sw_error *err);

#ifdef __cplusplus
}
#endif
#endif
