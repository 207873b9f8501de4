/* report_impl.h — the report's internal seams (not installed). */
#ifndef SW_REPORT_IMPL_H
#define SW_REPORT_IMPL_H

#include "scalewall/report.h"

/* TOP500 systems for the map: from a list file, or (path NULL) the latest
 * edition of the built-in table.  Unflagged systems with an HPCG figure
 * first, by rank, at most 12; names are copied. */
sw_status report_load_systems(const char *path, sw_map_system **out, size_t *n, char *source,
                              size_t source_size, sw_error *err);
void report_free_systems(sw_map_system *s, size_t n);

#endif
