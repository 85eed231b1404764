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
  (both) photos, videos and accounts: QR-code images from tests/fixtures/codes
         (drawn by scripts/make-code-fixtures.c) where WeChat, screenshots and
         downloads keep them, an MMS part that is a JPEG of a payment code, a
         HEIC with EXIF (time zone, GPS) and an MP4 (creation time, place),
         both made here box by box; accounts_ce.db and accounts_de.db (a12),
         a pre-7 accounts.db (a6), from AOSP's AccountsDb.
  web/   browsers and web storage: Chrome History (transitions, a synced
         visit, a search, a redirected download), Cookies, Login Data, Web
         Data, Bookmarks, localStorage and sessionStorage LevelDB folders
         copied from tests/fixtures/leveldb; Samsung Internet; an app's
         WebView with a legacy .localstorage file; the stock browser's
         browser2.db; QQ Browser and UC Browser databases.

Deterministic: the same bytes on every run. Run it from the top folder.
"""
import json
import os
import shutil
import sqlite3
import struct

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
    write(f"{tel}/app_parts/PART_1617873300000", code_image("mms-qr.jpg"))
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
    a12_media_accounts(root)


def a6(root):
    write(f"{root}/system/build.prop", b"ro.product.model=Nexus 5\nro.product.brand=google\n"
          b"ro.product.manufacturer=LGE\nro.build.version.release=6.0.1\nro.serialno=03a8c0b2f0e1d5c4\n")
    write(f"{root}/data/system/users/0/settings_secure.xml",
          b"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<settings version=\"122\">\n"
          b"  <setting id=\"12\" name=\"android_id\" value=\"9774d56d682e549c\" package=\"android\" />\n"
          b"  <setting id=\"13\" name=\"bluetooth_name\" value=\"Nexus 5\" package=\"android\" />\n</settings>\n")
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
    a6_accounts(root)


# ---- web/: browsers and web storage (lib/android/browsers*.c, webstorage.c) ----

WEBKIT_EPOCH_S = 11644473600  # seconds from 1601-01-01 to 1970-01-01


def wk(unix_ms):
    """Chromium's time: µs since 1601."""
    return (unix_ms + WEBKIT_EPOCH_S * 1000) * 1000


# From Chromium: components/history/core/browser (url, visit, download databases).
CHROME_HISTORY = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title LONGVARCHAR,
 visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,
 last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,
 from_visit INTEGER,external_referrer_url TEXT,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,
 visit_duration INTEGER DEFAULT 0 NOT NULL,incremented_omnibox_typed_score BOOLEAN DEFAULT FALSE NOT NULL,
 opener_visit INTEGER,originator_cache_guid TEXT,originator_visit_id INTEGER,originator_from_visit INTEGER,
 originator_opener_visit INTEGER,is_known_to_sync BOOLEAN DEFAULT FALSE NOT NULL,
 consider_for_ntp_most_visited BOOLEAN DEFAULT FALSE NOT NULL,visited_link_id INTEGER DEFAULT 0 NOT NULL,
 app_id TEXT);
CREATE TABLE visit_source(id INTEGER PRIMARY KEY,source INTEGER NOT NULL);
CREATE TABLE keyword_search_terms (keyword_id INTEGER NOT NULL,url_id INTEGER NOT NULL,
 term LONGVARCHAR NOT NULL,normalized_term LONGVARCHAR NOT NULL);
CREATE TABLE downloads (id INTEGER PRIMARY KEY,guid VARCHAR NOT NULL,current_path LONGVARCHAR NOT NULL,
 target_path LONGVARCHAR NOT NULL,start_time INTEGER NOT NULL,received_bytes INTEGER NOT NULL,
 total_bytes INTEGER NOT NULL,state INTEGER NOT NULL,danger_type INTEGER NOT NULL,
 interrupt_reason INTEGER NOT NULL,hash BLOB NOT NULL,end_time INTEGER NOT NULL,opened INTEGER NOT NULL,
 last_access_time INTEGER NOT NULL,transient INTEGER NOT NULL,referrer VARCHAR NOT NULL,
 site_url VARCHAR NOT NULL,embedder_download_data VARCHAR NOT NULL,tab_url VARCHAR NOT NULL,
 tab_referrer_url VARCHAR NOT NULL,http_method VARCHAR NOT NULL,by_ext_id VARCHAR NOT NULL,
 by_ext_name VARCHAR NOT NULL,by_web_app_id VARCHAR NOT NULL,etag VARCHAR NOT NULL,
 last_modified VARCHAR NOT NULL,mime_type VARCHAR(255) NOT NULL,original_mime_type VARCHAR(255) NOT NULL);
CREATE TABLE downloads_url_chains (id INTEGER NOT NULL,chain_index INTEGER NOT NULL,url LONGVARCHAR NOT NULL,
 PRIMARY KEY (id, chain_index));
