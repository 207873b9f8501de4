/* top500.h — TOP500/HPCG lists read as Amdahl measurements.
 *
 * A TOP500 entry is one measured point of the largest parallel runs there
 * are: N = total cores, r1 = Rpeak/N, E = Rmax/Rpeak for HPL and
 * E = HPCG/Rpeak for HPCG.  From E and N follow the Karp-Flatt serial share
 * 1-alpha = (1/E - 1)/(N - 1), the wall r1/(1-alpha) and the dark
 * performance Rpeak - Rmax (docs/top500.md states every formula).
 *
 * Input: the project's CSV (../shared/data/top500/README.md, columns mapped
 * by name) or the official .xlsx export (header row mapped by column name).
 * Text is normalised the same way for both (non-breaking space -> space,
 * whitespace runs collapsed, ends trimmed), so both give identical entries.
 *
 * Bad rows in real lists (Rmax > Rpeak, accelerator cores > total cores,
 * blank or zero cores) are flagged, kept, and left out of statistics; only
 * malformed files (missing columns, text in a number, no rows) are errors. */
#ifndef SCALEWALL_TOP500_H
#define SCALEWALL_TOP500_H

#include <stddef.h>
#include <stdio.h>

#include "scalewall/error.h"
#include "scalewall/obs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Row flags: why a row is left out of statistics. */
enum {
    SW_T5_MISSING = 1u << 0,        /* rank, total_cores, Rmax or Rpeak blank */
    SW_T5_ZERO_CORES = 1u << 1,     /* total_cores <= 0 */
    SW_T5_ONE_CORE = 1u << 2,       /* N = 1: 1-alpha undefined */
    SW_T5_NONPOSITIVE = 1u << 3,    /* Rmax or Rpeak <= 0, or HPCG/power < 0 */
    SW_T5_RMAX_GT_RPEAK = 1u << 4,  /* E_HPL > 1: a wrong value in the source */
    SW_T5_ACCEL_GT_CORES = 1u << 5, /* accelerator_cores > total_cores */
    SW_T5_HPCG_GT_RPEAK = 1u << 6   /* E_HPCG > 1 */
};

typedef struct sw_top500_entry {
    /* Facts from the list.  Numbers are NAN when blank. */
    char list[8];     /* "YYYY-MM", "" when unknown */
    long rank;        /* 0 when blank */
    char *name;       /* system name, or the computer when the list has none */
    char *computer;
    char *site;
    char *country;
    char *accelerator;
    double cores, accel_cores;          /* N; accelerator "cores" (SMs/CUs) */
    double rmax, rpeak, hpcg, power_kw; /* TFlop/s, kW */
    long line;        /* line (CSV) or sheet row (xlsx) it came from, 0 if built in */
    /* Derived by sw_top500_analyse; NAN where undefined. */
    double r1;        /* Rpeak/N, TFlop/s per core */
    double e_hpl, serial_hpl, max_gain_hpl, wall_hpl, dark_hpl;
    double e_hpcg, serial_hpcg, max_gain_hpcg, wall_hpcg, dark_hpcg;
    double serial_ratio; /* serial_hpcg / serial_hpl */
    unsigned flags;
} sw_top500_entry;

typedef struct sw_top500_list {
    char *source;     /* file name, or "embedded" */
    char list[8];     /* the edition when all rows agree, else "" */
    sw_top500_entry *rows;
    size_t n, cap;
} sw_top500_list;

void sw_top500_list_free(sw_top500_list *l);

/* Readers.  sw_top500_read_file picks the format from the content (a zip
 * signature means .xlsx).  The xlsx export has no list column: the edition is
 * taken from a file name like TOP500_202011.xlsx, else left blank. */
sw_status sw_top500_read_file(const char *path, sw_top500_list *out, sw_error *err);
sw_status sw_top500_read_csv(const char *name, const char *buf, size_t len,
                             sw_top500_list *out, sw_error *err);
sw_status sw_top500_read_xlsx(const char *name, const void *buf, size_t len,
                              sw_top500_list *out, sw_error *err);

/* Appends one entry (strings copied, derived fields NAN); NULL on no memory. */
sw_top500_entry *sw_top500_add(sw_top500_list *l, const char *list, long rank, const char *name,
                               double cores, double accel_cores, double rmax, double rpeak,
                               double hpcg, double power_kw);

/* Fills the derived fields and flags of one entry / every entry. */
void sw_top500_analyse_entry(sw_top500_entry *e);
void sw_top500_analyse(sw_top500_list *l);

/* "rmax_gt_rpeak;accel_gt_cores" into buf; "" when no flag is set. */
const char *sw_top500_flags_str(unsigned flags, char *buf, size_t size);

/* The same text normalisation both readers apply, in place: NBSP -> space,
 * whitespace runs -> one space, ends trimmed. */
void sw_top500_normalise(char *s);

/* Numeric output fields by their stable name (docs/top500.md). */
typedef struct sw_top500_field {
    const char *name;
    const char *unit;
    const char *meaning;
} sw_top500_field;

