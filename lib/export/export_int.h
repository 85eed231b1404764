/*
 * export_int.h - what the files of lib/export/ share.
 */
#ifndef FX_EXPORT_INT_H
#define FX_EXPORT_INT_H

#include <jansson.h>

#include "fx_buf.h"

/* A bag's fixed files, as this fx writes them and verify expects them. */
#define BAG_DECLARATION "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#define BAG_SIG_CMS "tagmanifest-sha256.txt.p7s"
#define BAG_SIG_TST "tagmanifest-sha256.txt.tst"

/*
 * Checks a detached CMS signature (DER) over data, and an RFC 3161 token
 * or response (DER) whose imprint must be data's SHA-256. The signers'
 * certificates are taken from the signature itself: the math and the
 * imprint are checked, not trust in the signer (no keys are needed).
 * Each returns 0 with who (a malloc'd subject or time text, caller frees),
 * or -1 with why (malloc'd).
 */
int fx_export_check_cms(const void *sig, size_t siglen, const void *data, size_t len,
			char **who);
int fx_export_check_tsr(const void *tsr, size_t tsrlen, const void *data, size_t len,
			char **who);

/* A name made safe for a file: anything but [A-Za-z0-9._-] becomes '_'. Caller frees. */
char *fx_export_safe(const char *s);

#endif
