/* io.c — outputs that never destroy (io.h says what each kind of name
 * gets), whole-file reads, strict number parsing.
 *
 * Why an unnamed temporary file (O_TMPFILE) rather than "<name>.tmp.XXXXXX":
 * a Ctrl-C or a kill -9 while a large output is written leaves nothing
 * behind in the user's folder.  Folders whose file system has none (some
 * network file systems) get the named temporary file, removed on every
 * path but a kill. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include "scalewall/io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

/* ---- what a name refers to --------------------------------------------- */

/* The folder of path ("." when it has none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* A name with its folder resolved, for names that may not exist yet:
 * realpath of the whole name, else realpath(folder) + "/" + last part. */
static char *canonical(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    char *dir = dir_of(path);
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!rdir)
        return NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(rdir) + strlen(base) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base);
    free(rdir);
    return out;
}

typedef struct target {
    char *path; /* links resolved */
    int exists;
    struct stat sb;
} target;

/* Follows a symbolic link deliberately: to the file it names, which is
 * then what gets replaced (the link stays a link).  A link to nothing is
 * refused rather than guessed at. */
static sw_status resolve(const char *name, target *t, sw_error *err)
{
    memset(t, 0, sizeof *t);
    struct stat lsb;
    if (lstat(name, &lsb) != 0) {
        if (errno != ENOENT)
            return sw_error_set(err, SW_EIO, "%s: cannot write: %s", name, strerror(errno));
        if (!(t->path = strdup(name)))
            return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
        return SW_OK;
    }
    if (!S_ISLNK(lsb.st_mode)) {
        if (!(t->path = strdup(name)))
            return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
        t->exists = 1;
        t->sb = lsb;
        return SW_OK;
    }
    if (stat(name, &t->sb) == 0 && !S_ISREG(t->sb.st_mode)) {
        /* A link to a device or a pipe (/dev/stdout -> /proc/self/fd/1 ->
         * pipe:[...]) is opened through the link: there is no file name to
         * resolve, and nothing will be renamed. */
        if (!(t->path = strdup(name)))
            return sw_error_set(err, SW_ENOMEM, "%s: out of memory", name);
        t->exists = 1;
        return SW_OK;
    }
    char *real = realpath(name, NULL);
    if (!real || stat(real, &t->sb) != 0) {
        int e = errno;
        free(real);
        if (e == ENOENT) {
            char to[PATH_MAX];
            ssize_t k = readlink(name, to, sizeof to - 1);
            to[k > 0 ? k : 0] = '\0';
            return sw_error_set(err, SW_EIO,
                                "%s: a symbolic link to '%s', which does not exist: scalewall "
                                "writes through a link only to an existing file (create it, "
                                "or remove the link)",
                                name, to);
        }
        return sw_error_set(err, SW_EIO, "%s: cannot follow the link: %s", name, strerror(e));
    }
    t->path = real;
    t->exists = 1;
    return SW_OK;
}

/* Refuses an output that is one of the inputs: the same file (device and
 * inode: hard links and links included) or, when the output does not
 * exist yet, the same resolved name (two outputs of one command). */
static sw_status check_inputs(const char *name, const target *t, const char *const *inputs,
                              size_t ninputs, sw_error *err)
{
    char *mine = NULL;
    sw_status st = SW_OK;
    for (size_t i = 0; i < ninputs && !st; i++) {
        const char *in = inputs[i];
        if (!in || !*in || strcmp(in, "-") == 0)
            continue;
        int same = 0;
        struct stat isb;
        if (t->exists) {
            same = stat(in, &isb) == 0 && isb.st_dev == t->sb.st_dev &&
                   isb.st_ino == t->sb.st_ino;
        } else {
            if (!mine && !(mine = canonical(t->path)))
                break; /* its folder does not resolve: opening will say why */
            char *theirs = canonical(in);
            same = theirs && strcmp(theirs, mine) == 0;
            free(theirs);
        }
        if (same && !t->exists) /* neither exists: both are outputs */
            st = sw_error_set(err, SW_EIO,
                              "%s: is also another output of this command (%s): give each "
                              "output its own name",
                              name, in);
        else if (same)
            st = strcmp(in, name) == 0
                     ? sw_error_set(err, SW_EIO,
                                    "%s: is also an input of this command: refusing to replace "
                                    "it (choose another output name)",
                                    name)
                     : sw_error_set(err, SW_EIO,
                                    "%s: is the same file as '%s', an input of this command: "
                                    "refusing to replace it (choose another output name)",
                                    name, in);
    }
    free(mine);
    return st;
}

/* ---- opening --------------------------------------------------------- */

/* Six letters for a temporary name; a retry on EEXIST covers collisions.
 * From the clock and the process, since the library keeps no state. */
