/* report_job.c — `scalewall report` as a library call: load the named
 * files, describe the model in words, write the report.
 *
 * Loading everything before writing anything is what makes a bad input end
 * with one error and no report. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scalewall/fit.h"
#include "scalewall/io.h"
#include "scalewall/report.h"

typedef struct loaded {
    sw_obs_set results, breakdown;
    const sw_obs *res, *brk;
    sw_plan_model model;
    int have_model;
    sw_plan plan;
    int have_plan;
    char formula[512];
    char notes[12][320];
    const char *note_ptr[12];
    size_t nnotes;
    sw_map_system *systems;
    size_t nsystems;
    char systems_source[256];
} loaded;

static void add_note(loaded *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_note(loaded *l, const char *fmt, ...)
{
    if (l->nnotes >= sizeof l->notes / sizeof l->notes[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->notes[l->nnotes], sizeof l->notes[0], fmt, ap);
    va_end(ap);
    l->note_ptr[l->nnotes] = l->notes[l->nnotes];
    l->nnotes++;
}

/* The model in words: its formula, how it was chosen, and what the fit
 * itself warned about. */
static void describe_fit(loaded *l, const sw_fitmodel *m)
{
    char f[256];
    sw_fitmodel_formula(m, f, sizeof f);
    snprintf(l->formula, sizeof l->formula,
             "Fitted model: %s, the leading one of %zu hypotheses weighed by %s, fitted on N = "
             "%g to %g, intervals from %zu samples drawn from all of them at %.0f%%.",
             f, sw_fitmodel_ntried(m), sw_fitmodel_criterion(m), sw_fitmodel_n_min(m),
             sw_fitmodel_n_max(m), sw_fitmodel_nboot(m), sw_fitmodel_level(m) * 100);
    if (sw_fitmodel_ambiguous(m))
        add_note(l, "The data cannot separate the leading hypothesis from a rival (at least 1/e "
                    "of its weight); the leading ones are listed below.");
    for (size_t i = 0; i < sw_fitmodel_nhyp(m) && i < 3; i++) {
        const sw_fit_hyp *h = sw_fitmodel_hyp(m, i);
        char share[64] = "";
        if (!isnan(h->boot_share))
            snprintf(share, sizeof share, ", %.0f%% of the interval's samples drawn from it",
                     h->boot_share * 100);
        add_note(l, "Hypothesis %zu: %s (weight %.2f, error predicting the series' larger N "
                    "from its smaller %.1f%%%s)",
                 i + 1, h->name, h->weight, h->loo * 100, share);
    }
    for (size_t i = 0; i < sw_fitmodel_nwarnings(m); i++)
        add_note(l, "Fit warning: %s", sw_fitmodel_warning(m, i));
}

static sw_status load_obs(const char *path, const char *select, sw_obs_set *set,
                          const sw_obs **out, sw_error *err)
{
    sw_status st = sw_obs_read_file(path, set, err);
    return st ? st : sw_plan_select_series(path, set, select, out, err);
}

/* *created: the folder is this run's, to remove again if the report fails. */
static sw_status ensure_dir(const char *dir, int *created, sw_error *err)
{
    struct stat sb;
    *created = 0;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return sw_error_set(err, SW_EIO, "report directory '%s' is not a directory", dir);
        return SW_OK;
    }
    if (errno != ENOENT || mkdir(dir, 0777) != 0)
        return sw_error_set(err, SW_EIO, "report directory '%s' cannot be created: %s", dir,
                            strerror(errno));
    *created = 1;
    return SW_OK;
}

static sw_status load_all(const sw_report_job *job, loaded *l, sw_error *err)
{
    sw_status st = SW_OK;
    if (job->results)
        st = load_obs(job->results, job->series, &l->results, &l->res, err);
    if (!st && job->breakdown)
        st = load_obs(job->breakdown, NULL, &l->breakdown, &l->brk, err);
    if (!st && job->model) {
        st = sw_plan_model_load(job->model, NULL, &l->model, err);
        l->have_model = !st;
        if (!st && l->model.fit)
            describe_fit(l, l->model.fit);
        else if (!st)
            snprintf(l->formula, sizeof l->formula,
                     "Model: the %s used directly (no fit): times between its N are "
                     "interpolated, nothing is extrapolated.",
                     l->model.pred.what);
    }
    if (!st && job->plan) {
        st = sw_plan_read_file(job->plan, &l->plan, err);
        l->have_plan = !st;
    }
    if (!st && !job->no_top500)
        st = sw_report_load_systems(job->top500, &l->systems, &l->nsystems, l->systems_source,
                                 sizeof l->systems_source, err);
    return st;
}

static void free_all(loaded *l)
{
    sw_obs_set_free(&l->results);
    sw_obs_set_free(&l->breakdown);
    if (l->have_model)
        sw_plan_model_free(&l->model);
    if (l->have_plan)
        sw_plan_free(&l->plan);
    sw_report_free_systems(l->systems, l->nsystems);
}

sw_status sw_report_run(const sw_report_job *job, sw_report_summary *sum, sw_error *err)
{
    memset(sum, 0, sizeof *sum);
    const char *dir = job->out ? job->out : "scalewall-report";
    loaded *l = calloc(1, sizeof *l);
    if (!l)
        return sw_error_set(err, SW_ENOMEM, "report: out of memory");
    sw_status st = load_all(job, l, err);
    int created = 0;
    if (!st)
        st = ensure_dir(dir, &created, err);
    if (!st) {
        sw_report_input in = {0};
        in.title = job->title;
        in.results = l->res;
        in.results_source = job->results;
        in.model = l->have_model ? &l->model.pred : NULL;
        in.model_source = job->model;
        in.model_formula = l->have_model ? l->formula : NULL;
        in.model_notes = l->note_ptr;
        in.n_model_notes = l->nnotes;
        in.plan = l->have_plan ? &l->plan : NULL;
        in.plan_source = job->plan;
        in.breakdown = l->brk;
        in.systems = l->systems;
        in.nsystems = l->nsystems;
        in.systems_source = l->nsystems ? l->systems_source : NULL;
        in.provenance = job->notes;
        in.nprovenance = job->nnotes;
        in.n_to = job->n_to;
        const char *inputs[] = {job->results, job->model, job->plan, job->breakdown,
                                job->top500};
        in.inputs = inputs;
        in.ninputs = SW_NINPUTS(inputs);
        st = sw_report_write(&in, dir, sum, err);
        if (st && created)
            rmdir(dir); /* empty again: sw_report_write put nothing in it */
    }
    free_all(l);
    free(l);
    return st;
}
