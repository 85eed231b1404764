#include "android_int.h"
#include "fx_banned.h"

/* Device details first (phase 0): every record after them names the device. */
static const struct fx_artifact artifacts[] = {
	{ "build properties", 0, fx_android_props_patterns, fx_android_parse_props },
	{ "SIM cards", 0, fx_android_siminfo_patterns, fx_android_parse_siminfo },
	{ "Bluetooth adapter", 0, fx_android_bt_patterns, fx_android_parse_bt },
	{ "SMS and MMS", 1, fx_android_mmssms_patterns, fx_android_parse_mmssms },
	{ "call log", 1, fx_android_calls_patterns, fx_android_parse_calls },
	{ "contacts", 1, fx_android_contacts_patterns, fx_android_parse_contacts },
	{ "installed apps", 1, fx_android_packages_patterns, fx_android_parse_packages },
	{ "Wi-Fi networks", 1, fx_android_wifi_patterns, fx_android_parse_wifi },
};

const struct fx_artifact *fx_android_artifacts(size_t *n)
{
	*n = sizeof(artifacts) / sizeof(artifacts[0]);
	return artifacts;
}
