/* cli.c — helpers shared by the subcommands: error lines, option values,
 * and the child processes of the commands that chain others (tour,
 * crosscheck). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "scalewall/args.h"
#include "scalewall/io.h"

extern char **environ;

int cli_fail(const sw_error *err)
{
    fprintf(stderr, "scalewall: %s\n", err->msg[0] ? err->msg : sw_status_name(err->status));
    return sw_status_exit_code(err->status);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "scalewall %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'scalewall %s --help'.\n", cmd);
    va_end(ap);
    return 2;
}

int cli_double(const char *cmd, const char *opt, const char *arg, double *out)
{
    if (sw_parse_double(arg, out) != 1)
        return cli_usage(cmd, "%s: '%s' is not a number", opt, arg);
    return 0;
}

int cli_long(const char *cmd, const char *opt, const char *arg, long *out)
{
    double v;
    if (sw_parse_double(arg, &v) != 1 || v != floor(v) || v < 1 || v > 1e15)
        return cli_usage(cmd, "%s: '%s' is not a positive whole number", opt, arg);
    *out = (long)v;
    return 0;
}

int cli_counts(const char *cmd, const char *opt, const char *arg, double max, int whole,
               double **list, size_t *n)
{
    sw_error err = {0};
    sw_status st = sw_args_counts(arg, max, whole, list, n, &err);
    if (st == SW_ENOMEM)
        return cli_fail(&err);
    if (st)
        return cli_usage(cmd, "%s: %s", opt, err.msg);
    return 0;
}

int cli_n_list(const char *cmd, const char *opt, const char *arg, double **list, size_t *n)
{
    return cli_counts(cmd, opt, arg, 1e12, 0, list, n);
}

/* Before scalewall itself starts mpirun (measure --launch, tour,
 * crosscheck): Open MPI refuses to run as root unless told, and a root user
 * who asked scalewall to launch has told it.  Environment variables rather
 * than --allow-run-as-root, because other launchers ignore them instead of
 * failing on an unknown option; a value the user set is kept. */
void cli_mpirun_env(void)
{
    if (geteuid() != 0)
        return;
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
}

static int wait_for(pid_t pid);

int cli_spawn(char *const argv[], const char *log)
{
    /* The log is an output like any other (sw_outfile): it appears when
     * the step is over, and never replaces a device or follows a dangling
     * link. */
    sw_outfile lf = {0};
    sw_error err = {0};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (log) {
        if (sw_outfile_open(&lf, log, SW_OUT_REPLACE, NULL, 0, &err)) {
            posix_spawn_file_actions_destroy(&fa);
            fprintf(stderr, "scalewall: %s\n", err.msg);
            errno = EIO;
            return -1;
        }
        fflush(lf.fp);
        posix_spawn_file_actions_adddup2(&fa, fileno(lf.fp), 1);
        posix_spawn_file_actions_adddup2(&fa, fileno(lf.fp), 2);
    } else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    fflush(NULL);
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int st = -1, e = rc;
    if (rc == 0 && (st = wait_for(pid)) < 0)
        e = errno;
    if (log && sw_outfile_commit(&lf, &err))
        fprintf(stderr, "scalewall: %s\n", err.msg);
    if (e) {
        errno = e;
        return -1;
    }
    return st;
}

static int wait_for(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int cli_capture(char *const argv[], char *buf, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    /* the child gets the write end as its stdout only */
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    fflush(NULL);
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        errno = rc;
        return -1;
    }
    size_t len = 0;
    char sink[512];
    for (;;) { /* read to the end, keeping what fits, so the child never blocks */
        char *to = len + 1 < size ? buf + len : sink;
        size_t room = len + 1 < size ? size - 1 - len : sizeof sink;
        ssize_t k = read(fd[0], to, room);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (to != sink)
            len += (size_t)k;
    }
    close(fd[0]);
    if (size)
        buf[len] = '\0';
    return wait_for(pid);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
