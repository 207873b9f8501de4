/* usercmd.c — run the user's own command once and time it.
 *
 * fork/exec without a shell (arguments reach the program exactly as typed;
 * --shell opts in to /bin/sh -c); with --timeout in its own process group
 * so the timeout can stop an mpirun and everything it started.  The clock is
 * CLOCK_MONOTONIC from just before fork to the moment waitpid returns.
 * stdout is captured for --metric; stderr goes through to the user. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scalewall/io.h"
#include "workloads/harness.h"

#define OUT_MAX (1 << 20) /* stdout kept for --metric: the last MiB */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

sw_status sw_usercmd_validate(const sw_measure_opts *o, sw_error *err)
{
    if (o->ncmd < 1 || !o->cmd[0][0])
        return sw_error_set(err, SW_EINVAL, "the command after '--' is empty");
    if (o->shell && o->ncmd != 1)
        return sw_error_set(err, SW_EINVAL,
                            "--shell takes the command as one argument: -- 'cmd {n} | ...'");
    if (o->metric) {
        regex_t re;
        int rc = regcomp(&re, o->metric, REG_EXTENDED);
        if (rc) {
            char msg[256];
            regerror(rc, &re, msg, sizeof msg);
            return sw_error_set(err, SW_EINVAL, "--metric '%s': %s", o->metric, msg);
        }
        size_t groups = re.re_nsub;
        regfree(&re);
        if (groups < 1)
            return sw_error_set(err, SW_EINVAL,
                                "--metric '%s' has no capture group: put the number in "
                                "parentheses, e.g. 'time: ([0-9.]+)'",
                                o->metric);
    }
    return SW_OK;
}

static char *replace_all(const char *s, long n, long t)
{
    char nb[24], tb[24];
    snprintf(nb, sizeof nb, "%ld", n);
    snprintf(tb, sizeof tb, "%ld", t);
    size_t cap = strlen(s) * 8 + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    while (*s) {
        const char *rep = NULL;
        if (strncmp(s, "{n}", 3) == 0)
            rep = nb;
        else if (strncmp(s, "{t}", 3) == 0)
            rep = tb;
        if (rep) {
            size_t rl = strlen(rep);
            memcpy(out + len, rep, rl);
            len += rl;
            s += 3;
        } else {
            out[len++] = *s++;
        }
    }
    out[len] = '\0';
    return out;
}

char **sw_usercmd_expand(char *const *tmpl, int ntmpl, long n, long t)
{
    char **argv = calloc((size_t)ntmpl + 1, sizeof *argv);
    if (!argv)
        return NULL;
    for (int i = 0; i < ntmpl; i++)
        if (!(argv[i] = replace_all(tmpl[i], n, t))) {
            sw_usercmd_free(argv);
            return NULL;
        }
    return argv;
}

void sw_usercmd_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

static void child(int wfd, char **argv, const sw_measure_opts *o, long n, long t)
{
    char nb[24], tb[24];
    snprintf(nb, sizeof nb, "%ld", n);
    snprintf(tb, sizeof tb, "%ld", t);
    /* Its own group only when a timeout may have to stop it: otherwise
     * Ctrl-C at the terminal reaches the command and scalewall alike. */
    if (o->timeout_s > 0)
        setpgid(0, 0);
    dup2(wfd, STDOUT_FILENO);
    close(wfd);
    setenv("SCALEWALL_N", nb, 1);
    setenv("OMP_NUM_THREADS", tb, 1);
    if (o->shell)
        execl("/bin/sh", "sh", "-c", argv[0], (char *)NULL);
    else
        execvp(argv[0], argv);
    fprintf(stderr, "scalewall: cannot run '%s': %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Reads the child's stdout until EOF or the deadline; keeps the tail. */
static int drain(int fd, char *buf, size_t *len, double deadline)
{
    for (;;) {
        int ms = -1;
        if (deadline > 0) {
            double left = deadline - now_s();
            if (left <= 0)
                return 1;
            ms = (int)(left * 1000) + 1;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int rc = poll(&pfd, 1, ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return 1;
        char chunk[8192];
        ssize_t k = read(fd, chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return 0;
        if (*len + (size_t)k > OUT_MAX) {
            size_t keep = OUT_MAX / 2;
            memmove(buf, buf + *len - keep, keep);
            *len = keep;
        }
        memcpy(buf + *len, chunk, (size_t)k);
        *len += (size_t)k;
    }
}

static void on_alarm(int sig)
{
    (void)sig;
}

/* waitpid, interrupted by SIGALRM at the deadline (then returns 0). */
static int wait_child(pid_t pid, int *status, double deadline)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    if (deadline > 0) {
        double left = deadline - now_s();
        if (left <= 0)
            return waitpid(pid, status, WNOHANG) == pid;
        sigaction(SIGALRM, &sa, &old);
        struct itimerval it = {{0, 0}, {(time_t)left, (suseconds_t)((left - floor(left)) * 1e6) + 1}};
        setitimer(ITIMER_REAL, &it, NULL);
    }
    pid_t r;
    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR && (deadline <= 0 || now_s() < deadline));
    if (deadline > 0) {
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
        sigaction(SIGALRM, &old, NULL);
    }
    return r == pid;
}

void sw_proc_stop_group(pid_t pid, int *status)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, status, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* stragglers of the group */
            return;
        }
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, status, 0);
}

