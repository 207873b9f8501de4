/* obs_internal.h — helpers shared by obs.c, obs_csv.c and obs_json.c. */
#ifndef SW_OBS_INTERNAL_H
#define SW_OBS_INTERNAL_H

#include "scalewall/obs.h"

char *sw__strdup(const char *s);
void sw__fmt_double(char *buf, size_t len, double v);
int sw__obs_same_series(const sw_obs *o, const char *workload, const char *params,
                        sw_quantity q, const char *unit, sw_scaling sc, int simulated);
sw_obs *sw__obs_group(sw_obs_set *set, const char *workload, const char *params, sw_quantity q,
                      const char *unit, sw_scaling sc, int simulated, sw_error *err);
int sw__parse_quantity(const char *s, sw_quantity *q);
int sw__parse_scaling(const char *s, sw_scaling *sc);
int sw__parse_bool(const char *s, int *b);

sw_status sw__obs_read_csv(const char *name, const char *buf, size_t len, int tolerant,
                           sw_obs_set *out, int *dropped, sw_error *err);
sw_status sw__obs_read_json(const char *name, const char *buf, size_t len, int tolerant,
                            sw_obs_set *out, int *dropped, sw_error *err);

#endif
