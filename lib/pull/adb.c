#include "fx_err.h"
#include "fx_pull.h"
#include "fx_banned.h"

int fx_pull_adb(const struct fx_pull_opts *o, const char *serial, struct fx_pull_stats *st)
{
	(void)o;
	(void)serial;
	(void)st;
	return fx_error("adb acquisition is not built yet");
}
