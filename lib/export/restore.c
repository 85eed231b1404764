/*
 * restore.c - fx_export_restore_script(): when the phone itself is broken,
 * its apps' data can still be seen in the apps: a shell script of adb
 * commands installs each app's APK from the evidence into an Android
 * emulator (a userdebug image, where adb root works) and pushes its
 * databases and shared_prefs back where the app looks for them, owned by
 * the app. The bytes come from the case's objects, which stay read-only.
 */
#include <stdlib.h>
#include <string.h>

#include "export_int.h"
#include "fx_err.h"
#include "fx_export.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

struct rs {
	const char *device;
	json_t *src_device; /* sha256 -> device of the records read from it */
	json_t *files;      /* [{sha, path, device}] */
	json_t *code_paths; /* package -> code_path (app records) */
	json_t *devices;    /* device keys seen */
};

static int on_record(const char *line, int64_t entry, int64_t withdrawn, void *ctx)
{
	struct rs *r = ctx;
	json_t *rec, *d;
	const char *type, *dev, *sha;

	(void)entry;
	if (withdrawn >= 0)
		return 0; /* a withdrawn category is not restored */
	rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	if (!rec)
		return fx_error("a stored record cannot be read (run fx-case verify)");
	type = json_string_value(json_object_get(rec, FX_KEY_TYPE));
	dev = json_string_value(json_object_get(rec, FX_KEY_DEVICE));
	d = json_object_get(rec, FX_KEY_DATA);
	sha = json_string_value(json_object_get(json_object_get(rec, FX_KEY_SRC), FX_SRC_SHA256));
	if (dev)
		json_object_set_new(r->devices, dev, json_true());
	if (sha && dev && !json_object_get(r->src_device, sha))
		json_object_set_new(r->src_device, sha, json_string(dev));
	if (strcmp(type, "file") == 0 && json_is_string(json_object_get(d, "path")) &&
	    json_is_string(json_object_get(d, "sha256")))
		json_array_append_new(r->files, json_pack("{s:O,s:O,s:o}", "sha",
					  json_object_get(d, "sha256"), "path",
					  json_object_get(d, "path"),
					  "device", dev ? json_string(dev) : json_null()));
	else if (strcmp(type, "app") == 0 && json_is_string(json_object_get(d, "name")) &&
		 json_is_string(json_object_get(d, "code_path")) &&
		 (!r->device || !*r->device || (dev && strcmp(dev, r->device) == 0)))
		json_object_set(r->code_paths, json_string_value(json_object_get(d, "name")),
				json_object_get(d, "code_path"));
	json_decref(rec);
	return 0;
}

/*
 * Where an app's data file goes on the device, from its path in the
 * extraction: ".../data/data/PKG/(databases|shared_prefs)/NAME", or
 * ".../data/user/N/PKG/…" or ".../data/user_de/N/PKG/…". Sets *pkg (a
 * malloc'd name) and returns the device path (malloc'd), or NULL.
 */
static char *app_target(const char *path, char **pkg)
{
	const char *p, *rest, *kind;
	char *out = NULL;
	size_t n;
	int de = 0;

	*pkg = NULL;
	if ((p = strstr(path, "data/data/")) && (p == path || p[-1] == '/')) {
		p += 10;
	} else if ((p = strstr(path, "data/user/0/")) && (p == path || p[-1] == '/')) {
		/* the owner's data; other users' are not restored into an emulator's one user */
		p += 12;
	} else if ((p = strstr(path, "data/user_de/0/")) && (p == path || p[-1] == '/')) {
		p += 15;
		de = 1;
	} else {
		return NULL;
	}
	n = strcspn(p, "/");
	if (!n || p[n] != '/')
		return NULL;
	rest = p + n + 1;
	if (strncmp(rest, "databases/", 10) == 0)
		kind = "databases";
	else if (strncmp(rest, "shared_prefs/", 13) == 0)
		kind = "shared_prefs";
	else
		return NULL;
	(void)kind;
	*pkg = fx_xasprintf("%.*s", (int)n, p);
	out = fx_xasprintf("%s/%s/%s", de ? "/data/user_de/0" : "/data/data", *pkg, rest);
	return out;
}