INSERT INTO meta VALUES ('version', '66'), ('last_compatible_version', '16');
"""

# net/extras/sqlite/sqlite_persistent_cookie_store.cc (version 21)
CHROME_COOKIES = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE cookies(creation_utc INTEGER NOT NULL,host_key TEXT NOT NULL,top_frame_site_key TEXT NOT NULL,
 name TEXT NOT NULL,value TEXT NOT NULL,encrypted_value BLOB NOT NULL,path TEXT NOT NULL,
 expires_utc INTEGER NOT NULL,is_secure INTEGER NOT NULL,is_httponly INTEGER NOT NULL,
 last_access_utc INTEGER NOT NULL,has_expires INTEGER NOT NULL,is_persistent INTEGER NOT NULL,
 priority INTEGER NOT NULL,samesite INTEGER NOT NULL,source_scheme INTEGER NOT NULL,
 source_port INTEGER NOT NULL,last_update_utc INTEGER NOT NULL,source_type INTEGER NOT NULL,
 has_cross_site_ancestor INTEGER NOT NULL);
"""

# components/password_manager/core/browser/login_database.cc
CHROME_LOGINS = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE logins (origin_url VARCHAR NOT NULL, action_url VARCHAR, username_element VARCHAR,
 username_value VARCHAR, password_element VARCHAR, password_value BLOB, submit_element VARCHAR,
 signon_realm VARCHAR NOT NULL, date_created INTEGER NOT NULL, blacklisted_by_user INTEGER NOT NULL,
 scheme INTEGER NOT NULL, password_type INTEGER, times_used INTEGER, form_data BLOB,
 display_name VARCHAR, icon_url VARCHAR, federation_url VARCHAR, skip_zero_click INTEGER,
 generation_upload_status INTEGER, possible_username_pairs BLOB, id INTEGER PRIMARY KEY AUTOINCREMENT,
 date_last_used INTEGER NOT NULL DEFAULT 0, moving_blocked_for BLOB,
 date_password_modified INTEGER NOT NULL DEFAULT 0,
 UNIQUE (origin_url, username_element, username_value, password_element, signon_realm));
"""

# components/autofill/core/browser/webdata/autofill_table.cc
CHROME_WEBDATA = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE autofill (name VARCHAR, value VARCHAR, value_lower VARCHAR, date_created INTEGER DEFAULT 0,
 date_last_used INTEGER DEFAULT 0, count INTEGER DEFAULT 1, PRIMARY KEY (name, value));
CREATE TABLE autofill_profiles ( guid VARCHAR PRIMARY KEY, company_name VARCHAR, street_address VARCHAR,
 dependent_locality VARCHAR, city VARCHAR, state VARCHAR, zipcode VARCHAR, sorting_code VARCHAR,
 country_code VARCHAR, date_modified INTEGER NOT NULL DEFAULT 0, origin VARCHAR DEFAULT '',
 language_code VARCHAR, use_count INTEGER NOT NULL DEFAULT 0, use_date INTEGER NOT NULL DEFAULT 0);
CREATE TABLE autofill_profile_names ( guid VARCHAR, first_name VARCHAR, middle_name VARCHAR,
 last_name VARCHAR, full_name VARCHAR);
CREATE TABLE autofill_profile_emails ( guid VARCHAR, email VARCHAR);
CREATE TABLE autofill_profile_phones ( guid VARCHAR, number VARCHAR);
CREATE TABLE credit_cards ( guid VARCHAR PRIMARY KEY, name_on_card VARCHAR, expiration_month INTEGER,
 expiration_year INTEGER, card_number_encrypted BLOB, date_modified INTEGER NOT NULL DEFAULT 0,
 origin VARCHAR DEFAULT '', use_count INTEGER NOT NULL DEFAULT 0, use_date INTEGER NOT NULL DEFAULT 0,
 billing_address_id VARCHAR, nickname VARCHAR);
"""

# AOSP packages/apps/Browser: BrowserProvider2 (browser2.db)
STOCK_BROWSER = """
CREATE TABLE bookmarks(_id INTEGER PRIMARY KEY AUTOINCREMENT,title TEXT,url TEXT,
 folder INTEGER NOT NULL DEFAULT 0,parent INTEGER,position INTEGER NOT NULL,insert_after INTEGER,
 deleted INTEGER NOT NULL DEFAULT 0,account_name TEXT,account_type TEXT,sourceid TEXT,
 version INTEGER NOT NULL DEFAULT 1,created INTEGER,modified INTEGER,dirty INTEGER NOT NULL DEFAULT 0,
 sync1 TEXT,sync2 TEXT,sync3 TEXT,sync4 TEXT,sync5 TEXT);
CREATE TABLE history(_id INTEGER PRIMARY KEY AUTOINCREMENT,title TEXT,url TEXT NOT NULL,created INTEGER,
 date INTEGER,visits INTEGER NOT NULL DEFAULT 0,user_entered INTEGER);
CREATE TABLE searches (_id INTEGER PRIMARY KEY AUTOINCREMENT,search TEXT,date LONG);
"""

