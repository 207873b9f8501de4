/* bench_fit_calibrate.c — how well `fit` extrapolates on a corpus of
 * strong-scaling series, and the calibration of its intervals.
 *
 *   bench_fit_calibrate [options] CORPUS.csv...
 *     --split S        only series whose meta_split is S (tune, holdout)
 *     --fit-max N      fit the points with N <= this (default 32)
 *     --at LIST        predict here, where the series has the truth (256,1024)
 *     --platform       fit --platform with the series' platform: meta_platform (';'
 *                      for ','), or DIR/NAME.json with --platform-dir DIR and the
 *                      NAME from the series table; with the table, the series'
 *                      alltoall choice and SMPI network model are set in it as
 *                      the extrapolation bench does (methods.py, platform_for)
 *     --series FILE    bench/extrapolation's series.csv: id -> half, platform (a
 *                      series' id is the params' id=...)
 *     --steps FILE     one rank's step times at N = 1 (bench/extrapolation's
 *                      steps.csv): a series whose id has them is fitted with them
 *                      and --steps its iters=, as methods.workload_facts passes
 *     --tau0 LIST --kappa LIST --eta LIST --sigma0 LIST --lambda LIST --growth LIST
 *                      a grid of calibration constants (default: the built-in);
 *                      --tau0 is tau0 with --platform, else tau0_data
 *     --boot B         samples per fit (default 400)
 *     --verbose        one line per series and target
 * Each corpus file is an observation series set (docs/formats.md): one
 * series per pattern x platform x size, N = 1..1024.  For each set of
 * constants it prints, per target N: median and max |error| of the central
 * value, the share of series whose 90% interval holds the truth, and the
 * median interval width and mean interval score (below).  This is what chose the built-in constants on the
 * `tune` half of bench/extrapolation (docs/fit.md, "Calibration"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "scalewall/fit.h"
#include "scalewall/obs.h"

#define MAXL 16

static size_t parse_list(const char *s, double *out)
{
    size_t n = 0;
    char *end;
    while (*s && n < MAXL) {
        out[n++] = strtod(s, &end);
        s = *end == ',' ? end + 1 : end;
        if (end == s && *s)
            break;
    }
    return n;
}

typedef struct acc {
    double *err, *width, *score;
    int *hit;
    size_t n;
} acc;

/* The interval score of a 90% interval [lo, hi] for the truth y (Gneiting
 * and Raftery 2007, eq. 43), on log time: its width plus 2/0.1 times how far
 * the truth falls outside.  A proper scoring rule: its mean is least for the
 * interval that holds the truth 90% of the time and is no wider, so it weighs
 * a miss against the width every other series pays, where "narrowest that
 * reaches 85%" looks only at the count. */
static double interval_score(double lo, double hi, double y)
{
    double l = log(lo), h = log(hi), v = log(y);
    return (h - l) + 20 * fmax(l - v, 0) + 20 * fmax(v - h, 0);
}

static void acc_add(acc *a, double e, int hit, double w, double sc)
{
    a->score[a->n] = sc;
    a->err[a->n] = fabs(e);
    a->hit[a->n] = hit;
    a->width[a->n] = w;
    a->n++;
}

static double median_of(double *v, size_t n)
{
    if (!n)
        return NAN;
    gsl_sort(v, 1, n);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The series table of bench/extrapolation: id,half,pattern,platform,variant,
 * seed,net,coll,... */
typedef struct row {
    char id[96], half[16], platform[48], net[16], coll[16];
} row;

static size_t read_table(const char *path, row *rows, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    size_t n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return 0;
    }
    while (n < cap && fgets(line, sizeof line, f)) {
        char *save = NULL, *id = strtok_r(line, ",", &save), *half = strtok_r(NULL, ",", &save);
        char *pattern = strtok_r(NULL, ",", &save), *plat = strtok_r(NULL, ",", &save);
        char *variant = strtok_r(NULL, ",", &save), *seed = strtok_r(NULL, ",", &save);
        char *net = strtok_r(NULL, ",", &save), *coll = strtok_r(NULL, ",", &save);
        if (!id || !half || !pattern || !plat || !variant || !seed || !net || !coll)
            continue;
        snprintf(rows[n].net, sizeof rows[n].net, "%s", net);
        snprintf(rows[n].coll, sizeof rows[n].coll, "%s", coll);
        snprintf(rows[n].id, sizeof rows[n].id, "%s", id);
        snprintf(rows[n].half, sizeof rows[n].half, "%s", half);
        snprintf(rows[n].platform, sizeof rows[n].platform, "%s", plat);
        n++;
    }
    fclose(f);
    return n;
}