/* The package an APK in the extraction belongs to, from data/app/…/PKG-…/base.apk. */
static char *apk_package(const char *path)
{
	const char *p = strstr(path, "data/app/"), *base, *dir, *dash;

	if (!p || (p != path && p[-1] != '/'))
		return NULL;
	base = strrchr(path, '/');
	if (!base || strcmp(base, "/base.apk") != 0)
		return NULL;
	for (dir = base; dir > p && dir[-1] != '/'; dir--)
		;
	dash = memchr(dir, '-', (size_t)(base - dir));
	if (!dash || dash == dir)
		return NULL;
	return fx_xasprintf("%.*s", (int)(dash - dir), dir);
}

/* s in single quotes for sh. Caller frees. */
static char *shq(const char *s)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_buf_add(&b, "'", 1);
	for (; *s; s++) {
		if (*s == '\'')
			fx_buf_add(&b, "'\\''", 4);
		else
			fx_buf_add(&b, s, 1);
	}
	fx_buf_add(&b, "'", 1);
	return b.data;
}

/* An Android package name: letters, digits, '.', '_'; anything else is not trusted. */
static int valid_pkg(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_'))
			return 0;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int fx_export_restore_script(struct fx_case *c, const char *device, FILE *out)
{
	struct rs r = { device, json_object(), json_array(), json_object(), json_object() };
	json_t *apps = json_object(), *f, *a, *info = fx_case_info(c), *dl;
	const char *single = NULL, *sha, *path, *dev, *key;
	char *pkg, *target, *q, *q2, now[FX_TIME_LEN], **names = NULL;
	size_t i, n = 0, k;
	int ret = -1;

	if (fx_case_each_record(c, on_record, &r) != 0)
		goto out;
	dl = json_object_get(info, "devices");
	if (json_array_size(dl) == 1)
		single = json_string_value(json_object_get(json_array_get(dl, 0), "key"));
	if (device && *device && !json_object_get(r.devices, device)) {
		int found = 0;

		json_array_foreach(dl, i, f)
			if (json_string_value(json_object_get(f, "key")) &&
			    strcmp(json_string_value(json_object_get(f, "key")), device) == 0)
				found = 1;
		if (!found) {
			fx_error("no device '%s' in case '%s'", device, fx_case_id(c));
			goto out;
		}
	}
	/* Each app: its APK and its data files, from this device's evidence. */
	json_array_foreach(r.files, i, f) {
		sha = json_string_value(json_object_get(f, "sha"));
		path = json_string_value(json_object_get(f, "path"));
		dev = json_string_value(json_object_get(f, "device"));
		if (!dev)
			dev = json_string_value(json_object_get(r.src_device, sha));
		if (!dev)
			dev = single;
		if (device && *device && (!dev || strcmp(dev, device) != 0))
			continue;
		target = app_target(path, &pkg);
		if (!target)
			pkg = apk_package(path);
		if (!pkg) {
			/* An APK named by an app record's code_path. */
			json_object_foreach(r.code_paths, key, a) {
				const char *cp = json_string_value(a);
				size_t cl = strlen(cp), pl = strlen(path);

				while (cl && cp[0] == '/')
					cp++, cl--;
				if (pl > cl + 9 && strcmp(path + pl - 9, "/base.apk") == 0 &&
				    cl && strncmp(path + pl - 9 - cl, cp, cl) == 0)
					pkg = fx_xstrdup(key);
			}
		}
		if (!pkg || !valid_pkg(pkg)) {
			free(pkg);
			free(target);
			continue;
		}
		a = json_object_get(apps, pkg);
		if (!a) {
			a = json_pack("{s:n,s:[]}", "apk", "data");
			json_object_set_new(apps, pkg, a);
		}
		if (target)
			json_array_append_new(json_object_get(a, "data"),
					      json_pack("{s:s,s:s}", "sha", sha, "to", target));
		else if (json_is_null(json_object_get(a, "apk")))
			json_object_set_new(a, "apk", json_string(sha));
		free(pkg);
		free(target);
	}
	fx_time_now(now);
	{
		char *abs = realpath(fx_case_dir(c), NULL);

		q = shq(abs ? abs : fx_case_dir(c));
		free(abs);
	}
	fprintf(out,
		"#!/bin/sh\n"
		"# Made by fx-export restore-script %s at %s, from case %s%s%s.\n"
		"# Installs the device's apps into a running Android emulator (a userdebug\n"
		"# image: adb root must work) and pushes their databases and shared_prefs\n"
		"# back, so the data can be seen in the apps themselves. The files come from\n"
		"# the case's objects (read only). Run it with the emulator started:\n"
		"#   sh restore.sh            (FX_CASE=DIR or ADB=path to override)\n"
		"set -eu\n"
		"CASE=${FX_CASE:-%s}\n"
		"ADB=${ADB:-adb}\n"
		"obj() { printf '%%s/objects/%%.2s/%%s' \"$CASE\" \"$1\" \"${1#??}\"; }\n"
		"\"$ADB\" wait-for-device\n"
		"\"$ADB\" root\n"
		"\"$ADB\" wait-for-device\n",
		FX_VERSION, now, fx_case_id(c), device && *device ? ", device " : "",
		device && *device ? device : "", q);
	free(q);
	n = json_object_size(apps);
	names = fx_xcalloc(n ? n : 1, sizeof(*names));
	k = 0;
	json_object_foreach(apps, key, a)
		names[k++] = (char *)key;
	qsort(names, n, sizeof(*names), cmp_str);
	for (k = 0; k < n; k++) {
		json_t *d;

		a = json_object_get(apps, names[k]);
		q = shq(names[k]);
		fprintf(out, "\n# ---- %s ----\n", names[k]);
		if (json_is_string(json_object_get(a, "apk")))
			fprintf(out, "\"$ADB\" install -r -g \"$(obj %s)\"\n",
				json_string_value(json_object_get(a, "apk")));
		else
			fprintf(out, "# the APK is not in the evidence: install %s from its store"
				" first\n", names[k]);
		fprintf(out, "\"$ADB\" shell am force-stop %s\n", q);
		json_array_foreach(json_object_get(a, "data"), i, d) {
			const char *to = json_string_value(json_object_get(d, "to"));
			char *dirq, *slash = strrchr(to, '/');

			dirq = fx_xasprintf("%.*s", (int)(slash - to), to);
			q2 = shq(dirq);
			fprintf(out, "\"$ADB\" shell mkdir -p %s\n", q2);
			free(q2);
			free(dirq);
			q2 = shq(to);
			fprintf(out, "\"$ADB\" push \"$(obj %s)\" %s\n",
				json_string_value(json_object_get(d, "sha")), q2);
			free(q2);
		}
		if (json_array_size(json_object_get(a, "data")))
			fprintf(out, "\"$ADB\" shell 'for d in /data/data/%s /data/user_de/0/%s; do"
				" [ -d \"$d\" ] && chown -R $(stat -c %%u:%%g \"$d\") \"$d\" &&"
				" restorecon -R \"$d\"; done; true'\n", names[k], names[k]);
		free(q);
	}
	fprintf(out, "\necho 'restored %zu apps' >&2\n", n);
	ret = ferror(out) ? fx_error_errno("cannot write the script") : (int)n;
out:
	free(names);
	json_decref(apps);
	json_decref(info);
	json_decref(r.src_device);
	json_decref(r.files);
	json_decref(r.code_paths);
	json_decref(r.devices);
	return ret;
}