static void temp_suffix(char *out, unsigned attempt)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() << 32 ^
                 (uint64_t)ts.tv_sec ^ (uint64_t)attempt * 0xBF58476D1CE4E5B9ull;
    for (int i = 0; i < 6; i++) {
        x ^= x >> 29;
        x *= 0x94D049BB133111EBull;
        out[i] = abc[x % (sizeof abc - 1)];
    }
    out[6] = '\0';
}

/* Makes something under a fresh "<path>.tmp.XXXXXX" name: make(name, fd)
 * returns >= 0 on success (returned), or -1 with errno (EEXIST: try the
 * next name).  *name gets the name that worked. */
static int temp_name(const char *path, int fd, int (*make)(const char *, int), char **name)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        char sfx[8];
        temp_suffix(sfx, attempt);
        snprintf(tmp, n, "%s.tmp.%s", path, sfx);
        int r = make(tmp, fd);
        if (r >= 0) {
            *name = tmp;
            return r;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(tmp);
    errno = e;
    return -1;
}

static int create_file(const char *name, int unused)
{
    (void)unused;
    return open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* 0666 & ~umask */
}

/* Links an unnamed temporary file (O_TMPFILE) to name. */
static int link_fd(const char *name, int fd)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

static int open_named_temp(const char *path, char **name)
{
    return temp_name(path, -1, create_file, name);
}

/* Gives an opened descriptor its stream; when that fails the descriptor is
 * closed and `drop` (a file this open created, or NULL) removed. */
static sw_status attach_stream(sw_outfile *out, int fd, const char *mode, const char *drop,
                               sw_outfile_kind kind, sw_error *err)
{
    if (!(out->fp = fdopen(fd, mode))) {
        int e = errno;
        close(fd);
        if (drop)
            unlink(drop);
        return sw_error_set(err, SW_EIO, "%s: cannot open: %s", out->name, strerror(e));
    }
    out->kind = kind;
    return SW_OK;
}

/* May an output on fd's file system skip the fsyncs around its rename?
 * Only where a crash of the machine can leave the old file or the new one
 * and never less: ext4 and btrfs write a file renamed over another before
 * the rename itself, and tmpfs has no crash to survive.  On those a write()
 * that cannot be stored also fails at once (the space is reserved when the
 * data is buffered).  XFS may leave the new name empty after a crash (the
 * old file lost), overlayfs may sit on XFS, and network file systems (NFS,
 * CIFS, FUSE) may report a failed write only when the data is flushed:
 * they keep the fsync, as does anything unknown. */
static int local_fs(int fd)
{
    struct statfs fs;
    if (fstatfs(fd, &fs) != 0)
        return 0;
    switch ((unsigned long)fs.f_type) {
    case 0xEF53UL:     /* ext2, ext3, ext4 */
    case 0x9123683EUL: /* btrfs */
    case 0x01021994UL: /* tmpfs */
        return 1;
    default:
        return 0;
    }
}

static sw_status open_replace(sw_outfile *out, const target *t, sw_error *err)
{
    char *dir = dir_of(out->path);
    if (!dir)
        return sw_error_set(err, SW_ENOMEM, "%s: out of memory", out->name);
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666); /* RDWR: copy_temp */
    free(dir);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
        fd = open_named_temp(out->path, &out->tmp_path);
    if (fd < 0)
        return sw_error_set(err, SW_EIO, "%s: cannot create: %s", out->name, strerror(errno));
    out->sync = !local_fs(fd);
    if (t->exists) {
        /* The replacement keeps what the user set on the old file. */
        if (t->sb.st_uid != geteuid() || t->sb.st_gid != getegid())
            (void)!fchown(fd, t->sb.st_uid, t->sb.st_gid); /* allowed or not: best effort */
        (void)!fchmod(fd, t->sb.st_mode & 07777);
    }
    return attach_stream(out, fd, "w", out->tmp_path, SW_OUTFILE_REPLACE, err);
}

