/* prices.h — hardware options and what an hour of each costs.
 *
 * A price table lists node types a user could rent or buy.  Per node:
 *   units_per_node   the model's processing units on one node (cores, GPUs)
 *   speed            payload speed of one unit relative to the unit the
 *                    model was measured on (k of the faster-payload what-if)
 *   price_per_hour   rent, or
 *   purchase_price + amortisation_years   bought: hourly cost
 *                    = purchase / (years * 8766 h)  (straight-line)
 *   power_w          draw while running; energy_price per kWh (0 when the
 *                    hourly price already includes power, as in a cloud)
 *   overhead         a fixed cost per job (set-up, staging, licences)
 *
 * Formats (docs/plan.md): CSV with a header naming those columns (plus
 * `name`, optional `currency`, `note`), or JSON
 *   {"format":"scalewall-prices","version":1,"currency":"USD",
 *    "options":[{"name":...,"units_per_node":...,...}]}.
 * A default table of example values ships in the library
 * (sw_prices_default); its numbers are illustrations, documented as such. */
#ifndef SCALEWALL_PRICES_H
#define SCALEWALL_PRICES_H

#include <stddef.h>

#include "scalewall/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SW_PRICES_FORMAT "scalewall-prices"
#define SW_PRICES_VERSION 1

typedef struct sw_price_option {
    char name[64];
    double units_per_node;
    double speed;
    double price_per_hour;     /* NAN when bought */
    double purchase_price;     /* NAN when rented */
    double amortisation_years; /* NAN when rented */
    double power_w;
    double energy_price;       /* per kWh */
    double overhead;           /* per job */
    char note[160];
} sw_price_option;

typedef struct sw_price_table {
    sw_price_option *opt;
    size_t n;
    char currency[16];
    char source[256]; /* the file name, or "built-in example table" */
} sw_price_table;

sw_status sw_prices_read_buffer(const char *name, const char *buf, size_t len, sw_price_table *t,
                                sw_error *err);
sw_status sw_prices_read_file(const char *path, sw_price_table *t, sw_error *err);
sw_status sw_prices_default(sw_price_table *t, sw_error *err);
void sw_prices_free(sw_price_table *t);

/* Cost of one node for one hour: the rent, or the amortised purchase. */
double sw_price_node_hour(const sw_price_option *o);
/* Hours in a year for amortisation (365.25 days). */
#define SW_HOURS_PER_YEAR 8766.0

#ifdef __cplusplus
}
#endif
#endif
