/*
 * fx.h - the umbrella header of libfx. Files under cmd/ include only this.
 */
#ifndef FX_H
#define FX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fx_err.h"
#include "fx_opt.h"
#include "fx_hash.h"
#include "fx_time.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_walk.h"
#include "fx_store.h"
#include "fx_merkle.h"
#include "fx_case.h"
#include "fx_pull.h"
#include "fx_sign.h"
#include "fx_ocr.h"
#include "fx_banned.h"

#endif
