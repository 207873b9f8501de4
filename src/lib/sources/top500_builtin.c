/* top500_builtin.c — lists and HPL-MxP results from the built-in facts table.
 *
 * The table (top500_embedded.c) is generated at dev time so that scalewall's
 * first screen, --trend and --mxp work on a fresh machine with no data files.
 * Built-in rows go through the same sw_top500_add/analyse path as file rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/top500.h"
#include "top500_facts.h"

size_t sw_top500_embedded_count(void)
{
    return sw_t5_neditions;
}

const char *sw_top500_embedded_edition(size_t i)
{
    return i < sw_t5_neditions ? sw_t5_editions[i].list : NULL;
}

size_t sw_top500_embedded_list_size(const char *edition)
{
    for (size_t i = 0; i < sw_t5_neditions; i++)
        if (strcmp(sw_t5_editions[i].list, edition) == 0)
            return sw_t5_editions[i].rows;
    return 0;
}

sw_status sw_top500_embedded_list(const char *edition, sw_top500_list *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    if (!edition || !edition[0])
        edition = sw_t5_editions[sw_t5_neditions - 1].list;
    for (size_t i = 0; i < sw_t5_nfacts; i++) {
        const sw_t5_fact *f = &sw_t5_facts[i];
        if (strcmp(f->list, edition) != 0)
            continue;
        if (!sw_top500_add(out, f->list, f->rank, f->name, f->cores, f->accel_cores, f->rmax,
                           f->rpeak, f->hpcg, f->power_kw)) {
            sw_top500_list_free(out);
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        }
    }
    if (out->n == 0)
        return sw_error_set(err, SW_EINVAL, "no built-in TOP500 list '%s' (built in: %s..%s)",
                            edition, sw_t5_editions[0].list,
                            sw_t5_editions[sw_t5_neditions - 1].list);
    snprintf(out->list, sizeof out->list, "%s", edition);
    out->source = strdup("embedded");
    if (!out->source) {
        sw_top500_list_free(out);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    sw_top500_analyse(out);
    return SW_OK;
}

sw_status sw_top500_embedded_mxp(sw_mxp *out, sw_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sw_t5_nmxp; i++) {
        const sw_t5_mxp_fact *f = &sw_t5_mxp_facts[i];
        if (!sw_mxp_add(out, f->list, f->name, f->hpl_mxp_eflops, f->hpl_eflops,
                        f->top500_rank, f->cores, f->note)) {
            sw_mxp_free(out);
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        }
    }
    return SW_OK;
}
