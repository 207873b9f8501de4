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

sw_status sw_hostmap_init(sw_hostmap *m, int nranks, sw_error *err)
{
    memset(m, 0, sizeof *m);
    if (nranks < 1)
        return sw_error_set(err, SW_EINVAL, "host map: %d rank(s)", nranks);
    m->node = calloc((size_t)nranks, sizeof *m->node);
    m->local = calloc((size_t)nranks, sizeof *m->local);
    m->per_node = calloc((size_t)nranks, sizeof *m->per_node);
    m->names = calloc((size_t)nranks, sizeof *m->names);
    if (!m->node || !m->local || !m->per_node || !m->names) {
        sw_hostmap_free(m);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    return SW_OK;
}

sw_status sw_hostmap_add(sw_hostmap *m, const char *name, size_t maxlen, sw_error *err)
{
    int r = m->nranks;
    size_t len = strnlen(name, maxlen);
    if (len == 0 || len == maxlen)
        return sw_error_set(err, SW_EINVAL, "host map: rank %d has %s host name", r,
                            len ? "an unterminated" : "an empty");
    int k = 0;
    while (k < m->nnodes && strcmp(m->names[k], name) != 0)
        k++;
    if (k == m->nnodes) {
        if (!(m->names[k] = strdup(name)))
            return sw_error_set(err, SW_ENOMEM, "out of memory");
        m->nnodes++;
    }
    m->node[r] = k;
    m->local[r] = m->per_node[k]++;
    m->nranks++;
    return SW_OK;
}

sw_status sw_hostmap_build(sw_hostmap *m, const char *names, size_t stride, int nranks,
                           sw_error *err)
{
    if (stride < 2)
        return memset(m, 0, sizeof *m),
               sw_error_set(err, SW_EINVAL, "host map: %zu bytes per name", stride);
    sw_status st = sw_hostmap_init(m, nranks, err);
    for (int r = 0; !st && r < nranks; r++)
        st = sw_hostmap_add(m, names + (size_t)r * stride, stride, err);
    if (st)
        sw_hostmap_free(m);
    return st;
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

/* name = prefix + decimal digits: where the digits start, or -1. */
static int digits_at(const char *name)
{
    size_t n = strlen(name), i = n;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    return i < n && n - i <= 9 ? (int)i : -1;
}

/* Does b follow a: the same prefix, the next number, written as wide? */
static int follows(const char *a, const char *b)
{
    int ia = digits_at(a), ib = digits_at(b);
    if (ia < 0 || ia != ib || strncmp(a, b, (size_t)ia) != 0)
        return 0;
    int pa = a[ia] == '0' && a[ia + 1], pb = b[ib] == '0' && b[ib + 1];
    /* Zero-padded numbers keep their width (n09, n10); plain ones never
     * gain a leading zero (n9, n10). */
    if (pa ? strlen(a) != strlen(b) : pb)
        return 0;
    return atol(b + ib) == atol(a + ia) + 1;
}

/* The runs (node, ranks) in rank order, written with consecutive numbered
 * hosts of equal runs folded Slurm-style: node[1-4]*2 = node1*2;...;node4*2. */
static void write_runs(FILE *fp, const sw_hostmap *m, const int *node, const int *count, int n)
{
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && count[j + 1] == count[i] &&
               follows(m->names[node[j]], m->names[node[j + 1]]))
            j++;
        const char *first = m->names[node[i]];
        if (j > i) {
            int d = digits_at(first);
            fprintf(fp, "%s%.*s[%s-%s]", i ? ";" : "", d, first, first + d,
                    m->names[node[j]] + d);
        } else {
            fprintf(fp, "%s%s", i ? ";" : "", first);
        }
        if (count[i] > 1)
            fprintf(fp, "*%d", count[i]);
        i = j + 1;
    }
}

sw_status sw_hostmap_describe(const sw_hostmap *m, const int *member, int *nodes, int *per_node,
                              char **hosts, sw_error *err)
{
    int *count = calloc((size_t)m->nnodes, sizeof *count);
    int *rnode = malloc((size_t)m->nranks * sizeof *rnode);
    int *rcount = malloc((size_t)m->nranks * sizeof *rcount);
    size_t len = 0;
    char *buf = NULL;
    FILE *fp = count && rnode && rcount ? open_memstream(&buf, &len) : NULL;
    if (!fp) {
        free(count);
        free(rnode);
        free(rcount);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    int used = 0, most = 0, nruns = 0;
    for (int r = 0; r < m->nranks; r++) {
        if (!member[r])
            continue;
        int k = m->node[r];
        if (count[k]++ == 0)
            used++;
        if (count[k] > most)
            most = count[k];
        if (nruns > 0 && rnode[nruns - 1] == k) {
            rcount[nruns - 1]++;
        } else {
            rnode[nruns] = k;
            rcount[nruns++] = 1;
        }
    }
    write_runs(fp, m, rnode, rcount, nruns);
    int bad = fclose(fp) != 0;
    free(count);
    free(rnode);
    free(rcount);
    if (bad || !buf) {
        free(buf);
        return sw_error_set(err, SW_ENOMEM, "out of memory");
    }
    *nodes = used;
    *per_node = most;
    *hosts = buf;
    return SW_OK;
}
