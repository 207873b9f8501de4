/* helper.c — running a command in one of scalewall's helper executables.
 *
 * Why (issue 16): a program pays at start-up for every shared library it
 * links, and MPI, ScaLAPACK, OpenBLAS and cairo (with X11, ICU, libcrypto
 * behind them) cost 25-45 ms of every `scalewall fit` that needs none of
 * them.  As git runs its git-<cmd> helpers, the `scalewall` front end links
 * only what the light commands need (libc, libm, jansson, GSL) and replaces
 * itself (execv) by a helper for the rest:
 *   scalewall-mpi   measure, crosscheck, tour (MPI, the workloads; all commands)
 *   scalewall-plot  plot, report, plan --plot, top500 of an .xlsx (cairo,
 *                   libzip, libxml2; no MPI)
 * The helper gets the same arguments, so its output, its one error line and
 * its exit code are the user's.  Helpers are found relative to the running
 * executable, never at a path fixed at build time: beside it (a build tree,
 * and one helper starting another) or, installed, in <prefix>/libexec/scalewall
 * (SW_LIBEXEC_REL, the path from bin/ to there). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"

static int main_argc;
static char **main_argv;

void cli_helper_init(int argc, char **argv)
{
    main_argc = argc;
    main_argv = argv;
}

/* The helper's path into buf: 0, or -1 with errno.  The front end also
 * tells the helper where it is (SCALEWALL_EXE): what the helper writes for
 * the user to run later (measure --print-sbatch) names `scalewall`. */
static int helper_path(const char *name, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
#ifdef SW_FRONT_END
    if (setenv("SCALEWALL_EXE", exe, 1) != 0)
        return -1;
#endif
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    int k = snprintf(buf, size, "%s/%s", exe, name);
    if (k > 0 && (size_t)k < size && access(buf, X_OK) == 0)
        return 0;
#ifdef SW_LIBEXEC_REL
    k = snprintf(buf, size, "%s/%s/%s", exe, SW_LIBEXEC_REL, name);
    if (k > 0 && (size_t)k < size && access(buf, X_OK) == 0)
        return 0;
#endif
    errno = ENOENT;
    return -1;
}

/* Replaces this process by helper `name` with arguments args[0..] (after
 * its own argv[0]).  Returns only on failure, with err set. */
static sw_status helper_run(const char *name, char *const *args, int nargs, sw_error *err)
{
    char path[PATH_MAX];
    if (helper_path(name, path, sizeof path) != 0)
        return sw_error_set(err, SW_EFAIL,
                            "cannot find the helper '%s' beside this program or in its "
                            "libexec/scalewall: %s (an incomplete build or install)",
                            name, strerror(errno));
    char **argv = malloc(((size_t)nargs + 2) * sizeof *argv);
    if (!argv)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
    argv[0] = path;
    for (int i = 0; i < nargs; i++)
        argv[i + 1] = args[i];
    argv[nargs + 1] = NULL;
    /* What this process already printed comes first, and only once. */
    fflush(NULL);
    execv(path, argv);
    int e = errno;
    free(argv);
    return sw_error_set(err, SW_EFAIL, "cannot run the helper %s: %s", path, strerror(e));
}

int cli_helper_exec(const char *name, int argc, char **argv)
{
    sw_error err = {0};
    helper_run(name, argv, argc, &err);
    return cli_fail(&err);
}

sw_status cli_helper_rerun(const char *name, sw_error *err)
{
    if (!main_argv || main_argc < 1)
        return sw_error_set(err, SW_EFAIL, "cannot run the helper '%s': no command line", name);
    return helper_run(name, main_argv + 1, main_argc - 1, err);
}