/* The platform as the series ran on it, as bench/extrapolation/methods.py's
 * platform_for writes it: the MPI library's alltoall choice and its small
 * allreduce's choice when the series set one, and SMPI's network model
 * (default: its calibrated factors).  Without the allreduce choice two
 * rab_rdb halo series were fitted with the default algorithm here and with
 * rab_rdb in the bench, -18% against 0%. */
static void platform_as_run(sw_platform *pf, const row *rw)
{
    static const char *const a2a[] = {"ompi", "mpich", "pair", "ring", "bruck", "linear"};
    static const char *const ar[] = {"rdb", "rab_rdb", "redbcast", "mpich", "ompi"};
    for (size_t k = 0; k < sizeof a2a / sizeof a2a[0]; k++)
        if (!strcmp(rw->coll, a2a[k]))
            snprintf(pf->mpi_alltoall, sizeof pf->mpi_alltoall, "%s", rw->coll);
    for (size_t k = 0; k < sizeof ar / sizeof ar[0]; k++)
        if (!strcmp(rw->coll, ar[k]))
            snprintf(pf->mpi_allreduce, sizeof pf->mpi_allreduce, "%s", rw->coll);
    pf->smpi_factors = !strcmp(rw->net, "default");
}

/* The id=... of a series' params. */
static const row *lookup(const sw_obs *o, const row *rows, size_t n)
{
    const char *p = o->params ? strstr(o->params, "id=") : NULL;
    if (!p)
        return NULL;
    p += 3;
    size_t len = strcspn(p, ";");
    for (size_t k = 0; k < n; k++)
        if (strlen(rows[k].id) == len && strncmp(rows[k].id, p, len) == 0)
            return &rows[k];
    return NULL;
}

/* What a user knows of the series' program, as methods.workload_facts
 * passes it to `fit`: a master-worker's tasks per step (";tasks=T"). */
static double tasks_of(const sw_obs *o)
{
    const char *p = o->params ? strstr(o->params, ";tasks=") : NULL;
    return p ? strtod(p + 7, NULL) : 0;
}

/* The step times of the series with o's id (a steps.csv series' params
 * start with the same id=...;), and the steps each of o's values averages
 * (its ";iters=K"), as methods.workload_facts passes them: 1 when found. */
static int steps_of(const sw_obs_set *st, const sw_obs *o, sw_jitter *j, double *steps)
{
    const char *p = o->params ? strstr(o->params, "id=") : NULL, *it;
    if (!st || !p || !(it = strstr(o->params, ";iters=")))
        return 0;
    size_t len = strcspn(p, ";");
    for (size_t k = 0; k < st->n; k++) {
        const char *q = st->series[k]->params;
        if (q && strncmp(q, p, len) == 0 && (q[len] == ';' || q[len] == 0)) {
            sw_error err = {0};
            *steps = strtod(it + 7, NULL);
            return sw_jitter_from_obs(st->series[k], j, &err) == SW_OK;
        }
    }
    return 0;
}

/* The truth at N: the median of the series' ok points there. */
static double truth_at(const sw_obs *o, double n)
{
    double v[64];
    size_t k = 0;
    for (size_t i = 0; i < o->npts && k < 64; i++)
        if (o->pts[i].ok && o->pts[i].n == n)
            v[k++] = o->pts[i].value;
    return median_of(v, k);
}

