/* plan_model.c — loading "a model" for plan, report and plot: a fitted
 * model JSON or an observation series, told apart by content. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/fit.h"
#include "scalewall/io.h"
#include "scalewall/plan.h"

/* The "format" of a JSON document, or NULL when the text is not one. */
static char *json_format(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r'))
        i++;
    if (i >= len || buf[i] != '{')
        return NULL;
    json_t *root = json_loadb(buf, len, 0, NULL);
    if (!root)
        return NULL; /* JSONL or broken: the series reader says which */
    json_t *f = json_object_get(root, "format");
    char *s = json_is_string(f) ? strdup(json_string_value(f)) : NULL;
    json_decref(root);
    return s;
}

/* One series of a set, chosen as fit chooses (sw_fit_select_series: the
 * only one, a number, WORKLOAD or WORKLOAD:PARAMS), the file named in errors. */
sw_status sw_plan_select_series(const char *path, const sw_obs_set *set, const char *select,
                               const sw_obs **out, sw_error *err)
{
    sw_status st = sw_fit_select_series(set, select, out, err);
    if (st)
        sw_error_prefix(err, "%s", path);
    return st;
}

static sw_status load_series(const char *path, const char *buf, size_t len, const char *select,
                             sw_plan_model *m, sw_error *err)
{
    sw_status st = sw_obs_read_buffer(path, buf, len, &m->set, err);
    if (st)
        return st; /* the reader names the file and line */
    st = sw_plan_select_series(path, &m->set, select, &m->series, err);
    if (st)
        return st;
    st = sw_predictor_series(&m->pred, m->series, err);
    if (st) {
        sw_error_prefix(err, "%s", path);
        return st;
    }
    snprintf(m->formula, sizeof m->formula, "%s", m->pred.what);
    return SW_OK;
}

sw_status sw_plan_model_load(const char *path, const char *select, sw_plan_model *m,
                             sw_error *err)
{
    memset(m, 0, sizeof *m);
    snprintf(m->source, sizeof m->source, "%s", path);
    char *buf;
    size_t len;
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    char *fmt = json_format(buf, len);
    if (fmt && strcmp(fmt, SW_FITMODEL_FORMAT) == 0) {
        st = sw_fitmodel_read_buffer(path, buf, len, &m->fit, err);
        if (!st) {
            sw_predictor_fit(&m->pred, m->fit);
            char f[200];
            sw_fitmodel_formula(m->fit, f, sizeof f);
            snprintf(m->formula, sizeof m->formula, "%s", f);
        }
    } else if (fmt && strcmp(fmt, "scalewall-obs") != 0) {
        st = sw_error_set(err, SW_EPARSE,
                          "%s: a '%s' document is not a model (give a fitted model or a "
                          "series)",
                          path, fmt);
    } else {
        st = load_series(path, buf, len, select, m, err);
    }
    free(fmt);
    free(buf);
    if (st)
        sw_plan_model_free(m);
    return st;
}

void sw_plan_model_free(sw_plan_model *m)
{
    if (!m)
        return;
    if (m->fit)
        sw_fitmodel_free(m->fit);
    else if (m->pred.ctx)
        sw_predictor_series_free(&m->pred);
    sw_obs_set_free(&m->set);
    memset(m, 0, sizeof *m);
}
