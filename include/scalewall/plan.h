/* plan.h — what to buy: time, cost and energy of a job against N, and the
 * answers a manager asks for, each with its interval and one plain sentence.
 *
 * The plan does not know how T(N) was obtained.  It asks a predictor — a
 * function giving the time of one unit of work (one step, one run) on N
 * processing units, as a median and an interval — so a fitted model
 * (sw_plan_predictor_fit in the CLI), a simulated series or a closed form
 * (sw_predictor_closed, for tests and what-ifs) all plan the same way.
 *
 * For option o with node count n (docs/plan.md states every formula):
 *   units     u = n * units_per_node
 *   time      T_job = W * T(u; k)        W = steps, k = the option's speed
 *             or   J * T(u; k) / T(1; 1)  for a job taking J seconds on one
 *                                         measured unit (--job-time)
 *   cost      n * h * price_node_hour + n * power_kW * h * energy_price
 *             + overhead,   h = T_job / 3600
 *   energy    n * power_kW * h
 *   E         T(1; k) / (u * T(u; k))
 * Intervals: cost and energy are increasing in time, so their bounds are the
 * time bounds pushed through the same formula.
 *
 * Answers:
 *   deadline  the cheapest (option, n) whose median time meets the deadline
 *   budget    the fastest (option, n) whose median cost fits the budget
 *   knee      per option, the first candidate from which the next step buys
 *             less than knee_pct per doubling of n:
 *             cut = 1 - (T(n_next)/T(n))^(1/log2(n_next/n))
 *   slowdown  per option, N* = the candidate with the least median time; when
 *             it is not the largest candidate, more nodes past it make the
 *             run slower. */
#ifndef SCALEWALL_PLAN_H
#define SCALEWALL_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/converge.h"
#include "scalewall/error.h"
#include "scalewall/obs.h"
#include "scalewall/prices.h"
#include "scalewall/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SW_PLAN_FORMAT "scalewall-plan"
#define SW_PLAN_VERSION 1

typedef struct sw_plan_iv {
    double median, lo, hi; /* lo/hi NAN when the source has no interval */
} sw_plan_iv;

typedef struct sw_predictor {
    void *ctx;
    /* Time of one unit of work on `units` processing units whose payload is
     * k times faster than the measured unit. */
    sw_status (*time)(void *ctx, double units, double k, sw_plan_iv *t, sw_error *err);
    /* Optional: the wall as a speedup (sup T(1)/T(N)) and N* (units) with
     * intervals; +INFINITY when unbounded.  NULL: the plan estimates both on
     * a grid of N from the medians. */
    sw_status (*answers)(void *ctx, double k, sw_plan_iv *max_speedup, sw_plan_iv *n_opt,
                         sw_error *err);
    /* Optional: the speedup T(1)/T(N) at k = 1 with its interval taken
     * sample by sample (so S(1) is exactly 1); NULL: figures derive it
     * from the time's interval and clip it to what is possible. */
    sw_status (*speedup)(void *ctx, double units, sw_plan_iv *s, sw_error *err);
    /* Optional: whether the model's own intervals are calibrated at `units`
     * (a fitted model: sw_fitmodel_reach), 1 or 0, with its one-line reason
     * in why; NULL: judged from `reach`'s numbers (sw_trust_judge). */
    int (*calibrated)(void *ctx, double units, char *why, size_t size);
    double units_max;   /* largest N it may be asked; INFINITY for a model */
    char what[256];     /* "fitted model T(N) = ...", for the report */
    sw_reach reach;     /* its measured range, calibration and network: the trust gate */
} sw_predictor;

/* The wall (sup of T(1;k)/T(N;k)) and N* in units: the predictor's own
 * answers when it has them, else the medians on a log grid of 400 points up
 * to min(units_max, 1e9) (no interval then; N* = +inf when the time still
 * falls at the grid's end). */
sw_status sw_predictor_answers(const sw_predictor *p, double k, sw_plan_iv *wall,
                               sw_plan_iv *nopt, sw_error *err);

/* The trust gate (trust.h) for an answer of this predictor at `units` on
 * `nodes` nodes with the interval [lo, hi]: the calibration verdict is the
 * model's own when it gives one (p->calibrated), the rest sw_trust_judge's. */
void sw_predictor_trust(const sw_predictor *p, double units, double nodes, double lo, double hi,
                        sw_trust *out);

/* A closed form T(N) = t_s + t_p/(N k) + c_log log2 N + c_lin N with a
 * relative interval +-rel (0: none).  ctx must outlive the predictor. */
typedef struct sw_closed_model {
    double t_s, t_p, c_log, c_lin, rel;
} sw_closed_model;
void sw_predictor_closed(sw_predictor *p, sw_closed_model *m);

/* A fitted model (fit.h): T(N; k) from sw_fitmodel_predict with the
 * payload what-if k, the wall and N* from sw_fitmodel_answers.  The model
 * must outlive the predictor. */
typedef struct sw_fitmodel sw_fitmodel;
void sw_predictor_fit(sw_predictor *p, const sw_fitmodel *m);

/* A simulated (or measured) series used directly: per-N medians and their
 * intervals, interpolated linearly in log T against log N, never
 * extrapolated (units_max is the largest N; N = 1 must be present).  A speed
 * k != 1 needs the series' compute_s column: T_k = T - compute_s (1 - 1/k).
 * sw_predictor_series_free releases what sw_predictor_series allocated. */
sw_status sw_predictor_series(sw_predictor *p, const sw_obs *o, sw_error *err);
void sw_predictor_series_free(sw_predictor *p);

