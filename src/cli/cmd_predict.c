/* cmd_predict.c — `scalewall predict`: ask a saved model about other N.
 *
 * Loads a model document written by `scalewall fit -o` and evaluates T, S,
 * E and 1-alpha_eff with intervals at the given N, plus the derived answers,
 * under optional what-ifs, without refitting. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "builtin.h"
#include "scalewall/fit.h"
#include "scalewall/io.h"

static const char usage_text[] =
    "usage: scalewall predict MODEL --n LIST [--level L] [--efficiency-target E]\n"
    "                         [--payload-speedup K] [--serial-scale S] [--comm-scale C]\n"
    "                         [--sync-scale W] [--csv | --json] [--output FILE]\n"
    "\n"
    "Evaluates a model saved by 'scalewall fit -o MODEL' at other unit counts, with\n"
    "intervals from its bootstrap sample, and its answers (N*, the wall, N1/2).\n"
    "\n"
    "  --n LIST             unit counts: 1024,4096 or 1:4096 (powers of two) or 1:1e6\n"
    "                       (10 log-spaced points per decade)\n"
    "  --level L            interval level (default: the model's, 0.9)\n"
    "  --efficiency-target E  also report the N where E falls to E (default 0.8)\n"
    "%s"
    "  --csv | --json       the prediction table as CSV / everything as JSON\n"
    "  --output FILE        write to FILE instead of stdout\n";

int cmd_predict(int argc, char **argv)
{
    /* The library checks every GSL call's domain itself; GSL's default
     * handler would abort the process on a missed case instead of letting
     * the answer come out NaN. */
    gsl_set_error_handler_off();
    static const struct option opts[] = {
        {"n", required_argument, 0, 'n'},       {"level", required_argument, 0, 'l'},
        {"efficiency-target", required_argument, 0, 'e'},
        CLI_WHATIF_OPTS,
        {"csv", no_argument, 0, 'C'},           {"json", no_argument, 0, 'J'},
        {"output", required_argument, 0, 'O'},  {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    double *ns = NULL, level = 0, target = 0.8;
    size_t nn = 0;
    sw_whatif w;
    sw_whatif_none(&w);
    sw_fit_out format = SW_FIT_OUT_TEXT;
    const char *output = "-";
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if ((rc = cli_whatif_opt("predict", c, optarg, &w)) >= 0) {
            if (rc) {
                free(ns);
                return rc;
            }
            continue;
        }
        rc = 0;
        switch (c) {
        case 'n':
            free(ns);
            rc = cli_n_list("predict", "--n", optarg, &ns, &nn);
            break;
        case 'l': rc = cli_double("predict", "--level", optarg, &level); break;
        case 'e': rc = cli_double("predict", "--efficiency-target", optarg, &target); break;
        case 'C':
        case 'J':
            /* One output format: the last of two was silently the one used. */
            if (format != SW_FIT_OUT_TEXT && format != (c == 'C' ? SW_FIT_OUT_CSV : SW_FIT_OUT_JSON)) {
                free(ns);
                return cli_usage("predict", "--csv and --json exclude each other");
            }
            format = c == 'C' ? SW_FIT_OUT_CSV : SW_FIT_OUT_JSON;
            break;
        case 'O': output = optarg; break;
        case 'h': printf(usage_text, cli_whatif_help); free(ns); return 0;
        default: free(ns); return cli_usage("predict", "unknown option");
        }
        if (rc) {
            free(ns);
            return rc;
        }
    }
    if (optind != argc - 1)
        rc = cli_usage("predict", "give one MODEL file (from 'scalewall fit -o')");
    else if (!ns)
        rc = cli_usage("predict", "give --n LIST");
    else if (level != 0 && !(level > 0 && level < 1))
        rc = cli_usage("predict", "--level: %g is not in (0, 1)", level);
    else if (!(target > 0 && target < 1))
        rc = cli_usage("predict", "--efficiency-target: %g is not in (0, 1)", target);
    else
        rc = cli_whatif_check("predict", &w);
    if (rc) {
        free(ns);
        return rc;
    }
    sw_error err = {0};
    sw_fitmodel *m = NULL;
    sw_outfile out = {0};
    sw_fit_query q = {ns, nn, level, target, &w};
    const char *inputs[] = {argv[optind]};
    if (sw_fitmodel_read_file(argv[optind], &m, &err) ||
        sw_outfile_open(&out, output, SW_OUT_REPLACE, inputs, SW_NINPUTS(inputs), &err)) {
        rc = cli_fail(&err);
    } else if (sw_fit_report_write(m, &q, format, out.fp, &err)) {
        sw_outfile_fail(&out, err.status, &err);
        rc = cli_fail(&err);
    } else if (sw_outfile_commit(&out, &err)) {
        rc = cli_fail(&err);
    }
    sw_fitmodel_free(m);
    free(ns);
    return rc;
}
