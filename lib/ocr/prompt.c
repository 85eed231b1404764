/*
 * prompt-check: a screen recording made while the reporter follows text
 * prompts is shown to contain the expected on-screen strings, in order,
 * before the frames that follow are fixed as evidence.
 *
 * Frames come as images (their times from --fps, or from the number in
 * their names, in ms) or from a video that ffmpeg decodes at --fps frames
 * a second. Frames nearly the same as the last one kept are merged: a
 * recording repeats the same screen many times, and each OCR read costs a
 * good part of a second. The first kept frame must show step 1's string;
 * each later kept frame shows the current step's string still, or the
 * next step's, which must come within the current prompt's display time
 * (and a tolerance). Anything else is a no-match naming the step and the
 * frame. After the last step's prompt has been shown for its display
 * time, the frames of the capture window are stored as evidence.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ocr_int.h"
#include "fx_buf.h"
#include "fx_err.h"
#include "fx_media.h"
#include "fx_banned.h"

extern char **environ;

/*
 * Frames are compared by thumbnails THUMB_W pixels wide (and as high as
 * the frame's shape makes them, up to THUMB_MAX): fine enough that a new
 * line of prompt text changes a percent of them, coarse enough that
 * encoder noise changes none.
 */
#define THUMB_W 160
#define THUMB_MAX 400
#define DEFAULT_SIMILARITY 0.995
#define DEFAULT_TOLERANCE 1.0
#define DEFAULT_FPS 4.0
/* A frame of a video, decoded, at most (8K). */
#define MAX_FRAME_SIDE 8192

/* ---- the steps file ---- */

void fx_ocr_steps_release(struct fx_ocr_steps *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->steps[i].text);
	free(s->steps);
	memset(s, 0, sizeof(*s));
}

/* A number of seconds, from 0 up; -1 when v is not one. */
static double seconds(const json_t *v)
{
	double d;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	return isfinite(d) && d >= 0 && d < 86400 ? d : -1;
}

int fx_ocr_steps_load(const char *path, struct fx_ocr_steps *s)
{
	json_error_t err;
	json_t *root, *steps, *st, *v;
	size_t i;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		if (err.line > 0)
			return fx_error("'%s': line %d: invalid JSON: %s", path, err.line,
					err.text);
		return fx_error("'%s': %s", path, err.text);
	}
	steps = json_object_get(root, "steps");
	if (!json_is_object(root) || !json_is_array(steps) || !json_array_size(steps)) {
		fx_error("'%s': no \"steps\": a list of {\"text\": …, \"display\": seconds}", path);
		goto out;
	}
	s->n = json_array_size(steps);
	s->steps = fx_xcalloc(s->n, sizeof(*s->steps));
	json_array_foreach(steps, i, st)
	{
		v = json_object_get(st, "text");
		if (!json_is_string(v) || !*json_string_value(v)) {
			fx_error("'%s': step %zu has no \"text\": the string it must show", path,
				 i + 1);
			goto out;
		}
		s->steps[i].text = fx_xstrdup(json_string_value(v));
		v = json_object_get(st, "display");
		s->steps[i].display = seconds(v);
		if (s->steps[i].display <= 0) {
			fx_error("'%s': step %zu: \"display\" must be the seconds its prompt is "
				 "shown, a number above 0",
				 path, i + 1);
			goto out;
		}
	}
	s->window = seconds(json_object_get(root, "window"));
	if (s->window <= 0) {
		fx_error("'%s': \"window\" must be the seconds of frames to keep after the "
			 "prompts, a number above 0",
			 path);
		goto out;
	}
	v = json_object_get(root, "similarity");
	s->similarity = v ? json_number_value(v) : DEFAULT_SIMILARITY;
	if (v && (!json_is_number(v) || s->similarity <= 0 || s->similarity > 1)) {
		fx_error("'%s': \"similarity\" must be a number above 0, up to 1", path);
		goto out;
	}
	v = json_object_get(root, "tolerance");
	s->tolerance = v ? seconds(v) : DEFAULT_TOLERANCE;
	if (s->tolerance < 0) {
		fx_error("'%s': \"tolerance\" must be a number of seconds", path);
		goto out;
	}
	ret = 0;
