/* cmd_amdahl.c — `scalewall amdahl`: what one measured point says.
 *
 * The student's and the sceptic's entry point: give one (N, speedup),
 * (N, efficiency) or (N, T1, TN) and see 1-alpha_eff, the wall, N1/2, and
 * what the same 1-alpha means at other N or with a faster payload. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "builtin.h"
#include "scalewall/model.h"

static const char usage_text[] =
    "usage: scalewall amdahl --n N (--speedup S | --efficiency E | --t1 T1 --tn TN)\n"
    "                        [--r1 RATE] [--at N1,N2,...] [--payload-speedup K] [--json]\n"
    "\n"
    "What one measured point says about a workload's effective parallelism.\n"
    "\n"
    "  --n N              processing units of the measurement\n"
    "  --speedup S        measured speedup T(1)/T(N)\n"
    "  --efficiency E     measured efficiency S/N (for TOP500: Rmax/Rpeak)\n"
    "  --t1 T1 --tn TN    measured times on 1 and N units\n"
    "  --r1 RATE          payload rate of one unit; the wall is then given in its unit\n"
    "  --at LIST          evaluate E and S at other N with 1-alpha held (1,2,4 or 1:1e6)\n"
    "  --payload-speedup K  the parallel payload (1 - s of the one-unit time) becomes K\n"
    "                       times faster; the serial fraction s (serial code, waiting,\n"
    "                       communication) stays: the same meaning as in fit, predict, plan\n"
    "  --json             machine-readable output\n"
    "\n"
    "1-alpha is Karp-Flatt's experimentally determined serial fraction (1/E - 1)/(N - 1),\n"
    "printed as karp_flatt (not Gustafson's scaled serial fraction, which fit reports for\n"
    "weak scaling); E > 1 (superlinear) gives a negative value, reported, not hidden.\n";

static void print_num(const char *key, double v, int json, int *first)
{
    if (json) {
        printf("%s\"%s\": ", *first ? "" : ", ", key);
        if (isfinite(v))
            printf("%.10g", v);
        else
            printf("null");
        *first = 0;
    } else {
        printf("  %-22s %.6g\n", key, v);
    }
}

int cmd_amdahl(int argc, char **argv)
{
    static const struct option opts[] = {
        {"n", required_argument, 0, 'n'},        {"speedup", required_argument, 0, 's'},
        {"efficiency", required_argument, 0, 'e'}, {"t1", required_argument, 0, '1'},
        {"tn", required_argument, 0, 't'},       {"r1", required_argument, 0, 'r'},
        {"at", required_argument, 0, 'a'},       {"payload-speedup", required_argument, 0, 'k'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    double n = NAN, s = NAN, e = NAN, t1 = NAN, tn = NAN, r1 = 1.0, k = NAN;
    double *at = NULL;
    size_t nat = 0;
    int json = 0, c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': rc = cli_double("amdahl", "--n", optarg, &n); break;
        case 's': rc = cli_double("amdahl", "--speedup", optarg, &s); break;
        case 'e': rc = cli_double("amdahl", "--efficiency", optarg, &e); break;
        case '1': rc = cli_double("amdahl", "--t1", optarg, &t1); break;
        case 't': rc = cli_double("amdahl", "--tn", optarg, &tn); break;
        case 'r': rc = cli_double("amdahl", "--r1", optarg, &r1); break;
        case 'k': rc = cli_double("amdahl", "--payload-speedup", optarg, &k); break;
        case 'a':
            free(at);
            rc = cli_n_list("amdahl", "--at", optarg, &at, &nat);
            break;
        case 'j': json = 1; break;
        case 'h': fputs(usage_text, stdout); free(at); return 0;
        default: free(at); return cli_usage("amdahl", "unknown option");
        }
        if (rc) {
            free(at);
            return rc;
        }
    }
    if (optind < argc) {
        free(at);
        return cli_usage("amdahl", "unexpected argument '%s'", argv[optind]);
    }
    int given = !isnan(s) + !isnan(e) + (!isnan(t1) || !isnan(tn));
    if (isnan(n) || given != 1) {
        free(at);
        return cli_usage("amdahl", "give --n and exactly one of --speedup, --efficiency, --t1/--tn");
    }
    sw_error err = {0};
    sw_amdahl a;
    sw_status st;
    if (!isnan(s))
        st = sw_amdahl_from_speedup(n, s, &a, &err);
    else if (!isnan(e))
        st = sw_amdahl_from_efficiency(n, e, &a, &err);
    else if (isnan(t1) || isnan(tn))
        st = sw_error_set(&err, SW_EINVAL, "--t1 and --tn go together");
    else
        st = sw_amdahl_from_times(n, t1, tn, &a, &err);
    /* The wall is r1/(1-alpha): a rate that is not positive would print a
     * negative or empty wall as if it meant something (issue 11). */
    if (!st && !(r1 > 0))
        st = sw_error_set(&err, SW_EDOM, "the payload rate --r1 %g is not positive", r1);
    sw_payload_whatif w = {0};
    if (!st && !isnan(k))
        st = sw_payload_speedup(n, a.serial, k, &w, &err);
    if (st) {
        free(at);
        return cli_fail(&err);
    }
    int first = 1;
    if (json)
        printf("{");
    else
        printf("One point: N = %g, S = %g\n", a.n, a.speedup);
    print_num("n", a.n, json, &first);
    print_num("speedup", a.speedup, json, &first);
    print_num("efficiency", a.efficiency, json, &first);
    print_num("alpha_eff", a.alpha, json, &first);
    print_num("karp_flatt", a.serial, json, &first);
    print_num("max_gain", sw_max_gain(a.serial), json, &first);
    print_num("wall", sw_wall(r1, a.serial), json, &first);
    print_num("n_half", sw_n_half(a.serial), json, &first);
    if (json)
        printf(", \"superlinear\": %s, \"slower_than_one_unit\": %s",
               a.superlinear ? "true" : "false", a.speedup < 1 ? "true" : "false");
    else if (a.superlinear)
        printf("  note: E > 1 (superlinear): 1-alpha is negative; the Amdahl reading does not apply\n");
    else if (a.speedup < 1) /* not a serial share, however the formula reads */
        printf("  note: S < 1: slower than one unit; 1-alpha > 1 and a wall below 1 describe no "
               "speedup at all, not a serial share\n");
    if (!isnan(k)) {
        if (json)
            printf(", \"payload\": {");
        else
            printf("Payload %g times faster, the rest unchanged:\n", k);
        int f2 = 1;
        print_num("k", w.k, json, &f2);
        print_num("karp_flatt", w.serial, json, &f2);
        print_num("efficiency", w.efficiency, json, &f2);
        print_num("gain_kept", w.gain_kept, json, &f2);
        print_num("wall_ratio", w.wall_ratio, json, &f2);
        if (json)
            printf("}");
    }
    if (nat) {
        if (json)
            printf(", \"at\": [");
        else
            printf("With 1-alpha held:\n  %14s %12s %14s %14s\n", "N", "E", "S", "R (r1 units)");
        for (size_t i = 0; i < nat; i++) {
            double ei = sw_efficiency(at[i], a.serial);
            if (json)
                printf("%s{\"n\": %.10g, \"efficiency\": %.10g, \"speedup\": %.10g, \"rate\": %.10g}",
                       i ? ", " : "", at[i], ei, at[i] * ei, sw_rate(at[i], r1, a.serial));
            else
                printf("  %14.6g %12.6g %14.6g %14.6g\n", at[i], ei, at[i] * ei,
                       sw_rate(at[i], r1, a.serial));
        }
        if (json)
            printf("]");
    }
    if (json)
        printf("}\n");
    free(at);
    return 0;
}