int main(int argc, char **argv)
{
    const char *split = NULL, *table = NULL, *pdir = NULL, *stepfile = NULL;
    double fitmax = 32, at[MAXL] = {256, 1024};
    size_t nat = 2;
    int use_platform = 0, verbose = 0, tau0_given = 0;
    size_t boot = 400;
    const sw_fit_calib *def = sw_fit_calibration();
    double tau0[MAXL] = {def->tau0}, kappa[MAXL] = {def->kappa}, sigma0[MAXL] = {def->sigma0},
           lambda[MAXL] = {def->lambda}, growth[MAXL] = {def->growth}, eta[MAXL] = {def->eta};
    size_t nt = 1, nk = 1, ns = 1, nl = 1, ng = 1, ne = 1;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--split")) split = v, i++;
        else if (!strcmp(a, "--fit-max")) fitmax = atof(v), i++;
        else if (!strcmp(a, "--at")) nat = parse_list(v, at), i++;
        else if (!strcmp(a, "--tau0")) nt = parse_list(v, tau0), tau0_given = 1, i++;
        else if (!strcmp(a, "--kappa")) nk = parse_list(v, kappa), i++;
        else if (!strcmp(a, "--eta")) ne = parse_list(v, eta), i++;
        else if (!strcmp(a, "--growth")) ng = parse_list(v, growth), i++;
        else if (!strcmp(a, "--sigma0")) ns = parse_list(v, sigma0), i++;
        else if (!strcmp(a, "--lambda")) nl = parse_list(v, lambda), i++;
        else if (!strcmp(a, "--boot")) boot = (size_t)atof(v), i++;
        else if (!strcmp(a, "--platform")) use_platform = 1;
        else if (!strcmp(a, "--series")) table = v, i++;
        else if (!strcmp(a, "--platform-dir")) pdir = v, i++;
        else if (!strcmp(a, "--steps")) stepfile = v, i++;
        else if (!strcmp(a, "--verbose")) verbose = 1;
        else {
            fprintf(stderr, "bench_fit_calibrate: unknown option %s\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: bench_fit_calibrate [options] CORPUS.csv...\n");
        return 2;
    }
    if (!tau0_given) /* the built-in one the fits use */
        tau0[0] = use_platform ? def->tau0 : def->tau0_data;
    sw_obs_set set = {0};
    for (; i < argc; i++) {
        sw_obs_set one = {0};
        sw_error err = {0};
        if (sw_obs_read_file(argv[i], &one, &err)) {
            fprintf(stderr, "bench_fit_calibrate: %s\n", err.msg);
            return 3;
        }
        for (size_t k = 0; k < one.n; k++)
            sw_obs_set_push(&set, one.series[k], NULL);
        free(one.series);
    }
    sw_obs_set steps = {0};
    if (stepfile) {
        sw_error err = {0};
        if (sw_obs_read_file(stepfile, &steps, &err)) {
            fprintf(stderr, "bench_fit_calibrate: %s\n", err.msg);
            return 3;
        }
    }
    static row rows[4096];
    size_t nrows = table ? read_table(table, rows, 4096) : 0;
    if (table && !nrows) {
        fprintf(stderr, "bench_fit_calibrate: %s: no series\n", table);
        return 3;
    }
    size_t cap = set.n + 1;
    acc a[MAXL];
    for (size_t q = 0; q < nat; q++) {
        a[q].err = malloc(cap * sizeof(double));
        a[q].width = malloc(cap * sizeof(double));
        a[q].score = malloc(cap * sizeof(double));
        a[q].hit = malloc(cap * sizeof(int));
    }
    for (size_t it = 0; it < nt; it++)
        for (size_t ik = 0; ik < nk; ik++)
            for (size_t is = 0; is < ns; is++)
                for (size_t il = 0; il < nl * ng * ne; il++) {
                    sw_fit_calib cal = *def;
                    cal.eta = eta[il / (nl * ng)];
                    cal.growth = growth[il / nl % ng];
                    /* --tau0 sets the one the fits use */
                    if (use_platform)
                        cal.tau0 = tau0[it];
                    else
                        cal.tau0_data = tau0[it];
                    cal.kappa = kappa[ik];
                    cal.sigma0 = sigma0[is];
                    cal.lambda = lambda[il % nl];
                    for (size_t q = 0; q < nat; q++)
                        a[q].n = 0;
                    size_t used = 0;
                    for (size_t k = 0; k < set.n; k++) {
                        const sw_obs *o = set.series[k];
                        const row *rw = nrows ? lookup(o, rows, nrows) : NULL;
                        const char *sp = rw ? rw->half : sw_obs_get_meta(o, "split");
                        if (split && (!sp || strcmp(sp, split)))
                            continue;
                        sw_fit_options opt;
                        sw_fit_options_default(&opt);
                        opt.n_max = fitmax;
                        opt.bootstrap = boot;
                        opt.calib = &cal;
                        opt.tasks = tasks_of(o);
                        sw_jitter jit;
                        if (steps_of(stepfile ? &steps : NULL, o, &jit, &opt.jitter_steps))
                            opt.jitter = &jit;
                        sw_platform pf;
                        sw_error err = {0};
                        const char *ps = sw_obs_get_meta(o, "platform");
                        char spec[512];
                        if (rw && pdir) {
                            snprintf(spec, sizeof spec, "%s/%s.json", pdir, rw->platform);
                            ps = spec;
                        }
                        if (use_platform && ps && ps[0]) {
                            if (ps != spec)
                                snprintf(spec, sizeof spec, "%s", ps);
                            for (char *c = spec; *c; c++)
                                if (*c == ';')
                                    *c = ',';
                            if (sw_fit_platform_spec(spec, &pf, &err)) {
                                fprintf(stderr, "%s: %s\n", o->workload, err.msg);
                                return 3;
                            }
                            if (rw)
                                platform_as_run(&pf, rw);
                            opt.platform = &pf;
                        }
                        sw_fitmodel *m = NULL;
                        if (sw_fit_obs(o, NULL, &opt, &m, &err)) {
                            fprintf(stderr, "%s:%s: %s\n", o->workload, o->params, err.msg);
                            continue;
                        }
                        used++;
                        for (size_t q = 0; q < nat; q++) {
                            double tr = truth_at(o, at[q]);
                            sw_fit_pred p;
                            if (isnan(tr) || sw_fitmodel_predict(m, at[q], 0.9, NULL, &p, &err))
                                continue;
                            double e = p.time.median / tr - 1;
                            int hit = p.time.lo <= tr && tr <= p.time.hi;
                            acc_add(&a[q], e, hit, p.time.hi / p.time.lo - 1,
                                    interval_score(p.time.lo, p.time.hi, tr));
                            if (verbose)
                                printf("  %-16s %-28s N=%-5g err %+7.2f%%  [%6.3f, %6.3f] %s  %s\n",
                                       o->workload, o->params, at[q], 100 * e, p.time.lo / tr,
                                       p.time.hi / tr, hit ? "in " : "OUT",
                                       sw_fitmodel_hyp(m, 0)->name);
                        }
                        sw_fitmodel_free(m);
                    }
                    printf("tau0 %g kappa %g eta %g sigma0 %g lambda %g growth %g: %zu series\n",
                           use_platform ? cal.tau0 : cal.tau0_data, cal.kappa, cal.eta,
                           cal.sigma0, cal.lambda, cal.growth, used);
                    for (size_t q = 0; q < nat; q++) {
                        size_t hits = 0;
                        for (size_t k = 0; k < a[q].n; k++)
                            hits += (size_t)a[q].hit[k];
                        double mx = 0, sc = 0;
                        for (size_t k = 0; k < a[q].n; k++) {
                            mx = fmax(mx, a[q].err[k]);
                            sc += a[q].score[k] / (double)a[q].n;
                        }
                        printf("  N=%-6g median |err| %6.2f%%  max %7.2f%%  90%% interval holds "
                               "%3zu/%-3zu = %5.1f%%  median width %7.1f%%  score %.4f\n",
                               at[q], 100 * median_of(a[q].err, a[q].n), 100 * mx, hits, a[q].n,
                               a[q].n ? 100.0 * (double)hits / (double)a[q].n : NAN,
                               100 * median_of(a[q].width, a[q].n), sc);
                    }
                }
    sw_obs_set_free(&set);
    sw_obs_set_free(&steps);
    return 0;
}
