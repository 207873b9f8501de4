/* scalewall.c — main(): global options, then dispatch to a subcommand.
 *
 * Every command's answer on stdout is checked once here, after the command:
 * a full disk or a closed file behind `> out.txt` is an I/O error (exit 4,
 * one line), never a silent success with the answer lost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/version.h"

static int run_default(void)
{
    /* The quick tour on the embedded default; until it exists, the TOP500
     * context is the embedded job. */
    const sw_command *c = sw_command_find("tour");
    if (!c)
        c = sw_command_find("top500");
    if (!c)
        c = sw_command_find("help");
    char *argv[] = {(char *)c->name, NULL};
    return c->fn(1, argv);
}

/* The command's exit code, or 4 when what it printed could not be written
 * (a code already saying failure is kept: its own line came first). */
static int finish_stdout(int rc)
{
    errno = 0;
    int bad = ferror(stdout);
    int e = 0;
    if (fflush(stdout) != 0)
        bad = 1, e = errno;
    if (fclose(stdout) != 0 && !bad)
        bad = 1, e = errno;
    if (!bad)
        return rc;
    fprintf(stderr, "scalewall: stdout: write failed: %s\n", strerror(e ? e : EIO));
    return rc ? rc : 4;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2)
        return run_default();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("scalewall %s\n", SW_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return cmd_help(1, argv + 1);
    const sw_command *c = sw_command_find(cmd);
    if (!c) {
        fprintf(stderr, "scalewall: '%s' is not a scalewall command. See 'scalewall help'.\n",
                cmd);
        return 2;
    }
    return c->fn(argc - 1, argv + 1);
}

/* OpenBLAS (pthreads build) starts its thread pool when it is loaded, before
 * main(), and its threads spin a second core until they time out (fit
 * measured at 1.42x CPU per wall second) for no speed-up on the small
 * problems of fit, predict or simulate.  The front end does not load OpenBLAS
 * at all (GSL's own CBLAS serves it; helper.c); in the helpers, which do
 * (SW_OPENBLAS), only the commands that run workloads (measure, and
 * crosscheck and tour, which measure) want BLAS threads; for every other one
 * the pool is stopped here, unless the user asked for a number of threads
 * (OPENBLAS_NUM_THREADS or OMP_NUM_THREADS set).  OpenBLAS would restart it
 * on demand for a threaded call, which with one thread never comes. */
#ifdef SW_OPENBLAS
void openblas_set_num_threads(int n);
int blas_thread_shutdown_(void);

static void blas_single_thread(const char *cmd)
{
    if (strcmp(cmd, "measure") == 0 || strcmp(cmd, "crosscheck") == 0 ||
        strcmp(cmd, "tour") == 0 || getenv("OPENBLAS_NUM_THREADS") || getenv("OMP_NUM_THREADS"))
        return;
    openblas_set_num_threads(1);
    blas_thread_shutdown_();
}
#else
static void blas_single_thread(const char *cmd)
{
    (void)cmd;
}
#endif

int main(int argc, char **argv)
{
    cli_helper_init(argc, argv);
    blas_single_thread(argc > 1 ? argv[1] : "tour");
    return finish_stdout(dispatch(argc, argv));
}
