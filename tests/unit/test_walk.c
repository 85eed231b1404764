/*
 * test_walk.c - the source walker: one tree as a directory, tar (plain,
 * gzip, bzip2, xz, zstd) and zip gives the same members; hostile names;
 * links that point out; truncated and corrupt archives; sparse members; a
 * plain file; an empty directory; a large member read in blocks.
 * Fixtures are made at run time with tar, zip, gzip and python3.
 */
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* Runs a shell command made from fmt; returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	if (r != 0)
		fprintf(stderr, "  command failed (%d): %s\n", r, cmd);
	return r;
}

/* A path in the test's directory; caller frees. */
static char *tp(const char *name)
{
	return fx_xasprintf("%s/%s", t_tmpdir(), name);
}

/* Writes a file in the test's directory. */
static void put(const char *name, const char *text)
{
	char *path = tp(name);
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

/* Reads a whole file; caller frees. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = fx_xmalloc(1);
	size_t len = 0, n;
	char chunk[4096];

	s[0] = '\0';
	if (!f)
		return s;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		s = fx_xrealloc(s, len + n + 1);
		memcpy(s + len, chunk, n);
		len += n;
		s[len] = '\0';
	}
	fclose(f);
	return s;
}

/* stderr into a file while the walker reports; returns the saved fd. */
static int capture_start(const char *path)
{
	int saved, fd;

	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	return saved;
}

/* Restores stderr; returns what was captured (caller frees). */
static char *capture_end(int saved, const char *path)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return slurp(path);
}

/* One member, copied out of the walker. */
struct rec {
	char *path, *raw_hex, *link;
	enum fx_walk_kind kind;
	unsigned flags;
	uint64_t size, got;
	int sparse, read_err;
	size_t blocks, max_block;
	char sha[FX_SHA256_HEX];
};

struct walk {
	struct rec *r;
	size_t n;
	int format, opened;
	unsigned errors;
	int failed_next; /* fx_walk_next() returned -1 this many times */
};

static char *dup_or_null(const char *s)
{
	return s ? fx_xstrdup(s) : NULL;
}

/* Walks src, reading and hashing every member. */
static void walk_all(const char *src, struct walk *wk)
{
	struct fx_walk_entry *e;
	struct fx_walk *w;
	struct fx_hash *h;
	const void *buf;
	uint8_t md[FX_SHA256_LEN];
	struct rec *r;
	ssize_t n;
	int rc, calls = 0;

	memset(wk, 0, sizeof(*wk));
	w = fx_walk_open(src);
	if (!w)
		return;
	wk->opened = 1;
	wk->format = fx_walk_format(w);
	h = fx_hash_new(FX_HASH_SHA256);
	while ((rc = fx_walk_next(w, &e)) != 0 && calls++ < 10000) {
		if (rc < 0) {
			wk->failed_next++;
			continue;
		}
		wk->r = fx_xrealloc(wk->r, (wk->n + 1) * sizeof(*wk->r));
		r = &wk->r[wk->n++];
		memset(r, 0, sizeof(*r));
		r->path = fx_xstrdup(e->path);
		r->raw_hex = dup_or_null(e->raw_hex);
		r->link = dup_or_null(e->link);
		r->kind = e->kind;
		r->flags = e->flags;
		r->size = e->size;
		while ((n = fx_walk_read(w, &buf)) > 0) {
			fx_hash_update(h, buf, (size_t)n);
			r->got += (uint64_t)n;
			r->blocks++;
			if ((size_t)n > r->max_block)
				r->max_block = (size_t)n;
		}
		r->read_err = n < 0;
		r->sparse = e->sparse;
		fx_hash_final(h, md);
		fx_hex(md, sizeof(md), r->sha);
	}
	CHECK(calls < 10000);
	/* The end stays the end. */
	CHECK(fx_walk_next(w, &e) == 0);
	wk->errors = fx_walk_errors(w);
	fx_hash_free(h);
	fx_walk_free(w);
}

static void walk_release(struct walk *wk)
{
	size_t i;

	for (i = 0; i < wk->n; i++) {
		free(wk->r[i].path);
		free(wk->r[i].raw_hex);
		free(wk->r[i].link);
	}
	free(wk->r);
	memset(wk, 0, sizeof(*wk));
}