extern const sw_top500_field sw_top500_fields[];
extern const size_t sw_top500_nfields;
int sw_top500_field_find(const char *name);        /* index or -1 */
double sw_top500_field_value(const sw_top500_entry *e, int field);

/* Writers for the selected rows idx[0..n) (all rows when idx is NULL).
 * CSV: list,rank,name,<numeric fields...>,flags.  JSON: {"format":
 * "scalewall-top500","version":1,"source":...,"systems":[{...}]}. */
sw_status sw_top500_write_csv(const sw_top500_list *l, const size_t *idx, size_t n, FILE *fp,
                              sw_error *err);
sw_status sw_top500_write_json(const sw_top500_list *l, const size_t *idx, size_t n, FILE *fp,
                               sw_error *err);

/* Statistics over unflagged rows among idx[0..n). */
typedef struct sw_top500_stats {
    size_t rows, flagged, with_hpcg;  /* with_hpcg: unflagged, both serials defined */
    double median_serial_hpl, best_serial_hpl;   /* best = lowest */
    double median_serial_hpcg, best_serial_hpcg;
    double median_ratio, min_ratio, max_ratio;   /* serial_hpcg / serial_hpl */
    double median_e_hpl, median_e_hpcg;
    size_t best_hpl_row, best_hpcg_row;          /* list index, SIZE_MAX if none */
} sw_top500_stats;

sw_status sw_top500_stats_compute(const sw_top500_list *l, const size_t *idx, size_t n,
                                  sw_top500_stats *out, sw_error *err);

/* One observation per entry: quantity rate in TFlop/s, scaling weak (each
 * system sizes HPL to its memory), n = total cores, value = Rmax, peak =
 * Rpeak, label = name; extras hpcg_tflops, power_kw, accel_cores, rank.
 * Flagged rows are kept with ok = 0; rows without N >= 1 or Rmax are left
 * out.  Workload "top500", params "list=YYYY-MM" when known, meta source. */
sw_status sw_top500_to_obs(const sw_top500_list *l, sw_obs **out, sw_error *err);

/* --- across lists: how 1-alpha of the leading systems moved -------------- */

typedef struct sw_top500_trend_row {
    char list[8];
    size_t k;                 /* unflagged systems among ranks 1..K */
    const sw_top500_entry *first; /* #1 of the list (NULL if it is missing) */
    const sw_top500_entry *best_hpl, *best_hpcg; /* lowest 1-alpha among them */
    double median_serial_hpl, median_serial_hpcg;
    size_t n_hpcg;            /* how many of them have HPCG */
    double median_e_hpl;      /* median HPL efficiency of the K */
    double max_cores;         /* the largest N among them */
    double best_wall_over_n;  /* the best system's wall 1/(1-alpha) over its own N:
                                 = E/(1-E) (N-1)/N; <= 1 means it has reached it */
} sw_top500_trend_row;

/* "Is the wall already reached?"  Two readings, both computed:
 *   the floor  the lowest HPL 1-alpha stays in the paper's ~1e-8..1e-7 band
 *              and barely moves (floor_visible: an observation);
 *   the wall   does any list's best system sit at or past its wall,
 *              1/(1-alpha) <= N (wall_reached)?  A single point gives
 *              1/((1-alpha) N) = E/(1-E) (N-1)/N: a machine is past its wall
 *              exactly when E <= ~1/2.
 * HPL is weak-scaled (the matrix grows with the machine's memory), and for a
 * weak-scaled run at efficiency E the Karp-Flatt value (1/E-1)/(N-1) falls
 * as 1/N by construction: a flat lowest 1-alpha follows the largest N at a
 * steady E, not a physical floor.  The sentence says so with the numbers
 * (docs/top500.md, "Is the wall reached?"). */
typedef struct sw_top500_trend_verdict {
    size_t lists;
    double best_lo, best_hi;  /* range of the per-list lowest serial_hpl */
    double first_best, last_best, first_median, last_median;
    int floor_visible;        /* 1: the best stay within ~1e-8..1e-7 and barely move */
    int wall_reached;         /* 1: some list's best system is at or past its wall */
    double wall_over_n_lo, wall_over_n_hi; /* the best systems' 1/((1-alpha) N) */
    double e_lo, e_hi;        /* the range of the per-list median HPL efficiency */
    double cores_first, cores_last; /* the largest N of the first and the last list */
    char sentence[1024];      /* the answer, with its reasons */
} sw_top500_trend_verdict;

/* One row per list, in the order given; lists[i] must be analysed. */
sw_status sw_top500_trend(const sw_top500_list *lists, size_t n, size_t k,
                          sw_top500_trend_row *rows, sw_top500_trend_verdict *verdict,
                          sw_error *err);
/* The verdict over every built-in list, the top k of each (the first screen). */
sw_status sw_top500_trend_builtin(size_t k, sw_top500_trend_verdict *verdict, sw_error *err);