out:
	json_decref(root);
	if (ret < 0)
		fx_ocr_steps_release(s);
	return ret;
}

/* ---- matching text ---- */

/* UTF-8 to code points, folded: no white space, full width to ASCII, ASCII lowercase. */
static size_t fold(const char *s, unsigned *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, k, i;
	unsigned cp;

	while (*p && n < max) {
		k = *p < 0xc0 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		cp = k == 1 ? *p : (unsigned)(*p & (0xff >> (k + 1)));
		for (i = 1; i < k && p[i]; i++)
			cp = cp << 6 | (p[i] & 0x3f);
		p += i;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp = cp - 0xff01 + 0x21;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000)
			continue;
		if (cp < 0x80)
			cp = (unsigned)tolower((int)cp);
		out[n++] = cp;
	}
	return n;
}

/* Changing or dropping c of want costs 1, or more than all allowed for a digit: ids are exact. */
static int cost(unsigned c, int k)
{
	return c >= '0' && c <= '9' ? k + 1 : 1;
}

int fx_ocr_contains(const char *text, const char *want)
{
	size_t nt = strlen(text) + 1, nw = strlen(want) + 1, i, j;
	unsigned *t = fx_xmalloc(nt * sizeof(*t)), *w = fx_xmalloc(nw * sizeof(*w));
	int *prev, *cur, *tmp, k, found = 0;

	nt = fold(text, t, nt);
	nw = fold(want, w, nw);
	if (!nw) {
		free(t);
		free(w);
		return 1;
	}
	/* One edit in ten characters: OCR misreads a letter now and then. */
	k = (int)(nw / 10);
	/* Sellers: the least edits from want to any substring of text, column by column. */
	prev = fx_xmalloc((nw + 1) * sizeof(*prev));
	cur = fx_xmalloc((nw + 1) * sizeof(*cur));
	prev[0] = 0;
	for (i = 1; i <= nw; i++)
		prev[i] = prev[i - 1] + cost(w[i - 1], k);
	if (prev[nw] <= k)
		found = 1;
	for (j = 0; j < nt && !found; j++) {
		cur[0] = 0;
		for (i = 1; i <= nw; i++) {
			int d = prev[i - 1] + (w[i - 1] == t[j] ? 0 : cost(w[i - 1], k));

			if (prev[i] + 1 < d)
				d = prev[i] + 1;
			if (cur[i - 1] + cost(w[i - 1], k) < d)
				d = cur[i - 1] + cost(w[i - 1], k);
			cur[i] = d;
		}
		if (cur[nw] <= k)
			found = 1;
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	free(prev);
	free(cur);
	free(t);
	free(w);
	return found;
}

double fx_ocr_similarity(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i, same = 0;

	if (!n)
		return 1.0;
	for (i = 0; i < n; i++)
		same += abs((int)a[i] - (int)b[i]) < 24;
	return (double)same / (double)n;
}

/* ---- frames ---- */

struct frame {
	PIX *grey;
	double t;
	char *name;                 /* the file, or VIDEO@3.250s */
	char sha256[FX_SHA256_HEX]; /* of the file, or of a video frame's stored PNG */
	unsigned char thumb[THUMB_W * THUMB_MAX];
	int th; /* the thumbnail's height */
};

struct frames {
	/* files */
	char **paths;
	double *times;
	size_t n, next;
	/* video */
	const char *video;
	char *video_sha;
	double fps;
	FILE *pipe;
	FILE *err; /* ffmpeg's messages, shown only when it fails */
	pid_t pid;
	size_t index;
	struct fx_ocr_run *r;
	uint64_t read;
};

static void thumb_of(struct frame *f)
{
	int w = pixGetWidth(f->grey), h = pixGetHeight(f->grey), x, y, th;
	l_uint32 *line;
	PIX *t;

	th = (int)lround((double)THUMB_W * h / w);
	th = th < 1 ? 1 : th > THUMB_MAX ? THUMB_MAX : th;
	f->th = th;
	memset(f->thumb, 0, sizeof(f->thumb));
	t = pixScaleAreaMapToSize(f->grey, THUMB_W, th);
	if (!t)
		return;
	for (y = 0; y < th && y < pixGetHeight(t); y++) {
		line = pixGetData(t) + (size_t)y * (size_t)pixGetWpl(t);
		for (x = 0; x < THUMB_W && x < pixGetWidth(t); x++)
			f->thumb[y * THUMB_W + x] = (unsigned char)GET_DATA_BYTE(line, x);
	}
	pixDestroy(&t);
}

static void frame_release(struct frame *f)
{
	pixDestroy(&f->grey);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

/* The time in a frame's name: its last run of digits, in ms. -1 when it has none. */
static double time_of_name(const char *path)
{
	const char *base = strrchr(path, '/'), *p, *end = NULL;
	double ms = 0;

	base = base ? base + 1 : path;
	for (p = base; *p; p++)
		if (isdigit((unsigned char)*p) && !isdigit((unsigned char)p[1]))
			end = p;
	if (!end)
		return -1;
	for (p = end; p > base && isdigit((unsigned char)p[-1]); p--)
		;
	for (; p <= end; p++)
		ms = ms * 10 + (*p - '0');
	return ms / 1000.0;
}

struct timed {
	char *path;
	double t;
	size_t order;
};

static int cmp_timed(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int frames_open_files(struct frames *fs, char **paths, size_t n, double fps)
{
	struct timed *tt = fx_xcalloc(n, sizeof(*tt));
	size_t i;

	for (i = 0; i < n; i++) {
		tt[i].path = paths[i];
		tt[i].order = i;
		tt[i].t = fps > 0 ? (double)i / fps : time_of_name(paths[i]);
		if (tt[i].t < 0) {
			free(tt);
			return fx_error("'%s': no time in its name: name frames with their time in "
					"ms (frame-001250.png), or give --fps",
					paths[i]);
		}
	}
	qsort(tt, n, sizeof(*tt), cmp_timed);
	fs->paths = fx_xcalloc(n, sizeof(*fs->paths));
	fs->times = fx_xcalloc(n, sizeof(*fs->times));
	for (i = 0; i < n; i++) {
		fs->paths[i] = tt[i].path;
		fs->times[i] = tt[i].t;
	}
	fs->n = n;
	free(tt);
	return 0;
}

/* Starts ffmpeg writing the video's frames, grey, at fps, as PGM images on a pipe. */
static int frames_open_video(struct frames *fs, const char *decode_path, const char *video,
			     double fps)
{
	posix_spawn_file_actions_t fa;
	char rate[32], *argv[20];
	int pfd[2], rc, k = 0;

	snprintf(rate, sizeof(rate), "fps=%g", fps);
	argv[k++] = "ffmpeg";
	argv[k++] = "-nostdin";
	argv[k++] = "-v";
	argv[k++] = "error";
	argv[k++] = "-i";
	argv[k++] = (char *)decode_path;
	argv[k++] = "-vf";
	argv[k++] = rate;
	argv[k++] = "-pix_fmt";
	argv[k++] = "gray";
	argv[k++] = "-f";
	argv[k++] = "image2pipe";
	argv[k++] = "-vcodec";
	argv[k++] = "pgm";
	argv[k++] = "-";
	argv[k] = NULL;
	if (pipe(pfd) < 0)
		return fx_error_errno("'%s': cannot make a pipe for ffmpeg", video);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	fs->err = tmpfile();
	if (fs->err)
		posix_spawn_file_actions_adddup2(&fa, fileno(fs->err), 2);
	rc = posix_spawnp(&fs->pid, "ffmpeg", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		if (rc == ENOENT)
			return fx_error("'%s': a video: decoding it needs ffmpeg, which is not "
					"installed (give its frames as images instead)",
					video);
		errno = rc;
		return fx_error_errno("'%s': cannot run ffmpeg", video);
	}
	fs->pipe = fdopen(pfd[0], "rb");
	fs->video = video;
	fs->fps = fps;
	return 0;
}

/* Reads one PGM header number, skipping white space and comments. -1 at the end. */
static long pgm_number(FILE *f)
{
	long v = 0;
	int c, digits = 0;

	while ((c = getc(f)) != EOF) {
		if (c == '#') {
			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (isdigit(c)) {
			v = v * 10 + (c - '0');
			if (++digits > 9)
				return -1;
		} else if (digits) {
			return v;
		}
	}
	return digits ? v : -1;
}

/* The next video frame: 1, 0 at the end, -1 after reporting. */
static int next_video_frame(struct frames *fs, struct frame *f)
{
	long w, h, maxv, x, y;
	int c1, c2;
	unsigned char *row;
	l_uint32 *line;

	c1 = getc(fs->pipe);
	if (c1 == EOF)
		return 0;
	c2 = getc(fs->pipe);
	if (c1 != 'P' || c2 != '5')
		return fx_error("'%s': ffmpeg wrote something that is not a frame", fs->video);
	w = pgm_number(fs->pipe);
	h = pgm_number(fs->pipe);
	maxv = pgm_number(fs->pipe);
	if (w <= 0 || h <= 0 || w > MAX_FRAME_SIDE || h > MAX_FRAME_SIDE || maxv != 255)
		return fx_error("'%s': frame %zu: %ld x %ld pixels is no frame this reads",
				fs->video, fs->index + 1, w, h);
	f->grey = pixCreate((l_int32)w, (l_int32)h, 8);
	row = fx_xmalloc((size_t)w);
	for (y = 0; y < h; y++) {
		if (fread(row, 1, (size_t)w, fs->pipe) != (size_t)w) {
			free(row);
			return fx_error("'%s': frame %zu is cut short", fs->video, fs->index + 1);
		}
		line = pixGetData(f->grey) + (size_t)y * (size_t)pixGetWpl(f->grey);
		for (x = 0; x < w; x++)
			SET_DATA_BYTE(line, x, row[x]);
	}
	free(row);
	f->t = (double)fs->index / fs->fps;
	f->name = fx_xasprintf("%s@%.3fs", fs->video, f->t);
	fs->index++;
	return 1;
}

static int next_file_frame(struct frames *fs, struct frame *f)
{
	struct fx_ocr_run nocase = *fs->r;
	struct fx_image_info info;
	struct ocr_input in;
	const char *why = NULL, *path;
	int r;

	if (fs->next >= fs->n)
		return 0;
	path = fs->paths[fs->next];
	f->t = fs->times[fs->next++];
	/* Hashed as read; stored later, and only if it becomes evidence. */
	nocase.c = NULL;
	r = ocr_input_read(&nocase, path, FX_OCR_MAX_BYTES, &in);
	if (r != 0)
		return -1;
	f->grey =
		fx_image_grey(in.data, in.len, FX_OCR_MAX_PIXELS, FX_OCR_JPEG_PIXELS, &info, &why);
	memcpy(f->sha256, in.sha256, sizeof(f->sha256));
	ocr_input_release(&in);
	if (!f->grey) {
		fx_error("'%s': %s", path, why ? why : "cannot be decoded");
		return -1;
	}
	f->name = fx_xstrdup(path);
	return 1;
}

/* The next frame in time: 1, 0 at the end, -1 after reporting (the check cannot go on). */
static int next_frame(struct frames *fs, struct frame *f)
{
	int r;

	memset(f, 0, sizeof(*f));
	r = fs->pipe ? next_video_frame(fs, f) : next_file_frame(fs, f);
	if (r == 1) {
		thumb_of(f);
		fs->read++;
	} else {
		frame_release(f);
	}
	return r;
}

/* Stops ffmpeg (when the frames wanted are read) and reaps it. Returns 0, or -1 when it failed. */
static int frames_close(struct frames *fs, int stop)
{
	int status = 0, ret = 0;

	if (fs->pipe) {
		if (stop)
			kill(fs->pid, SIGTERM);
		fclose(fs->pipe);
		while (waitpid(fs->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!stop && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			char msg[256] = "";

			/* ffmpeg's first complaint says why. */
			if (fs->err) {
				rewind(fs->err);
				if (!fgets(msg, sizeof(msg), fs->err))
					msg[0] = '\0';
				msg[strcspn(msg, "\n")] = '\0';
			}
			ret = fx_error("'%s': ffmpeg could not decode it (exit %d)%s%s", fs->video,
				       WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status),
				       *msg ? ": " : "", msg);
		}
		fs->pipe = NULL;
	}
	if (fs->err) {
		fclose(fs->err);
		fs->err = NULL;
	}
	free(fs->paths);
	free(fs->times);
	fs->paths = NULL;
	fs->times = NULL;
	return ret;
}

/* ---- the check ---- */

struct check {
	struct fx_ocr_run *r;
	const struct fx_ocr_steps *s;
	json_t *steps;    /* the verdict's steps: what each matched */
	json_t *evidence; /* frames stored */
	size_t k;         /* the step to find next */
	double t_prev;    /* when step k - 1 was found */
	int failed;
	size_t failed_step;
	char *failed_frame;
	double failed_time;
	char *reason;
	uint64_t kept, ocr_reads;
};

static void no_match(struct check *ck, size_t step, const struct frame *f, char *reason)
{
	ck->failed = 1;
	ck->failed_step = step;
	ck->failed_frame = f ? fx_xstrdup(f->name) : NULL;
	ck->failed_time = f ? f->t : -1;
	ck->reason = reason;
}

/* Stores a file as evidence (with a case), checking it is still what was read. Returns 0 or -1. */
static int store_file(struct fx_ocr_run *r, const char *path, const char *sha256)
{
	char hex[FX_SHA256_HEX];
	uint64_t size;
	int existed;

	if (!r->c)
		return 0;
	if (fx_store_put_file(fx_case_store(r->c), path, hex, &size, &existed) < 0)
		return -1;
	if (strcmp(hex, sha256) != 0)
		return fx_error("'%s': changed since it was read (now %s, read as %s)", path, hex,
				sha256);
	fx_case_note_object(r->c, hex);
	return 0;
}

/* A video frame as a PNG object: its hash into f->sha256. Returns 0 or -1. */
static int store_png(struct fx_ocr_run *r, struct frame *f)
{
	l_uint8 *png = NULL;
	size_t len = 0;
	uint8_t md[FX_SHA256_LEN];
	int existed, ret = 0;

	if (pixWriteMemPng(&png, &len, f->grey, 0.0f) != 0)
		return fx_error("'%s': the frame cannot be encoded as PNG", f->name);
	if (r->c) {
		ret = fx_store_put_buf(fx_case_store(r->c), png, len, f->sha256, &existed);
		if (ret == 0)
			fx_case_note_object(r->c, f->sha256);
	} else {
		fx_sha256(png, len, md);
		fx_hex(md, sizeof(md), f->sha256);
	}
	lept_free(png);
	return ret;
}

/* Does the frame show text? Reads it. 1 yes, 0 no, -1 on trouble. */
static int shows(struct check *ck, struct frame *f, const char *text, char **seen)
{
	struct fx_ocr_page page;
	struct ocr_image im;
	const char *why = NULL;
	struct fx_buf b = FX_BUF_INIT;
	size_t i;
	int ret;

	if (!*seen) {
		if (!ck->r->o && !(ck->r->o = fx_ocr_new()))
			return -1;
		memset(&page, 0, sizeof(page));
		if (ocr_image_from_grey(&im, f->grey, &why) < 0)
			return fx_error("'%s': %s", f->name, why ? why : "cannot be read");
		ocr_page_geometry(&page, &im);
		{
			l_int32 old = setMsgSeverity(L_SEVERITY_NONE);

			ret = ocr_read(ck->r->o, &im, FX_OCR_CHINESE, &page, &why);
			setMsgSeverity(old);
		}
		ocr_image_release(&im);
		if (ret < 0) {
			fx_ocr_page_release(&page);
			return fx_error("'%s': %s", f->name, why ? why : "cannot be read");
		}
		fx_buf_add(&b, "", 0);
		for (i = 0; i < page.nlines; i++) {
			fx_buf_add(&b, page.lines[i].text, strlen(page.lines[i].text));
			fx_buf_add(&b, "\n", 1);
		}
		fx_ocr_page_release(&page);
		*seen = b.data;
		ck->ocr_reads++;
	}
	return fx_ocr_contains(*seen, text);
}

static int step_matched(struct check *ck, struct frame *f)
{
	json_t *st = json_pack("{s:I,s:s,s:s,s:f}", "step", (json_int_t)ck->k + 1, "text",
			       ck->s->steps[ck->k].text, "frame", f->name, "time",
			       round(f->t * 1000) / 1000);

	if (*f->sha256)
		json_object_set_new(st, "sha256", json_string(f->sha256));
	json_array_append_new(ck->steps, st);
	ck->t_prev = f->t;
	ck->k++;
	return 0;
}

/*
 * One kept frame while steps remain: 0 to go on (the frame matched a step
 * or still shows the current one), 1 on a no-match, -1 on trouble.
 */
static int check_frame(struct check *ck, struct frame *f)
{
	const struct fx_ocr_step *cur = ck->k ? &ck->s->steps[ck->k - 1] : NULL;
	const struct fx_ocr_step *next = &ck->s->steps[ck->k];
	double late = cur ? ck->t_prev + cur->display + ck->s->tolerance : 0;
	char *seen = NULL;
	int r;

	r = shows(ck, f, next->text, &seen);
	if (r < 0)
		goto out;
	if (r == 1) {
		if (cur && f->t > late + 1e-9) {
			no_match(
				ck, ck->k + 1, f,
				fx_xasprintf("step %zu's text is first shown at %.3f s, later than "
					     "step %zu's prompt allows (shown %.3f s from %.3f s, "
					     "%.3f s tolerance)",
					     ck->k + 1, f->t, ck->k, cur->display, ck->t_prev,
					     ck->s->tolerance));
			r = 1;
			goto out;
		}
		r = step_matched(ck, f);
		goto out;
	}
	if (!cur) {
		no_match(ck, 1, f, fx_xasprintf("the first frame does not show step 1's text"));
		r = 1;
		goto out;
	}
	r = shows(ck, f, cur->text, &seen);
	if (r < 0)
		goto out;
	if (r == 0) {
		no_match(ck, ck->k + 1, f,
			 fx_xasprintf("the frame shows neither step %zu's text nor step %zu's",
				      ck->k, ck->k + 1));
		r = 1;
	} else if (f->t > late + 1e-9) {
		no_match(ck, ck->k + 1, f,
			 fx_xasprintf("step %zu's text is not shown by %.3f s: step %zu's prompt "
				      "is still on screen",
				      ck->k + 1, late, ck->k));
		r = 1;
	} else {
		r = 0;
	}
out:
	free(seen);
	return r;
}

static json_t *verdict(struct check *ck, struct frames *fs, const char *steps_path,
		       const char *steps_sha, double wstart)
{
	struct fx_ocr_run *r = ck->r;
	json_t *rec = ocr_record(r, "verdict", NULL), *data = json_object_get(rec, FX_KEY_DATA);

	json_object_set_new(
		rec, FX_KEY_SRC,
		json_pack("{s:s,s:s}", FX_SRC_SHA256, steps_sha, FX_SRC_PATH, steps_path));
	json_object_set_new(data, "result", json_string(ck->failed ? "no-match" : "match"));
	json_object_set(data, "steps", ck->steps);
	if (ck->failed) {
		json_object_set_new(data, "failed_step", json_integer((json_int_t)ck->failed_step));
		if (ck->failed_frame) {
			json_object_set_new(data, "failed_frame", json_string(ck->failed_frame));
			json_object_set_new(data, "failed_time",
					    json_real(round(ck->failed_time * 1000) / 1000));
		}
		json_object_set_new(data, "reason", json_string(ck->reason));
	} else {
		json_object_set_new(data, "window",
				    json_pack("{s:f,s:f}", "start", round(wstart * 1000) / 1000,
					      "end",
					      round((wstart + ck->s->window) * 1000) / 1000));
		json_object_set(data, "evidence", ck->evidence);
	}
	json_object_set_new(data, "frames", json_integer((json_int_t)fs->read));
	json_object_set_new(data, "kept", json_integer((json_int_t)ck->kept));
	json_object_set_new(data, "similarity", json_real(ck->s->similarity));
	if (fs->video)
		json_object_set_new(data, "video",
				    json_pack("{s:s,s:s,s:f}", "path", fs->video, "sha256",
					      fs->video_sha, "fps", fs->fps));
	return rec;
}

/* Is the one input a video? By its first bytes. */
static int is_video(const char *path)
{
	unsigned char head[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), video = 0;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return 0;
	if (fx_media_sniff(head, (size_t)n, &video) && video)
		return 1;
	/* Matroska and WebM (EBML), which screen recorders write too. */
	return n >= 4 && memcmp(head, "\x1a\x45\xdf\xa3", 4) == 0;
}

/* Hashes (and with a case stores) a whole file. Returns 0, 1 (reported) or -1. */
static int take_file(struct fx_ocr_run *r, const char *path, char sha[FX_SHA256_HEX])
{
	uint64_t size;
	int existed;

	if (r->c) {
		if (fx_store_put_file(fx_case_store(r->c), path, sha, &size, &existed) < 0)
			return 1;
		fx_case_note_object(r->c, sha);
		return 0;
	}
	return fx_sha256_file(path, sha, &size) < 0 ? 1 : 0;
}

int fx_ocr_prompt_check(struct fx_ocr_run *r, const char *steps_path, char **inputs, size_t n)
{
	struct fx_ocr_steps s;
	struct frames fs;
	struct check ck;
	struct frame f;
	unsigned char last[THUMB_W * THUMB_MAX];
	int last_h = 0;
	char steps_sha[FX_SHA256_HEX], video_sha[FX_SHA256_HEX], *decode = NULL;
	double wstart = 0, wend = 0;
	int have_last = 0, ret = 0, rc, stop = 0;
	json_t *in;

	memset(&fs, 0, sizeof(fs));
	memset(&ck, 0, sizeof(ck));
	if (fx_ocr_steps_load(steps_path, &s) < 0)
		return 1;
	if (r->c && fx_case_begin(r->c, "ocr") < 0) {
		fx_ocr_steps_release(&s);
		return -1;
	}
	fs.r = r;
	rc = take_file(r, steps_path, steps_sha);
	if (rc != 0) {
		ret = rc;
		goto out;
	}
	if (r->c) {
		in = json_pack("{s:s,s:s,s:s}", "kind", "steps", "path", steps_path, "sha256",
			       steps_sha);
		fx_case_note_input(r->c, in);
		json_decref(in);
	}
	if (n == 1 && is_video(inputs[0])) {
		/* The recording itself is evidence; ffmpeg reads the stored copy when there is one.
		 */
		rc = take_file(r, inputs[0], video_sha);
		if (rc != 0) {
			ret = rc;
			goto out;
		}
		fs.video_sha = video_sha;
		decode = r->c ? fx_store_path(fx_case_store(r->c), video_sha) : NULL;
		if (frames_open_video(&fs, decode ? decode : inputs[0], inputs[0],
				      r->fps > 0 ? r->fps : DEFAULT_FPS) < 0) {
			ret = 1;
			goto out;
		}
		if (r->c) {
			in = json_pack("{s:s,s:s,s:s}", "kind", "video", "path", inputs[0],
				       "sha256", video_sha);
			fx_case_note_input(r->c, in);
			json_decref(in);
		}
	} else if (frames_open_files(&fs, inputs, n, r->fps) < 0) {
		ret = 1;
		goto out;
	}
	ck.r = r;
	ck.s = &s;
	ck.steps = json_array();
	ck.evidence = json_array();
	while (!ck.failed && !stop && (rc = next_frame(&fs, &f)) != 0) {
		if (rc < 0) {
			ret = 1;
			break;
		}
		if (ck.k < s.n) {
			/* Near-identical to the last kept frame: the same screen again. */
			if (have_last && last_h == f.th &&
			    fx_ocr_similarity(last, f.thumb, (size_t)f.th * THUMB_W) >=
				    s.similarity) {
				frame_release(&f);
				continue;
			}
			memcpy(last, f.thumb, (size_t)f.th * THUMB_W);
			last_h = f.th;
			have_last = 1;
			ck.kept++;
			rc = check_frame(&ck, &f);
			if (rc < 0)
				ret = -1;
			if (rc == 0 && ck.k == s.n) {
				wstart = f.t + s.steps[s.n - 1].display;
				wend = wstart + s.window;
			}
			/* The frames a step was found in are evidence of the check. */
			if (rc == 0 && json_array_size(ck.steps) &&
			    strcmp(json_string_value(json_object_get(
					   json_array_get(ck.steps, json_array_size(ck.steps) - 1),
					   "frame")),
				   f.name) == 0 &&
			    !fs.pipe && store_file(r, f.name, f.sha256) < 0)
				ret = -1;
		} else if (f.t + 1e-9 >= wstart && f.t <= wend + 1e-9) {
			/* The capture window: every frame, merged or not, is evidence. */
			if (fs.pipe ? store_png(r, &f) : store_file(r, f.name, f.sha256))
				ret = -1;
			else
				json_array_append_new(ck.evidence,
						      json_pack("{s:s,s:f,s:s}", "frame", f.name,
								"time", round(f.t * 1000) / 1000,
								"sha256", f.sha256));
		} else if (f.t > wend) {
			stop = 1;
		}
		frame_release(&f);
		if (ret < 0)
			break;
	}
	if (frames_close(&fs, stop || ck.failed || ret) < 0 && ret == 0)
		ret = 1;
	if (ret)
		goto out;
	if (!ck.failed && ck.k < s.n)
		no_match(&ck, ck.k + 1, NULL,
			 fx_xasprintf("the frames end before step %zu's text is shown", ck.k + 1));
	if (!ck.failed && !json_array_size(ck.evidence) && !r->quiet)
		fx_warn("no frames in the capture window (%.3f s to %.3f s)", wstart, wend);
	if (ck.failed)
		fx_error("no match at step %zu%s%s%s: %s", ck.failed_step,
			 ck.failed_frame ? ", frame '" : "", ck.failed_frame ? ck.failed_frame : "",
			 ck.failed_frame ? "'" : "", ck.reason);
	if (ocr_emit(r, verdict(&ck, &fs, steps_path, steps_sha, wstart), "verdict") < 0)
		ret = -1;
	else if (ck.failed)
		ret = 1;
	if (!r->quiet && ret >= 0)
		fprintf(stderr, "%s: %llu frames, %llu kept, %llu read; %s\n", fx_progname(),
			(unsigned long long)fs.read, (unsigned long long)ck.kept,
			(unsigned long long)ck.ocr_reads, ck.failed ? "no match" : "match");
out:
	if (fs.pipe || fs.paths)
		frames_close(&fs, 1);
	if (r->c) {
		json_t *detail =
			json_pack("{s:s,s:s,s:I}", "command", "prompt-check", "steps", steps_path,
				  "evidence", (json_int_t)json_array_size(ck.evidence));

		if (ret >= 0 && (ret == 0 || ck.failed)) {
			if (fx_case_commit(r->c, detail, NULL) < 0)
				ret = -1;
		} else {
			fx_case_rollback(r->c);
		}
		json_decref(detail);
	}
	json_decref(ck.steps);
	json_decref(ck.evidence);
	free(ck.failed_frame);
	free(ck.reason);
	free(decode);
	fx_ocr_steps_release(&s);
	return ret;
}
