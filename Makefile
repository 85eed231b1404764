# fx — non-recursive build: lib/libfx.a, bin/fx-*, tests, man lint, bench, install.
VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    := $(PREFIX)/bin
MANDIR    := $(PREFIX)/share/man
DATADIR   := $(PREFIX)/share/fx

PKGS      := sqlite3 openssl jansson libarchive libxml-2.0 libexif zbar lept libcurl \
             cairo pangocairo fontconfig libpsl libmaxminddb zlib libqrencode tesseract
CC        ?= cc
CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN      += -Werror
endif
OPT       ?= -O2 -g
ifeq ($(SANITIZE),1)
OPT       := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN     := -fsanitize=address,undefined
BUILD     := build/san
else
BUILD     := build/rel
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS  += -Ilib -DFX_VERSION='"$(VERSION)"' -DFX_DATADIR='"$(DATADIR)"'
CFLAGS    += $(CSTD) $(WARN) $(OPT) -MMD -MP $(PKG_CFLAGS) -pthread
LDFLAGS   += $(LDSAN) -pthread
# snappy (LevelDB blocks) ships no pkg-config file in Debian 12.
LDLIBS    += $(PKG_LIBS) -lsnappy -lm

LIB_SRC   := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBFX     := $(BUILD)/libfx.a
TOOLS     := $(patsubst cmd/%.c,%,$(wildcard cmd/fx-*.c))
BINS      := $(TOOLS:%=bin/%)
SCRIPTS   := $(patsubst scripts/%.sh,%,$(wildcard scripts/fx-*.sh))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(BUILD)/unit-tests
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
# Fuzz targets (tests/fuzz/NAME.c), run over tests/fuzz/corpus/NAME/ by a plain driver.
FUZZ_SRC  := $(filter-out tests/fuzz/driver.c,$(wildcard tests/fuzz/*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

# bin/ always holds the build that was asked for last (plain or sanitized).
all: $(BINS) lib/libfx.a $(SCRIPTS:%=bin/%)

lib/libfx.a: $(LIBFX)
	cp $< $@

$(LIBFX): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Rebuild everything when the flags change.
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' > $@

bin/%: $(BUILD)/cmd/%.o $(LIBFX) bin/.variant
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

# fx-pull web parses its own options (cmd/pull-web.c).
bin/fx-pull: $(BUILD)/cmd/pull-web.o

# Relink bin/ when switching between the plain and the sanitized build.
bin/.variant: FORCE
	@mkdir -p bin
	@echo '$(BUILD)' | cmp -s - $@ || echo '$(BUILD)' > $@

bin/fx-%: scripts/fx-%.sh
	@mkdir -p bin
	cp $< $@ && chmod +x $@

# The unit-test list is generated from the FX_TEST(...) lines, replaced only when it changes.
tests/unit/list.h: $(UNIT_SRC) FORCE
	@grep -ho '^FX_TEST([a-z0-9_]*)' $(filter-out tests/unit/main.c,$(UNIT_SRC)) | LC_ALL=C sort > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/tests/unit/main.o: tests/unit/list.h

$(UNIT_BIN): $(UNIT_OBJ) $(LIBFX)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(LIBFX) $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFX) $(LDLIBS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIBFX) $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIBFX) $(LDLIBS)

# Each fuzz target once over its seed corpus (with libFuzzer: see tests/fuzz/*.c).
fuzz-check: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do $$f tests/fuzz/corpus/$${f##*/} || exit 1; done

deps:
	@scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(FUZZ_BIN)
	@$(MAKE) --no-print-directory fuzz-check
	@UNIT_BIN=$(UNIT_BIN) scripts/run-tests.sh

unit: all $(UNIT_BIN)
	$(UNIT_BIN) $(T)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@BENCH_DIR=$(BUILD)/bench scripts/bench.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

lint-man:
	mandoc -Tlint -W warning man/*.[157]

fmt:
	clang-format -i lib/*.[ch] lib/*/*.[ch] cmd/*.c tests/unit/*.[ch]

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	install -m 755 bin/fx-* $(DESTDIR)$(BINDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	cp -R share/. $(DESTDIR)$(DATADIR)/

clean:
	rm -rf build bin lib/libfx.a tests/unit/list.h

.PHONY: all deps check fuzz-check unit bench demo lint-man fmt install clean FORCE
# Keep the objects of programs: they are not throw-away intermediates.
.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
