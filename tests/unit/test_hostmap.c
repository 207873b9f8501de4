/* test_hostmap.c — ranks to nodes, placements, and the hosts string, by hand
 * for block and cyclic distributions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalewall/hostmap.h"

#define W 16

static void names_of(char *buf, const char *const *hosts, int n)
{
    memset(buf, 0, (size_t)n * W);
    for (int i = 0; i < n; i++)
        strncpy(buf + i * W, hosts[i], W - 1);
}

/* srun -N 2 --ntasks-per-node=2 (block): 0,1 on a; 2,3 on b. */
static void test_block(void **state)
{
    (void)state;
    const char *h[] = {"a", "a", "b", "b"};
    char buf[4 * W];
    names_of(buf, h, 4);
    sw_hostmap m;
    assert_int_equal(sw_hostmap_build(&m, buf, W, 4, NULL), SW_OK);
    assert_int_equal(m.nnodes, 2);
    assert_int_equal(m.node[2], 1);
    assert_int_equal(m.local[3], 1);
    assert_int_equal(m.per_node[0], 2);
    assert_int_equal(sw_hostmap_min_per_node(&m, 2), 2);

    int mem[4], nodes, per;
    char *hosts;
    /* 2 nodes x 1: ranks 0 and 2. */
    assert_int_equal(sw_hostmap_grid(&m, 2, 1, mem, NULL), SW_OK);
    assert_true(mem[0] && !mem[1] && mem[2] && !mem[3]);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_int_equal(nodes, 2);
    assert_int_equal(per, 1);
    assert_string_equal(hosts, "a;b");
    free(hosts);
    /* The first 2 ranks: both on a. */
    sw_hostmap_first(&m, 2, mem);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_int_equal(nodes, 1);
    assert_int_equal(per, 2);
    assert_string_equal(hosts, "a*2");
    free(hosts);
    /* Everything. */
    assert_int_equal(sw_hostmap_grid(&m, 2, 2, mem, NULL), SW_OK);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_string_equal(hosts, "a*2;b*2");
    free(hosts);
    sw_hostmap_free(&m);
}

/* Cyclic: 0,2,4 on x; 1,3 on y.  Nodes are numbered by their lowest rank. */
static void test_cyclic(void **state)
{
    (void)state;
    const char *h[] = {"x", "y", "x", "y", "x"};
    char buf[5 * W];
    names_of(buf, h, 5);
    sw_hostmap m;
    assert_int_equal(sw_hostmap_build(&m, buf, W, 5, NULL), SW_OK);
    assert_int_equal(m.nnodes, 2);
    assert_int_equal(m.per_node[0], 3);
    assert_int_equal(m.per_node[1], 2);
    assert_int_equal(m.local[4], 2);
    assert_int_equal(sw_hostmap_min_per_node(&m, 2), 2);
    assert_int_equal(sw_hostmap_min_per_node(&m, 1), 3);
    int mem[5], nodes, per;
    char *hosts;
    sw_hostmap_first(&m, 5, mem);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_string_equal(hosts, "x;y;x;y;x");
    assert_int_equal(per, 3);
    free(hosts);
    /* 2 x 2: ranks 0,1,2,3 (the first two of each node). */
    assert_int_equal(sw_hostmap_grid(&m, 2, 2, mem, NULL), SW_OK);
    assert_true(mem[0] && mem[1] && mem[2] && mem[3] && !mem[4]);
    /* 3 per node is more than y has: the message says how to start the job. */
    sw_error err = {0};
    assert_int_equal(sw_hostmap_grid(&m, 2, 3, mem, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "has 2 on node y"));
    assert_non_null(strstr(err.msg, "--ntasks-per-node=3"));
    assert_int_equal(sw_hostmap_grid(&m, 3, 1, mem, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "runs on 2"));
    assert_non_null(strstr(err.msg, "srun -N 3"));
    assert_int_equal(sw_hostmap_grid(&m, 0, 1, mem, &err), SW_EINVAL);
    sw_hostmap_free(&m);
}

/* Numbered hosts fold as Slurm host lists: block, cyclic, padding, gaps. */
static void test_folding(void **state)
{
    (void)state;
    const char *block[] = {"node1", "node1", "node2", "node2", "node3", "node3", "node5", "node5"};
    const char *cyc[] = {"n09", "n10", "n09", "n10", "n9"};
    char buf[8 * W];
    int mem[8], nodes, per;
    char *hosts;
    sw_hostmap m;
    names_of(buf, block, 8);
    assert_int_equal(sw_hostmap_build(&m, buf, W, 8, NULL), SW_OK);
    sw_hostmap_first(&m, 8, mem);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_string_equal(hosts, "node[1-3]*2;node5*2"); /* node5 does not follow node3 */
    assert_int_equal(nodes, 4);
    free(hosts);
    sw_hostmap_first(&m, 5, mem); /* node1*2;node2*2;node3: unequal runs do not fold */
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_string_equal(hosts, "node[1-2]*2;node3");
    free(hosts);
    sw_hostmap_free(&m);
    names_of(buf, cyc, 5);
    assert_int_equal(sw_hostmap_build(&m, buf, W, 5, NULL), SW_OK);
    sw_hostmap_first(&m, 5, mem);
    assert_int_equal(sw_hostmap_describe(&m, mem, &nodes, &per, &hosts, NULL), SW_OK);
    assert_string_equal(hosts, "n[09-10];n[09-10];n9"); /* n9 is not n09's padding */
    assert_int_equal(nodes, 3);
    free(hosts);
    sw_hostmap_free(&m);
}

static void test_bad_names(void **state)
{
    (void)state;
    char buf[2 * W] = {0};
    strcpy(buf, "n1");
    sw_hostmap m;
    sw_error err = {0};
    assert_int_equal(sw_hostmap_build(&m, buf, W, 2, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "rank 1 has an empty host name"));
    memset(buf, 'z', sizeof buf);
    assert_int_equal(sw_hostmap_build(&m, buf, W, 1, &err), SW_EINVAL);
    assert_non_null(strstr(err.msg, "unterminated"));
    assert_int_equal(sw_hostmap_build(&m, buf, W, 0, &err), SW_EINVAL);
    sw_hostmap_free(&m); /* a failed build leaves a freeable map */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block),
        cmocka_unit_test(test_cyclic),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_bad_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