static const struct rec *find(const struct walk *wk, const char *path)
{
	size_t i;

	for (i = 0; i < wk->n; i++)
		if (!strcmp(wk->r[i].path, path))
			return &wk->r[i];
	t_failed++;
	fprintf(stderr, "  no member '%s'\n", path);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "kind path size sha" per member but the root ".", sorted; caller frees. */
static char *listing(const struct walk *wk)
{
	char **lines = fx_xcalloc(wk->n + 1, sizeof(*lines));
	char *out = fx_xstrdup(""), *tmp;
	size_t i, k = 0;

	for (i = 0; i < wk->n; i++)
		if (strcmp(wk->r[i].path, "."))
			lines[k++] = fx_xasprintf("%d %s %llu %s\n", (int)wk->r[i].kind,
						  wk->r[i].path,
						  (unsigned long long)wk->r[i].size,
						  wk->r[i].sha);
	qsort(lines, k, sizeof(*lines), cmp_str);
	for (i = 0; i < k; i++) {
		tmp = fx_xasprintf("%s%s", out, lines[i]);
		free(out);
		free(lines[i]);
		out = tmp;
	}
	free(lines);
	return out;
}

static void sha_of_file(const char *name, char out[FX_SHA256_HEX])
{
	char *path = tp(name);
	uint64_t size;

	CHECK(fx_sha256_file(path, out, &size) == 0);
	free(path);
}

static void make_tree(void)
{
	CHECK(sh("cd '%s' && mkdir -p tree/sub/deeper tree/emptydir && "
		 "printf 'hello\\n' >tree/a.txt && : >tree/empty.txt && "
		 "printf 'upper' >tree/Z.txt && "
		 "head -c 200000 /dev/urandom >tree/sub/b.bin && "
		 "printf 'deep' >tree/sub/deeper/c.txt", t_tmpdir()) == 0);
}

FX_TEST(test_walk_same_tree_as_dir_tar_compressed_and_zip)
{
	static const char *const order[] = {
		"Z.txt", "a.txt", "empty.txt", "emptydir", "sub", "sub/b.bin",
		"sub/deeper", "sub/deeper/c.txt",
	};
	static const struct {
		const char *name, *make;
		int format;
	} srcs[] = {
		{ "t.tar", "tar -cf t.tar -C tree .", FX_WALK_FORMAT_TAR },
		{ "t.tgz", "gzip -c t.tar >t.tgz", FX_WALK_FORMAT_TAR },
		{ "t.tbz", "bzip2 -c t.tar >t.tbz", FX_WALK_FORMAT_TAR },
		{ "t.txz", "xz -c t.tar >t.txz", FX_WALK_FORMAT_TAR },
		{ "t.tzst", "zstd -q -c t.tar >t.tzst", FX_WALK_FORMAT_TAR },
		{ "t.zip", "cd tree && zip -qr ../t.zip .", FX_WALK_FORMAT_ZIP },
		/* Detection is by content, not by name. */
		{ "tar.zip", "cp t.tgz tar.zip", FX_WALK_FORMAT_TAR },
		{ "zip.tar", "cp t.zip zip.tar", FX_WALK_FORMAT_ZIP },
	};
	struct walk dir, again, ar;
	char *tree = tp("tree"), *want, *got, *src;
	char sha[FX_SHA256_HEX];
	size_t i;

	make_tree();
	walk_all(tree, &dir);
	CHECK(dir.opened);
	CHECK_INT(dir.format, FX_WALK_FORMAT_DIR);
	CHECK_INT(dir.errors, 0);
	CHECK_INT(dir.n, sizeof(order) / sizeof(order[0]));
	/* Depth first, names in bytewise order, the same on every run. */
	walk_all(tree, &again);
	for (i = 0; i < dir.n && i < sizeof(order) / sizeof(order[0]); i++) {
		CHECK_STR(dir.r[i].path, order[i]);
		CHECK_STR(again.r[i].path, order[i]);
	}
	CHECK_INT(find(&dir, "sub")->kind, FX_WALK_DIR);
	CHECK_INT(find(&dir, "sub/b.bin")->size, 200000);
	sha_of_file("tree/sub/b.bin", sha);
	CHECK_STR(find(&dir, "sub/b.bin")->sha, sha);
	CHECK(find(&dir, "a.txt")->raw_hex == NULL);
	want = listing(&dir);

	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		CHECK(sh("cd '%s' && %s", t_tmpdir(), srcs[i].make) == 0);
		src = tp(srcs[i].name);
		walk_all(src, &ar);
		CHECK(ar.opened);
		CHECK_INT(ar.format, srcs[i].format);
		CHECK_INT(ar.errors, 0);
		got = listing(&ar);
		if (strcmp(got, want))
			fprintf(stderr, "  %s:\n%s  differs from the directory:\n%s",
				srcs[i].name, got, want);
		CHECK_STR(got, want);
		free(got);
		free(src);
		walk_release(&ar);
	}
	free(want);
	free(tree);
	walk_release(&dir);
	walk_release(&again);
}

