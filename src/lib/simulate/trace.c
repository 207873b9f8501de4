/* trace.c — one simulated step as a Chrome trace-event file.
 *
 * The format (Google's "Trace Event Format": a JSON object whose
 * "traceEvents" array holds complete events {"ph": "X", "ts", "dur",
 * "pid", "tid"} in microseconds, and "M" metadata events naming processes
 * and threads) is what chrome://tracing and Perfetto UI open.  A process
 * per pipeline stage, a thread per stream: compute, tensor/context-
 * parallel collectives, pipeline sends, data-parallel collectives (which
 * run beside the compute) and idle time.  The events are the timeline of
 * schedule.c without stragglers or grid (the step's T0); the straggler
 * wait and the grid loss follow as one event each per stage.  Every event
 * carries as category the part of the step it counts towards, so the
 * categories summed over stages and divided by pp are the breakdown —
 * tests/cli/simulate_trace.sh checks exactly that. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

typedef struct tev {
    long stage;
    int stream, part;
    char name[64];
    double start, dur;
} tev;

typedef struct tbuf {
    tev *v;
    size_t n, cap;
    int failed;
} tbuf;

#define TRACE_MAX_EVENTS 1000000

static void collect(void *arg, long stage, sim_stream stream, sim_part part, const char *name,
                    double start, double dur)
{
    tbuf *b = arg;
    if (b->failed || !(dur > 0))
        return;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        tev *nv = cap > TRACE_MAX_EVENTS ? NULL : realloc(b->v, cap * sizeof *nv);
        if (!nv) {
            b->failed = 1;
            return;
        }
        b->v = nv;
        b->cap = cap;
    }
    tev *e = &b->v[b->n++];
    e->stage = stage;
    e->stream = (int)stream;
    e->part = (int)part;
    snprintf(e->name, sizeof e->name, "%s", name ? name : "");
    e->start = start;
    e->dur = dur;
}

static const char *const stream_names[SIM_NSTREAMS] = {
    "compute", "tensor/context-parallel collectives", "pipeline sends",
    "data-parallel collectives (overlapped)", "idle"};

static const char *part_name(int part)
{
    switch (part) {
    case SIM_PART_COMPUTE: return "compute";
    case SIM_PART_COMM: return "comm";
    case SIM_PART_BUBBLE: return "bubble";
    case 10: return "wait";
    case 11: return "grid";
    default: return "dp-overlapped";
    }
}

/* JSON string body: names are ours (layer names may come from a file). */
static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(fp, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(fp, "\\u%04x", ch);
        else
            fputc(ch, fp);
    }
    fputc('"', fp);
}

static void write_events(FILE *fp, const sim_ctx *x, const tbuf *b, const sw_sim_step *s)
{
    fprintf(fp, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n");
    int first = 1;
    for (long st = 0; st < x->pp; st++) {
        char pname[96];
        long vs0 = st, vsl = (x->v - 1) * x->pp + st;
        snprintf(pname, sizeof pname, "stage %ld (layers %zu-%zu%s)", st, x->lo[vs0] + 1,
                 x->hi[vsl], x->v > 1 ? ", interleaved" : "");
        fprintf(fp, "%s{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": %ld, \"args\": "
                    "{\"name\": ", first ? "" : ",\n", st);
        json_str(fp, pname);
        fprintf(fp, "}}");
        first = 0;
        for (int t = 0; t < SIM_NSTREAMS; t++) {
            fprintf(fp, ",\n{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": %ld, \"tid\": %d, "
                        "\"args\": {\"name\": \"%s\"}}",
                    st, t, stream_names[t]);
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        const tev *e = &b->v[i];
        fprintf(fp, ",\n{\"ph\": \"X\", \"name\": ");
        json_str(fp, e->name);
        fprintf(fp, ", \"cat\": \"%s\", \"pid\": %ld, \"tid\": %d, \"ts\": %.17g, \"dur\": %.17g}",
                part_name(e->part), e->stage, e->stream, e->start * 1e6, e->dur * 1e6);
    }
    fprintf(fp, "\n], \"otherData\": {\"generator\": \"scalewall simulate --trace\", "
                "\"n\": %.17g, \"tp\": %g, \"cp\": %g, \"pp\": %g, \"dp\": %g, \"chunks\": %g, "
                "\"micro_batches\": %g, \"step_s\": %.17g, \"compute_s\": %.17g, "
                "\"comm_s\": %.17g, \"bubble_s\": %.17g, \"wait_s\": %.17g, \"grid_s\": %.17g}}\n",
            s->n, s->tp, s->cp, s->pp, s->dp, s->chunks, s->micro, s->time, s->compute_s,
            s->comm_s, s->bubble_s, s->wait_s, s->grid_s);
}

sw_status sw_sim_trace_write(const sw_net *net, const sw_platform *plat,
                             const sw_sim_config *cfg0, double n, FILE *fp, sw_error *err)
{
    sw_sim_step s;
    sw_sim_config fitted;
    sw_status st = sim_fit_micro(net, plat, cfg0, n, &fitted, err);
    if (!st)
        st = sw_sim_step_run(net, plat, &fitted, n, &s, err);
    if (st)
        return st;
    const sw_sim_config *cfg = &fitted;
    sw_platform shared;
    sim_ctx x;
    if ((st = sim_ctx_open(&x, net, plat, cfg, n, &shared, err)))
        return st;
    tbuf b = {0};
    sim_sink sink = {collect, &b};
    double t0 = sim_timeline(&x, 1, 0, &sink);
    if (b.failed || isnan(t0)) {
        st = sw_error_set(err, SW_ENOMEM,
                          "N = %g: the trace would hold more than %d events (%g micro-batches x "
                          "%zu layers); trace a smaller case",
                          n, TRACE_MAX_EVENTS, s.micro, net->nlayers);
    } else {
        for (long k = 0; k < x.pp; k++) {
            collect(&b, k, SIM_IDLE, (sim_part)10, "straggler wait", t0, s.wait_s);
            collect(&b, k, SIM_IDLE, (sim_part)11, "time-grid loss", t0 + s.wait_s, s.grid_s);
        }
        if (b.failed)
            st = sw_error_set(err, SW_ENOMEM, "out of memory for the trace");
        else
            write_events(fp, &x, &b, &s);
    }
    free(b.v);
    sim_ctx_free(&x);
    return st;
}
