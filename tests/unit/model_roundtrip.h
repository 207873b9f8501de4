/* model_roundtrip.h — a fitted model through its JSON document and back, for
 * the unit tests that check what the model file keeps (test_fit.c,
 * test_fit_platform.c, test_fit_master.c).  Include after cmocka.h. */
#ifndef SW_TEST_MODEL_ROUNDTRIP_H
#define SW_TEST_MODEL_ROUNDTRIP_H

#include <stdio.h>
#include <stdlib.h>

#include "scalewall/fit.h"

/* The model written with sw_fitmodel_write and read back (the caller frees
 * it); the test fails if either step does. */
static inline sw_fitmodel *model_roundtrip(const sw_fitmodel *m)
{
    char *buf = NULL;
    size_t len = 0;
    sw_error e = {0};
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(sw_fitmodel_write(m, fp, &e), SW_OK);
    fclose(fp);
    sw_fitmodel *back = NULL;
    assert_int_equal(sw_fitmodel_read_buffer("mem", buf, len, &back, &e), SW_OK);
    free(buf);
    return back;
}

#endif
