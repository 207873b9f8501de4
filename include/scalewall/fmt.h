/* fmt.h — numbers as a reader expects them in tables and sentences.
 *
 * printf's %g turns a count of units such as 1572480 cores into
 * "1.57248e+06", which reads as an approximation and breaks the width of a
 * table column.  Counts are printed whole; the rest keeps %g's brevity. */
#ifndef SCALEWALL_FMT_H
#define SCALEWALL_FMT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A count of units N: whole numbers (and anything >= 1e5, where a fraction
 * of a unit means nothing) without exponent or fraction, "1572480";
 * smaller fractional values with 4 significant digits, "1.414"; NaN "-",
 * infinities "inf" / "-inf". */
void sw_fmt_count(double n, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