static sw_status open_device(sw_outfile *out, int flags, sw_error *err)
{
    /* A FIFO blocks here until a reader opens it, as a shell's > does. */
    int fd = open(out->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return sw_error_set(err, SW_EIO, "%s: cannot open: %s", out->name, strerror(errno));
    return attach_stream(out, fd, flags & SW_OUT_APPEND ? "a" : "w", NULL, SW_OUTFILE_DEVICE,
                         err);
}

/* A results file: opened in place, created if missing, and locked for as
 * long as it is open.  flock rather than fcntl locks: those vanish when
 * any descriptor of the file is closed, e.g. by the --resume read. */
static sw_status open_append(sw_outfile *out, sw_error *err)
{
    int fd = open(out->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    out->created = fd >= 0;
    if (fd < 0 && errno == EEXIST)
        fd = open(out->path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return sw_error_set(err, SW_EIO, "%s: cannot open: %s", out->name, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        close(fd);
        if (out->created)
            unlink(out->path);
        return sw_error_set(err, SW_EIO,
                            "%s: another scalewall is writing to it (the file is locked): wait "
                            "for it to finish, or give another name",
                            out->name);
    }
    /* Other flock errors (a file system without locks) leave it unlocked. */
    return attach_stream(out, fd, "a", out->created ? out->path : NULL, SW_OUTFILE_APPEND, err);
}

sw_status sw_outfile_open(sw_outfile *out, const char *path, int flags,
                          const char *const *inputs, size_t ninputs, sw_error *err)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        out->kind = SW_OUTFILE_STDOUT;
        return SW_OK;
    }
    if (!*path)
        return sw_error_set(err, SW_EIO, "an output file name is empty");
    target t;
    sw_status st = resolve(path, &t, err);
    if (st)
        return st;
    if (t.exists && !S_ISREG(t.sb.st_mode) && !S_ISCHR(t.sb.st_mode) &&
        !S_ISFIFO(t.sb.st_mode)) {
        const char *what = S_ISDIR(t.sb.st_mode)    ? "a directory: give a file name"
                           : S_ISBLK(t.sb.st_mode)  ? "a block device: scalewall never writes to one"
                           : S_ISSOCK(t.sb.st_mode) ? "a socket: scalewall never writes to one"
                                                    : "not a regular file";
        st = sw_error_set(err, SW_EIO, "%s: is %s", path, what);
    }
    /* Writing in place to a device or FIFO replaces nothing: no input check. */
    int in_place = t.exists && (S_ISCHR(t.sb.st_mode) || S_ISFIFO(t.sb.st_mode));
    if (!st && !in_place)
        st = check_inputs(path, &t, inputs, ninputs, err);
    if (!st && !(out->name = strdup(path)))
        st = sw_error_set(err, SW_ENOMEM, "%s: out of memory", path);
    if (!st) {
        out->path = t.path;
        t.path = NULL;
        st = in_place                ? open_device(out, flags, err)
             : flags & SW_OUT_APPEND ? open_append(out, err)
                                     : open_replace(out, &t, err);
    }
    free(t.path);
    if (st) {
        free(out->name);
        free(out->path);
        free(out->tmp_path);
        memset(out, 0, sizeof *out);
    }
    return st;
}

/* ---- finishing and putting in place ------------------------------------ */

/* Why a stream failed: errno when the failing call set it.  stdio may have
 * dropped its buffer (and errno) at the first failed write, so a temporary
 * file, which is dropped anyway, is asked once more with a one-byte write;
 * else the file system is asked whether it is full. */
static const char *why_failed(const sw_outfile *out, int e)
{
    if (e)
        return strerror(e);
    int fd = fileno(out->fp);
    errno = 0;
    if (out->kind == SW_OUTFILE_REPLACE && write(fd, "", 1) < 0 && errno)
        return strerror(errno);
    struct statvfs vs;
    if (fstatvfs(fd, &vs) == 0 && (vs.f_bavail == 0 || vs.f_bfree == 0))
        return strerror(ENOSPC);
    return strerror(EIO);
}

static sw_status flush_out(sw_outfile *out, int sync, sw_error *err)
{
    if (out->kind == SW_OUTFILE_NONE)
        return sw_error_set(err, SW_EIO, "output file is not open");
    FILE *fp = out->fp;
    errno = 0;
    int bad = ferror(fp);
    int e = 0;
    if (fflush(fp) != 0)
        bad = 1, e = errno;
    /* fsync: data before the rename (or before the next row); devices,
     * FIFOs and stdout have nothing to sync (EINVAL, EROFS). */
    if (sync && !bad && out->kind != SW_OUTFILE_STDOUT && fsync(fileno(fp)) != 0 &&
        errno != EINVAL && errno != EROFS)
        bad = 1, e = errno;
    if (!bad)
        return SW_OK;
    sw_status st = sw_error_set(err, SW_EIO, "%s: write failed: %s",
                                out->name ? out->name : "stdout", why_failed(out, e));
    if (out->kind == SW_OUTFILE_STDOUT)
        clearerr(stdout); /* reported once */
    return st;
}

sw_status sw_outfile_flush(sw_outfile *out, sw_error *err)
{
    return flush_out(out, 1, err);
}

sw_status sw_outfile_push(sw_outfile *out, sw_error *err)
{
    return flush_out(out, 0, err);
}

sw_status sw_outfile_finish(sw_outfile *out, sw_error *err)
{
    if (out->kind == SW_OUTFILE_NONE)
        return sw_error_set(err, SW_EIO, "output file is not open");
    if (out->finished)
        return SW_OK;
    sw_status st = flush_out(out, out->kind != SW_OUTFILE_REPLACE || out->sync, err);
    if (st) {
        sw_outfile_abort(out);
        return st;
    }
    out->finished = 1;
    return SW_OK;
}

/* Without /proc (a chroot) the unnamed file cannot be linked: its bytes
 * are copied to a named temporary file instead. */
static int copy_temp(int fd, const char *path, char **name)
{
    int to = open_named_temp(path, name);
    if (to < 0)
        return -1;
    char buf[65536];
    off_t at = 0;
    int ok = 1;
    for (ssize_t k; ok && (k = pread(fd, buf, sizeof buf, at)) != 0;) {
        if (k < 0) {
            ok = errno == EINTR;
            continue;
        }
        for (ssize_t w = 0; ok && w < k;) {
            ssize_t d = write(to, buf + w, (size_t)(k - w));
            if (d < 0)
                ok = errno == EINTR;
            else
                w += d;
        }
        at += k;
    }
    if (ok && fsync(to) != 0)
        ok = 0;
    int e = errno;
    if (close(to) != 0 && ok)
        ok = 0, e = errno;
    if (ok)
        return 0;
    unlink(*name);
    free(*name);
    *name = NULL;
    errno = e;
    return -1;
}

/* The replace step: the new file appears under path in one rename (or one
 * link when nothing is there), so a reader sees the old file or the new. */
static sw_status put_in_place(sw_outfile *out, sw_error *err)
{
    int fd = fileno(out->fp);
    /* What was a file (or nothing) at open must still be: a FIFO or device
     * put there since is not renamed over either. */
    struct stat sb;
    if (lstat(out->path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return sw_error_set(err, SW_EIO, "%s: is no longer a regular file: not replacing it",
                            out->name);
    if (!out->tmp_path) {
        if (link_fd(out->path, fd) == 0)
            return SW_OK;
        int linked = errno == EEXIST && temp_name(out->path, fd, link_fd, &out->tmp_path) == 0;
        if (!linked && copy_temp(fd, out->path, &out->tmp_path) != 0)
            return sw_error_set(err, SW_EIO, "%s: cannot put the new file in place: %s",
                                out->name, strerror(errno));
    }
    if (rename(out->tmp_path, out->path) != 0)
        return sw_error_set(err, SW_EIO, "%s: cannot rename into place: %s", out->name,
                            strerror(errno));
    free(out->tmp_path);
    out->tmp_path = NULL;
    if (!out->sync)
        return SW_OK;
    /* The new name itself durable: best effort, a failure loses nothing now. */
    char *dir = dir_of(out->path);
    int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(dir);
    return SW_OK;
}

sw_status sw_outfile_commit(sw_outfile *out, sw_error *err)
{
    sw_status st = sw_outfile_finish(out, err);
    if (st)
        return st;
    if (out->kind == SW_OUTFILE_STDOUT) {
        memset(out, 0, sizeof *out);
        return SW_OK;
    }
    if (out->kind == SW_OUTFILE_REPLACE && (st = put_in_place(out, err)) != SW_OK) {
        sw_outfile_abort(out);
        return st;
    }
    int bad = fclose(out->fp) != 0;
    int e = errno;
    out->fp = NULL;
    if (bad && out->kind != SW_OUTFILE_REPLACE)
        st = sw_error_set(err, SW_EIO, "%s: write failed: %s", out->name, strerror(e));
    free(out->name);
    free(out->path);
    free(out->tmp_path);
    memset(out, 0, sizeof *out);
    return st;
}

sw_status sw_outfile_commit_all(sw_outfile *outs, size_t n, sw_error *err)
{
    sw_status st = SW_OK;
    for (size_t i = 0; i < n && !st; i++)
        if (outs[i].kind != SW_OUTFILE_NONE)
            st = sw_outfile_finish(&outs[i], err);
    /* The renames are quick: Ctrl-C (or a polite kill) waits for the last
     * of them, so the set lands whole.  Only kill -9 can split it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    for (size_t i = 0; i < n && !st; i++)
        if (outs[i].kind != SW_OUTFILE_NONE)
            st = sw_outfile_commit(&outs[i], err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (st)
        for (size_t i = 0; i < n; i++)
            sw_outfile_abort(&outs[i]);
    return st;
}

sw_status sw_outfile_fail(sw_outfile *out, sw_status st, sw_error *err)
{
    if (out->kind != SW_OUTFILE_NONE && out->fp && ferror(out->fp) && !out->finished)
        return sw_outfile_finish(out, err); /* fails, names the reason, drops it */
    sw_outfile_abort(out);
    return st;
}

void sw_outfile_abort(sw_outfile *out)
{
    if (out->fp && out->kind != SW_OUTFILE_STDOUT)
        fclose(out->fp);
    if (out->tmp_path)
        unlink(out->tmp_path);
    free(out->name);
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
