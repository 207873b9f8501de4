/* test_outfile.c — sw_outfile_open: what writing to each kind of name may
 * do (issue 11: `--out /dev/null` as root turned /dev/null into a regular
 * file; plot replaced its own input CSV).  Each case builds its own names
 * in a fresh folder under /tmp; devices are made with mknod only where
 * that is allowed (root), and skipped otherwise. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "scalewall/io.h"

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/swoutXXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

static const char *at(const fixture *f, const char *name, char *buf)
{
    snprintf(buf, 512, "%s/%s", f->dir, name);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void expect_text(const char *path, const char *text)
{
    char *data;
    size_t len;
    assert_int_equal(sw_read_file(path, &data, &len, NULL), SW_OK);
    assert_string_equal(data, text);
    free(data);
}

/* Entries in the folder: temporary files left behind would show here. */
static int entries(const fixture *f)
{
    DIR *d = opendir(f->dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static sw_status write_all(const char *path, const char *text, const char *const *in, size_t nin,
                           sw_error *err)
{
    sw_outfile out;
    sw_status st = sw_outfile_open(&out, path, SW_OUT_REPLACE, in, nin, err);
    if (st)
        return st;
    fputs(text, out.fp);
    return sw_outfile_commit(&out, err);
}

/* A regular file: replaced whole, keeping its mode; an abort keeps the old
 * one; nothing named is ever left in the folder. */
static void test_regular_keeps_mode(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "out.csv", p);
    put(p, "old\n");
    chmod(p, 0640);
    sw_outfile out;
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    assert_int_equal(out.kind, SW_OUTFILE_REPLACE);
    fputs("half", out.fp);
    fflush(out.fp);
    /* The temporary file has no name: a kill -9 now leaves nothing. */
    assert_int_equal(entries(f), 1);
    sw_outfile_abort(&out);
    expect_text(p, "old\n");
    assert_int_equal(write_all(p, "new\n", NULL, 0, NULL), SW_OK);
    expect_text(p, "new\n");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0640);
    assert_int_equal(entries(f), 1);
}

/* A character device is written in place and stays a device. */
static void test_device_in_place(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "null", p);
    if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        print_message("mknod not permitted (%s): device case skipped\n", strerror(errno));
        skip();
    }
    sw_outfile out;
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    assert_int_equal(out.kind, SW_OUTFILE_DEVICE);
    fputs("anything\n", out.fp);
    assert_int_equal(sw_outfile_commit(&out, NULL), SW_OK);
    struct stat sb;
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(sb.st_rdev, makedev(1, 3));
}

/* A FIFO is written in place: the reader gets the bytes, the FIFO stays. */
static void test_fifo_in_place(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "pipe", p);
    assert_int_equal(mkfifo(p, 0600), 0);
    int rd = open(p, O_RDONLY | O_NONBLOCK); /* a reader, so the writer's open returns */
    assert_true(rd >= 0);
    sw_outfile out;
    const char *in[] = {p}; /* in place replaces nothing: no input conflict */
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_REPLACE, in, 1, NULL), SW_OK);
    assert_int_equal(out.kind, SW_OUTFILE_DEVICE);
    fputs("through the pipe\n", out.fp);
    assert_int_equal(sw_outfile_commit(&out, NULL), SW_OK);
    char buf[64] = {0};
    assert_int_equal(read(rd, buf, sizeof buf - 1), 17);
    assert_string_equal(buf, "through the pipe\n");
    close(rd);
    struct stat sb;
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
}

static void test_directory_refused(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "sub", p);
    assert_int_equal(mkdir(p, 0777), 0);
    sw_error err = {0};
    assert_int_equal(write_all(p, "x", NULL, 0, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));
    rmdir(p);
}

/* A link to a file: the file is replaced, the link stays a link.  A link
 * to nothing: refused, and nothing is created at either end. */
