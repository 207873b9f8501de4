/* front/plot.c — drawing and .xlsx reading, in the `scalewall` front end,
 * which links neither cairo nor libzip/libxml2 (issue 16: start-up).
 *
 * plot and report replace the process by scalewall-plot with the same
 * arguments (helper.c).  plan --plot and top500 of an .xlsx list are light
 * commands until they reach the one library call the front end lacks; these
 * definitions of those calls rerun the whole command line in scalewall-plot
 * at that point.  Nothing has been written by then: plan computes before it
 * writes, top500 reads every list before it prints, and no output file is
 * open yet (sw_chart_write_files opens its own).  The helper reads the
 * inputs again, so an .xlsx must be a file that can be read twice, not a
 * pipe. */
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "scalewall/plot.h"
#include "scalewall/xlsx.h"

#define HELPER "scalewall-plot"

int cmd_plot(int argc, char **argv)
{
    return cli_helper_exec(HELPER, argc, argv);
}

int cmd_report(int argc, char **argv)
{
    return cli_helper_exec(HELPER, argc, argv);
}

sw_status sw_chart_write_files(const sw_chart *c, const char *path, int width, int height,
                               const char *const *inputs, size_t ninputs, sw_outfile outs[2],
                               sw_error *err)
{
    (void)c, (void)path, (void)width, (void)height, (void)inputs, (void)ninputs;
    memset(outs, 0, 2 * sizeof *outs);
    return cli_helper_rerun(HELPER, err);
}

sw_status sw_xlsx_read_buffer(const char *name, const void *buf, size_t len, sw_xlsx_sheet *out,
                              sw_error *err)
{
    (void)buf, (void)len;
    memset(out, 0, sizeof *out);
    struct stat sb;
    if (!name || stat(name, &sb) != 0 || !S_ISREG(sb.st_mode))
        return sw_error_set(err, SW_EUNSUP,
                            "%s: an .xlsx list must be a regular file (it is read again by "
                            "scalewall-plot), not a pipe or a device: save it to a file first",
                            name ? name : "<xlsx>");
    return cli_helper_rerun(HELPER, err);
}
