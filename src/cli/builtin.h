/* builtin.h — the subcommands and the few helpers they share.
 *
 * As in git's builtin/: one file per subcommand (cmd_<name>.c), each exposing
 * `int cmd_<name>(int argc, char **argv)` that returns the process exit code.
 * The table that maps names to functions is in commands.c; adding a command is
 * one line there plus its file. */
#ifndef SW_CLI_BUILTIN_H
#define SW_CLI_BUILTIN_H

#include <stddef.h>

#include "scalewall/error.h"

typedef struct sw_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} sw_command;

extern const sw_command sw_commands[];
extern const size_t sw_ncommands;
const sw_command *sw_command_find(const char *name);

int cmd_help(int argc, char **argv);
int cmd_amdahl(int argc, char **argv);
int cmd_depth(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_top500(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_tour(int argc, char **argv);
int cmd_crosscheck(int argc, char **argv);

/* Prints "scalewall: <message>" on stderr and returns the exit code of the
 * error's status (docs/cli.md lists them). */
int cli_fail(const sw_error *err);
/* Prints "scalewall <cmd>: <message>" and "Try 'scalewall <cmd> --help'."; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Lets Open MPI run as root when scalewall launches mpirun itself. */
void cli_mpirun_env(void);
/* Runs argv (looked up on PATH) and waits for it, its stdout sent to `log`
 * (created or truncated) with stderr too, or to /dev/null with stderr left
 * alone when `log` is NULL.  Returns its exit code, 128 + the signal that
 * killed it, or -1 with errno when it could not be started or waited for. */
int cli_spawn(char *const argv[], const char *log);
/* Runs argv (no shell) with its stdout read into buf (NUL-terminated, cut to
 * size - 1 bytes) and its stderr sent to /dev/null; returns as cli_spawn. */
int cli_capture(char *const argv[], char *buf, size_t size);
/* Monotonic seconds, for the elapsed time of commands that run steps. */
double cli_now(void);
/* Parses a whole-string finite double / positive long for option `opt`. */
int cli_double(const char *cmd, const char *opt, const char *arg, double *out);
int cli_long(const char *cmd, const char *opt, const char *arg, long *out);
/* "1,2,4,8", "1:64" (powers of two), "1:1e6" (10 log-spaced points per
 * decade when the range is not powers of two) -> malloc'd list of counts
 * up to 1e12 (sw_args_counts); 0, or the exit code after printing why. */
int cli_n_list(const char *cmd, const char *opt, const char *arg, double **list, size_t *n);
/* The same with a bound and, when `whole`, whole numbers only. */
int cli_counts(const char *cmd, const char *opt, const char *arg, double max, int whole,
               double **list, size_t *n);

/* The what-if options of the commands that predict (fit, predict, plan),
 * one meaning everywhere (cli_whatif.c): put CLI_WHATIF_OPTS in the option
 * table, hand every option code to cli_whatif_opt (-1: not a what-if, else
 * 0 or the usage exit code), check with cli_whatif_check, print
 * cli_whatif_help in the usage text. */
enum { CLI_OPT_PAYLOAD = 0x501, CLI_OPT_SERIAL, CLI_OPT_COMM, CLI_OPT_SYNC, CLI_OPT_BATCH };
#define CLI_WHATIF_OPTS                                                                    \
    {"payload-speedup", required_argument, 0, CLI_OPT_PAYLOAD},                            \
        {"serial-scale", required_argument, 0, CLI_OPT_SERIAL},                            \
        {"comm-scale", required_argument, 0, CLI_OPT_COMM},                                \
        {"sync-scale", required_argument, 0, CLI_OPT_SYNC},                                \
        {"batch", required_argument, 0, CLI_OPT_BATCH}
struct sw_whatif;
extern const char cli_whatif_help[];
int cli_whatif_opt(const char *cmd, int c, const char *arg, struct sw_whatif *w);
int cli_whatif_check(const char *cmd, const struct sw_whatif *w);

/* Helper executables (helper.c): commands that need MPI run in scalewall-mpi,
 * drawing and .xlsx reading in scalewall-plot; the light front end replaces
 * itself by the helper.  cli_helper_init keeps main's arguments;
 * cli_helper_exec runs a command (argv[0] its name, as a cmd_* function gets
 * it) and cli_helper_rerun main's whole command line in helper `name`; both
 * return only on failure (the exit code after one line / the status). */
void cli_helper_init(int argc, char **argv);
int cli_helper_exec(const char *name, int argc, char **argv);
sw_status cli_helper_rerun(const char *name, sw_error *err);

#endif