static const char hostile_py[] =
	"import io, sys, tarfile\n"
	"out, fmt = sys.argv[1], sys.argv[2]\n"
	"fmt = {'gnu': tarfile.GNU_FORMAT, 'pax': tarfile.PAX_FORMAT}[fmt]\n"
	"def add(t, name, data=None, kind=tarfile.REGTYPE, link=''):\n"
	"    if isinstance(name, bytes):\n"
	"        name = name.decode('utf-8', 'surrogateescape')\n"
	"    ti = tarfile.TarInfo(name)\n"
	"    ti.type, ti.linkname, ti.mtime = kind, link, 1700000000\n"
	"    ti.size = len(data) if data is not None else 0\n"
	"    t.addfile(ti, io.BytesIO(data) if data is not None else None)\n"
	"with tarfile.open(out, 'w', format=fmt, encoding='utf-8',\n"
	"                  errors='surrogateescape') as t:\n"
	"    add(t, '../../etc/passwd', b'root')\n"
	"    add(t, '/abs/path', b'abs')\n"
	"    add(t, b'bad\\xff.txt', b'bad')\n"
	"    add(t, 'a/../../up.txt', b'up')\n"
	"    add(t, 'x//y/./z.txt', b'z')\n"
	"    add(t, '100%41.txt', b'pct')\n"
	"    add(t, '50%.txt', b'pct2')\n"
	"    add(t, b'sur\\xed\\xa0\\x80', b's')\n"
	"    add(t, '\\u4e2d\\u6587.txt', b'zh')\n"
	"    add(t, 're\\u0301sume\\u0301.txt', b'nfd')\n"
	"    add(t, '..', b'dotdot')\n"
	"    add(t, '/', None, tarfile.DIRTYPE)\n"
	"    add(t, 'sym_out', None, tarfile.SYMTYPE, '../../../etc/shadow')\n"
	"    add(t, 'sym_abs', None, tarfile.SYMTYPE, '/etc/passwd')\n"
	"    add(t, 'x/sym_in', None, tarfile.SYMTYPE, '../x/y/z.txt')\n"
	"    add(t, 'x/sym_up', None, tarfile.SYMTYPE, '../../z')\n"
	"    add(t, 'hl', None, tarfile.LNKTYPE, 'x//y/z.txt')\n"
	"    add(t, 'hl_out', None, tarfile.LNKTYPE, '../../etc/passwd')\n";

static void check_hostile(const struct walk *wk)
{
	const struct rec *r;
	size_t i;

	CHECK_INT(wk->errors, 0);
	if ((r = find(wk, "etc/passwd"))) {
		CHECK_INT(r->flags, FX_WALK_NAME_DOTDOT);
		CHECK_STR(r->raw_hex, "2e2e2f2e2e2f6574632f706173737764");
		CHECK_INT(r->size, 4);
	}
	if ((r = find(wk, "abs/path"))) {
		CHECK_INT(r->flags, FX_WALK_NAME_ABSOLUTE);
		CHECK_STR(r->raw_hex, "2f6162732f70617468");
	}
	if ((r = find(wk, "bad%FF.txt"))) {
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
		CHECK_STR(r->raw_hex, "626164ff2e747874");
	}
	if ((r = find(wk, "up.txt")))
		CHECK_INT(r->flags, FX_WALK_NAME_DOTDOT);
	/* Cosmetic changes are not flagged. */
	if ((r = find(wk, "x/y/z.txt"))) {
		CHECK_INT(r->flags, 0);
		CHECK(r->raw_hex == NULL);
	}
	/* '%' is escaped only before two hex digits. */
	if ((r = find(wk, "100%2541.txt")))
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
	if ((r = find(wk, "50%.txt")))
		CHECK_INT(r->flags, 0);
	/* A UTF-16 surrogate is not UTF-8. */
	if ((r = find(wk, "sur%ED%A0%80")))
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
	/* Valid UTF-8 stays as it is, NFD too (no normalization). */
	if ((r = find(wk, "\xe4\xb8\xad\xe6\x96\x87.txt")))
		CHECK_INT(r->flags, 0);
	if ((r = find(wk, "re\xcc\x81sume\xcc\x81.txt")))
		CHECK_INT(r->flags, 0);
	/* Names that come to nothing are "."; the flags say why. */
	for (i = 0; i < wk->n; i++)
		CHECK(wk->r[i].path[0] != '\0');
	if ((r = find(wk, "."))) {
		CHECK_INT(r->kind, FX_WALK_FILE);
		CHECK_INT(r->flags, FX_WALK_NAME_DOTDOT);
		CHECK_STR(r->raw_hex, "2e2e");
		CHECK_INT(r->size, 6);
	}
	if ((r = find(wk, "sym_out"))) {
		CHECK_INT(r->kind, FX_WALK_SYMLINK);
		CHECK_STR(r->link, "../../../etc/shadow");
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
		CHECK_INT(r->got, 0);
	}
	if ((r = find(wk, "sym_abs")))
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
	if ((r = find(wk, "x/sym_in"))) {
		CHECK_STR(r->link, "../x/y/z.txt");
		CHECK_INT(r->flags, 0);
	}
	if ((r = find(wk, "x/sym_up")))
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
	if ((r = find(wk, "hl"))) {
		CHECK_INT(r->kind, FX_WALK_HARDLINK);
		CHECK_STR(r->link, "x/y/z.txt");
		CHECK_INT(r->flags, 0);
	}
	if ((r = find(wk, "hl_out"))) {
		CHECK_INT(r->kind, FX_WALK_HARDLINK);
		CHECK_STR(r->link, "etc/passwd");
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
	}
}