static void test_symlinks(void **state)
{
    fixture *f = *state;
    char p[512], l[512], d[512], t[512];
    at(f, "target.csv", p);
    at(f, "link.csv", l);
    put(p, "old\n");
    assert_int_equal(symlink("target.csv", l), 0);
    assert_int_equal(write_all(l, "new\n", NULL, 0, NULL), SW_OK);
    struct stat sb;
    assert_int_equal(lstat(l, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    expect_text(p, "new\n");
    at(f, "dangling.csv", d);
    assert_int_equal(symlink("nowhere.csv", d), 0);
    sw_error err = {0};
    assert_int_equal(write_all(d, "x", NULL, 0, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "which does not exist"));
    assert_int_equal(lstat(at(f, "nowhere.csv", t), &sb), -1);
    assert_int_equal(entries(f), 3);
}

/* An output that is an input: by name, through a link or a hard link, or
 * (not existing yet) another output under a different spelling. */
static void test_inputs_refused(void **state)
{
    fixture *f = *state;
    char p[512], l[512], h[512], a[512], b[512];
    at(f, "results.csv", p);
    at(f, "alias.csv", l);
    at(f, "hard.csv", h);
    put(p, "data\n");
    assert_int_equal(symlink("results.csv", l), 0);
    assert_int_equal(link(p, h), 0);
    sw_error err = {0};
    const char *in[] = {NULL, "-", p};
    assert_int_equal(write_all(p, "x", in, 3, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "is also an input of this command"));
    const char *via_link[] = {l};
    assert_int_equal(write_all(p, "x", via_link, 1, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "alias.csv"));
    const char *via_hard[] = {p};
    assert_int_equal(write_all(h, "x", via_hard, 1, &err), SW_EIO);
    expect_text(p, "data\n");
    /* Two outputs of one command, neither there yet. */
    snprintf(a, sizeof a, "%s/new.json", f->dir);
    snprintf(b, sizeof b, "%s/./new.json", f->dir);
    const char *other[] = {b};
    assert_int_equal(write_all(a, "x", other, 1, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "another output"));
    /* A different file is fine. */
    assert_int_equal(write_all(at(f, "model.json", a), "m\n", in, 3, NULL), SW_OK);
}

/* A results file: appended in place and locked; a second writer fails at
 * once; an abort never removes its rows. */
static void test_append_lock(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "r.csv", p);
    sw_outfile a, b;
    sw_error err = {0};
    assert_int_equal(sw_outfile_open(&a, p, SW_OUT_APPEND, NULL, 0, NULL), SW_OK);
    assert_int_equal(a.kind, SW_OUTFILE_APPEND);
    assert_true(a.created);
    fputs("row 1\n", a.fp);
    fflush(a.fp);
    assert_int_equal(sw_outfile_open(&b, p, SW_OUT_APPEND, NULL, 0, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "locked"));
    assert_int_equal(sw_outfile_commit(&a, NULL), SW_OK);
    assert_int_equal(sw_outfile_open(&b, p, SW_OUT_APPEND, NULL, 0, NULL), SW_OK);
    assert_false(b.created);
    fputs("row 2\n", b.fp);
    assert_int_equal(sw_outfile_commit(&b, NULL), SW_OK);
    expect_text(p, "row 1\nrow 2\n");
    assert_int_equal(sw_outfile_open(&b, p, SW_OUT_APPEND, NULL, 0, NULL), SW_OK);
    fputs("row 3\n", b.fp);
    sw_outfile_abort(&b); /* rows written in place stay */
    expect_text(p, "row 1\nrow 2\nrow 3\n");
    unlink(p);
    assert_int_equal(sw_outfile_open(&b, p, SW_OUT_APPEND, NULL, 0, NULL), SW_OK);
    assert_true(b.created);
    fputs("row 1\n", b.fp);
    sw_outfile_abort(&b); /* created here too: still kept */
    expect_text(p, "row 1\n");
}

/* A set of outputs lands together: when one cannot be finished, none of
 * them appears, and the error names the file and the reason. */
static void test_commit_all(void **state)
{
    fixture *f = *state;
    char a[512], b[512];
    at(f, "fig.png", a);
    at(f, "fig.csv", b);
    sw_outfile outs[3] = {{0}, {0}, {0}};
    assert_int_equal(sw_outfile_open(&outs[0], a, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    assert_int_equal(sw_outfile_open(&outs[2], b, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    fputs("png", outs[0].fp);
    fputs("csv", outs[2].fp);
    /* The second one's descriptor now refuses writes, as a failing disk would. */
    int ro = open("/dev/null", O_RDONLY);
    dup2(ro, fileno(outs[2].fp));
    close(ro);
    sw_error err = {0};
    assert_int_equal(sw_outfile_commit_all(outs, 3, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "fig.csv: write failed: "));
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(access(b, F_OK), -1);
    assert_int_equal(entries(f), 0);
    /* And when all are fine, all are there. */
    assert_int_equal(sw_outfile_open(&outs[0], a, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    assert_int_equal(sw_outfile_open(&outs[1], b, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    fputs("png", outs[0].fp);
    fputs("csv", outs[1].fp);
    assert_int_equal(sw_outfile_commit_all(outs, 2, NULL), SW_OK);
    expect_text(a, "png");
    expect_text(b, "csv");
}

/* sw_outfile_fail: a writer's bare "write failed" becomes the file's name
 * and the stream's reason (ENOSPC from /dev/full stands in for a full disk
 * on the stdout path, where the same finish code runs). */
static void test_fail_names_reason(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "o.txt", p);
    sw_outfile out;
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    dup2(full, fileno(out.fp));
    close(full);
    for (int i = 0; i < 2000; i++)
        fputs("0123456789012345678901234567890123456789\n", out.fp);
    sw_error err = {0};
    sw_status st = sw_error_set(&err, SW_EIO, "write failed");
    assert_int_equal(sw_outfile_fail(&out, st, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "o.txt: write failed: No space left on device"));
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(out.kind, SW_OUTFILE_NONE);
}

/* sw_outfile_push hands a results row to the kernel without fsync (a
 * measure sweep syncs at most once a second, measure_results.c): another
 * reader sees the row while the file is still open, and a push that cannot
 * write names the file and the reason, as flush does. */
static void test_push(void **state)
{
    fixture *f = *state;
    char p[512];
    at(f, "r.csv", p);
    sw_outfile out;
    sw_error err = {0};
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_APPEND, NULL, 0, NULL), SW_OK);
    fputs("row 1\n", out.fp);
    assert_int_equal(sw_outfile_push(&out, &err), SW_OK);
    expect_text(p, "row 1\n");
    fputs("row 2\n", out.fp);
    assert_int_equal(sw_outfile_push(&out, &err), SW_OK);
    expect_text(p, "row 1\nrow 2\n");
    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    dup2(full, fileno(out.fp));
    close(full);
    fputs("row 3\n", out.fp);
    assert_int_equal(sw_outfile_push(&out, &err), SW_EIO);
    assert_non_null(strstr(err.msg, "r.csv: write failed: No space left on device"));
    sw_outfile_abort(&out);
    expect_text(p, "row 1\nrow 2\n");
}

/* A replacement on a local disk is put in place without fsync (the rename
 * keeps it atomic); /dev/shm is tmpfs on every Linux.  A results file
 * (append) is never affected: its writer syncs it. */
static void test_local_disk_not_synced(void **state)
{
    (void)state;
    char dir[] = "/dev/shm/swoutXXXXXX", p[64];
    if (!mkdtemp(dir))
        skip();
    snprintf(p, sizeof p, "%s/o.csv", dir);
    sw_outfile out;
    assert_int_equal(sw_outfile_open(&out, p, SW_OUT_REPLACE, NULL, 0, NULL), SW_OK);
    assert_int_equal(out.kind, SW_OUTFILE_REPLACE);
    assert_int_equal(out.sync, 0);
    fputs("new\n", out.fp);
    assert_int_equal(sw_outfile_commit(&out, NULL), SW_OK);
    expect_text(p, "new\n");
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_regular_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inputs_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_names_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push, setup, teardown),
        cmocka_unit_test(test_local_disk_not_synced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
