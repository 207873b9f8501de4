/* commands.c — the dispatch table: one line per subcommand, sorted by name. */
#include <string.h>

#include "builtin.h"

const sw_command sw_commands[] = {
    {"amdahl", cmd_amdahl, "what one (N, speedup) point says: E, 1-alpha, the wall, what-ifs"},
    {"crosscheck", cmd_crosscheck, "fit real small-N points, simulate large N under SMPI, report the disagreement"},
    {"depth", cmd_depth, "how deep a network can be and still scale: E over depth x N"},
    {"fit", cmd_fit, "fit T(N) to observations: terms, N*, the wall, intervals, a model file"},
    {"help", cmd_help, "list the commands, or show one command's help"},
    {"measure", cmd_measure, "measure how a workload or your own command scales with N"},
    {"plan", cmd_plan, "time, cost and energy against N per hardware option; what to buy"},
    {"plot", cmd_plot, "draw one figure (speedup, efficiency, 1-alpha, breakdown, map, plan)"},
    {"predict", cmd_predict, "ask a saved model about other N, with intervals and what-ifs"},
    {"report", cmd_report, "one self-contained HTML report: figures, tables, method, provenance"},
    {"simulate", cmd_simulate, "simulate a training step on N units from first principles"},
    {"top500", cmd_top500, "TOP500/HPCG lists as Amdahl points: E, 1-alpha, the wall, trend, HPL-MxP"},
    {"tour", cmd_tour, "the quick tour: measure, fit, plan and report on this machine"},
};
const size_t sw_ncommands = sizeof sw_commands / sizeof sw_commands[0];

const sw_command *sw_command_find(const char *name)
{
    for (size_t i = 0; i < sw_ncommands; i++)
        if (strcmp(sw_commands[i].name, name) == 0)
            return &sw_commands[i];
    return NULL;
}
