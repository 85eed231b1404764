/*
 * The record types and their data fields: the one list in code.
 * man/fx-record.5 is the same list for people, and tests check that the
 * two agree and that tests/fixtures/records/ has an example of each.
 * Keep the types in name order.
 */
#include <string.h>

#include "fx_record.h"
#include "fx_banned.h"

static const struct fx_field case_fields[] = {
	{ "title", FX_F_STRING, 0, "short title of the case" },
	{ "examiner", FX_F_STRING, 0, "examiner in charge" },
	{ "agency", FX_F_STRING, 0, "agency or institution" },
	{ "location", FX_F_STRING, 0, "where the case was opened" },
	{ "parties", FX_F_ARRAY, 0, "parties: objects with role and name" },
	{ "fields", FX_F_OBJECT, 0, "free key=value fields given at init" },
	{ "created", FX_F_TIME, 1, "when the case was created" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field custody_fields[] = {
	{ "seq", FX_F_INT, 1, "position in the custody log, from 0" },
	{ "action", FX_F_STRING, 1, "what was done: init, add, note, reset, …" },
	{ "who", FX_F_STRING, 1, "examiner acting" },
	{ "at", FX_F_TIME, 1, "when the entry was written" },
	{ "tool", FX_F_STRING, 1, "program that acted" },
	{ "version", FX_F_STRING, 1, "its version" },
	{ "argv", FX_F_ARRAY, 1, "its argument vector" },
	{ "inputs", FX_F_ARRAY, 0, "inputs read, each with its sha256" },
	{ "outputs", FX_F_ARRAY, 0, "outputs written, each with its sha256" },
	{ "objects", FX_F_OBJECT, 0, "count and sha256 digest of the objects stored" },
	{ "records", FX_F_OBJECT, 0, "count and sha256 digest of the record ids added" },
	{ "withdrawn", FX_F_OBJECT, 0, "count and digest of the record ids withdrawn" },
	{ "detail", FX_F_OBJECT, 0, "action-specific detail" },
	{ "prev", FX_F_SHA256, 0, "hash of the entry before (absent for seq 0)" },
	{ "hash", FX_F_SHA256, 1, "SHA-256 of the entry's canonical form without hash" },
	{ "leaf", FX_F_SHA256, 1, "its RFC 9162 Merkle leaf hash" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field device_fields[] = {
	{ "key", FX_F_STRING, 1, "imei:…, serial:… or gen:…, the case's key for it" },
	{ "imei", FX_F_STRING, 0, "IMEI (15 digits, Luhn checked)" },
	{ "imei2", FX_F_STRING, 0, "second IMEI" },
	{ "meid", FX_F_STRING, 0, "MEID" },
	{ "serial", FX_F_STRING, 0, "serial number" },
	{ "model", FX_F_STRING, 0, "model" },
	{ "brand", FX_F_STRING, 0, "brand" },
	{ "manufacturer", FX_F_STRING, 0, "manufacturer" },
	{ "os", FX_F_STRING, 0, "operating system and version" },
	{ "phone", FX_F_STRING, 0, "phone number" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field file_fields[] = {
	{ "path", FX_F_TEXT, 1, "path in the source, made safe (see fx_walk)" },
	{ "sha256", FX_F_SHA256, 1, "SHA-256 of the bytes, the object's name" },
	{ "size", FX_F_INT, 1, "size in bytes" },
	{ "mode", FX_F_INT, 0, "permission bits as recorded" },
	{ "mtime", FX_F_TIME, 0, "modification time" },
	{ "kind", FX_F_STRING, 0, "file, symlink, …" },
	{ "mime", FX_F_STRING, 0, "detected type" },
	{ "raw_path", FX_F_TEXT, 0, "the raw name when it had to be changed" },
	{ "name_flags", FX_F_INT, 0, "why the name was changed (fx-pull(1))" },
	{ "link", FX_F_TEXT, 0, "a link's target" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field note_fields[] = {
	{ "text", FX_F_TEXT, 1, "the examiner's note" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_field verification_fields[] = {
	{ "ok", FX_F_BOOL, 1, "true when nothing is broken" },
	{ "entries", FX_F_INT, 1, "custody entries checked" },
	{ "records", FX_F_INT, 1, "records checked" },
	{ "objects", FX_F_INT, 1, "objects re-hashed" },
	{ "bytes", FX_F_INT, 0, "bytes re-hashed" },
	{ "root", FX_F_SHA256, 0, "custody Merkle root recomputed" },
	{ "problems", FX_F_ARRAY, 1, "each problem found, in order" },
	{ NULL, 0, 0, NULL },
};

static const struct fx_type types[] = {
	{ "case", "a case: who opened it, where, and its parties", case_fields },
	{ "custody", "one custody log entry", custody_fields },
	{ "device", "a device evidence came from", device_fields },
	{ "file", "a file stored as evidence", file_fields },
	{ "note", "an examiner's note", note_fields },
	{ "verification", "the result of fx-case verify", verification_fields },
};

const struct fx_type *fx_types(size_t *n)
{
	*n = sizeof(types) / sizeof(types[0]);
	return types;
}

const struct fx_type *fx_type_find(const char *name)
{
	size_t lo = 0, hi = sizeof(types) / sizeof(types[0]), mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, types[mid].name);
		if (c == 0)
			return &types[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *fx_field_type_name(enum fx_field_type t)
{
	switch (t) {
	case FX_F_STRING: return "string";
	case FX_F_TEXT: return "text";
	case FX_F_INT: return "integer";
	case FX_F_NUMBER: return "number";
	case FX_F_BOOL: return "boolean";
	case FX_F_TIME: return "time";
	case FX_F_SHA256: return "sha256";
	case FX_F_OBJECT: return "object";
	case FX_F_ARRAY: return "array";
	case FX_F_ANY: return "any";
	}
	return "?";
}
