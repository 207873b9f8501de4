/* trust.h — the trust gate: whether a number may be shown as an answer.
 *
 * A model fitted on N = 1..4 can be evaluated at N = 2048, and a price can
 * be multiplied out from it; neither makes the number something to buy on.
 * Plan, report and tour ask this gate before they show a time or a cost as
 * an answer.  An answer at N passes when
 *   - N lies where the model's intervals are calibrated: N / N_max at most
 *     the model's calibrated ratio (1 = inside the measured range), and not
 *     below the smallest measured N;
 *   - it runs on one node, or the model has seen a network (a simulated
 *     platform, SimGrid, or measurements across nodes): a model fitted on
 *     one machine knows nothing of the links between machines;
 *   - its interval spans at most a factor SW_TRUST_MAX_SPREAD (hi/lo): a
 *     wider one says the data cannot tell.
 * Otherwise the answer is shown as "beyond what the data supports" with the
 * reason, never as a recommendation.  docs/plan.md states the rules. */
#ifndef SCALEWALL_TRUST_H
#define SCALEWALL_TRUST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An interval wider than this factor (hi/lo) is not an answer. */
#define SW_TRUST_MAX_SPREAD 10.0

/* What a model knows of its own range. */
typedef struct sw_reach {
    double n_min, n_max;     /* the measured (or simulated) range of N, in units */
    double calibrated_ratio; /* intervals tested up to N / n_max = this (1: inside the
                                measured range only; INFINITY: an exact closed form) */
    char calibration[96];    /* what calibrated them, for the reason ("none") */
    char network[160];       /* where its network comes from ("simulated platform hdr",
                                "measured across 4 nodes"); "" when never measured */
} sw_reach;

typedef struct sw_trust {
    double units;     /* N asked, in units */
    double nodes;     /* nodes the answer runs on */
    double ratio;     /* units / n_max: > 1 is extrapolation */
    double spread;    /* hi / lo of the answer's interval; NAN without one */
    int calibrated;   /* n_min <= units and ratio <= calibrated_ratio */
    int network_ok;   /* one node, or the model has a network */
    int narrow;       /* spread <= SW_TRUST_MAX_SPREAD, or no interval */
    int within;       /* all three: the number may be shown as an answer */
    char reason[384]; /* why not, one line ("" when within) */
} sw_trust;

/* Judges an answer at `units` on `nodes` nodes whose interval is [lo, hi]
 * (NAN: none). */
void sw_trust_judge(const sw_reach *r, double units, double nodes, double lo, double hi,
                    sw_trust *out);
/* The same with the calibration verdict given by the model itself
 * (calibrated 1 or 0, why its one-line reason, e.g. fit's sw_fitmodel_reach):
 * the gate then keeps no second copy of the model's rule. */
void sw_trust_judge_given(const sw_reach *r, int calibrated, const char *why, double units,
                          double nodes, double lo, double hi, sw_trust *out);

/* What to run to give a model a network, for the sentence that says it is
 * unmeasured. */
const char *sw_trust_network_hint(void);

#ifdef __cplusplus
}
#endif
#endif
