/* hostmap.c — ranks to nodes, and the ranks of a nodes x ranks-per-node
 * placement (hostmap.h).  Pure: the harness gathers the names with MPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalewall/hostmap.h"

void sw_hostmap_free(sw_hostmap *m)
{
    if (!m)
        return;
    for (int i = 0; m->names && i < m->nnodes; i++)
        free(m->names[i]);
    free(m->names);
    free(m->node);
    free(m->local);
    free(m->per_node);
    memset(m, 0, sizeof *m);
}

sw_status sw_hostmap_build(sw_hostmap *m, const char *names, size_t stride, int nranks,
                           sw_error *err)
{
    memset(m, 0, sizeof *m);
    if (nranks < 1 || stride < 2)
        return sw_error_set(err, SW_EINVAL, "host map: %d rank(s), %zu bytes per name", nranks,
                            stride);
    m->nranks = nranks;
    m->node = calloc((size_t)nranks, sizeof *m->node);
    m->local = calloc((size_t)nranks, sizeof *m->local);
    m->per_node = calloc((size_t)nranks, sizeof *m->per_node);
    m->names = calloc((size_t)nranks, sizeof *m->names);
    if (!m->node || !m->local || !m->per_node || !m->names) {
        sw_hostmap_free(m);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    for (int r = 0; r < nranks; r++) {
        const char *nm = names + (size_t)r * stride;
        size_t len = strnlen(nm, stride);
        if (len == 0 || len == stride) {
            sw_hostmap_free(m);
            return sw_error_set(err, SW_EINVAL, "host map: rank %d has %s host name", r,
                                len ? "an unterminated" : "an empty");
        }
        int k = 0;
        while (k < m->nnodes && strcmp(m->names[k], nm) != 0)
            k++;
        if (k == m->nnodes) {
            if (!(m->names[k] = strdup(nm))) {
                sw_hostmap_free(m);
                return sw_error_set(err, SW_ENOMEM, "out of memory");
            }
            m->nnodes++;
        }
        m->node[r] = k;
        m->local[r] = m->per_node[k]++;
    }
    return SW_OK;
}

int sw_hostmap_min_per_node(const sw_hostmap *m, int nodes)
{
    int lo = 0;
    for (int k = 0; k < nodes && k < m->nnodes; k++)
        if (k == 0 || m->per_node[k] < lo)
            lo = m->per_node[k];
    return lo;
}

sw_status sw_hostmap_grid(const sw_hostmap *m, int nodes, int per_node, int *member,
                          sw_error *err)
{
    if (nodes < 1 || per_node < 1)
        return sw_error_set(err, SW_EINVAL, "%d node(s) x %d rank(s) per node: both must be >= 1",
                            nodes, per_node);
    if (nodes > m->nnodes)
        return sw_error_set(err, SW_EINVAL,
                            "%d node(s) asked for, but the job runs on %d (%s%s): start it on "
                            "%d nodes (srun -N %d, or mpirun --host with %d hosts)",
                            nodes, m->nnodes, m->names[0], m->nnodes > 1 ? ", ..." : "", nodes,
                            nodes, nodes);
    for (int k = 0; k < nodes; k++)
        if (m->per_node[k] < per_node)
            return sw_error_set(err, SW_EINVAL,
                                "%d rank(s) per node asked for, but the job has %d on node %s: "
                                "start it with %d per node (srun --ntasks-per-node=%d, or "
                                "mpirun --map-by ppr:%d:node)",
                                per_node, m->per_node[k], m->names[k], per_node, per_node,
                                per_node);
    for (int r = 0; r < m->nranks; r++)
        member[r] = m->node[r] < nodes && m->local[r] < per_node;
    return SW_OK;
}

void sw_hostmap_first(const sw_hostmap *m, int n, int *member)
{
    for (int r = 0; r < m->nranks; r++)
        member[r] = r < n;
}

sw_status sw_hostmap_describe(const sw_hostmap *m, const int *member, int *nodes, int *per_node,
                              char **hosts, sw_error *err)
{
    int *count = calloc((size_t)m->nnodes, sizeof *count);
    size_t len = 0;
    char *buf = NULL;
    FILE *fp = count ? open_memstream(&buf, &len) : NULL;
    if (!fp) {
        free(count);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    int used = 0, most = 0, prev = -1, run = 0, first = 1;
    for (int r = 0; r < m->nranks; r++) {
        if (!member[r])
            continue;
        int k = m->node[r];
        if (count[k]++ == 0)
            used++;
        if (count[k] > most)
            most = count[k];
        if (k == prev) {
            run++;
            continue;
        }
        if (prev >= 0) {
            fprintf(fp, "%s%s", first ? "" : ";", m->names[prev]);
            if (run > 1)
                fprintf(fp, "*%d", run);
            first = 0;
        }
        prev = k;
        run = 1;
    }
    if (prev >= 0) {
        fprintf(fp, "%s%s", first ? "" : ";", m->names[prev]);
        if (run > 1)
            fprintf(fp, "*%d", run);
    }
    int bad = fclose(fp) != 0;
    free(count);
    if (bad || !buf) {
        free(buf);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    *nodes = used;
    *per_node = most;
    *hosts = buf;
    return SW_OK;
}