FX_TEST(test_walk_hostile_names_in_tar_are_sanitized)
{
	static const char *const fmts[] = { "gnu", "pax" };
	struct walk wk;
	char *src;
	size_t i;

	put("hostile.py", hostile_py);
	for (i = 0; i < 2; i++) {
		CHECK(sh("cd '%s' && python3 hostile.py %s.tar %s", t_tmpdir(),
			 fmts[i], fmts[i]) == 0);
		src = fx_xasprintf("%s/%s.tar", t_tmpdir(), fmts[i]);
		walk_all(src, &wk);
		CHECK_INT(wk.format, FX_WALK_FORMAT_TAR);
		check_hostile(&wk);
		walk_release(&wk);
		/* The caller's locale does not change the names. */
		if (setlocale(LC_ALL, "C.UTF-8")) {
			walk_all(src, &wk);
			check_hostile(&wk);
			walk_release(&wk);
			setlocale(LC_ALL, "C");
		}
		free(src);
	}
}

FX_TEST(test_walk_hostile_names_in_zip_are_sanitized)
{
	struct walk wk;
	const struct rec *r;
	char *src = tp("h.zip");

	put("mkzip.py",
	    "import zipfile\n"
	    "with zipfile.ZipFile('h.zip', 'w') as z:\n"
	    "    z.writestr('../../evil.txt', b'evil')\n"
	    "    z.writestr('/abs.txt', b'abs')\n"
	    "    z.writestr('badQQplaceholder.txt', b'bad')\n"
	    "    z.writestr('\\u4e2d\\u6587.txt', b'zh')\n"
	    "d = open('h.zip', 'rb').read().replace(b'badQQ', b'bad\\xff\\xfe')\n"
	    "open('h.zip', 'wb').write(d)\n");
	CHECK(sh("cd '%s' && python3 mkzip.py", t_tmpdir()) == 0);
	walk_all(src, &wk);
	CHECK_INT(wk.format, FX_WALK_FORMAT_ZIP);
	CHECK_INT(wk.errors, 0);
	CHECK_INT(wk.n, 4);
	if ((r = find(&wk, "evil.txt"))) {
		CHECK_INT(r->flags, FX_WALK_NAME_DOTDOT);
		CHECK_STR(r->raw_hex, "2e2e2f2e2e2f6576696c2e747874");
	}
	if ((r = find(&wk, "abs.txt")))
		CHECK_INT(r->flags, FX_WALK_NAME_ABSOLUTE);
	if ((r = find(&wk, "bad%FF%FEplaceholder.txt")))
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
	/* A name marked UTF-8 in the zip is decoded whatever the locale. */
	if ((r = find(&wk, "\xe4\xb8\xad\xe6\x96\x87.txt"))) {
		CHECK_INT(r->flags, 0);
		CHECK_INT(r->size, 2);
	}
	walk_release(&wk);
	free(src);
}

