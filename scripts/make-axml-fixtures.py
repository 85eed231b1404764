#!/usr/bin/env python3
"""Write the ABX (Android binary XML) twin of each text XML fixture.

    scripts/make-axml-fixtures.py [tests/fixtures/axml]

For every NAME.xml in the folder this writes NAME.abx: the same document as
Android 12+'s BinaryXmlSerializer would write it, implemented here from the
format's description (see lib/android/abx.c):

  - "ABX\\0", START_DOCUMENT, the elements, END_DOCUMENT;
  - tag and attribute names interned (u16 index, or 0xFFFF and the new
    string), strings as u16 length + modified UTF-8 (NUL as C0 80;
    4-byte sequences above U+FFFF, as FastDataOutput writes with
    use4ByteSequence);
  - attribute values typed the way Android's writers type them:
    packages.xml through Settings/PackageSignatures/KeySetManagerService
    (ft/it/ut LONG_HEX, version LONG, userId INT, key BYTES_HEX, ...),
    WifiConfigStore.xml through XmlUtils.writeValueXml (<int value> INT,
    <long value> LONG, <boolean value> BOOLEAN, num INT, ...);
  - no white space between elements (Android's binary writer has none);
    the text of a leaf element as it is.

The generated files are committed; the unit tests only read them.
Only the standard library is used.
"""
import base64
import os
import struct
import sys
import xml.etree.ElementTree as ET

START_DOCUMENT, END_DOCUMENT, START_TAG, END_TAG, TEXT = 0, 1, 2, 3, 4
ATTRIBUTE = 15
NULL, STRING, STRING_INTERNED, BYTES_HEX, BYTES_BASE64 = 1, 2, 3, 4, 5
INT, INT_HEX, LONG, LONG_HEX, FLOAT, DOUBLE = 6, 7, 8, 9, 10, 11
BOOLEAN_TRUE, BOOLEAN_FALSE = 12, 13
BOOLEAN = -1  # resolved to TRUE/FALSE from the value

# packages.xml: attribute name -> type, as Settings.writePackageLPr & co. write them.
PACKAGE_ATTRS = {
    "ft": LONG_HEX, "it": LONG_HEX, "ut": LONG_HEX, "loadingCompletedTime": LONG_HEX,
    "version": LONG, "publicFlags": INT, "privateFlags": INT, "targetSdkVersion": INT,
    "userId": INT, "sharedUserId": INT, "installerUid": INT, "packageSource": INT,
    "categoryHint": INT, "isOrphaned": BOOLEAN, "installInitiatorUninstalled": BOOLEAN,
    "updateAvailable": BOOLEAN, "forceQueryable": BOOLEAN, "isLoading": BOOLEAN,
    "loadingProgress": FLOAT, "restrictUpdateHash": BYTES_BASE64,
}


def attr_type(tag, parent, name, value):
    if tag in ("package", "updated-package") and name in PACKAGE_ATTRS:
        return PACKAGE_ATTRS[name]
    if tag == "shared-user" and name == "userId":
        return INT
    if tag == "version" and name in ("sdkVersion", "databaseVersion"):
        return INT
    if tag in ("sigs", "pastSigs", "install-initiator-sigs") and name in ("count", "schemeVersion"):
        return INT
    if tag == "cert":
        return {"index": INT, "flags": INT, "key": BYTES_HEX}.get(name, STRING)
    if tag == "item" and parent == "permissions" and name == "protection":
        return INT
    if tag == "item" and parent == "perms":
        return {"name": STRING_INTERNED, "granted": BOOLEAN, "flags": INT}.get(name, STRING)
    if tag == "keyset-settings" and name == "version":
        return INT
    if tag in ("proper-signing-keyset", "upgrade-keyset", "defined-keyset", "keyset",
               "key-id", "public-key") and name == "identifier":
        return LONG
    if tag == "public-key" and name == "value":
        return BYTES_BASE64
    if tag in ("lastIssuedKeyId", "lastIssuedKeySetId") and name == "value":
        return LONG
    # XmlUtils.writeValueXml through a TypedXmlSerializer (WifiConfigStore.xml).
    if name == "value" and tag in ("int", "long", "boolean", "float", "double"):
        return {"int": INT, "long": LONG, "boolean": BOOLEAN, "float": FLOAT,
                "double": DOUBLE}[tag]
    if name == "num":
        return INT
    if tag == "item" and name == "value":
        return {"long-array": LONG, "int-array": INT}.get(parent, STRING)
    return STRING


