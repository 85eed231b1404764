#!/usr/bin/env python3
"""Builds the generated Android file systems in tests/fixtures/android-gen/.

Two layouts, from the AOSP provider schemas (TelephonyProvider's
MmsSmsDatabaseHelper, ContactsProvider's ContactsDatabaseHelper and
CallLogDatabaseHelper), with known content the tests assert:

  a12/   Android 12 style: user_de telephony, calllog.db apart from
         contacts2.db, accounts table, a dual-app user 95, an MMS with an
         app_parts attachment, Chinese and emoji text, a body that is not UTF-8.
  a6/    Android 6 style under a "filesystem1/" prefix: call log inside
         contacts2.db, account columns on raw_contacts, no build.prop serial.

Deterministic: the same bytes on every run. Run it from the top folder.
"""
import os
import shutil
import sqlite3

OUT = "tests/fixtures/android-gen"


def db(path, script, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.executescript(script)
    for sql, values in rows:
        con.execute(sql, values)
    con.commit()
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


SMS = """
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER,
 date INTEGER, date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0,
 status INTEGER DEFAULT -1, type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT,
 service_center TEXT, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1,
 error_code INTEGER DEFAULT 0, creator TEXT, seen INTEGER DEFAULT 0);
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, date INTEGER,
 date_sent INTEGER DEFAULT 0, msg_box INTEGER, read INTEGER DEFAULT 0, m_id TEXT, sub TEXT,
 sub_cs INTEGER, ct_t TEXT, ct_l TEXT, exp INTEGER, m_cls TEXT, m_type INTEGER, v INTEGER,
 m_size INTEGER, pri INTEGER, rr INTEGER, rpt_a INTEGER, resp_st INTEGER, st INTEGER,
 tr_id TEXT, retr_st INTEGER, retr_txt TEXT, retr_txt_cs INTEGER, read_status INTEGER,
 ct_cls INTEGER, resp_txt TEXT, d_tm INTEGER, d_rpt INTEGER, locked INTEGER DEFAULT 0,
 sub_id INTEGER DEFAULT -1, seen INTEGER DEFAULT 0, creator TEXT, text_only INTEGER DEFAULT 0);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT, mid INTEGER, seq INTEGER DEFAULT 0,
 ct TEXT, name TEXT, chset INTEGER, cd TEXT, fn TEXT, cid TEXT, cl TEXT, ctt_s INTEGER,
 ctt_t TEXT, _data TEXT, text TEXT);
CREATE TABLE addr (_id INTEGER PRIMARY KEY, msg_id INTEGER, contact_id INTEGER, address TEXT,
 type INTEGER, charset INTEGER);
"""

CONTACTS_NEW = """
CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_name TEXT,
 account_type TEXT, data_set TEXT);
CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER,
 sourceid TEXT, version INTEGER NOT NULL DEFAULT 1, dirty INTEGER NOT NULL DEFAULT 0,
 deleted INTEGER NOT NULL DEFAULT 0, contact_id INTEGER, display_name TEXT,
 starred INTEGER NOT NULL DEFAULT 0, times_contacted INTEGER NOT NULL DEFAULT 0,
 last_time_contacted INTEGER);
CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT, mimetype TEXT NOT NULL);
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT, package_id INTEGER,
 mimetype_id INTEGER NOT NULL, raw_contact_id INTEGER NOT NULL, is_primary INTEGER NOT NULL DEFAULT 0,
 data1 TEXT, data2 TEXT, data3 TEXT, data4 TEXT, data5 TEXT, data15 TEXT);
"""

CONTACTS_OLD = """
CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_name STRING,
 account_type STRING, sourceid TEXT, deleted INTEGER NOT NULL DEFAULT 0, contact_id INTEGER,
 display_name TEXT, starred INTEGER NOT NULL DEFAULT 0, times_contacted INTEGER NOT NULL DEFAULT 0,
 last_time_contacted INTEGER);
CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT, mimetype TEXT NOT NULL);
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT, package_id INTEGER,
 mimetype_id INTEGER NOT NULL, raw_contact_id INTEGER NOT NULL, is_primary INTEGER NOT NULL DEFAULT 0,
 data1 TEXT, data2 TEXT, data3 TEXT, data4 TEXT, data5 TEXT, data15 TEXT);
"""

CALLS = """
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, presentation INTEGER NOT NULL DEFAULT 1,
 date INTEGER, duration INTEGER, data_usage INTEGER, type INTEGER, features INTEGER NOT NULL DEFAULT 0,
 subscription_component_name TEXT, subscription_id TEXT, phone_account_address TEXT,
 new INTEGER, name TEXT, numbertype INTEGER, numberlabel TEXT, countryiso TEXT,
 voicemail_uri TEXT, is_read INTEGER, geocoded_location TEXT, lookup_uri TEXT,
 matched_number TEXT, normalized_number TEXT, photo_id INTEGER NOT NULL DEFAULT 0,
 formatted_number TEXT);
"""

MIMETYPES = ["vnd.android.cursor.item/name", "vnd.android.cursor.item/phone_v2",
             "vnd.android.cursor.item/email_v2", "vnd.android.cursor.item/organization",
             "vnd.android.cursor.item/note"]


def contacts_rows(old, people):
    rows = [("INSERT INTO mimetypes (mimetype) VALUES (?)", (m,)) for m in MIMETYPES]
    if not old:
        rows.append(("INSERT INTO accounts (account_name, account_type) VALUES (?, ?)",
                     ("li.na@example.com", "com.google")))
    for i, (name, phone, email, org, deleted, last) in enumerate(people, 1):
        if old:
            rows.append(("INSERT INTO raw_contacts (account_name, account_type, display_name, deleted,"
                         " starred, times_contacted, last_time_contacted) VALUES (?, ?, ?, ?, 0, 3, ?)",
                         ("li.na@example.com", "com.google", name, deleted, last)))
        else:
            rows.append(("INSERT INTO raw_contacts (account_id, display_name, deleted, starred,"
                         " times_contacted, last_time_contacted) VALUES (1, ?, ?, ?, 3, ?)",
                         (name, deleted, 1 if i == 1 else 0, last)))
        data = [(1, name, None, None, None), (2, phone, "2", None, None)]
        if email:
            data.append((3, email, "1", None, None))
        if org:
            data.append((4, org[0], None, None, org[1]))
        for mt, d1, d2, d3, d4 in data:
            rows.append(("INSERT INTO data (mimetype_id, raw_contact_id, data1, data2, data3, data4)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (mt, i, d1, d2, d3, d4)))
    return rows


def calls_rows(calls):
    return [("INSERT INTO calls (number, date, duration, type, new, name, countryiso, is_read,"
             " geocoded_location, subscription_id) VALUES (?, ?, ?, ?, 0, ?, 'CN', 1, ?, '1')", c)
            for c in calls]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def a12(root):
    write(f"{root}/system/build.prop", b"""# begin build properties
ro.build.id=SP1A.210812.016
ro.build.display.id=SP1A.210812.016.G991BXXU5CVLL
ro.build.version.sdk=31
ro.build.version.release=12
ro.build.version.security_patch=2022-12-01
ro.product.system.brand=samsung
ro.product.system.manufacturer=samsung
ro.product.system.model=SM-G991B
ro.build.fingerprint=samsung/o1sxeea/o1s:12/SP1A.210812.016/G991BXXU5CVLL:user/release-keys
""")
    write(f"{root}/vendor/build.prop", b"ro.product.vendor.model=SM-G991B\nro.boot.serialno=R58R12ABCDE\n")
    write(f"{root}/data/misc/bluedroid/bt_config.conf",
          b"[Info]\nFileSource = Empty\n\n[Adapter]\nAddress = 5c:cb:99:12:34:56\nName = Galaxy S21 5G\n")
    tel = f"{root}/data/user_de/0/com.android.providers.telephony"
    write(f"{tel}/app_parts/PART_1617873300000", b"\xff\xd8\xff\xe0 fake jpeg bytes of a payment QR code")
    db(f"{tel}/databases/mmssms.db", SMS, [
        ("INSERT INTO sms (thread_id, address, date, date_sent, read, type, body, seen, service_center)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r) for r in [
            (1, "+8613800138000", 1617873247692, 1617873245000, 1, 1,
             "您好，您的快递已到，请点击 http://kuaidi-cn.top/p?id=88 领取 😀", 1, "+8613800100500"),
            (1, "+8613800138000", 1617873300000, 0, 1, 2, "好的，多少钱？", 1, None),
            (2, "95588", 1617880000123, 1617880000000, 0, 1,
             "【工商银行】您尾号6222的卡于04月08日转出5000.00元。", 0, None),
        ]] + [
        ("INSERT INTO sms (thread_id, address, date, read, type, body) VALUES (?, ?, ?, ?, ?, CAST(? AS BLOB))",
         (3, "10086", 1617890000000, 1, 1, b"bad \xff\xfe bytes"))
    ] + [
        ("INSERT INTO pdu (thread_id, date, msg_box, read, m_id, sub, ct_t, m_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
         (1, 1617873300, 1, 1, "mms-0001", "付款码", "application/vnd.wap.multipart.related", 132)),
        ("INSERT INTO part (mid, seq, ct, name, cl, _data, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
         (1, -1, "application/smil", None, "smil.xml", None, "<smil/>")),
        ("INSERT INTO part (mid, seq, ct, name, cl, _data, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
         (1, 0, "image/jpeg", "qr.jpg", "qr.jpg",
          "/data/user_de/0/com.android.providers.telephony/app_parts/PART_1617873300000", None)),
        ("INSERT INTO part (mid, seq, ct, name, cl, _data, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
         (1, 1, "text/plain", None, "text_0.txt", None, "扫码付款")),
        ("INSERT INTO addr (msg_id, address, type, charset) VALUES (?, ?, ?, ?)", (1, "+8613800138000", 137, 106)),
        ("INSERT INTO addr (msg_id, address, type, charset) VALUES (?, ?, ?, ?)", (1, "insert-address-token", 151, 106)),
    ])
    prov = f"{root}/data/data/com.android.providers.contacts/databases"
    db(f"{prov}/contacts2.db", CONTACTS_NEW, contacts_rows(False, [
        ("张伟", "+86 138 0013 8000", "zhang.wei@example.com", ("顺丰速运", "快递员"), 0, 1617873000000),
        ("Old Friend", "+41 78 690 91 09", None, None, 1, 0),
    ]))
    db(f"{prov}/calllog.db", CALLS, calls_rows([
        ("+8613800138000", 1617873400000, 95, 1, "张伟", "北京"),
        ("95588", 1617880100000, 0, 3, None, None),
    ]))
    # Android 12+ writes system XML as ABX (binary XML)
    for src, dst in [("packages.abx", "data/system/packages.xml"),
                     ("WifiConfigStore-apex.abx", "data/misc/apexdata/com.android.wifi/WifiConfigStore.xml")]:
        with open(f"tests/fixtures/axml/{src}", "rb") as f:
            write(f"{root}/{dst}", f.read())
    write(f"{root}/data/system/packages.list",
          b"com.tencent.mm 10234 0 /data/user/0/com.tencent.mm default:targetSdkVersion=30 3003\n"
          b"com.eg.android.AlipayGphone 10235 0 /data/user/0/com.eg.android.AlipayGphone default:targetSdkVersion=29 3003\n")
    # a dual-app (second space) user 95 with its own contacts
    db(f"{root}/data/user/95/com.android.providers.contacts/databases/contacts2.db", CONTACTS_NEW,
       contacts_rows(False, [("王芳 (分身)", "+86 139 0013 9000", None, None, 0, 0)]))


def a6(root):
    write(f"{root}/system/build.prop", b"ro.product.model=Nexus 5\nro.product.brand=google\n"
          b"ro.product.manufacturer=LGE\nro.build.version.release=6.0.1\nro.serialno=03a8c0b2f0e1d5c4\n")
    # Android 7 and before: text XML and wpa_supplicant.conf
    for src, dst in [("packages-legacy.xml", "data/system/packages.xml"),
                     ("wpa_supplicant.conf", "data/misc/wifi/wpa_supplicant.conf")]:
        with open(f"tests/fixtures/axml/{src}", "rb") as f:
            write(f"{root}/{dst}", f.read())
    db(f"{root}/data/data/com.android.providers.telephony/databases/mmssms.db", SMS, [
        ("INSERT INTO sms (thread_id, address, date, read, type, body) VALUES (?, ?, ?, ?, ?, ?)",
         (1, "+41786909109", 1459500000000, 1, 2, "Meet at the station at 9")),
    ])
    db(f"{root}/data/data/com.android.providers.contacts/databases/contacts2.db",
       CONTACTS_OLD + CALLS,
       contacts_rows(True, [("Anna Muster", "+41 78 690 91 09", "anna@example.ch", None, 0, 1459400000000)])
       + calls_rows([("+41786909109", 1459500100000, 42, 2, "Anna Muster", "Zürich")]))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    a12(f"{OUT}/a12")
    a6(f"{OUT}/a6/filesystem1")
    with open(f"{OUT}/README.md", "w") as f:
        f.write("Generated by scripts/make-android-fixtures.py from the AOSP provider schemas;\n"
                "content made up for the tests. Do not edit by hand: rerun the script.\n")


if __name__ == "__main__":
    main()
