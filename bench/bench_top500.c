/* bench_top500.c — the whole 500-row list analysed (read + compute) in well
 * under 50 ms.
 *
 * Times, in one process, reading a TOP500 list from disk (page cache),
 * parsing it, deriving E / 1-alpha / walls for every system and the summary
 * statistics; repeated, reported as median and spread.  The peer, measured
 * in the same run on the same file: python3's csv module reading the list and
 * computing E and 1-alpha (timed inside python, so interpreter start-up is
 * not counted against it).  Also the official .xlsx export of the same list.
 *
 *   bench_top500 [LIST.csv [LIST.xlsx]]   (default: $SW_SHARED_DIR/data/top500) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/top500.h"

#define REPS 101

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct summary {
    double median, p10, p90, min, max;
} summary;

static summary summarise(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp);
    return (summary){t[n / 2], t[n / 10], t[n - 1 - n / 10], t[0], t[n - 1]};
}

/* One analysis: read + parse + derive + statistics; returns rows, -1 on error. */
static long analyse_once(const char *path)
{
    sw_top500_list l;
    sw_error err = {0};
    if (sw_top500_read_file(path, &l, &err)) {
        fprintf(stderr, "bench_top500: %s\n", err.msg);
        return -1;
    }
    sw_top500_stats s;
    sw_top500_stats_compute(&l, NULL, l.n, &s, NULL);
    long n = (long)l.n;
    sw_top500_list_free(&l);
    return n;
}

static int bench(const char *label, const char *path, int reps, summary *out)
{
    double *t = malloc((size_t)reps * sizeof *t);
    long rows = 0;
    for (int r = 0; r < reps && t; r++) {
        double t0 = now();
        rows = analyse_once(path);
        t[r] = now() - t0;
        if (rows < 0) {
            free(t);
            return -1;
        }
    }
    if (!t)
        return -1;
    *out = summarise(t, reps);
    free(t);
    printf("%-28s %4ld rows  median %7.3f ms  p10..p90 %.3f..%.3f ms  min..max %.3f..%.3f ms"
           "  (%d runs)\n",
           label, rows, out->median * 1e3, out->p10 * 1e3, out->p90 * 1e3, out->min * 1e3,
           out->max * 1e3, reps);
    return 0;
}

static const char peer_py[] =
    "import csv,sys,time,statistics\n"
    "p,R=sys.argv[1],int(sys.argv[2]);ts=[]\n"
    "for _ in range(R):\n"
    "  t=time.perf_counter();out=[]\n"
    "  with open(p,newline='',encoding='utf-8') as f:\n"
    "    for r in csv.DictReader(f):\n"
    "      n=float(r['total_cores']);e=float(r['rmax_tflops'])/float(r['rpeak_tflops'])\n"
    "      s=(1/e-1)/(n-1)\n"
    "      h=r['hpcg_tflops'];sh=(1/(float(h)/float(r['rpeak_tflops']))-1)/(n-1) if h else None\n"
    "      out.append((r['rank'],e,s,sh))\n"
    "  ts.append(time.perf_counter()-t)\n"
    "ts.sort();print(len(out),ts[len(ts)//2],ts[len(ts)//10],ts[-1-len(ts)//10])\n";

/* Runs the python3 peer; 0 and *median on success. */
static int peer(const char *path, int reps, double *median)
{
    char script[] = "/tmp/bench_top500_peer_XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    fputs(peer_py, fp);
    fclose(fp);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s' %d 2>/dev/null", script, path, reps);
    FILE *p = popen(cmd, "r");
    long rows = 0;
    double p10 = NAN, p90 = NAN;
    int got = p ? fscanf(p, "%ld %lf %lf %lf", &rows, median, &p10, &p90) : 0;
    int rc = p ? pclose(p) : -1;
    unlink(script);
    if (got != 4 || rc != 0)
        return -1;
    printf("%-28s %4ld rows  median %7.3f ms  p10..p90 %.3f..%.3f ms  (%d runs)\n",
           "python3 csv module (peer)", rows, *median * 1e3, p10 * 1e3, p90 * 1e3, reps);
    return 0;
}

int main(int argc, char **argv)
{
    const char *shared = getenv("SW_SHARED_DIR") ? getenv("SW_SHARED_DIR") : SW_SHARED_DIR;
    char csv[4096], xlsx[4096];
    snprintf(csv, sizeof csv, "%s", argc > 1 ? argv[1] : "");
    snprintf(xlsx, sizeof xlsx, "%s", argc > 2 ? argv[2] : "");
    if (!csv[0])
        snprintf(csv, sizeof csv, "%s/data/top500/2020-11.csv", shared);
    if (!xlsx[0] && argc <= 1)
        snprintf(xlsx, sizeof xlsx, "%s/data/top500/xlsx/TOP500_202011.xlsx", shared);
    if (access(csv, R_OK) != 0) {
        fprintf(stderr, "bench_top500: %s not found (give a list as the first argument)\n", csv);
        return 77;
    }
    summary c, x;
    if (bench("scalewall CSV read+analyse", csv, REPS, &c))
        return 1;
    if (xlsx[0] && access(xlsx, R_OK) == 0 && bench("scalewall xlsx read+analyse", xlsx, 21, &x))
        return 1;
    double py;
    if (peer(csv, 21, &py) == 0)
        printf("ratio: python3 csv / scalewall CSV = %.1fx (medians, same file, same run)\n",
               py / c.median);
    else
        printf("ratio: python3 not available, no peer measured\n");
    printf("target: whole list in well under 50 ms: %s (median %.3f ms)\n",
           c.median < 0.050 ? "met" : "MISSED", c.median * 1e3);
    return 0;
}