def mutf8(s):
    out = bytearray()
    for ch in s:
        c = ord(ch)
        if c == 0:
            out += b"\xc0\x80"
        else:
            out += ch.encode("utf-8")
    if len(out) > 0xFFFF:
        raise ValueError("string too long for ABX: %d bytes" % len(out))
    return bytes(out)


class Writer:
    def __init__(self):
        self.out = bytearray(b"ABX\x00")
        self.interned = {}

    def byte(self, v):
        self.out.append(v)

    def u16(self, v):
        self.out += struct.pack(">H", v)

    def utf(self, s):
        b = mutf8(s)
        self.u16(len(b))
        self.out += b

    def interned_utf(self, s):
        if s in self.interned:
            self.u16(self.interned[s])
            return
        self.u16(0xFFFF)
        self.utf(s)
        if len(self.interned) < 0xFFFF:
            self.interned[s] = len(self.interned)

    def attribute(self, tag, parent, name, value):
        t = attr_type(tag, parent, name, value)
        if t == BOOLEAN:
            t = BOOLEAN_TRUE if value == "true" else BOOLEAN_FALSE
        self.byte(ATTRIBUTE | t << 4)
        self.interned_utf(name)
        if t == STRING:
            self.utf(value)
        elif t == STRING_INTERNED:
            self.interned_utf(value)
        elif t in (BYTES_HEX, BYTES_BASE64):
            b = bytes.fromhex(value) if t == BYTES_HEX else base64.b64decode(value)
            self.u16(len(b))
            self.out += b
        elif t in (INT, INT_HEX):
            v = int(value, 16 if t == INT_HEX else 10)
            self.out += struct.pack(">i", v if v < 2**31 else v - 2**32)
        elif t in (LONG, LONG_HEX):
            v = int(value, 16 if t == LONG_HEX else 10)
            self.out += struct.pack(">q", v if v < 2**63 else v - 2**64)
        elif t == FLOAT:
            self.out += struct.pack(">f", float(value))
        elif t == DOUBLE:
            self.out += struct.pack(">d", float(value))

    def text(self, s):
        self.byte(TEXT | STRING << 4)
        self.utf(s)

    def element(self, el, parent):
        self.byte(START_TAG | STRING_INTERNED << 4)
        self.interned_utf(el.tag)
        for name, value in el.attrib.items():
            self.attribute(el.tag, parent, name, value)
        children = list(el)
        runs = [el.text or ""]
        for child in children:
            runs.append(child.tail or "")
        if children and not "".join(runs).strip(" \t\r\n"):
            # Indentation between children is not written in binary.
            runs = [""] * len(runs)
        if runs[0]:
            self.text(runs[0])
        for child, tail in zip(children, runs[1:]):
            self.element(child, el.tag)
            if tail:
                self.text(tail)
        self.byte(END_TAG | STRING_INTERNED << 4)
        self.interned_utf(el.tag)

    def document(self, root):
        self.byte(START_DOCUMENT | NULL << 4)
        self.element(root, None)
        self.byte(END_DOCUMENT | NULL << 4)
        return bytes(self.out)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "axml")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(folder, name)).getroot()
        data = Writer().document(root)
        out = os.path.join(folder, name[:-4] + ".abx")
        with open(out, "wb") as f:
            f.write(data)
        print("%s: %d bytes" % (os.path.normpath(out), len(data)))


if __name__ == "__main__":
    main()