FX_TEST(test_walk_dir_names_escaped_and_links_not_followed)
{
	struct walk wk;
	const struct rec *r;
	char *root = tp("d");

	put("mkdir.py",
	    "import os\n"
	    "os.makedirs(b'd/bad\\xff')\n"
	    "open(b'd/bad\\xff/child', 'w').write('c')\n"
	    "open(b'd/over\\xc0\\xaf', 'w').write('o')\n"
	    "open(b'd/cut\\xe4\\xb8', 'w').write('t')\n"
	    "open(b'd/pct%41', 'w').write('p')\n"
	    "os.makedirs('d/sub')\n"
	    "open('d/sub/f', 'w').write('f')\n"
	    "os.symlink('/etc', 'd/out')\n"
	    "os.symlink('../..', 'd/sub/up')\n"
	    "os.symlink('sub', 'd/in')\n"
	    "os.symlink('../sub/f', 'd/sub/rel')\n"
	    "os.mkfifo('d/fifo')\n");
	CHECK(sh("cd '%s' && python3 mkdir.py", t_tmpdir()) == 0);
	walk_all(root, &wk);
	CHECK_INT(wk.errors, 0);
	if ((r = find(&wk, "bad%FF"))) {
		CHECK_INT(r->kind, FX_WALK_DIR);
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
		CHECK_STR(r->raw_hex, "626164ff");
	}
	/* raw_hex is the whole raw relative path. */
	if ((r = find(&wk, "bad%FF/child"))) {
		CHECK_INT(r->flags, FX_WALK_NAME_UTF8);
		CHECK_STR(r->raw_hex, "626164ff2f6368696c64");
		CHECK_INT(r->size, 1);
	}
	CHECK(find(&wk, "over%C0%AF") != NULL);
	CHECK(find(&wk, "cut%E4%B8") != NULL);
	CHECK(find(&wk, "pct%2541") != NULL);
	if ((r = find(&wk, "out"))) {
		CHECK_INT(r->kind, FX_WALK_SYMLINK);
		CHECK_STR(r->link, "/etc");
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
	}
	if ((r = find(&wk, "sub/up"))) {
		CHECK_STR(r->link, "../..");
		CHECK_INT(r->flags, FX_WALK_LINK_OUTSIDE);
	}
	if ((r = find(&wk, "in"))) {
		CHECK_INT(r->kind, FX_WALK_SYMLINK);
		CHECK_INT(r->flags, 0);
	}
	if ((r = find(&wk, "sub/rel")))
		CHECK_INT(r->flags, 0);
	if ((r = find(&wk, "fifo"))) {
		CHECK_INT(r->kind, FX_WALK_OTHER);
		CHECK_INT(r->got, 0);
	}
	/* Links are never followed. */
	CHECK_INT(wk.n, 12);
	walk_release(&wk);
	free(root);
}

FX_TEST(test_walk_truncated_tar_gz_keeps_earlier_members)
{
	static const char *const names[] = { "trunc.tgz", "trunc.tar" };
	char sha[3][FX_SHA256_HEX];
	struct walk wk;
	char *src, *err, *log = tp("stderr");
	size_t i;
	int saved;

	CHECK(sh("cd '%s' && mkdir tr && for i in 1 2 3; do "
		 "head -c 300000 /dev/urandom >tr/f$i; done && "
		 "tar -cf tr.tar -C tr f1 f2 f3 && gzip -c tr.tar >tr.tgz && "
		 "head -c $(( $(stat -c %%s tr.tgz) * 8 / 10 )) tr.tgz >trunc.tgz && "
		 "head -c 700000 tr.tar >trunc.tar", t_tmpdir()) == 0);
	sha_of_file("tr/f1", sha[0]);
	sha_of_file("tr/f2", sha[1]);
	sha_of_file("tr/f3", sha[2]);
	for (i = 0; i < 2; i++) {
		src = tp(names[i]);
		saved = capture_start(log);
		walk_all(src, &wk);
		err = capture_end(saved, log);
		CHECK_INT(wk.format, FX_WALK_FORMAT_TAR);
		CHECK_INT(wk.errors, 1);
		CHECK_INT(wk.n, 3);
		if (wk.n == 3) {
			CHECK_STR(wk.r[0].sha, sha[0]);
			CHECK_STR(wk.r[1].sha, sha[1]);
			CHECK(!wk.r[0].read_err && !wk.r[1].read_err);
			CHECK_STR(wk.r[2].path, "f3");
			CHECK(wk.r[2].read_err);
			CHECK(wk.r[2].got < 300000);
		}
		/* The message names the archive, the member and an offset. */
		CHECK(strstr(err, names[i]) != NULL);
		CHECK(strstr(err, "member 'f3' at offset 601088") != NULL);
		CHECK(strstr(err, ": error: cannot read '") != NULL);
		walk_release(&wk);
		free(err);
		free(src);
	}
	free(log);
}

FX_TEST(test_walk_damaged_tar_header_skips_to_the_next)
{
	char sha[FX_SHA256_HEX];
	struct walk wk;
	char *src = tp("bad.tar"), *log = tp("stderr"), *err;
	int saved;

	CHECK(sh("cd '%s' && mkdir tr && for i in 1 2 3 4; do "
		 "head -c 300000 /dev/urandom >tr/f$i; done && "
		 "tar -cf bad.tar -C tr f1 f2 f3 f4 && "
		 "printf 'XXXXXXXX' | dd of=bad.tar bs=1 seek=601188 conv=notrunc "
		 "2>/dev/null", t_tmpdir()) == 0);
	sha_of_file("tr/f4", sha);
	saved = capture_start(log);
	walk_all(src, &wk);
	err = capture_end(saved, log);
	/* One report for the whole damaged stretch, then f4. */
	CHECK_INT(wk.errors, 1);
	CHECK_INT(wk.failed_next, 1);
	CHECK_INT(wk.n, 3);
	if (wk.n == 3) {
		CHECK_STR(wk.r[2].path, "f4");
		CHECK_STR(wk.r[2].sha, sha);
	}
	CHECK(strstr(err, "'") && strstr(err, "bad.tar") && strstr(err, "601088"));
	walk_release(&wk);
	free(err);
	free(log);
	free(src);
}