# QQ Browser and UC Browser, as public forensic parsers describe them (no published schema).
QQ_HISTORY = "CREATE TABLE history (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT, URL TEXT, DATETIME INTEGER);"
QQ_USER = """
CREATE TABLE mtt_bookmarks (_id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, url TEXT, folder INTEGER,
 parent_id INTEGER, created INTEGER);
CREATE TABLE search_history (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT, URL TEXT, DATETIME INTEGER);
"""
QQ_DOWNLOAD = """
CREATE TABLE download (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT, filename TEXT, totalsize INTEGER,
 createdate INTEGER, donedate INTEGER, costtime INTEGER);
"""
UC_HISTORY = """
CREATE TABLE history (id INTEGER PRIMARY KEY, name TEXT, url TEXT, original_url TEXT, visited_time INTEGER,
 host TEXT, visited_count INTEGER, state INTEGER, media_type INTEGER, url_hashcode INTEGER);
"""
UC_USER = """
CREATE TABLE bookmark (luid INTEGER PRIMARY KEY, guid TEXT, parent_id INTEGER, title TEXT, url TEXT,
 path TEXT, order_index INTEGER, property INTEGER, folder INTEGER, last_modify_time INTEGER,
 create_time INTEGER, device_type TEXT, platform TEXT);
"""

# the legacy WebView's HTTP cache index (Android 4.3 and before)
WEBVIEW_CACHE = """
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE cache (_id INTEGER PRIMARY KEY, url TEXT, filepath TEXT, lastmodify TEXT, etag TEXT, expires INTEGER,
 expiresstring TEXT, mimetype TEXT, encoding TEXT,httpstatus INTEGER, location TEXT, contentlength INTEGER,
 contentdisposition TEXT,  UNIQUE (url) ON CONFLICT REPLACE);
"""

# WebKit's SQLite localStorage (one file per origin)
LOCALSTORAGE = "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB NOT NULL ON CONFLICT FAIL);"


