/* smpi_main.c — the entry point of scalewall_smpi.so, the program smpirun
 * runs once per simulated rank.  It is `scalewall measure` itself (the same
 * option parsing and harness), so a simulated sweep writes exactly the
 * results a real one does; the real `scalewall measure --platform` starts
 * it (smpi_launch.c). */
#include "builtin.h"

int main(int argc, char **argv)
{
    argv[0] = "measure";
    return cmd_measure(argc, argv);
}