FX_TEST(test_walk_corrupt_zip_member_others_still_come_out)
{
	struct walk wk;
	const struct rec *r;
	char *src = tp("c.zip"), *log = tp("stderr"), *err;
	char sha_a[FX_SHA256_HEX], sha_c[FX_SHA256_HEX];
	int saved;

	put("mkzip.py",
	    "import os, zipfile\n"
	    "a, b, c = b'hello a' * 1000, os.urandom(100) * 500, b'hello c' * 1000\n"
	    "open('a.txt', 'wb').write(a)\n"
	    "open('c.txt', 'wb').write(c)\n"
	    "with zipfile.ZipFile('c.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n"
	    "    z.writestr('a.txt', a)\n"
	    "    z.writestr('b.txt', b)\n"
	    "    z.writestr('c.txt', c)\n"
	    "i = zipfile.ZipFile('c.zip').getinfo('b.txt')\n"
	    "d = bytearray(open('c.zip', 'rb').read())\n"
	    "at = i.header_offset + 30 + len('b.txt') + 10\n"
	    "for k in range(at, at + 40):\n"
	    "    d[k] ^= 0x55\n"
	    "open('c.zip', 'wb').write(d)\n");
	CHECK(sh("cd '%s' && python3 mkzip.py", t_tmpdir()) == 0);
	sha_of_file("a.txt", sha_a);
	sha_of_file("c.txt", sha_c);
	saved = capture_start(log);
	walk_all(src, &wk);
	err = capture_end(saved, log);
	CHECK_INT(wk.format, FX_WALK_FORMAT_ZIP);
	CHECK_INT(wk.errors, 1);
	CHECK_INT(wk.n, 3);
	if ((r = find(&wk, "a.txt")))
		CHECK_STR(r->sha, sha_a);
	if ((r = find(&wk, "b.txt")))
		CHECK(r->read_err);
	if ((r = find(&wk, "c.txt"))) {
		CHECK_STR(r->sha, sha_c);
		CHECK(!r->read_err);
	}
	CHECK(strstr(err, "c.zip") && strstr(err, "member 'b.txt'"));
	walk_release(&wk);
	free(err);
	free(log);
	free(src);
}

FX_TEST(test_walk_sparse_member_reads_back_holes_as_zeros)
{
	static const char *const names[] = { "sp.tar", "sppax.tar" };
	char sha[FX_SHA256_HEX];
	struct walk wk;
	char *src;
	size_t i;

	CHECK(sh("cd '%s' && mkdir sp && truncate -s 8M sp/s.bin && "
		 "printf hello | dd of=sp/s.bin bs=1 seek=3000000 conv=notrunc "
		 "2>/dev/null && printf tail | dd of=sp/s.bin bs=1 seek=7000000 "
		 "conv=notrunc 2>/dev/null && tar --sparse -cf sp.tar -C sp s.bin && "
		 "tar --sparse --format=posix -cf sppax.tar -C sp s.bin",
		 t_tmpdir()) == 0);
	sha_of_file("sp/s.bin", sha);
	for (i = 0; i < 2; i++) {
		src = tp(names[i]);
		walk_all(src, &wk);
		CHECK_INT(wk.errors, 0);
		CHECK_INT(wk.n, 1);
		if (wk.n == 1) {
			CHECK_STR(wk.r[0].path, "s.bin");
			CHECK(wk.r[0].sparse);
			CHECK_INT(wk.r[0].size, 8 << 20);
			CHECK_INT(wk.r[0].got, 8 << 20);
			CHECK(wk.r[0].max_block <= 1 << 20);
			CHECK_STR(wk.r[0].sha, sha);
		}
		walk_release(&wk);
		free(src);
	}
}

