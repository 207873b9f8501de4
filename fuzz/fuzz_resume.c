/* fuzz_resume.c — results files read back by `measure --resume`, through
 * the harness's own code (src/workloads/measure_results.c): the input is
 * written to a file that is resumed as the --out CSV, then as the --jsonl
 * file, of a sweep of a user command; when the resume is accepted, the
 * previous points are looked up and one more point is appended, as a sweep
 * does.  Properties: a refused file says why and is left byte for byte as
 * it was; an accepted one, with the new point, reads back whole (nothing
 * torn is left in the middle). */
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "fuzz.h"
#include "scalewall/io.h"
#include "scalewall/obs.h"
#include "workloads/harness.h"

static const char *const extras[] = {"ranks", "run_s", "flops", "bytes", "metric", "core_load"};

/* The series a sweep of `app {n}` starts with (measure.c, series_new). */
static sw_obs *proto(void)
{
    sw_obs *o = sw_obs_new("app", SW_QTY_TIME, "s");
    FUZZ_CHECK(o != NULL);
    sw_error err = {0};
    FUZZ_CHECK(sw_obs_set_params(o, "app {n}", &err) == SW_OK);
    FUZZ_CHECK(sw_obs_set_meta(o, "host", "h", &err) == SW_OK);
    FUZZ_CHECK(sw_obs_set_meta(o, "command", "scalewall measure --np 1,2 -- app {n}", &err) ==
               SW_OK);
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
        FUZZ_CHECK(sw_obs_add_extra(o, extras[i]) >= 0);
    return o;
}

static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    sw_error err = {0};
    FUZZ_CHECK(sw_read_file(path, &buf, len, &err) == SW_OK);
    return buf;
}

static void resume_as(const char *path, int jsonl, const uint8_t *data, size_t size,
                      const sw_obs *o)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
    close(fd);
    sw_measure_opts opt;
    memset(&opt, 0, sizeof opt);
    opt.resume = 1;
    if (jsonl)
        opt.out_jsonl = path;
    else
        opt.out_csv = path;
    sw_results r;
    sw_error err = {0};
    if (sw_results_open(&r, &opt, o, &err) != SW_OK) {
        FUZZ_CHECK(err.msg[0] != '\0');
        size_t len;
        char *now = slurp(path, &len);
        FUZZ_CHECK(len == size && (size == 0 || memcmp(now, data, size) == 0));
        free(now);
        return;
    }
    const sw_obs_point *prev[8];
    size_t k = sw_results_previous(&r, o, 1, 1, prev, 8);
    for (size_t i = 0; i < k; i++)
        FUZZ_CHECK(prev[i]->n == 1);
    sw_obs *add = proto();
    sw_obs_point *p = sw_obs_add(add, 2, (int)r.nprev, 0.5);
    FUZZ_CHECK(p != NULL);
    sw_status st = sw_results_append(&r, add, p, &err);
    size_t nprev = r.nprev;
    sw_status closed = sw_results_close(&r, &err);
    FUZZ_CHECK(st == SW_OK && closed == SW_OK);
    sw_obs_set back;
    st = sw_obs_read_file(path, &back, &err);
    if (st)
        fprintf(stderr, "resumed %s does not read back: %s\n", jsonl ? "JSONL" : "CSV", err.msg);
    FUZZ_CHECK(st == SW_OK);
    size_t total = 0;
    for (size_t i = 0; i < back.n; i++)
        total += back.series[i]->npts;
    FUZZ_CHECK(total == nprev + 1);
    sw_obs_set_free(&back);
    sw_obs_free(add);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        /* One scratch file per process, on tmpfs when there is one. */
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/sw-fuzz-resume-%ld", dir, (long)getpid());
    }
    sw_obs *o = proto();
    resume_as(path, 0, data, size, o);
    resume_as(path, 1, data, size, o);
    sw_obs_free(o);
    unlink(path);
    return 0;
}