/* A model file as the plan, report and plot commands take it: a fitted
 * model (scalewall-fit-model JSON) or an observation series (CSV, JSON,
 * JSONL; `select` picks one series as sw_fit_select_series does). */
typedef struct sw_plan_model {
    sw_predictor pred;
    sw_fitmodel *fit;      /* a fitted model, else NULL */
    sw_obs_set set;        /* the series file, when a series */
    const sw_obs *series;
    char formula[256];     /* "T(N) = ..." or the series' description */
    char source[512];      /* the file */
} sw_plan_model;

sw_status sw_plan_model_load(const char *path, const char *select, sw_plan_model *m,
                             sw_error *err);
void sw_plan_model_free(sw_plan_model *m);
/* One series of a set, as sw_fit_select_series picks it (NULL = the only
 * one, "2" = the second, "cg" or "cg:nx=64"); `path` names the file in
 * messages. */
sw_status sw_plan_select_series(const char *path, const sw_obs_set *set, const char *select,
                                const sw_obs **out, sw_error *err);

typedef enum sw_work_kind {
    SW_WORK_STEPS = 0,
    SW_WORK_JOB_TIME = 1,
    SW_WORK_TRAIN = 2 /* a training run: the steps to converge at each N's global batch */
} sw_work_kind;

typedef struct sw_work {
    sw_work_kind kind;
    double amount;     /* steps (units of work), or J in seconds on one unit; unused (1)
                          for a training run */
    char desc[96];     /* "90 epochs of 500 steps", for the sentences */
    int example;       /* the work, deadline and budget are examples (the tour's): the
                          sentences that use them say so */
    /* SW_WORK_TRAIN: on N units the run takes S(B) = s_min (1 + b_noise/B) steps
     * (converge.h) of the model's T(N), B = batch (a fixed global batch) or
     * batch_per_unit x N (each unit's share fixed, the global batch growing);
     * exactly one of the two is > 0. */
    sw_converge converge;
    double batch, batch_per_unit;
} sw_work;

/* The steps of the work on `units` units: its amount, or for a training
 * run S(B(units)); NAN for a job time. */
double sw_work_steps(const sw_work *w, double units);

/* "90 epochs" (needs steps_per_epoch > 0), "1e6 steps", "5000" (steps). */
sw_status sw_work_parse(const char *text, double steps_per_epoch, sw_work *w, sw_error *err);
/* "36h", "90 min", "2 days", "4500 s", "4500" (seconds). */
sw_status sw_duration_parse(const char *text, double *seconds, sw_error *err);

typedef struct sw_plan_request {
    const double *nodes; /* candidate node counts */
    size_t nnodes;
    sw_work work;
    double deadline_s;   /* NAN: no deadline question */
    double budget;       /* NAN: no budget question */
    double knee_pct;     /* e.g. 10: a doubling that cuts time by less is past the knee */
} sw_plan_request;

typedef struct sw_plan_row {
    size_t option;
    double nodes, units;
    sw_plan_iv time_s, cost, energy_kwh, efficiency, speedup;
    sw_trust trust;   /* whether this row may be shown as an answer (trust.h) */
} sw_plan_row;

typedef struct sw_plan_answer {
    int found;           /* 0: nothing qualifies (the sentence says what is closest) */
    int gated;           /* 1: withheld: the rows it would need are beyond what the data
                            supports (trust.h); the sentence says why and shows no price */
    size_t row;          /* the chosen row, when found (or the closest one) */
    int at_risk;         /* deadline/budget met by the median but not the interval's bad end */
    double value;        /* knee: the cut at the knee (fraction); slowdown: N* in nodes */
    sw_plan_iv cut;      /* knee: the cut per doubling past the knee, with interval;
                            slowdown: the model's optimum N* in units at this option's
                            speed (+inf: none) */
    char sentence[512];
} sw_plan_answer;

typedef struct sw_plan {
    sw_price_table prices;   /* a copy */
    sw_plan_row *rows;       /* option-major, nodes ascending */
    size_t nrows;
    sw_plan_request req;     /* nodes points into node_list */
    double *node_list;
    sw_plan_answer deadline, budget;
    sw_plan_answer *knee;    /* one per option */
    sw_plan_answer *slowdown;
    sw_plan_iv wall;         /* max speedup of the model (k = 1) */
    sw_plan_iv n_opt_units;  /* N* of the model in units (k = 1) */
    char what[256];
    sw_reach reach;          /* the model's range, calibration and network (trust.h) */
} sw_plan;

/* Runs the plan.  Errors: no candidate N, a node count < 1 or not finite,
 * a candidate beyond the predictor's range, a non-positive predicted time,
 * negative deadline/budget, empty price table. */
sw_status sw_plan_run(const sw_predictor *p, const sw_price_table *prices,
                      const sw_plan_request *req, sw_plan *out, sw_error *err);
void sw_plan_free(sw_plan *plan);

/* {"format":"scalewall-plan","version":1,...}: rows, answers, sentences. */
sw_status sw_plan_write_json(const sw_plan *plan, FILE *fp, sw_error *err);
sw_status sw_plan_write_csv(const sw_plan *plan, FILE *fp, sw_error *err);
/* Reads what sw_plan_write_json wrote (the report reads plans this way). */
sw_status sw_plan_read_file(const char *path, sw_plan *out, sw_error *err);
/* The same from memory; `path` names it in messages. */
sw_status sw_plan_read_buffer(const char *path, const char *buf, size_t len, sw_plan *out,
                              sw_error *err);

/* Human formats used in the sentences: "3.4 h", "12 min", "2.1 days";
 * "$1,234" / "1,234 EUR". */
void sw_fmt_duration(double seconds, char *buf, size_t size);
void sw_fmt_money(double v, const char *currency, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