FX_TEST(test_walk_plain_file_is_one_member)
{
	struct fx_walk_entry *e;
	struct fx_walk *w;
	struct stat st;
	char sha[FX_SHA256_HEX];
	struct walk wk;
	char *src = tp("data.bin"), *gz = tp("data.bin.gz");

	CHECK(sh("cd '%s' && head -c 70000 /dev/urandom >data.bin && "
		 "gzip -k data.bin", t_tmpdir()) == 0);
	sha_of_file("data.bin", sha);
	walk_all(src, &wk);
	CHECK_INT(wk.format, FX_WALK_FORMAT_FILE);
	CHECK_INT(wk.n, 1);
	if (wk.n == 1) {
		CHECK_STR(wk.r[0].path, "data.bin");
		CHECK_INT(wk.r[0].kind, FX_WALK_FILE);
		CHECK_INT(wk.r[0].size, 70000);
		CHECK_STR(wk.r[0].sha, sha);
	}
	walk_release(&wk);

	/* A compressed file that holds no archive is a plain file too. */
	walk_all(gz, &wk);
	CHECK_INT(wk.format, FX_WALK_FORMAT_FILE);
	CHECK_INT(wk.n, 1);
	if (wk.n == 1)
		CHECK_STR(wk.r[0].path, "data.bin.gz");
	walk_release(&wk);

	/* Metadata, and the source is left as it was. */
	CHECK(stat(src, &st) == 0);
	w = fx_walk_open(src);
	CHECK(w != NULL);
	if (w) {
		CHECK(fx_walk_next(w, &e) == 1);
		CHECK_INT(e->mtime_ms, (int64_t)st.st_mtim.tv_sec * 1000 +
				       st.st_mtim.tv_nsec / 1000000);
		CHECK_INT(e->mode, st.st_mode);
		CHECK(e->raw_hex == NULL && e->link == NULL && !e->sparse);
		CHECK(fx_walk_next(w, &e) == 0);
		fx_walk_free(w);
	}
	free(gz);
	free(src);
}

FX_TEST(test_walk_lookalikes_are_plain_files)
{
	static const struct {
		const char *name;
		int format;
		unsigned long long size;
	} srcs[] = {
		/* libarchive alone would call these an empty tar. */
		{ "zero.img", FX_WALK_FORMAT_FILE, 104096 },
		{ "empty.tar", FX_WALK_FORMAT_FILE, 10240 },
		/* ... a tar, losing the text around it. */
		{ "mail.txt", FX_WALK_FORMAT_FILE, 0 },
		/* ... a zip, losing the bytes before it. */
		{ "prefix.zip", FX_WALK_FORMAT_FILE, 0 },
		/* A tar whose last member is a zip is a tar. */
		{ "tz.tar", FX_WALK_FORMAT_TAR, 0 },
	};
	struct walk wk;
	char *src;
	size_t i;

	put("mkmail.py",
	    "import binascii\n"
	    "d = open('t.tar', 'rb').read()\n"
	    "out = ['From: a@example.org', 'Subject: files', '', 'see:',\n"
	    "       'begin 644 t.tar']\n"
	    "for i in range(0, len(d), 45):\n"
	    "    out.append(binascii.b2a_uu(d[i:i + 45]).decode().rstrip('\\n'))\n"
	    "out += ['`', 'end', '']\n"
	    "open('mail.txt', 'w').write('\\n'.join(out))\n");
	CHECK(sh("cd '%s' && mkdir d && head -c 30000 /dev/urandom >d/r.bin && "
		 "tar -cf t.tar -C d r.bin && (cd d && zip -q ../inner.zip r.bin) && "
		 "(head -c 4096 /dev/zero; head -c 100000 /dev/urandom) >zero.img && "
		 "tar -cf empty.tar -T /dev/null && python3 mkmail.py && "
		 "(head -c 5000 /dev/urandom; cat inner.zip) >prefix.zip && "
		 "tar -cf tz.tar t.tar inner.zip", t_tmpdir()) == 0);
	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		src = tp(srcs[i].name);
		walk_all(src, &wk);
		CHECK_INT(wk.format, srcs[i].format);
		CHECK_INT(wk.errors, 0);
		if (srcs[i].format == FX_WALK_FORMAT_FILE) {
			CHECK_INT(wk.n, 1);
			if (wk.n == 1)
				CHECK_STR(wk.r[0].path, srcs[i].name);
			if (wk.n == 1 && srcs[i].size)
				CHECK_INT(wk.r[0].size, srcs[i].size);
		} else {
			CHECK(find(&wk, "inner.zip") != NULL);
		}
		walk_release(&wk);
		free(src);
	}
}

FX_TEST(test_walk_empty_directory_and_missing_source)
{
	struct fx_walk_entry *e;
	struct fx_walk *w;
	char *dir = tp("empty"), *missing = tp("nothing-here"), *log = tp("stderr");
	char *err;
	int saved;

	CHECK(mkdir(dir, 0755) == 0);
	w = fx_walk_open(dir);
	CHECK(w != NULL);
	if (w) {
		CHECK_INT(fx_walk_format(w), FX_WALK_FORMAT_DIR);
		CHECK(fx_walk_next(w, &e) == 0);
		CHECK(fx_walk_next(w, &e) == 0);
		CHECK_INT(fx_walk_errors(w), 0);
		fx_walk_free(w);
	}
	saved = capture_start(log);
	w = fx_walk_open(missing);
	err = capture_end(saved, log);
	CHECK(w == NULL);
	CHECK(strstr(err, "cannot open '") && strstr(err, "nothing-here': No such file"));
	free(err);
	free(log);
	free(missing);
	free(dir);
}