def web(root):
    chrome = f"{root}/data/data/com.android.chrome/app_chrome/Default"
    t0 = 1617873600000  # 2021-04-08T09:20:00.000Z
    db(f"{chrome}/History", CHROME_HISTORY, [
        ("INSERT INTO urls VALUES (?, ?, ?, ?, ?, ?, ?)", r) for r in [
            (1, "https://www.baidu.com/s?wd=%E5%BF%AB%E9%80%92", "快递_百度搜索", 1, 0, wk(t0), 0),
            (2, "http://kuaidi-cn.top/p?id=88", "快递查询", 2, 1, wk(t0 + 120000), 0),
            (3, "https://old.example.org/", "Old page", 3, 0, wk(t0 - 86400000 * 100), 0),
        ]] + [
        ("INSERT INTO visits (id, url, visit_time, from_visit, transition, visit_duration) VALUES (?, ?, ?, ?, ?, ?)", r)
        for r in [
            # typed in the address bar, start and end of its chain
            (1, 1, wk(t0), 0, 0x32000001, 5000000),
            # a link from visit 1
            (2, 2, wk(t0 + 60000), 1, 0x30000000, 61000000),
            # back to it with the back button, synced from another device
            (3, 2, wk(t0 + 120000), 0, 0x31000000 | 8, 0),
        ]] + [
        ("INSERT INTO visit_source VALUES (?, ?)", (3, 0)),
        ("INSERT INTO keyword_search_terms VALUES (?, ?, ?, ?)", (2, 1, "快递", "快递")),
        ("INSERT INTO downloads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         (1, "8D8E3E0A-6D7C-4F0B-9E5B-2A4C1B0E9F11", "/storage/emulated/0/Download/kuaidi.apk",
          "/storage/emulated/0/Download/kuaidi.apk", wk(t0 + 180000), 5242880, 5242880, 1, 3, 0, b"",
          wk(t0 + 185000), 0, 0, 0, "http://kuaidi-cn.top/p?id=88", "http://kuaidi-cn.top/", "",
          "http://kuaidi-cn.top/p?id=88", "", "GET", "", "", "", "", "",
          "application/vnd.android.package-archive", "application/vnd.android.package-archive")),
        ("INSERT INTO downloads_url_chains VALUES (?, ?, ?)", (1, 0, "http://kuaidi-cn.top/app")),
        ("INSERT INTO downloads_url_chains VALUES (?, ?, ?)", (1, 1, "http://cdn.kuaidi-cn.top/kuaidi.apk")),
    ])
    db(f"{chrome}/Cookies", CHROME_COOKIES, [
        ("INSERT INTO cookies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r) for r in [
            (wk(t0 + 60000), "kuaidi-cn.top", "", "sid", "a1b2c3", b"", "/", wk(t0 + 86400000 * 30),
             0, 1, wk(t0 + 120000), 1, 1, 1, -1, 1, 80, wk(t0 + 60000), 0, 0),
            (wk(t0), ".baidu.com", "", "BAIDUID", "", b"v10\x01\x02\xfe", "/", 0,
             1, 0, wk(t0), 0, 0, 1, 0, 2, 443, wk(t0), 0, 0),
        ]])
    db(f"{chrome}/Login Data", CHROME_LOGINS, [
        ("INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element,"
         " password_value, signon_realm, date_created, blacklisted_by_user, scheme, times_used,"
         " date_last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         ("http://kuaidi-cn.top/login", "http://kuaidi-cn.top/login.do", "user", "13800138000", "pass",
          b"v10\x8a\x01secret", "http://kuaidi-cn.top/", wk(t0 + 90000), 0, 0, 2, wk(t0 + 100000))),
    ])
    db(f"{chrome}/Web Data", CHROME_WEBDATA, [
        ("INSERT INTO autofill VALUES (?, ?, ?, ?, ?, ?)",
         ("phone", "13800138000", "13800138000", t0 // 1000 + 95, t0 // 1000 + 100, 3)),
        ("INSERT INTO autofill_profiles (guid, company_name, street_address, city, state, zipcode,"
         " country_code, date_modified, origin, use_count, use_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         ("0E4F1A2B-0000-4000-8000-000000000001", "顺丰速运", "科技园路1号", "深圳", "广东", "518000", "CN",
          t0 // 1000 + 200, "https://www.example.cn/", 1, t0 // 1000 + 200)),
        ("INSERT INTO autofill_profile_names VALUES (?, ?, ?, ?, ?)",
         ("0E4F1A2B-0000-4000-8000-000000000001", "伟", "", "张", "张伟")),
        ("INSERT INTO autofill_profile_emails VALUES (?, ?)",
         ("0E4F1A2B-0000-4000-8000-000000000001", "zhang.wei@example.com")),
        ("INSERT INTO autofill_profile_phones VALUES (?, ?)",
         ("0E4F1A2B-0000-4000-8000-000000000001", "+86 138 0013 8000")),
        ("INSERT INTO credit_cards (guid, name_on_card, expiration_month, expiration_year,"
         " card_number_encrypted, date_modified, origin, use_count, use_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
         ("7C1D2E3F-0000-4000-8000-000000000002", "ZHANG WEI", 12, 2026, b"v10\x00card\xff",
          t0 // 1000 + 300, "", 0, 0)),
    ])
    bookmarks = {
        "checksum": "00000000000000000000000000000000",
        "roots": {
            "bookmark_bar": {
                "children": [
                    {"date_added": str(wk(t0 - 86400000)), "date_last_used": str(wk(t0 + 30000)),
                     "guid": "3e1c0f6a-1111-4a6b-9c1d-000000000005", "id": "5", "name": "工商银行",
                     "type": "url", "url": "https://www.icbc.com.cn/"},
                    {"children": [
                        {"date_added": str(wk(t0 + 130000)), "date_last_used": "0",
                         "guid": "3e1c0f6a-1111-4a6b-9c1d-000000000007", "id": "7", "name": "快递查询",
                         "type": "url", "url": "http://kuaidi-cn.top/p?id=88"}],
                     "date_added": str(wk(t0 - 86400000)), "date_modified": str(wk(t0 + 130000)),
                     "guid": "3e1c0f6a-1111-4a6b-9c1d-000000000006", "id": "6", "name": "Work",
                     "type": "folder"}],
                "date_added": str(wk(t0 - 86400000 * 2)), "date_modified": str(wk(t0 + 130000)),
                "guid": "0bc5d13f-2cba-5d74-951f-3f233fe6c908", "id": "1", "name": "Bookmarks bar",
                "type": "folder"},
            "other": {"children": [], "date_added": str(wk(t0 - 86400000 * 2)), "date_modified": "0",
                      "guid": "82b081ec-3dd3-529c-8475-ab6c344590dd", "id": "2", "name": "Other bookmarks",
                      "type": "folder"},
            "synced": {"children": [], "date_added": str(wk(t0 - 86400000 * 2)), "date_modified": "0",
                       "guid": "4cf2e351-0e85-532b-bb37-df045d8f8d0f", "id": "3", "name": "Mobile bookmarks",
                       "type": "folder"},
        },
        "version": 1,
    }
    write(f"{chrome}/Bookmarks", json.dumps(bookmarks, ensure_ascii=False, indent=3).encode())
    # localStorage and sessionStorage: real LevelDB folders (tests/fixtures/leveldb/README.md)
    for src, dst in [("localstorage", "Local Storage/leveldb"), ("sessionstorage", "Session Storage")]:
        for name in sorted(os.listdir(f"tests/fixtures/leveldb/{src}")):
            with open(f"tests/fixtures/leveldb/{src}/{name}", "rb") as f:
                write(f"{chrome}/{dst}/{name}", f.read())
    # Samsung Internet: the same History layout under app_sbrowser
    db(f"{root}/data/data/com.sec.android.app.sbrowser/app_sbrowser/Default/History", CHROME_HISTORY, [
        ("INSERT INTO urls VALUES (?, ?, ?, ?, ?, ?, ?)",
         (1, "https://m.jd.com/", "京东", 1, 1, wk(t0 + 300000), 0)),
        ("INSERT INTO visits (id, url, visit_time, from_visit, transition, visit_duration) VALUES (?, ?, ?, ?, ?, ?)",
         (1, 1, wk(t0 + 300000), 0, 0x30000001, 0)),
    ])
    # an app's WebView: Chromium cookies and a legacy localStorage file
    shop = f"{root}/data/data/com.example.shop"
    db(f"{shop}/app_webview/Default/Cookies", CHROME_COOKIES, [
        ("INSERT INTO cookies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         (wk(t0 + 400000), "shop.example.com", "", "cart", "3", b"", "/", 0,
          1, 0, wk(t0 + 400000), 0, 0, 1, 1, 2, 443, wk(t0 + 400000), 0, 0)),
    ])
    db(f"{shop}/app_webview/Local Storage/https_shop.example.com_0.localstorage", LOCALSTORAGE, [
        ("INSERT INTO ItemTable VALUES (?, ?)", ("token", "eyJhbGciOi令牌".encode("utf-16-le"))),
        ("INSERT INTO ItemTable VALUES (?, ?)", ("broken", b"\x00\xd8")),
    ])
    # its legacy WebView HTTP cache index, with the cached file beside it
    db(f"{shop}/databases/webviewCache.db", WEBVIEW_CACHE, [
        ("INSERT INTO cache (url, filepath, lastmodify, etag, expires, expiresstring, mimetype, encoding,"
         " httpstatus, location, contentlength, contentdisposition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         ("https://shop.example.com/static/pay.css", "5a1b2c3d", "Thu, 08 Apr 2021 09:00:00 GMT", None,
          t0 + 86400000, "Fri, 09 Apr 2021 09:20:00 GMT", "text/css", "utf-8", 200, "", 27, None)),
    ])
    write(f"{shop}/cache/webviewCache/5a1b2c3d", b".pay { background: #fff; }\n")
    # the stock Android browser
    ms = t0 - 86400000 * 1000  # the stock browser's era: 2018-07-13
    db(f"{root}/data/data/com.android.browser/databases/browser2.db", STOCK_BROWSER, [
        ("INSERT INTO bookmarks (_id, title, url, folder, parent, position, created, modified, deleted)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r) for r in [
            (1, "Bookmarks", None, 1, None, 0, ms, ms, 0),
            (2, "Banks", None, 1, 1, 0, ms, ms, 0),
            (3, "招商银行", "https://www.cmbchina.com/", 0, 2, 0, ms + 1000, ms + 2000, 0),
            (4, "Removed", "https://gone.example.com/", 0, 1, 1, ms + 3000, ms + 4000, 1),
        ]] + [
        ("INSERT INTO history (title, url, created, date, visits, user_entered) VALUES (?, ?, ?, ?, ?, ?)",
         ("招商银行", "https://www.cmbchina.com/", ms + 500, ms + 5000, 4, 1)),
        ("INSERT INTO searches (search, date) VALUES (?, ?)", ("信用卡 额度", ms + 6000)),
    ])
    # QQ Browser (ms dates)
    qq = f"{root}/data/data/com.tencent.mtt/databases"
    db(f"{qq}/database", QQ_HISTORY, [
        ("INSERT INTO history (NAME, URL, DATETIME) VALUES (?, ?, ?)",
         ("QQ邮箱", "https://mail.qq.com/", t0 + 500000)),
    ])
    db(f"{qq}/default_user.db", QQ_USER, [
        ("INSERT INTO mtt_bookmarks (title, url, folder, parent_id, created) VALUES (?, ?, ?, ?, ?)",
         ("腾讯新闻", "https://news.qq.com/", 0, 0, t0 + 510000)),
        ("INSERT INTO search_history (NAME, URL, DATETIME) VALUES (?, ?, ?)",
         ("兼职 刷单", "https://www.sogou.com/web?query=%E5%85%BC%E8%81%8C", t0 + 520000)),
    ])
    db(f"{qq}/download_database", QQ_DOWNLOAD, [
        ("INSERT INTO download (url, filename, totalsize, createdate, donedate, costtime) VALUES (?, ?, ?, ?, ?, ?)",
         ("https://dl.example.cn/shuadan.apk", "shuadan.apk", 1048576, t0 + 530000, t0 + 531000, 1000)),
    ])
    # UC Browser (ms dates); a search is a page named 网页搜索_<term>
    uc = f"{root}/data/data/com.UCMobile/databases"
    db(f"{uc}/history", UC_HISTORY, [
        ("INSERT INTO history (id, name, url, original_url, visited_time, host, visited_count) VALUES (?, ?, ?, ?, ?, ?, ?)", r)
        for r in [
            (1, "网页搜索_贷款 秒批", "https://m.sm.cn/s?q=%E8%B4%B7%E6%AC%BE", "https://m.sm.cn/s?q=%E8%B4%B7%E6%AC%BE",
             t0 + 600000, "m.sm.cn", 1),
            (2, "秒批贷款 - 首页", "https://loan.example.cn/", "https://t.cn/abc", t0 + 610000, "loan.example.cn", 2),
        ]])
    db(f"{uc}/default_user.db", UC_USER, [
        ("INSERT INTO bookmark (luid, guid, parent_id, title, url, folder, last_modify_time, create_time)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r) for r in [
            (10, "g10", 0, "金融", None, 1, t0, t0),
            (11, "g11", 10, "秒批贷款", "https://loan.example.cn/", 0, t0 + 620000, t0 + 620000),
        ]])


# ---- photos, videos and accounts (lib/android/photos.c, accounts.c) ----

def code_image(name):
    """A committed image of tests/fixtures/codes (see its README)."""
    with open(f"tests/fixtures/codes/{name}", "rb") as f:
        return f.read()


def bx(typ, payload):
    """An ISO base media box."""
    return struct.pack(">I", 8 + len(payload)) + typ + payload


def fullbx(typ, version, flags, payload):
    return bx(typ, struct.pack(">I", version << 24 | flags) + payload)


def exif_tiff(ifd0, exif, gps, big_endian=True):
    """A TIFF block (EXIF): entries are (tag, type, count, value bytes); IFD0 points at the others."""
    e = ">" if big_endian else "<"
    ifd0 = sorted(ifd0 + [(0x8769, 4, 1, None), (0x8825, 4, 1, None)])
    exif, gps = sorted(exif), sorted(gps)
    at0 = 8
    at_exif = at0 + 2 + 12 * len(ifd0) + 4
    at_gps = at_exif + 2 + 12 * len(exif) + 4
    data_at = at_gps + 2 + 12 * len(gps) + 4
    data = b""

    def ifd(entries):
        nonlocal data
        out = struct.pack(e + "H", len(entries))
        for tag, typ, count, value in entries:
            if value is None:
                value = struct.pack(e + "I", at_exif if tag == 0x8769 else at_gps)
            if len(value) <= 4:
                out += struct.pack(e + "HHI", tag, typ, count) + value.ljust(4, b"\0")
            else:
                out += struct.pack(e + "HHII", tag, typ, count, data_at + len(data))
                data += value + (b"\0" if len(value) % 2 else b"")
        return out + struct.pack(e + "I", 0)

    body = ifd(ifd0) + ifd(exif) + ifd(gps)
    return (b"MM\0*" if big_endian else b"II*\0") + struct.pack(e + "I", 8) + body + data


def t_ascii(tag, text):
    b = text.encode() + b"\0"
    return (tag, 2, len(b), b)


def t_short(tag, v):
    return (tag, 3, 1, struct.pack(">H", v))


def t_long(tag, v):
    return (tag, 4, 1, struct.pack(">I", v))


def t_rational(tag, *pairs):
    return (tag, 5, len(pairs), b"".join(struct.pack(">II", n, d) for n, d in pairs))


def heic_with_exif():
    """A HEIC as Samsung phones write them, minus the coded picture: ftyp, meta (hdlr, pitm,
    iinf, iloc, iprp with ispe), mdat with a stand-in image item and the Exif item."""
    tiff = exif_tiff(
        [t_ascii(0x010f, "samsung"), t_ascii(0x0110, "SM-G991B"), t_short(0x0112, 6),
         t_ascii(0x0131, "G991BXXU5CVLL"), t_ascii(0x0132, "2021:04:08 17:20:00")],
        [t_ascii(0x9003, "2021:04:08 17:20:00"), t_ascii(0x9011, "+08:00"), t_ascii(0x9291, "250"),
         t_long(0xa002, 4032), t_long(0xa003, 3024)],
        [(0x0000, 1, 4, bytes([2, 2, 0, 0])), t_ascii(0x0001, "N"),
         t_rational(0x0002, (39, 1), (54, 1), (1512, 100)), t_ascii(0x0003, "E"),
         t_rational(0x0004, (116, 1), (24, 1), (2664, 100)), (0x0005, 1, 1, b"\0"),
         t_rational(0x0006, (445, 10)), t_rational(0x0007, (9, 1), (20, 1), (0, 1)),
         t_ascii(0x001d, "2021:04:08")])
    exif_item = struct.pack(">I", 6) + b"Exif\0\0" + tiff
    picture = b"\0\0\0\x18stand-in for HEVC data"
    ftyp = bx(b"ftyp", b"heic" + struct.pack(">I", 0) + b"mif1heic")

    def meta(at_picture, at_exif):
        hdlr = fullbx(b"hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 13)
        pitm = fullbx(b"pitm", 0, 0, struct.pack(">H", 1))
        iinf = fullbx(b"iinf", 0, 0, struct.pack(">H", 2)
                      + fullbx(b"infe", 2, 0, struct.pack(">HH", 1, 0) + b"hvc1\0")
                      + fullbx(b"infe", 2, 0, struct.pack(">HH", 2, 0) + b"Exif\0"))
        iloc = fullbx(b"iloc", 0, 0, bytes([0x44, 0x00]) + struct.pack(">H", 2)
                      + struct.pack(">HHHII", 1, 0, 1, at_picture, len(picture))
                      + struct.pack(">HHHII", 2, 0, 1, at_exif, len(exif_item)))
        ipco = bx(b"ipco", fullbx(b"ispe", 0, 0, struct.pack(">II", 4032, 3024)))
        ipma = fullbx(b"ipma", 0, 0, struct.pack(">IHB", 1, 1, 1) + bytes([0x81]))
        return fullbx(b"meta", 0, 0, hdlr + pitm + iinf + iloc + bx(b"iprp", ipco + ipma))

    at_picture = len(ftyp) + len(meta(0, 0)) + 8
    return ftyp + meta(at_picture, at_picture + len(picture)) + bx(b"mdat", picture + exif_item)


def mp4_video(created_unix, duration_ms, width, height, iso6709):
    """An MP4 as Android's MPEG4Writer lays it out: ftyp, mdat, moov (mvhd, a sound track, a
    picture track, udta with the place in (c)xyz). Times are seconds since 1904, UTC."""
    created = created_unix + 2082844800
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = fullbx(b"mvhd", 0, 0, struct.pack(">IIII", created, created, 1000, duration_ms)
                  + struct.pack(">IH", 0x10000, 0x100) + b"\0" * 10 + matrix + b"\0" * 24
                  + struct.pack(">I", 3))

    def trak(track, w, h):
        tkhd = fullbx(b"tkhd", 0, 7, struct.pack(">IIIII", created, created, track, 0, duration_ms)
                      + b"\0" * 8 + struct.pack(">HHHH", 0, 0, 0 if w else 0x100, 0) + matrix
                      + struct.pack(">II", w << 16, h << 16))
        return bx(b"trak", tkhd)

    loc = iso6709.encode()
    udta = bx(b"udta", bx(b"\xa9xyz", struct.pack(">HH", len(loc), 0x15c7) + loc))
    moov = bx(b"moov", mvhd + trak(1, 0, 0) + trak(2, width, height) + udta)
    return (bx(b"ftyp", b"isom" + struct.pack(">I", 0) + b"isommp42")
            + bx(b"mdat", b"\0" * 64) + moov)


ACCOUNTS_CE = """
CREATE TABLE accounts ( _id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
 type TEXT NOT NULL, password TEXT, UNIQUE(name,type));
CREATE TABLE authtokens (  _id INTEGER PRIMARY KEY AUTOINCREMENT,  accounts_id INTEGER NOT NULL,
 type TEXT NOT NULL,  authtoken TEXT,  UNIQUE (accounts_id,type));
CREATE TABLE extras ( _id INTEGER PRIMARY KEY AUTOINCREMENT, accounts_id INTEGER,
 key TEXT NOT NULL, value TEXT, UNIQUE(accounts_id,key));
"""

ACCOUNTS_DE = """
CREATE TABLE accounts ( _id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
 previous_name TEXT, last_password_entry_time_millis_epoch INTEGER DEFAULT 0, UNIQUE(name,type));
CREATE TABLE meta ( key TEXT PRIMARY KEY NOT NULL, value TEXT);
CREATE TABLE grants (  accounts_id INTEGER NOT NULL, auth_token_type STRING NOT NULL,
 uid INTEGER NOT NULL,  UNIQUE (accounts_id,auth_token_type,uid));
CREATE TABLE shared_accounts ( _id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
 type TEXT NOT NULL, UNIQUE(name,type));
CREATE TABLE debug_table ( _id INTEGER,action_type TEXT NOT NULL, time DATETIME,
 caller_uid INTEGER NOT NULL,table_name TEXT NOT NULL,primary_key INTEGER PRIMARY KEY);
CREATE TABLE visibility ( accounts_id INTEGER NOT NULL, _package TEXT NOT NULL, value INTEGER,
 PRIMARY KEY(accounts_id,_package));
"""

# Before Android 7: one database with all of it (AccountManagerService, version 9).
ACCOUNTS_LEGACY = """
CREATE TABLE accounts ( _id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
 type TEXT NOT NULL, password TEXT, previous_name TEXT,
 last_password_entry_time_millis_epoch INTEGER DEFAULT 0, UNIQUE(name,type));
CREATE TABLE authtokens (  _id INTEGER PRIMARY KEY AUTOINCREMENT,  accounts_id INTEGER NOT NULL,
 type TEXT NOT NULL,  authtoken TEXT,  UNIQUE (accounts_id,type));
CREATE TABLE grants (  accounts_id INTEGER NOT NULL, auth_token_type STRING NOT NULL,
 uid INTEGER NOT NULL,  UNIQUE (accounts_id,auth_token_type,uid));
CREATE TABLE extras ( _id INTEGER PRIMARY KEY AUTOINCREMENT, accounts_id INTEGER,
 key TEXT NOT NULL, value TEXT, UNIQUE(accounts_id,key));
CREATE TABLE meta ( key TEXT PRIMARY KEY NOT NULL, value TEXT);
"""


def a12_media_accounts(root):
    sd = f"{root}/data/media/0"
    write(f"{sd}/Pictures/WeiXin/mmqrcode1617873500000.png", code_image("qr-wxp.png"))
    write(f"{sd}/Pictures/WeiXin/wx_camera_1617873600000.webp", code_image("qr-weixin.webp"))
    write(f"{sd}/Pictures/Screenshots/Screenshot_20210408-172100.png", code_image("screenshot.png"))
    write(f"{sd}/Download/收款码.PNG", code_image("qr-zh.png"))
    write(f"{sd}/Tencent/QQ_Images/qr_gbk.png", code_image("qr-gbk.png"))
    write(f"{sd}/Pictures/Taobao/barcode.png", code_image("ean13.png"))
    write(f"{sd}/DCIM/Camera/20210408_172000.heic", heic_with_exif())
    write(f"{sd}/DCIM/Camera/20210408_172500.mp4",
          mp4_video(1617873900, 12345, 1920, 1080, "+39.9042+116.4074/"))
    db(f"{root}/data/system_ce/0/accounts_ce.db", ACCOUNTS_CE, [
        ("INSERT INTO accounts (_id, name, type, password) VALUES (?, ?, ?, ?)", r) for r in [
            (1, "li.na@example.com", "com.google", "aas_et/AKppINa3fakeMasterToken=="),
            (2, "wxid_8k2j3h4g5f6d", "com.tencent.mm.account", None),
            (3, "+8613800138000", "com.whatsapp", ""),
        ]] + [
        ("INSERT INTO authtokens (accounts_id, type, authtoken) VALUES (?, ?, ?)", r) for r in [
            (1, "oauth2:https://www.googleapis.com/auth/gmail.readonly", "ya29.fake-token-1"),
            (1, "SID", "fake-sid"),
        ]] + [
        ("INSERT INTO extras (accounts_id, key, value) VALUES (?, ?, ?)", r) for r in [
            (1, "services", "mail,talk"), (1, "GoogleUserId", "104857600012345678901"),
            (2, "uin", "1234567890"),
        ]])
    db(f"{root}/data/system_de/0/accounts_de.db", ACCOUNTS_DE, [
        ("INSERT INTO accounts (_id, name, type, previous_name, last_password_entry_time_millis_epoch)"
         " VALUES (?, ?, ?, ?, ?)", r) for r in [
            (1, "li.na@example.com", "com.google", None, 1617800000000),
            (2, "wxid_8k2j3h4g5f6d", "com.tencent.mm.account", None, 0),
            (3, "+8613800138000", "com.whatsapp", "+86 138 0013 8000", 1617000000000),
        ]] + [
        ("INSERT INTO grants VALUES (?, ?, ?)",
         (1, "oauth2:https://www.googleapis.com/auth/gmail.readonly", 10123)),
        ("INSERT INTO visibility VALUES (?, ?, ?)", (1, "com.google.android.gm", 1)),
        ("INSERT INTO visibility VALUES (?, ?, ?)", (1, "com.tencent.mm", 3)),
        ("INSERT INTO debug_table VALUES (?, ?, ?, ?, ?, ?)",
         (1, "action_called_account_add", "2021-04-07 20:53:19", 10045, "accounts", 0)),
        ("INSERT INTO debug_table VALUES (?, ?, ?, ?, ?, ?)",
         (1, "action_account_add", "2021-04-07 20:53:20", 1000, "accounts", 1)),
    ])


def a6_accounts(root):
    db(f"{root}/data/system/users/0/accounts.db", ACCOUNTS_LEGACY, [
        ("INSERT INTO accounts (_id, name, type, password, last_password_entry_time_millis_epoch)"
         " VALUES (?, ?, ?, ?, ?)", r) for r in [
            (1, "anna@example.ch", "com.google", "aas_et/legacyFakeToken", 1459400000000),
            # a third-party authenticator that keeps the password itself
            (2, "anna.muster", "ch.example.mail", "Sommer2016!", 0),
        ]] + [
        ("INSERT INTO authtokens (accounts_id, type, authtoken) VALUES (?, ?, ?)", (1, "mail", "t1")),
        ("INSERT INTO grants VALUES (?, ?, ?)", (2, "mail", 10057)),
    ])


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    a12(f"{OUT}/a12")
    a6(f"{OUT}/a6/filesystem1")
    web(f"{OUT}/web")
    with open(f"{OUT}/README.md", "w") as f:
        f.write("Generated by scripts/make-android-fixtures.py from the AOSP provider schemas;\n"
                "content made up for the tests. Do not edit by hand: rerun the script.\n")


if __name__ == "__main__":
    main()
