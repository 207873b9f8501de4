/* fmt.c — numbers as a reader expects them (fmt.h says why). */
#include <math.h>
#include <stdio.h>

#include "scalewall/fmt.h"

void sw_fmt_count(double n, char *buf, size_t size)
{
    if (isnan(n))
        snprintf(buf, size, "-");
    else if (isinf(n))
        snprintf(buf, size, n > 0 ? "inf" : "-inf");
    else if ((n == floor(n) || fabs(n) >= 1e5) && fabs(n) < 1e18)
        snprintf(buf, size, "%.0f", n);
    else
        snprintf(buf, size, "%.4g", n);
}
