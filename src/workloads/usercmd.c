/* usercmd.c — run the user's own command once and time it.
 *
 * fork/exec without a shell (arguments reach the program exactly as typed;
 * --shell opts in to /bin/sh -c); with --timeout in its own process group
 * so the timeout can stop an mpirun and everything it started.  The clock is
 * CLOCK_MONOTONIC from just before fork to the command's own exit (seen on
 * a pidfd), not to the end of its output: `sh -c 'sleep 3 & echo x'` takes
 * milliseconds, whatever its background child holds open.  stdout is
 * captured for --metric; stderr goes through to the user.  Ctrl-C, SIGTERM
 * and SIGHUP are held while the command runs and passed on to it (to its
 * whole group under --timeout, which Ctrl-C at the terminal cannot reach),
 * so stopping scalewall never leaves the command running. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
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

static void child(int wfd, char **argv, const sw_measure_opts *o, long n, long t,
                  const sigset_t *mask)
{
    char nb[24], tb[24];
    snprintf(nb, sizeof nb, "%ld", n);
    snprintf(tb, sizeof tb, "%ld", t);
    /* Its own group only when a timeout may have to stop it: otherwise
     * Ctrl-C at the terminal reaches the command and scalewall alike. */
    if (o->timeout_s > 0)
        setpgid(0, 0);
    /* The signals scalewall holds while it waits are the command's as usual. */
    sigprocmask(SIG_SETMASK, mask, NULL);
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

/* Keeps the tail of the command's stdout (for --metric); k is at most a
 * chunk, far below OUT_MAX / 2. */
static void keep(char *buf, size_t *len, const char *chunk, size_t k)
{
    if (*len + k > OUT_MAX) {
        size_t kept = OUT_MAX / 2;
        memmove(buf, buf + *len - kept, kept);
        *len = kept;
    }
    memcpy(buf + *len, chunk, k);
    *len += k;
}

/* One read from the pipe: 1 data, 0 end of file, -1 nothing now. */
static int read_some(int fd, char *buf, size_t *len)
{
    char chunk[8192];
    ssize_t k = read(fd, chunk, sizeof chunk);
    if (k < 0)
        return -1;
    if (k > 0)
        keep(buf, len, chunk, (size_t)k);
    return k > 0;
}

typedef struct waiting {
    pid_t pid;
    int out;           /* the command's stdout, -1 once at end of file */
    int pidfd;         /* readable when the command has exited; -1: poll waitpid */
    int sigfd;         /* SIGINT, SIGTERM, SIGHUP sent to scalewall */
    double deadline;   /* 0: none */
    char *buf;
    size_t len;
} waiting;

enum { W_EXITED, W_TIMEOUT, W_SIGNAL };

/* Waits for the command itself to exit, reading its stdout meanwhile; the
 * clock stops at its exit, not at the end of its output (a background
 * process it left holding stdout open is not part of its time). */
