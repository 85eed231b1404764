/*
 * fx_export.h - a case sealed into a package that anyone can verify
 * without fx: a BagIt 1.0 bag (RFC 8493) as a folder, a tar or a zip,
 * with the evidence laid out per device, the records, the reports, the
 * custody log with its proofs, and the case in CASE/UCO JSON-LD; its
 * verification, its import into a new case, and a script that restores
 * a device's apps and their data into an Android emulator.
 *
 * Inside the bag (under BAG/, the package's one top folder):
 *   bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt
 *   tagmanifest-sha256.txt README.txt [tagmanifest-sha256.txt.p7s .tsr]
 *   data/evidence/DEVICE/PATH   each evidence file, by device and original path
 *   data/reports/DIR/…          each rendered report
 *   data/objects/SHA256         any other stored object
 *   data/records/records.jsonl  every record, as stored, in the order added
 *   data/records/withdrawn.jsonl  which were withdrawn, by which entry
 *   data/custody/custody.jsonl  the custody log, each entry with hash and leaf
 *   data/custody/objects.jsonl  every object: sha256, size, its file in the bag
 *   data/custody/proofs.json    the head, an inclusion proof of every entry,
 *                               the newest checkpoint and a consistency proof
 *   data/case.jsonld            the case in CASE/UCO 1.4.0
 */
#ifndef FX_EXPORT_H
#define FX_EXPORT_H

#include <stdio.h>

#include <jansson.h>

#include "fx_buf.h"
#include "fx_case.h"

enum fx_export_format { FX_EXPORT_DIR, FX_EXPORT_TAR, FX_EXPORT_ZIP };

struct fx_export_opts {
	struct fx_case *c;          /* open for writing: the export is logged */
	enum fx_export_format format;
	const char *out;            /* the package; NULL: CASE/exports/ID-TIME[.tar|.zip] */
	const char *sign;           /* the signing program (NULL: fx-sign on PATH) */
	int quiet;
};

/*
 * Writes the bag, signs its tag manifest through fx-sign when it is there
 * and configured (else says why not), and logs the export in the case's
 * custody (outputs: the package and its tag manifest's SHA-256). *result
 * gets a summary (path, files, bytes, oxum, tagmanifest_sha256, signed).
 * Returns 0 or -1 (reported; a half-written package is removed).
 */
int fx_export_bag(const struct fx_export_opts *o, json_t **result);

/*
 * Verifies a package (folder, tar or zip) without the case or any key:
 * bagit.txt, both manifests against every payload file, the payload oxum,
 * the tag manifest, the CMS signature and RFC 3161 token over the tag
 * manifest when present, and the custody log (entry hashes and chain,
 * Merkle head, the records and objects each entry added). Every failure
 * is reported, naming the file. *result gets a summary. Returns 0 when all
 * is well, 1 when something failed, -1 when the package cannot be read.
 */
int fx_export_verify(const char *pkg, int quiet, json_t **result);

/*
 * Imports a verified package into a new case at dir: the custody log,
 * objects and records exactly as they were (same ids, same Merkle head),
 * then one "import" entry naming the package. Returns 0, 1 when the
 * package does not verify (nothing is made), or -1 (reported).
 */
int fx_export_import(const char *pkg, const char *dir, const struct fx_actor *who,
		     int quiet, json_t **result);

/*
 * The case in CASE/UCO 1.4.0 JSON-LD, one compact document, appended to
 * out. Every node has an IRI ending in a UUID derived from the case
 * (no blank nodes; the same case gives the same document); no facet is
 * shared between two objects. Returns 0 or -1 (reported).
 */
int fx_export_jsonld(struct fx_case *c, struct fx_buf *out);

/*
 * A shell script of adb commands that installs the apps of device (a
 * device key, or "" for all) into an Android emulator and pushes their
 * databases and shared_prefs back from the case's objects. Returns the
 * number of apps, or -1 (reported).
 */
int fx_export_restore_script(struct fx_case *c, const char *device, FILE *out);

#endif
