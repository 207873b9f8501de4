/* front/mpi.c — the commands that run MPI, in a program without it: each
 * replaces the process by scalewall-mpi with the same arguments (helper.c).
 * Linked into the `scalewall` front end and scalewall-plot in place of
 * cmd_measure.c, cmd_crosscheck.c and cmd_tour.c (issue 16: start-up). */
#include "builtin.h"

#define HELPER "scalewall-mpi"

int cmd_measure(int argc, char **argv)
{
    return cli_helper_exec(HELPER, argc, argv);
}

int cmd_crosscheck(int argc, char **argv)
{
    return cli_helper_exec(HELPER, argc, argv);
}

int cmd_tour(int argc, char **argv)
{
    return cli_helper_exec(HELPER, argc, argv);
}
