/* train_time.c — what time to train needs besides the step: steps to
 * converge against the global batch, read from reference convergence
 * points (MLPerf's RCPs: samples to converge at several batches, from the
 * reference runs) and fitted to the gradient-noise-scale model of
 * converge.h.  The model itself is fit's (model/converge.c); this file
 * only turns a table into its two numbers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/io.h"
#include "scalewall/simulate.h"

sw_status sw_sim_converge_read(const char *path, const char *benchmark, sw_converge *out,
                               size_t *rows, sw_error *err)
{
    char *buf;
    size_t len;
    sw_status st = sw_read_file(path, &buf, &len, err);
    if (st)
        return st;
    sw_csv csv;
    sw_csv_init(&csv, path, buf, len);
    double *bs = NULL, *steps = NULL;
    size_t n = 0, cap = 0;
    int ib = -1, is = -1, ik = -1, header = 0, r;
    while ((r = sw_csv_next(&csv, err)) == 1) {
        if (csv.nfields > 0 && csv.fields[0][0] == '#')
            continue;
        if (!header) {
            header = 1;
            ib = sw_csv_find(&csv, "batch");
            is = sw_csv_find(&csv, "samples_to_converge");
            ik = sw_csv_find(&csv, "benchmark");
            if (ib < 0 || is < 0) {
                st = sw_error_set(err, SW_EPARSE,
                                  "%s:%ld: needs the columns batch and samples_to_converge", path,
                                  csv.line);
                break;
            }
            if (benchmark && ik < 0) {
                st = sw_error_set(err, SW_EPARSE, "%s:%ld: no benchmark column to pick '%s'",
                                  path, csv.line, benchmark);
                break;
            }
            continue;
        }
        if ((size_t)ib >= csv.nfields || (size_t)is >= csv.nfields ||
            (benchmark && (size_t)ik >= csv.nfields)) {
            st = sw_error_set(err, SW_EPARSE, "%s:%ld: too few fields", path, csv.line);
            break;
        }
        if (benchmark && strcmp(csv.fields[ik], benchmark) != 0)
            continue;
        double b, e;
        if (sw_parse_double(csv.fields[ib], &b) != 1 || !(b > 0) ||
            sw_parse_double(csv.fields[is], &e) != 1 || !(e > 0)) {
            st = sw_error_set(err, SW_EPARSE,
                              "%s:%ld: batch and samples_to_converge must be numbers > 0", path,
                              csv.line);
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            double *nb = realloc(bs, cap * sizeof *nb), *ns = nb ? realloc(steps, cap * sizeof *ns)
                                                               : NULL;
            if (nb)
                bs = nb;
            if (!nb || !ns) {
                st = sw_error_set(err, SW_ENOMEM, "out of memory for %s", path);
                break;
            }
            steps = ns;
        }
        bs[n] = b;
        steps[n] = e / b;
        n++;
    }
    if (r < 0)
        st = SW_EPARSE;
    if (!st && n < 2)
        st = sw_error_set(err, SW_EDOM, "%s: %zu convergence point%s%s%s: the fit needs 2 or more "
                          "batches", path, n, n == 1 ? "" : "s", benchmark ? " for " : "",
                          benchmark ? benchmark : "");
    if (!st && (st = sw_converge_fit(bs, steps, n, out, err)))
        sw_error_prefix(err, "%s", path);
    if (rows)
        *rows = n;
    sw_csv_free(&csv);
    free(bs);
    free(steps);
    free(buf);
    return st;
}

sw_status sw_sim_converge_spec(const char *spec, sw_converge *out, sw_error *err)
{
    char buf[1024];
    if (strlen(spec) >= sizeof buf)
        return sw_error_set(err, SW_EINVAL, "'%.40s...' is too long", spec);
    strcpy(buf, spec);
    char *colon = strrchr(buf, ':');
    double a, b;
    if (colon) {
        *colon = '\0';
        if (sw_parse_double(buf, &a) == 1 && sw_parse_double(colon + 1, &b) == 1) {
            if (!(a > 0) || !(b >= 0) || !isfinite(a) || !isfinite(b))
                return sw_error_set(err, SW_EINVAL, "S_MIN %s must be > 0 and B_NOISE %s >= 0",
                                    buf, colon + 1);
            *out = (sw_converge){a, b};
            return SW_OK;
        }
    }
    size_t rows;
    return sw_sim_converge_read(buf, colon ? colon + 1 : NULL, out, &rows, err);
}