FX_TEST(test_walk_large_member_streams_in_blocks)
{
	static const char *const srcs[] = { "big", "big.tar" };
	char sha[FX_SHA256_HEX];
	struct walk wk;
	const struct rec *r;
	char *src;
	size_t i;

	CHECK(sh("cd '%s' && mkdir big && head -c 52428800 /dev/urandom "
		 ">big/large.bin && tar -cf big.tar -C big large.bin",
		 t_tmpdir()) == 0);
	sha_of_file("big/large.bin", sha);
	for (i = 0; i < 2; i++) {
		src = tp(srcs[i]);
		walk_all(src, &wk);
		CHECK_INT(wk.errors, 0);
		if ((r = find(&wk, "large.bin"))) {
			CHECK_INT(r->size, 52428800);
			CHECK_INT(r->got, 52428800);
			CHECK(r->blocks >= 50);
			CHECK(r->max_block <= 1 << 20);
			CHECK_STR(r->sha, sha);
		}
		walk_release(&wk);
		free(src);
	}
}

/* Reads n bytes of the current member (all when n < 0); hashes them. */
static void read_some(struct fx_walk *w, long n, char out[FX_SHA256_HEX])
{
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint8_t md[FX_SHA256_LEN];
	const void *buf;
	ssize_t got;

	while ((n < 0 || n > 0) && (got = fx_walk_read(w, &buf)) > 0) {
		fx_hash_update(h, buf, (size_t)got);
		if (n > 0)
			n = got >= n ? 0 : n - got;
	}
	fx_hash_final(h, md);
	fx_hex(md, sizeof(md), out);
	fx_hash_free(h);
}

FX_TEST(test_walk_unread_members_are_skipped_cleanly)
{
	static const char *const srcs[] = { "m", "m.tar", "m.tgz", "m.zip" };
	char want[FX_SHA256_HEX], got[FX_SHA256_HEX];
	struct fx_walk_entry *e;
	struct fx_walk *w;
	const void *buf;
	char *src;
	size_t i;

	CHECK(sh("cd '%s' && mkdir m && for i in 1 2 3; do "
		 "head -c 3000000 /dev/urandom >m/f$i; done && "
		 "tar -cf m.tar -C m f1 f2 f3 && gzip -c m.tar >m.tgz && "
		 "cd m && zip -q ../m.zip f1 f2 f3", t_tmpdir()) == 0);
	sha_of_file("m/f3", want);
	for (i = 0; i < 4; i++) {
		src = tp(srcs[i]);
		w = fx_walk_open(src);
		CHECK(w != NULL);
		if (!w) {
			free(src);
			continue;
		}
		CHECK(fx_walk_next(w, &e) == 1);
		read_some(w, 1500000, got); /* part of f1 */
		CHECK(fx_walk_next(w, &e) == 1); /* f2 not read at all */
		CHECK(fx_walk_next(w, &e) == 1);
		CHECK_STR(e->path, "f3");
		read_some(w, -1, got);
		CHECK_STR(got, want);
		CHECK(fx_walk_read(w, &buf) == 0);
		CHECK(fx_walk_next(w, &e) == 0);
		CHECK_INT(fx_walk_errors(w), 0);
		fx_walk_free(w);
		free(src);
	}
}

FX_TEST(test_walk_unreadable_entries_are_reported_and_skipped)
{
	struct walk wk;
	char *root, *log, *err;
	int saved;

	if (geteuid() == 0)
		return; /* root reads everything: nothing to test */
	root = tp("u");
	log = tp("stderr");
	CHECK(sh("cd '%s' && mkdir -p u/closed u/open && echo a >u/a && "
		 "echo s >u/secret && echo z >u/z && echo x >u/closed/x && "
		 "chmod 000 u/secret u/closed", t_tmpdir()) == 0);
	saved = capture_start(log);
	walk_all(root, &wk);
	err = capture_end(saved, log);
	CHECK_INT(wk.errors, 2);
	CHECK(find(&wk, "a") && find(&wk, "z") && find(&wk, "open"));
	CHECK(find(&wk, "secret") && find(&wk, "secret")->read_err);
	CHECK(strstr(err, "u/secret") && strstr(err, "u/closed"));
	CHECK(sh("chmod 755 '%s/closed' && chmod 644 '%s/secret'", root, root) == 0);
	walk_release(&wk);
	free(err);
	free(log);
	free(root);
}