static int wait_for(waiting *w, int *status, double *t_exit, int *sig)
{
    for (;;) {
        int ms = w->pidfd >= 0 ? -1 : 5; /* no pidfd: look every 5 ms */
        if (w->deadline > 0) {
            double left = w->deadline - now_s();
            if (left <= 0)
                return W_TIMEOUT;
            int dl = (int)(left * 1000) + 1;
            ms = ms < 0 || dl < ms ? dl : ms;
        }
        struct pollfd p[3] = {{w->sigfd, POLLIN, 0}, {w->pidfd, POLLIN, 0}, {w->out, POLLIN, 0}};
        int rc = poll(p, 3, ms);
        if (rc < 0 && errno != EINTR)
            return W_TIMEOUT; /* cannot wait: treat as a stop */
        if (rc > 0 && (p[0].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(w->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
                *sig = (int)si.ssi_signo;
                return W_SIGNAL;
            }
        }
        if (rc > 0 && (p[2].revents & (POLLIN | POLLHUP)) && read_some(w->out, w->buf, &w->len) == 0) {
            close(w->out);
            w->out = -1;
        }
        if (w->pidfd < 0 || (rc > 0 && (p[1].revents & POLLIN))) {
            pid_t r = waitpid(w->pid, status, WNOHANG);
            if (r == w->pid) {
                *t_exit = now_s();
                return W_EXITED;
            }
        }
    }
}

/* After the command's exit: what it wrote is in the pipe; take it without
 * waiting for writers it left behind. */
static void drain_left(waiting *w)
{
    if (w->out < 0)
        return;
    fcntl(w->out, F_SETFL, fcntl(w->out, F_GETFL) | O_NONBLOCK);
    while (read_some(w->out, w->buf, &w->len) == 1)
        ;
}

/* A signal to scalewall while the command runs: the command goes too.  In
 * its own group (--timeout) the whole group is stopped; otherwise it shares
 * scalewall's group and gets the same signal, then SIGKILL after 2 s. */
static void stop_for_signal(const waiting *w, int own_group, int sig, int *status)
{
    if (own_group) {
        sw_proc_stop_group(w->pid, status);
        return;
    }
    kill(w->pid, sig);
    for (int i = 0; i < 200; i++) {
        if (waitpid(w->pid, status, WNOHANG) == w->pid)
            return;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    kill(w->pid, SIGKILL);
    waitpid(w->pid, status, 0);
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

/* The metric is searched line by line, in each line's first METRIC_LINE
 * bytes, and only until `deadline` (the --timeout's, or METRIC_BUDGET s
 * without one): glibc's regexec restarts an unanchored search at every
 * offset, so its time grows with the square of the text, and one long line
 * of digits took minutes after the command had finished (issue 11).  A
 * metric is one short line of output; a search cut short fails the point
 * and says why. */
#define METRIC_LINE 4096
#define METRIC_BUDGET 10.0

static void find_metric(const sw_measure_opts *o, char *out, sw_cmd_result *res,
                        double deadline)
{
    regex_t re;
    regmatch_t m[2];
    if (regcomp(&re, o->metric, REG_EXTENDED) != 0) {
        res->ok = 0;
        snprintf(res->why, sizeof res->why, "bad --metric");
        return;
    }
    if (deadline <= 0)
        deadline = now_s() + METRIC_BUDGET;
    int found = 0;
    for (char *line = out; *line && !found;) {
        char *nl = strchr(line, '\n');
        char *end = nl ? nl : line + strlen(line);
        char *cut = end - line > METRIC_LINE ? line + METRIC_LINE : end;
        char saved = *cut;
        *cut = '\0';
        found = regexec(&re, line, 2, m, 0) == 0 && m[1].rm_so >= 0;
        *cut = saved;
        if (found) {
            char num[64];
            int l = (int)(m[1].rm_eo - m[1].rm_so);
            snprintf(num, sizeof num, "%.*s", l < 63 ? l : 63, line + m[1].rm_so);
            double v;
            if (sw_parse_double(num, &v) != 1 || !(v > 0)) {
                res->ok = 0;
                snprintf(res->why, sizeof res->why,
                         "--metric matched '%s', not a positive number", num);
            } else {
                res->metric = v;
            }
            break;
        }
        if (now_s() > deadline) {
            res->ok = 0;
            snprintf(res->why, sizeof res->why,
                     "--metric search stopped at the time limit after %zu bytes of output",
                     (size_t)(end - out));
            found = 1;
            break;
        }
        line = nl ? nl + 1 : end;
    }
    if (!found) {
        res->ok = 0;
        snprintf(res->why, sizeof res->why, "--metric did not match the command's output");
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
    if (!argv || !buf || pipe2(fds, O_CLOEXEC) != 0) {
        sw_usercmd_free(argv);
        free(buf);
        return sw_error_set(err, SW_ENOMEM, "cannot start the command: %s", strerror(errno));
    }
    /* Held from before the fork, so none is lost between the fork and the
     * wait; read through a signalfd (no handler, no global flag). */
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &old);
    int sigfd = signalfd(-1, &hold, SFD_CLOEXEC | SFD_NONBLOCK);
    fflush(NULL);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        if (sigfd >= 0)
            close(sigfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        sw_usercmd_free(argv);
        free(buf);
        return sw_error_set(err, SW_EFAIL, "fork: %s", strerror(e));
    }
    if (pid == 0)
        child(fds[1], argv, o, n, t, &old);
    int own_group = o->timeout_s > 0;
    if (own_group)
        setpgid(pid, pid); /* both sides, so no signal finds it in ours */
    close(fds[1]);
    waiting w = {pid, fds[0], (int)syscall(SYS_pidfd_open, pid, 0), sigfd,
                 own_group ? t0 + o->timeout_s : 0, buf, 0};
    int status = 0, sig = 0;
    double t_exit = 0;
    int how = wait_for(&w, &status, &t_exit, &sig);
    if (how == W_EXITED) {
        res->wall_s = t_exit - t0;
        drain_left(&w);
        describe_status(status, res);
    } else {
        res->wall_s = now_s() - t0;
        res->ok = 0;
        if (how == W_SIGNAL) {
            stop_for_signal(&w, own_group, sig, &status);
            res->signal = sig;
            snprintf(res->why, sizeof res->why, "interrupted (%s)", strsignal(sig));
        } else {
            sw_proc_stop_group(pid, &status);
            snprintf(res->why, sizeof res->why, "timed out after %g s", o->timeout_s);
        }
    }
    if (w.out >= 0)
        close(w.out);
    if (w.pidfd >= 0)
        close(w.pidfd);
    if (sigfd >= 0)
        close(sigfd);
    sigprocmask(SIG_SETMASK, &old, NULL);
    buf[w.len] = '\0';
    if (res->ok && o->metric)
        find_metric(o, buf, res, w.deadline);
    sw_usercmd_free(argv);
    free(buf);
    return SW_OK;
}
