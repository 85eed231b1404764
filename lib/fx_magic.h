/*
 * fx_magic.h - what a file is, told from its first bytes (its "magic"),
 * never from its name: a suspect can rename anything.
 */
#ifndef FX_MAGIC_H
#define FX_MAGIC_H

#include <stddef.h>

/* Bytes fx_magic_type() looks at, at most. */
#define FX_MAGIC_LEN 64

/*
 * The media type of content starting with head (len bytes, at most
 * FX_MAGIC_LEN are read): "application/vnd.sqlite3", "image/jpeg", … or
 * NULL when the start says nothing fx knows. Static string.
 */
const char *fx_magic_type(const void *head, size_t len);

#endif
