/* io.c — atomic output files, whole-file reads, strict number parsing. */
#define _POSIX_C_SOURCE 200809L
#include "scalewall/io.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sw_status sw_outfile_open(sw_outfile *out, const char *path, sw_error *err)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        return SW_OK;
    }
    size_t n = strlen(path);
    out->path = malloc(n + 1);
    out->tmp_path = malloc(n + 16);
    if (!out->path || !out->tmp_path) {
        free(out->path);
        free(out->tmp_path);
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    }
    memcpy(out->path, path, n + 1);
    snprintf(out->tmp_path, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        sw_error_set(err, SW_EIO, "%s: cannot create: %s", path, strerror(errno));
        free(out->path);
        free(out->tmp_path);
        memset(out, 0, sizeof *out);
        return SW_EIO;
    }
    /* mkstemp creates 0600; an output file should get the usual 0666 & ~umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        close(fd);
        unlink(out->tmp_path);
        free(out->path);
        free(out->tmp_path);
        memset(out, 0, sizeof *out);
        return sw_error_set(err, SW_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    return SW_OK;
}

sw_status sw_outfile_commit(sw_outfile *out, sw_error *err)
{
    if (!out->fp)
        return sw_error_set(err, SW_EIO, "output file is not open");
    if (!out->path) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        out->fp = NULL;
        return bad ? sw_error_set(err, SW_EIO, "stdout: write failed") : SW_OK;
    }
    int bad = fflush(out->fp) != 0 || ferror(out->fp) || fsync(fileno(out->fp)) != 0;
    int saved = errno;
    if (fclose(out->fp) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    out->fp = NULL;
    sw_status st = SW_OK;
    if (bad) {
        unlink(out->tmp_path);
        st = sw_error_set(err, SW_EIO, "%s: write failed: %s", out->path, strerror(saved));
    } else if (rename(out->tmp_path, out->path) != 0) {
        st = sw_error_set(err, SW_EIO, "%s: cannot rename into place: %s", out->path,
                          strerror(errno));
        unlink(out->tmp_path);
    }
    free(out->path);
    free(out->tmp_path);
    out->path = out->tmp_path = NULL;
    return st;
}

void sw_outfile_abort(sw_outfile *out)
{
    if (out->fp && out->path) {
        fclose(out->fp);
        unlink(out->tmp_path);
    }
    free(out->path);
    free(out->tmp_path);
    memset(out, 0, sizeof *out);
}

sw_status sw_read_file(const char *path, char **data, size_t *len, sw_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return sw_error_set(err, SW_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    int rd_err = ferror(fp);
    fclose(fp);
    if (!buf)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    if (rd_err) {
        free(buf);
        return sw_error_set(err, SW_EIO, "%s: read failed", path);
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return SW_OK;
}

static const char *trim(const char *s, size_t *n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    *n = len;
    return s;
}

int sw_parse_double(const char *s, double *val)
{
    size_t n;
    s = trim(s, &n);
    if (n == 0) {
        *val = NAN;
        return 0;
    }
    char tmp[128];
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + n || errno == ERANGE || !isfinite(v))
        return -1;
    *val = v;
    return 1;
}

int sw_parse_long(const char *s, long *val)
{
    size_t n;
    s = trim(s, &n);
    if (n == 0)
        return 0;
    char tmp[64];
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    long v = strtol(tmp, &end, 10);
    if (end != tmp + n || errno == ERANGE)
        return -1;
    *val = v;
    return 1;
}
