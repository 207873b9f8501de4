/* obs_internal.h — helpers shared by obs.c, obs_csv.c and obs_json.c. */
#ifndef SW_OBS_INTERNAL_H
#define SW_OBS_INTERNAL_H

#include "scalewall/obs.h"

char *sw__strdup(const char *s);
void sw__fmt_double(char *buf, size_t len, double v);
/* 1 when `name` cannot be an extra column: empty, a core column's name
 * (n, value, ...) or meta_*; the CSV form would read it back as something
 * else. */
int sw__obs_reserved_name(const char *name);
int sw__parse_quantity(const char *s, sw_quantity *q);
int sw__parse_scaling(const char *s, sw_scaling *sc);
int sw__parse_bool(const char *s, int *b);

/* A string -> index hash table (FNV-1a, linear probing).  Keys are not
 * copied: they must outlive the map.  Readers and writers use it so that
 * wide or long files cost time linear in their size (issue 11: 40,000
 * columns took 27 s). */
typedef struct sw__strmap {
    const char **keys;
    size_t *vals;
    size_t cap, n;
} sw__strmap;
/* 1 and *val when key is present, else 0. */
int sw__strmap_get(const sw__strmap *m, const char *key, size_t *val);
/* Adds or replaces; -1 when out of memory. */
int sw__strmap_put(sw__strmap *m, const char *key, size_t val);
void sw__strmap_free(sw__strmap *m);

/* The series of a set with this identity (workload, params, quantity,
 * unit, scaling, simulated), created when new, found in constant time; *at (may be NULL) receives its position in the set.  sw__obs_index_free releases the index, not the series. */
typedef struct sw__obs_index {
    sw__strmap map;
    char **ids;
    size_t nids, cap;
} sw__obs_index;
sw_obs *sw__obs_group_indexed(sw__obs_index *ix, sw_obs_set *set, const char *workload,
                              const char *params, sw_quantity q, const char *unit, sw_scaling sc,
                              int simulated, size_t *at, sw_error *err);
void sw__obs_index_free(sw__obs_index *ix);

/* Metadata without the search of sw_obs_set_meta: append a key the caller
 * knows is new, or replace the value at an index. */
sw_status sw__obs_append_meta(sw_obs *o, const char *key, const char *value, sw_error *err);
sw_status sw__obs_replace_meta(sw_obs *o, size_t at, const char *value, sw_error *err);
/* sw_obs_add_extra for a name the caller knows is new. */
int sw__obs_append_extra(sw_obs *o, const char *name);

/* Gives the points whose rep is -1 (not in the file) their repetition
 * index: how many earlier points of the series share their N. */
void sw__obs_number_reps(sw_obs *o);

sw_status sw__obs_read_csv(const char *name, const char *buf, size_t len, int tolerant,
                           sw_obs_set *out, int *dropped, sw_error *err);
sw_status sw__obs_read_json(const char *name, const char *buf, size_t len, int tolerant,
                            sw_obs_set *out, int *dropped, sw_error *err);

#endif