/* --- selecting and loading ------------------------------------------------ */

/* The rows to show, as list indices: with an HPCG result only when
 * hpcg_only, sorted by numeric field `field` (descending when desc;
 * undefined values last, ties by rank), the first `top` (0 = all).
 * *idx is malloc'd. */
sw_status sw_top500_select(const sw_top500_list *l, int hpcg_only, int field, int desc,
                           size_t top, size_t **idx, size_t *n, sw_error *err);

/* Several lists: the given files, then, when fill_builtin or no file is
 * given, every built-in edition no file supplied; sorted by edition when
 * `sorted`.  *out is calloc'd; free with sw_top500_lists_free. */
sw_status sw_top500_load_lists(char *const *files, size_t nfiles, int fill_builtin, int sorted,
                               sw_top500_list **out, size_t *n, sw_error *err);
void sw_top500_lists_free(sw_top500_list *ls, size_t n);

/* --- HPL-MxP: mixed precision against the faster-payload what-if --------- */

typedef struct sw_mxp_row {
    char list[8];
    char *name;
    double hpl_mxp_eflops, hpl_eflops; /* as published, Eflop/s */
    long top500_rank;                  /* 0 when not on that TOP500 list */
    double cores;
    char *note;
    long line;
} sw_mxp_row;

typedef struct sw_mxp {
    sw_mxp_row *rows;
    size_t n, cap;
} sw_mxp;

sw_status sw_mxp_read_csv(const char *name, const char *buf, size_t len, sw_mxp *out,
                          sw_error *err);
sw_status sw_mxp_read_file(const char *path, sw_mxp *out, sw_error *err);
sw_mxp_row *sw_mxp_add(sw_mxp *m, const char *list, const char *name, double mxp_eflops,
                       double hpl_eflops, long top500_rank, double cores, const char *note);
void sw_mxp_free(sw_mxp *m);

typedef enum sw_mxp_verdict {
    SW_MXP_NO_MATCH = 0, /* no TOP500 entry to take N and 1-alpha from */
    SW_MXP_FITS,         /* measured within 0.8..1.25 x the what-if */
    SW_MXP_UNDER,        /* the what-if underestimates the measured gain */
    SW_MXP_OVER,         /* the what-if overestimates it */
    SW_MXP_HPL_DIFFERS   /* the quoted HPL is > 6% off the entry's Rmax: another run */
} sw_mxp_verdict;

typedef struct sw_mxp_result {
    const sw_mxp_row *mxp;
    const sw_top500_entry *entry; /* the matching TOP500 row, NULL if none */
    const char *match;  /* "name", "rank+name", "name~", "rank+rmax", "none", "no-list" */
    double measured_gain;    /* hpl_mxp / hpl */
    double k;                /* nominal precision gain */
    double predicted_gain;   /* R'/R of sw_payload_speedup at the entry's N, 1-alpha */
    double predicted_eflops; /* hpl_eflops x predicted_gain */
    double fit_ratio;        /* measured / predicted gain */
    double k_fit;            /* k the what-if needs for the measured gain; NAN if none */
    double rmax_diff;        /* hpl_eflops / Rmax - 1: does the quoted HPL match the list? */
    sw_mxp_verdict verdict;
} sw_mxp_result;

const char *sw_mxp_verdict_name(sw_mxp_verdict v);

/* What a comparison found: rows compared (matched, HPL agreeing), how the
 * what-if did on them, the extremes of measured/predicted. */
typedef struct sw_mxp_tally {
    size_t rows, matched, fits, under, over, below_k, differs;
    double min_ratio, max_ratio;
    const sw_mxp_result *worst_under, *worst_over;
} sw_mxp_tally;

void sw_mxp_tally_of(const sw_mxp_result *r, size_t n, sw_mxp_tally *out);

/* Matches every mxp row to the TOP500 list of its edition among lists[] and
 * evaluates the what-if with payload speed-up k; out has m->n entries. */
sw_status sw_mxp_compare(const sw_mxp *m, const sw_top500_list *lists, size_t nlists, double k,
                         sw_mxp_result *out, sw_error *err);

/* --- the embedded table --------------------------------------------------- */

/* Editions in the built-in table, oldest first (scripts/gen-top500-embedded.py
 * generates it from ../shared/data/top500: every list's top 10, the latest
 * list's systems with HPCG, and the rows the HPL-MxP comparison needs). */
size_t sw_top500_embedded_count(void);
const char *sw_top500_embedded_edition(size_t i);
/* The built-in rows of one edition ("" = the latest), analysed. */
sw_status sw_top500_embedded_list(const char *edition, sw_top500_list *out, sw_error *err);
/* The built-in HPL-MxP facts. */
sw_status sw_top500_embedded_mxp(sw_mxp *out, sw_error *err);
/* How many rows the full list of an edition had (500), for honest headers. */
size_t sw_top500_embedded_list_size(const char *edition);

#ifdef __cplusplus
}
#endif
#endif
