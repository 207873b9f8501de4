/* cli_whatif.c — the what-if options of every command that predicts
 * (fit, predict, plan), so they are spelled, checked and explained once.
 * Their meaning is the library's (fit.h, sw_whatif_factor): the payload
 * speed-up divides only the parallel payload; the serial part, waiting for
 * the slowest rank and communication change only through their own
 * factors. */
#include <getopt.h>
#include <math.h>

#include "builtin.h"
#include "scalewall/fit.h"

const char cli_whatif_help[] =
    "  --payload-speedup K  what-if: the parallel payload t_p/N K times faster; the serial\n"
    "                       part, waiting and communication stay (their own factors below)\n"
    "  --serial-scale S     what-if: the serial term times S\n"
    "  --comm-scale C       what-if: communication terms times C\n"
    "  --sync-scale W       what-if: waiting for the slowest rank (straggler terms) times W\n"
    "  --batch B            a time-to-train model (the series had a batch column): the\n"
    "                       global batch at the N asked for (default: the batch of the\n"
    "                       largest measured N not above it)\n";

int cli_whatif_opt(const char *cmd, int c, const char *arg, struct sw_whatif *w)
{
    switch (c) {
    case CLI_OPT_PAYLOAD: return cli_double(cmd, "--payload-speedup", arg, &w->payload_speedup);
    case CLI_OPT_SERIAL: return cli_double(cmd, "--serial-scale", arg, &w->serial_scale);
    case CLI_OPT_COMM: return cli_double(cmd, "--comm-scale", arg, &w->comm_scale);
    case CLI_OPT_SYNC: return cli_double(cmd, "--sync-scale", arg, &w->sync_scale);
    case CLI_OPT_BATCH: return cli_double(cmd, "--batch", arg, &w->batch);
    default: return -1;
    }
}

int cli_whatif_check(const char *cmd, const struct sw_whatif *w)
{
    if (!(w->payload_speedup > 0) || !isfinite(w->payload_speedup))
        return cli_usage(cmd, "--payload-speedup: %g is not a positive number",
                         w->payload_speedup);
    if (!(w->serial_scale >= 0) || !(w->comm_scale >= 0) || !(w->sync_scale >= 0) ||
        !isfinite(w->serial_scale) || !isfinite(w->comm_scale) || !isfinite(w->sync_scale))
        return cli_usage(cmd, "what-if scales (--serial-scale, --comm-scale, --sync-scale) must "
                              "be numbers >= 0");
    if (!(w->batch >= 0) || !isfinite(w->batch))
        return cli_usage(cmd, "--batch: %g is not a positive batch", w->batch);
    return 0;
}