static void find_metric(const sw_measure_opts *o, const char *out, sw_cmd_result *res)
{
    regex_t re;
    regmatch_t m[2];
    if (regcomp(&re, o->metric, REG_EXTENDED) != 0) {
        res->ok = 0;
        snprintf(res->why, sizeof res->why, "bad --metric");
        return;
    }
    if (regexec(&re, out, 2, m, 0) != 0 || m[1].rm_so < 0) {
        res->ok = 0;
        snprintf(res->why, sizeof res->why, "--metric did not match the command's output");
    } else {
        char num[64];
        int l = (int)(m[1].rm_eo - m[1].rm_so);
        snprintf(num, sizeof num, "%.*s", l < 63 ? l : 63, out + m[1].rm_so);
        double v;
        if (sw_parse_double(num, &v) != 1 || !(v > 0)) {
            res->ok = 0;
            snprintf(res->why, sizeof res->why, "--metric matched '%s', not a positive number",
                     num);
        } else {
            res->metric = v;
        }
    }
    regfree(&re);
}

static void describe_status(int status, sw_cmd_result *res)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    res->ok = 0;
    if (WIFEXITED(status))
        snprintf(res->why, sizeof res->why, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(res->why, sizeof res->why, "killed by signal %d", WTERMSIG(status));
}

sw_status sw_usercmd_run(const sw_measure_opts *o, long n, long t, sw_cmd_result *res,
                         sw_error *err)
{
    memset(res, 0, sizeof *res);
    res->metric = NAN;
    res->ok = 1;
    char **argv = sw_usercmd_expand(o->cmd, o->ncmd, n, t);
    char *buf = malloc(OUT_MAX + 1);
    int fds[2] = {-1, -1};
    if (!argv || !buf || pipe(fds) != 0) {
        sw_usercmd_free(argv);
        free(buf);
        return sw_error_set(err, SW_ENOMEM, "cannot start the command: %s", strerror(errno));
    }
    fflush(NULL);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        sw_usercmd_free(argv);
        free(buf);
        return sw_error_set(err, SW_EFAIL, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], argv, o, n, t);
    }
    close(fds[1]);
    double deadline = o->timeout_s > 0 ? t0 + o->timeout_s : 0;
    size_t len = 0;
    int status = 0;
    int timed_out = drain(fds[0], buf, &len, deadline);
    if (!timed_out && !wait_child(pid, &status, deadline))
        timed_out = 1;
    res->wall_s = now_s() - t0;
    if (timed_out) {
        sw_proc_stop_group(pid, &status);
        res->ok = 0;
        snprintf(res->why, sizeof res->why, "timed out after %g s", o->timeout_s);
    } else {
        describe_status(status, res);
    }
    close(fds[0]);
    buf[len] = '\0';
    if (res->ok && o->metric)
        find_metric(o, buf, res);
    sw_usercmd_free(argv);
    free(buf);
    return SW_OK;
}
