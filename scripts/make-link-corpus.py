#!/usr/bin/env python3
"""Generate the labelled corpus of fx-link's extraction benchmark.

Writes tests/fixtures/link/corpus.jsonl (note and sms records whose text
is Chinese or English messages with planted indicators and look-alikes
that must not match) and tests/fixtures/link/truth.jsonl (per record id,
the indicators that are there: kind and normalised value). A fixed seed
makes the same files every time.

    scripts/make-link-corpus.py [N] [OUTDIR]
"""
import hashlib
import json
import os
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "tests", "fixtures", "link")
rnd = random.Random(20261123)

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
CS32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def b58check(payload):
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + s


def polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (b >> i) & 1 else 0
    return chk


def segwit(version, program):
    acc, bits, data = 0, 0, [version]
    for b in program:
        acc = acc << 8 | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append(acc >> bits & 31)
    if bits:
        data.append(acc << (5 - bits) & 31)
    const = 1 if version == 0 else 0x2BC830A3
    hrp = [ord(c) >> 5 for c in "bc"] + [0] + [ord(c) & 31 for c in "bc"]
    pm = polymod(hrp + data + [0] * 6) ^ const
    data += [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(CS32[d] for d in data)


def luhn_complete(prefix, length):
    body = prefix + "".join(rnd.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def tlv(tag, value):
    return "%02d%02d%s" % (tag, len(value), value)


def emvco(name, city):
    body = (tlv(0, "01") + tlv(1, "12") + tlv(26, tlv(0, "com.example.pay") +
                                               tlv(1, "%010d" % rnd.randrange(10**10))) +
            tlv(52, "5812") + tlv(53, "156") + tlv(54, "%d.%02d" % (rnd.randrange(1, 999),
                                                                    rnd.randrange(100))) +
            tlv(58, "CN") + tlv(59, name) + tlv(60, city) + "6304")
    return body + "%04X" % crc16(body.encode())


# EIP-55 examples (the specification's own test vectors).
ETH = ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
       "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]
SUFFIXES = ["com", "cn", "com.cn", "top", "net", "xyz", "org", "co.uk", "io", "shop", "vip"]
WORDS = ["kuaidi", "pay", "secure", "bank", "verify", "login", "wallet", "shop", "mall", "tx",
         "fast", "cloud", "help", "gift", "union", "jd", "express", "refund", "loan", "invest"]


def label():
    w = rnd.choice(WORDS)
    return w + rnd.choice(["", "-cn", "88", "-pay", "24", "online", "-hk", "666"])


def host():
    h = label() + "." + rnd.choice(SUFFIXES)
    return ("www." + h) if rnd.random() < 0.3 else h


def cn_mobile():
    return "1" + rnd.choice("3456789") + "".join(rnd.choice("0123456789") for _ in range(9))


def phone():
    """A planted number as written, and its E.164 form."""
    r = rnd.random()
    if r < 0.6:
        m = cn_mobile()
        fmt = rnd.choice(["{}", "{} {} {}", "{}-{}-{}", "+86 {} {} {}", "+86{}", "0086 {}"])
        if fmt.count("{}") == 3:
            w = fmt.format(m[:3], m[3:7], m[7:])
        else:
            w = fmt.format(m)
        return w, "+86" + m
    if r < 0.8:
        area, n = rnd.choice([("10", 8), ("21", 8), ("755", 8), ("571", 8), ("20", 8), ("898", 7)])
        sub = rnd.choice("2345678") + "".join(rnd.choice("0123456789") for _ in range(n - 1))
        w = rnd.choice(["0{}-{}", "(0{}) {}", "0{} {}"]).format(area, sub)
        return w, "+86" + area + sub
    cc, fmt, digits = rnd.choice([("1", "+1 {} {} {}", (3, 3, 4)), ("44", "+44 {} {} {}", (2, 4, 4)),
                                  ("41", "+41 {} {} {}", (2, 3, 4)), ("852", "+852 {} {}", (4, 4))])
    parts = []
    for i, k in enumerate(digits):
        first = "23456789" if i == 0 or (cc == "1" and i == 1) else "0123456789"
        parts.append(rnd.choice(first) + "".join(rnd.choice("0123456789") for _ in range(k - 1)))
    return fmt.format(*parts), "+" + cc + "".join(parts)


def ipv4(public=None):
    if public is None:
        public = rnd.random() < 0.7
    if public:
        a = rnd.choice([8, 23, 45, 61, 101, 114, 119, 123, 180, 203, 211, 218])
        return "%d.%d.%d.%d" % (a, rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
    return rnd.choice(["10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)),
                       "192.168.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255)),
                       "172.16.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255))])


def ipv6():
    groups = ["%x" % rnd.randrange(1, 0xFFFF) for _ in range(4)]
    return rnd.choice(["2400:3200", "2001:4860", "240e:ff", "2409:8c54"]) + ":" + ":".join(
        groups[:2]) + "::" + groups[3]


def planted():
    """One planted indicator: (text, [(kind, value), …])."""
    k = rnd.choice(["phone", "phone", "phone", "url", "url", "email", "email", "ip", "ip", "card",
                    "crypto", "account", "payqr", "domain"])
    if k == "phone":
        w, v = phone()
        return w, [("phone", v)]
    if k == "url":
        h = host()
        if rnd.random() < 0.15:
            ip = ipv4(True)
            u = "http://%s/%s" % (ip, rnd.choice(["login", "a/b.php?id=%d" % rnd.randrange(999)]))
            return u, [("url", u), ("ip", ip)]
        path = rnd.choice(["", "/", "/p?id=%d" % rnd.randrange(9999), "/login.html",
                           "/s/%x" % rnd.randrange(1 << 32), "/refund?from=sms&t=%d" % rnd.randrange(99)])
        if h.startswith("www.") and rnd.random() < 0.5:
            return h + path, [("url", "http://" + h + path), ("domain", h)]
        u = rnd.choice(["http://", "https://"]) + h + path
        return u, [("url", u), ("domain", h)]
    if k == "email":
        local = rnd.choice(["zhang.wei", "li_na", "service", "kefu", "admin", "wang%d" % rnd.randrange(999)])
        h = label() + "." + rnd.choice(SUFFIXES)
        return "%s@%s" % (local, h), [("email", "%s@%s" % (local, h)), ("domain", h)]
    if k == "ip":
        if rnd.random() < 0.2:
            v = ipv6()
            return v, [("ip", v)]
        v = ipv4()
        return v, [("ip", v)]
    if k == "domain":
        h = label() + "." + rnd.choice(SUFFIXES)
        return h, [("domain", h)]
    if k == "card":
        prefix, n = rnd.choice([("4", 16), ("51", 16), ("55", 16), ("622202", 16), ("621700", 19),
                                ("37", 15), ("3530", 16)])
        c = luhn_complete(prefix, n)
        if n == 16 and rnd.random() < 0.5:
            w = " ".join(c[i:i + 4] for i in range(0, 16, 4))
        else:
            w = c
        return w, [("card", c)]
    if k == "crypto":
        r = rnd.random()
        if r < 0.3:
            v = b58check(bytes([rnd.choice([0, 5])]) + rnd.randbytes(20))
        elif r < 0.5:
            v = segwit(0, rnd.randbytes(rnd.choice([20, 32])))
        elif r < 0.6:
            v = segwit(1, rnd.randbytes(32))
        elif r < 0.8:
            v = b58check(bytes([0x41]) + rnd.randbytes(20))
        else:
            v = rnd.choice(ETH) if rnd.random() < 0.5 else "0x" + rnd.randbytes(20).hex()
        return v, [("crypto", v)]
    if k == "account":
        r = rnd.random()
        if r < 0.4:
            wid = rnd.choice("abcdefghkmnpqrstwxyz") + "".join(
                rnd.choice("abcdefghijkmnpqrstuvwxyz0123456789_") for _ in range(rnd.randrange(6, 14)))
            return rnd.choice(["微信号：", "微信: ", "WeChat ID: ", "加微信 "]) + wid, [("account", "wechat:" + wid)]
        if r < 0.7:
            q = str(rnd.randrange(10000, 3999999999))
            return rnd.choice(["QQ：", "QQ号 ", "qq: "]) + q, [("account", "qq:" + q)]
        m = cn_mobile()
        return rnd.choice(["支付宝账号：", "支付宝 ", "Alipay: "]) + m, [("account", "alipay:+86" + m),
                                                                     ("phone", "+86" + m)]
    # payqr
    r = rnd.random()
    if r < 0.35:
        v = "wxp://f2f0" + "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
                                   for _ in range(24))
        return v, [("payqr", v)]
    if r < 0.7:
        v = "https://qr.alipay.com/fkx" + "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                                  for _ in range(18))
        return v, [("url", v), ("payqr", v), ("domain", "qr.alipay.com")]
    v = emvco(rnd.choice(["BEST TRANSPORT", "SHOP 88", "CAFE"]), rnd.choice(["BEIJING", "SHENZHEN"]))
    return v, [("payqr", v)]


def lookalike():
    """Text that must yield no indicator."""
    k = rnd.randrange(14)
    if k == 0:  # a card with the wrong check digit
        c = luhn_complete(rnd.choice(["4", "622202", "51"]), 16)
        return c[:-1] + str((int(c[-1]) + rnd.randrange(1, 10)) % 10)
    if k == 1:  # a wallet with one character changed
        v = b58check(bytes([0]) + rnd.randbytes(20))
        i = rnd.randrange(5, len(v))
        return v[:i] + rnd.choice([c for c in B58 if c != v[i]]) + v[i + 1:]
    if k == 2:  # EIP-55 with one letter's case flipped
        v = rnd.choice(ETH)
        idx = [i for i in range(2, 42) if v[i].isalpha()]
        i = rnd.choice(idx)
        return v[:i] + v[i].swapcase() + v[i + 1:]
    if k == 3:  # version numbers that look like IPs
        return rnd.choice(["version ", "v", "版本 ", "固件版本：", "Build "]) + "%d.%d.%d.%d" % (
            rnd.randrange(1, 20), rnd.randrange(10), rnd.randrange(10), rnd.randrange(100))
    if k == 4:  # dates and times that look like phone numbers
        y, m, d = rnd.randrange(2015, 2026), rnd.randrange(1, 13), rnd.randrange(1, 29)
        return rnd.choice(["%d-%02d-%02d", "%d%02d%02d", "%d.%02d.%02d", "%d/%02d/%02d"]) % (y, m, d) + \
            rnd.choice(["", " %02d:%02d" % (rnd.randrange(24), rnd.randrange(60)),
                        " %02d:%02d:%02d" % (rnd.randrange(24), rnd.randrange(60), rnd.randrange(60))])
    if k == 5:  # amounts, order numbers, ms timestamps
        return rnd.choice(["%d.%02d元" % (rnd.randrange(100, 99999), rnd.randrange(100)),
                           "订单号 %d" % rnd.randrange(10**15, 10**16 - 1),
                           "ts=%d" % rnd.randrange(1500000000000, 1700000000000),
                           "¥%d" % rnd.randrange(1000, 99999)])
    if k == 6:  # an IMEI and an ID card number
        return rnd.choice(["IMEI " + luhn_complete("35", 15),
                           "身份证 11010119%02d%02d%02d%04d" % (rnd.randrange(60, 99), rnd.randrange(1, 13),
                                                               rnd.randrange(1, 29), rnd.randrange(10000))])
    if k == 7:  # file and package names
        return rnd.choice(["photo_%d.jpg" % rnd.randrange(999), "报告.pdf", "readme.md", "com.tencent.mm",
                           "com.eg.android.AlipayGphone", "setup.sh", "data.zip", "IMG_%04d.PNG" % rnd.randrange(9999)])
    if k == 8:  # numbers without a label
        return rnd.choice(["编号 %d" % rnd.randrange(10000, 99999999), "房间 %d" % rnd.randrange(100, 9999),
                           "QQ群", "微信支付", "验证码 %06d" % rnd.randrange(10**6)])
    if k == 9:  # not addresses
        return rnd.choice(["999.%d.1.1" % rnd.randrange(256), "1.2.3", "256.256.256.256",
                           "5c:cb:99:%02x:%02x:%02x" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)),
                           "%02d:%02d:%02d" % (rnd.randrange(24), rnd.randrange(60), rnd.randrange(60))])
    if k == 10:  # a payment code with a bad CRC
        v = emvco("SHOP", "BEIJING")
        return v[:-1] + ("0" if v[-1] != "0" else "1")
    if k == 11:  # e-mail-like text that is not one
        return rnd.choice(["@%s" % label(), "user@localhost", "a@b", "x@photo.jpg"])
    if k == 12:  # unknown top-level domains
        return rnd.choice(["http://intranet/login", "%s.local" % label(), "%s.invalid" % label()])
    return rnd.choice(["short 12345", "tel 1234567", "+8", "0000 0000 0000 0000"])


ZH = ["您好，{}，请尽快处理。", "【通知】{} 已登记，{}。", "对方说 {}，又发了 {}。", "转账前核对 {} 和 {}",
      "请联系 {} 或看 {}", "客服：{}；备注 {}。", "{}，谢谢！", "退款链接 {} 有效期至 {}"]
EN = ["Hi, please check {} asap.", "Contact {} or {} today.", "Your parcel: {} ({}).",
      "Refund via {} before {}.", "Ref {}, see {}.", "{} - thanks", "note: {} / {}"]


def record(i):
    tpl = rnd.choice(ZH if rnd.random() < 0.6 else EN)
    slots = tpl.count("{}")
    texts, truth = [], []
    for _ in range(slots):
        if rnd.random() < 0.65:
            t, tr = planted()
            texts.append(t)
            truth += tr
        else:
            texts.append(lookalike())
    text = tpl.format(*texts)
    t = "2021-%02d-%02dT%02d:%02d:%02d.000Z" % (rnd.randrange(1, 13), rnd.randrange(1, 29), rnd.randrange(24),
                                                rnd.randrange(60), rnd.randrange(60))
    if rnd.random() < 0.5:
        rec = {"v": 1, "type": "note", "case": "bench", "tool": "corpus", "time": t, "data": {"text": text}}
    else:
        rec = {"v": 1, "type": "sms", "case": "bench", "tool": "corpus", "time": t,
               "data": {"body": text, "direction": rnd.choice(["in", "out"])}}
    return rec, truth


def canonical(rec):
    return json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "corpus.jsonl"), "w", encoding="utf-8") as c, \
            open(os.path.join(OUT, "truth.jsonl"), "w", encoding="utf-8") as t:
        for i in range(N):
            rec, truth = record(i)
            rid = hashlib.sha256(canonical(rec).encode()).hexdigest()
            rec["id"] = rid
            c.write(canonical(rec) + "\n")
            uniq = sorted(set(truth))
            t.write(json.dumps({"id": rid, "indicators": [{"kind": k, "value": v} for k, v in uniq]},
                               ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")


main()
