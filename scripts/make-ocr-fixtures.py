#!/usr/bin/python3
"""Draws the images fx-ocr is tested and measured on.

    scripts/make-ocr-fixtures.py about [--seed N] [--count N] [--kind K] DIR
    scripts/make-ocr-fixtures.py fixtures [DIR]

about: "About phone" pages as a phone would show them, with random but
valid identifiers (IMEIs with their Luhn check digit, MEIDs, serials, MAC
addresses, phone numbers), in English or Chinese, in the stock Android
layout (label above value) or the two-column one of Chinese ROMs, light or
dark; half of them then photographed: the screen put on a desk, seen at an
angle (perspective), turned, blurred, noisy, unevenly lit, sometimes washed
out (low contrast), saved as JPEG. --kind clean or photo makes only one
sort. DIR gets the images and truth.jsonl: per image the values drawn, for
the tests and the benchmark (scripts/bench.sh) to compare with.

fixtures: the small committed set of tests/fixtures/ocr/ (see its README):
a few About pages, a payment-code screenshot (qrencode), frame sequences
for prompt-check, a steps file, an identity card, and bad inputs.

Deterministic: the same seed gives the same bytes. Needs Debian's
python3-pil, fonts-dejavu-core, fonts-roboto-unhinted,
fonts-wqy-microhei and qrencode (scripts/install-deps.sh).
"""
import argparse
import io
import json
import os
import random
import subprocess
import sys
import zlib
import struct

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont

FONTS = {
    "roboto": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
    "roboto-medium": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "cjk": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
}
_font_cache = {}


def font(name, size):
    key = (name, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(FONTS[name], size)
    return _font_cache[key]


# ---- identifiers ----

def luhn_digit(body):
    """The Luhn check digit of a string of digits (the IMEI's 15th)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


# Type allocation codes of the sort GSMA gives out (35… worldwide, 86… China).
TAC_HEADS = ["35", "86", "35", "86", "01", "99"]


def imei(rng):
    body = rng.choice(TAC_HEADS) + "".join(rng.choice("0123456789") for _ in range(12))
    return body + luhn_digit(body)


def imei_near(rng, first):
    """A dual-SIM phone's second IMEI: same TAC, another serial."""
    body = first[:8] + "".join(rng.choice("0123456789") for _ in range(6))
    return body + luhn_digit(body)


def meid(rng):
    return "A0" + "".join(rng.choice("0123456789ABCDEF") for _ in range(12))


# Serial alphabets leave out I and O, as makers do, so that they are not
# taken for 1 and 0 by people either.
SER_UP = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def serial(rng, brand):
    if brand == "samsung":
        return "R" + rng.choice("5") + rng.choice("2589") + rng.choice("MNRT") + \
            "".join(rng.choice(SER_UP) for _ in range(7))
    if brand in ("Xiaomi", "Redmi", "OPPO", "vivo", "OnePlus"):
        return "".join(rng.choice("0123456789abcdef") for _ in range(8))
    if brand in ("HUAWEI", "HONOR"):
        return "".join(rng.choice(SER_UP) for _ in range(16))
    return "".join(rng.choice(SER_UP) for _ in range(rng.choice([12, 14])))


def mac(rng):
    return ":".join("%02x" % rng.randrange(256) for _ in range(6))


def phone(rng, lang):
    if lang == "zh" or rng.random() < 0.5:
        n = rng.choice(["138", "139", "150", "186", "177", "199"]) + \
            "".join(rng.choice("0123456789") for _ in range(8))
        if rng.random() < 0.5:
            return "+86 %s %s %s" % (n[:3], n[3:7], n[7:]), "+86" + n
        return "%s %s %s" % (n[:3], n[3:7], n[7:]), n
    n = "".join(rng.choice("23456789") for _ in range(1)) + \
        "".join(rng.choice("0123456789") for _ in range(9))
    return "+1 %s-%s-%s" % (n[:3], n[3:6], n[6:]), "+1" + n


MODELS = {
    "samsung": ["SM-G991B", "SM-S9180", "SM-A5360", "SM-F9460", "SM-G9980"],
    "Xiaomi": ["Xiaomi 13", "2211133C", "Mi 11 Ultra", "Xiaomi 12S Pro"],
    "Redmi": ["Redmi K60", "Redmi Note 12 Turbo", "22081212C", "Redmi K40"],
    "HUAWEI": ["ELS-AN00", "NOH-AN00", "HUAWEI Mate 40 Pro", "JAD-AL50"],
    "HONOR": ["ANY-AN00", "HONOR 80 GT", "PGT-AN10"],
    "OPPO": ["PGEM10", "OPPO Find X6", "PHW110", "OPPO Reno9"],
    "vivo": ["V2241A", "vivo X90", "V2217A", "vivo S16"],
    "OnePlus": ["PHB110", "OnePlus 11", "NE2210"],
    "Google": ["Pixel 7", "Pixel 6a", "Pixel 8 Pro", "Pixel 7a"],
}

EN = {
    "title": "About phone", "device_name": "Device name", "phone": "Phone number",
    "model": "Model", "brand": "Brand", "serial": "Serial number",
    "imei": "IMEI", "imei1": "IMEI (SIM slot 1)", "imei2": "IMEI (SIM slot 2)",
    "meid": "MEID", "android_version": "Android version", "wifi_mac": "Wi-Fi MAC address",
    "bt_mac": "Bluetooth address", "build": "Build number", "ip": "IP address",
    "baseband": "Baseband version", "kernel": "Kernel version", "patch": "Android security update",
    "imeisv": "IMEI SV", "ram": "RAM", "storage": "Storage", "cpu": "Processor",
}
ZH = {
    "title": "关于手机", "device_name": "设备名称", "phone": "本机号码",
    "model": "型号", "brand": "品牌", "serial": "序列号",
    "imei": "IMEI", "imei1": "IMEI1", "imei2": "IMEI2",
    "meid": "MEID", "android_version": "Android 版本", "wifi_mac": "WLAN MAC 地址",
    "bt_mac": "蓝牙地址", "build": "版本号", "ip": "IP 地址",
    "baseband": "基带版本", "kernel": "内核版本", "patch": "安全补丁级别",
    "imeisv": "IMEI SV", "ram": "运行内存", "storage": "机身存储", "cpu": "处理器",
}
# Other spellings makers use for the same labels.
EN_ALT = {"imei1": ["IMEI 1", "IMEI1", "IMEI (slot 1)"], "imei2": ["IMEI 2", "IMEI2", "IMEI (slot 2)"],
          "model": ["Model", "Model number"], "wifi_mac": ["Wi-Fi MAC address", "WLAN MAC address"],
          "phone": ["Phone number", "My phone number"]}
ZH_ALT = {"model": ["型号", "设备型号"], "phone": ["本机号码", "手机号码"],
          "imei1": ["IMEI1", "IMEI 1"], "imei2": ["IMEI2", "IMEI 2"],
          "android_version": ["Android 版本", "安卓版本"], "wifi_mac": ["WLAN MAC 地址", "Wi-Fi MAC 地址"]}


def device(rng, lang):
    """A device's values: what the page shows and what the reader must find."""
    brand = rng.choice(list(MODELS))
    d = {"brand": brand, "model": rng.choice(MODELS[brand]), "serial": serial(rng, brand),
         "android_version": str(rng.choice([10, 11, 12, 13, 14]))}
    d["imei"] = imei(rng)
    if rng.random() < 0.75:
        d["imei2"] = imei_near(rng, d["imei"])
    if rng.random() < (0.45 if lang == "zh" else 0.15):
        d["meid"] = meid(rng)
    if rng.random() < 0.7:
        d["phone_shown"], d["phone"] = phone(rng, lang)
    if rng.random() < 0.8:
        d["wifi_mac"] = mac(rng)
    if rng.random() < 0.7:
        d["bt_mac"] = mac(rng)
    if rng.random() < 0.6:
        d["brand_shown"] = True
    return d


def distractors(rng, d, lang):
    """Rows that are not wanted but look alike: numbers, versions, addresses."""
    rows = [("build", rng.choice(["TQ3A.230805.001", "V14.0.6.0.TKHCNXM", "4.0.0.128(C00E120R2P6)",
                                   "PGEM10_11_A.25", "UP1A.231005.007"])),
            ("ip", "192.168.%d.%d" % (rng.randrange(256), rng.randrange(2, 255))),
            ("kernel", "5.10.%d-android13-4-00001-g%s" % (rng.randrange(100, 200),
                                                           "".join(rng.choice("0123456789abcdef") for _ in range(8)))),
            ("baseband", "g5300g-230323-%d-B-%d" % (rng.randrange(200000, 240000), rng.randrange(9000000, 9999999))),
            ("patch", "%d-%02d-05" % (rng.choice([2022, 2023, 2024]), rng.randrange(1, 13))),
            ("imeisv", "%02d" % rng.randrange(1, 99)),
            ("ram", "%d.0 GB" % rng.choice([6, 8, 12, 16])),
            ("storage", "%d GB" % rng.choice([128, 256, 512])),
            ("cpu", rng.choice(["Snapdragon 8 Gen 2", "Dimensity 9200", "Kirin 9000", "Tensor G2"])),
            ("device_name", rng.choice(["Li Wei's phone", "My Phone", "张伟的手机", "Galaxy S21"]))]
    rng.shuffle(rows)
    return rows[:rng.randrange(3, 7)]


def page_rows(rng, d, lang):
    L = EN if lang == "en" else ZH
    alt = EN_ALT if lang == "en" else ZH_ALT

    def label(key):
        if key in alt and rng.random() < 0.5:
            return rng.choice(alt[key])
        return L[key]

    rows = [(label("model"), d["model"], "model")]
    if d.get("brand_shown"):
        rows.append((L["brand"], d["brand"], "brand"))
    rows.append((label("serial") if "serial" in alt else L["serial"], d["serial"], "serial"))
    if "imei2" in d:
        rows.append((label("imei1"), d["imei"], "imei"))
        rows.append((label("imei2"), d["imei2"], "imei2"))
    else:
        rows.append((L["imei"], d["imei"], "imei"))
    if "meid" in d:
        rows.append((L["meid"], d["meid"], "meid"))
    rows.append((label("android_version"), d["android_version"], "android_version"))
    if "phone" in d:
        rows.append((label("phone"), d["phone_shown"], "phone"))
    if "wifi_mac" in d:
        rows.append((label("wifi_mac"), d["wifi_mac"], "wifi_mac"))
    if "bt_mac" in d:
        rows.append((L["bt_mac"], d["bt_mac"], "bt_mac"))
    for key, value in distractors(rng, d, lang):
        rows.append((L[key], value, None))
    # Any order: makers differ, and so do their versions.
    rng.shuffle(rows)
    return rows


# ---- drawing a page ----

def draw_page(rng, rows, lang, dark, layout, width):
    s = width / 1080.0
    heavy = layout == "stacked"
    row_h = int((190 if heavy else 150) * s)
    top = int(330 * s)
    height = max(int(2340 * s), top + row_h * len(rows) + int(120 * s))
    bg = (18, 18, 18) if dark else rng.choice([(255, 255, 255), (248, 248, 250), (242, 242, 246)])
    fg = (232, 232, 232) if dark else (32, 33, 36)
    sub = (160, 164, 170) if dark else rng.choice([(95, 99, 104), (128, 128, 128), (110, 110, 116)])
    img = Image.new("RGB", (width, height), bg)
    dr = ImageDraw.Draw(img)
    latin = rng.choice(["roboto", "dejavu"]) if lang == "en" else "cjk"
    title_face = "roboto-medium" if latin == "roboto" else ("dejavu-bold" if latin == "dejavu" else "cjk")
    # Status bar, then the title.
    small = font(latin, int(36 * s))
    dr.text((int(60 * s), int(30 * s)), "%d:%02d" % (rng.randrange(7, 23), rng.randrange(60)), fill=fg, font=small)
    dr.text((width - int(200 * s), int(30 * s)), "%d%%" % rng.randrange(15, 100), fill=fg, font=small)
    title = EN["title"] if lang == "en" else ZH["title"]
    dr.text((int(170 * s), int(170 * s)), title, fill=fg, font=font(title_face, int(64 * s)))
    dr.line([(int(60 * s), int(205 * s)), (int(95 * s), int(170 * s))], fill=fg, width=max(2, int(6 * s)))
    dr.line([(int(60 * s), int(205 * s)), (int(95 * s), int(240 * s))], fill=fg, width=max(2, int(6 * s)))
    lf = font(latin, int((44 if heavy else 44) * s))
    vf = font(latin, int((38 if heavy else 40) * s))
    x0 = int(63 * s)
    y = top
    for label, value, _ in rows:
        if layout == "stacked":
            dr.text((x0, y + int(30 * s)), label, fill=fg, font=lf)
            dr.text((x0, y + int(100 * s)), value, fill=sub, font=vf)
        else:
            dr.text((x0, y + int(50 * s)), label, fill=fg, font=lf)
            w = dr.textlength(value, font=vf)
            dr.text((width - x0 - int(60 * s) - w, y + int(54 * s)), value, fill=sub, font=vf)
            # The chevron of a row that opens a page.
            cx = width - x0 - int(20 * s)
            cy = y + int(75 * s)
            dr.line([(cx - int(12 * s), cy - int(14 * s)), (cx, cy), (cx - int(12 * s), cy + int(14 * s))],
                    fill=sub, width=max(1, int(4 * s)))
            if rng.random() < 0.5:
                dr.line([(x0, y + row_h - 1), (width - x0, y + row_h - 1)],
                        fill=(48, 48, 48) if dark else (230, 230, 230), width=1)
        y += row_h
    return img


# ---- photographing a screen ----

def solve(a, b):
    """Gaussian elimination: x with a x = b (small dense systems)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def perspective_coeffs(dst, src):
    """PIL's 8 coefficients mapping output points dst to input points src."""
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    return solve(a, b)


def photograph(rng, screen, strength=1.0):
    """The screen as a document camera sees it; returns (image, what was done)."""
    done = {}
    sw, sh = screen.size
    bez = int(sw * 0.04)
    phone_img = Image.new("RGB", (sw + 2 * bez, sh + 2 * bez), (12, 12, 14))
    phone_img.paste(screen, (bez, bez))
    pw, ph = phone_img.size
    desk = rng.choice([(200, 190, 170), (150, 120, 90), (225, 225, 220), (90, 95, 100)])
    W, H = int(pw * rng.uniform(1.15, 1.45)), int(ph * rng.uniform(1.08, 1.25))
    canvas = Image.new("RGB", (W, H), desk)
    ox, oy = rng.randrange(0, W - pw), rng.randrange(0, H - ph)
    canvas.paste(phone_img, (ox, oy))
    # Perspective: each corner of the phone moved by up to 6% of its width.
    j = 0.06 * strength * pw
    src = [(ox, oy), (ox + pw, oy), (ox + pw, oy + ph), (ox, oy + ph)]
    dst = [(x + rng.uniform(-j, j), y + rng.uniform(-j, j)) for x, y in src]
    canvas = canvas.transform((W, H), Image.Transform.PERSPECTIVE, perspective_coeffs(dst, src),
                              Image.Resampling.BICUBIC, fillcolor=desk)
    done["perspective"] = round(j / pw, 3)
    angle = rng.uniform(-6, 6) * strength
    canvas = canvas.rotate(angle, Image.Resampling.BICUBIC, expand=False, fillcolor=desk)
    done["rotation"] = round(angle, 2)
    # The camera's resolution: the screen's text about as large as on screen, or smaller.
    scale = rng.uniform(0.75, 1.05) * (1080.0 / sw)
    canvas = canvas.resize((int(W * scale), int(H * scale)), Image.Resampling.LANCZOS)
    W, H = canvas.size
    # Uneven light: brighter towards one corner.
    grad = Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize((W, H))
    light = rng.uniform(0.0, 0.35) * strength
    canvas = ImageChops.multiply(canvas, Image.merge("RGB", [grad.point(
        lambda v: int(255 * (1 - light) + v * light))] * 3))
    done["light"] = round(light, 2)
    if rng.random() < 0.3:
        c = rng.uniform(0.35, 0.6)
        canvas = ImageEnhance.Contrast(canvas).enhance(c)
        done["contrast"] = round(c, 2)
    radius = rng.uniform(0.4, 1.6) * strength
    canvas = canvas.filter(ImageFilter.GaussianBlur(radius))
    done["blur"] = round(radius, 2)
    sigma = rng.uniform(3, 10) * strength
    noise = Image.effect_noise((W, H), sigma).convert("RGB")
    canvas = ImageChops.add(canvas, noise, 1.0, -128)
    done["noise"] = round(sigma, 1)
    q = rng.randrange(55, 90)
    buf = io.BytesIO()
    canvas.save(buf, "JPEG", quality=q)
    done["jpeg"] = q
    return buf.getvalue(), done


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def truth_of(d):
    t = {k: d[k] for k in ("imei", "imei2", "meid", "serial", "model", "android_version",
                           "phone", "wifi_mac", "bt_mac") if k in d}
    if d.get("brand_shown"):
        t["brand"] = d["brand"]
    return t


def about_page(rng, lang=None, kind=None, dark=None, layout=None, width=None):
    """One About page: (bytes, extension, truth)."""
    lang = lang or rng.choice(["en", "zh"])
    d = device(rng, lang)
    rows = page_rows(rng, d, lang)
    if dark is None:
        dark = rng.random() < 0.25
    layout = layout or rng.choice(["stacked", "columns"])
    width = width or rng.choice([720, 1080, 1080, 1440])
    img = draw_page(rng, rows, lang, dark, layout, width)
    kind = kind or rng.choice(["clean", "photo"])
    info = {"lang": lang, "dark": dark, "layout": layout, "width": width, "kind": kind}
    if kind == "photo":
        data, done = photograph(rng, img)
        info.update(done)
        return data, "jpg", truth_of(d), info
    if rng.random() < 0.2:
        # A screenshot sent through a chat app: JPEG.
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randrange(70, 95))
        return buf.getvalue(), "jpg", truth_of(d), info
    return png_bytes(img), "png", truth_of(d), info


def cmd_about(args):
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "truth.jsonl"), "w", encoding="utf-8") as truth:
        for i in range(args.count):
            kind = args.kind if args.kind != "mix" else ("clean" if i % 2 == 0 else "photo")
            data, ext, t, info = about_page(rng, kind=kind)
            name = "about-%04d.%s" % (i, ext)
            with open(os.path.join(args.dir, name), "wb") as f:
                f.write(data)
            truth.write(json.dumps({"file": name, "fields": t, "info": info},
                                   ensure_ascii=False, sort_keys=True) + "\n")


# ---- the committed fixtures ----

def qr_png(payload):
    return subprocess.run(["qrencode", "-o", "-", "-t", "PNG", "-s", "6", "-m", "2", "-l", "M", payload],
                          check=True, stdout=subprocess.PIPE).stdout


def pay_screenshot(rng, payload, name, amount):
    img = Image.new("RGB", (720, 1280), (237, 237, 237))
    dr = ImageDraw.Draw(img)
    dr.rectangle([0, 0, 720, 120], fill=(38, 38, 38))
    dr.text((40, 40), "收付款", fill=(255, 255, 255), font=font("cjk", 40))
    dr.rounded_rectangle([40, 180, 680, 1100], 20, fill=(255, 255, 255))
    dr.text((80, 220), "二维码收款  " + name, fill=(30, 30, 30), font=font("cjk", 34))
    code = Image.open(io.BytesIO(qr_png(payload))).convert("RGB")
    code = code.resize((420, 420), Image.Resampling.NEAREST)
    img.paste(code, (150, 320))
    dr.text((80, 800), "金额 ¥" + amount, fill=(30, 30, 30), font=font("cjk", 40))
    return img


def frame(rng, prompt, extra, size=(480, 854), seed_noise=0):
    """One frame of a screen recording: a prompt banner over an app screen."""
    img = Image.new("RGB", size, (250, 250, 250))
    dr = ImageDraw.Draw(img)
    dr.rectangle([0, 0, size[0], 60], fill=(33, 150, 243))
    dr.text((20, 14), "录屏 REC", fill=(255, 255, 255), font=font("cjk", 26))
    y = 120
    for line in extra:
        dr.text((30, y), line, fill=(60, 60, 60), font=font("cjk", 24))
        y += 48
    if prompt:
        dr.rounded_rectangle([20, 560, size[0] - 20, 700], 16, fill=(255, 243, 205))
        dr.text((40, 600), prompt, fill=(20, 20, 20), font=font("cjk", 34))
    if seed_noise:
        # Encoder noise: two frames of the same screen are never the same bytes.
        r = random.Random(seed_noise)
        px = img.load()
        for _ in range(300):
            x, yy = r.randrange(size[0]), r.randrange(size[1])
            v = px[x, yy]
            px[x, yy] = tuple(max(0, min(255, c + r.randrange(-6, 7))) for c in v)
    return img


def idcard(rng, name, sex, nation, birth, address, number):
    img = Image.new("RGB", (856, 540), (226, 235, 240))
    dr = ImageDraw.Draw(img)
    for i in range(0, 540, 6):
        dr.line([(0, i), (856, i + 40)], fill=(220, 230, 236))
    grey, ink = (90, 110, 130), (10, 10, 10)
    lf, vf = font("cjk", 26), font("cjk", 32)
    dr.text((60, 50), "姓名", fill=grey, font=lf)
    dr.text((150, 46), name, fill=ink, font=vf)
    dr.text((60, 115), "性别", fill=grey, font=lf)
    dr.text((150, 111), sex, fill=ink, font=vf)
    dr.text((260, 115), "民族", fill=grey, font=lf)
    dr.text((350, 111), nation, fill=ink, font=vf)
    dr.text((60, 180), "出生", fill=grey, font=lf)
    dr.text((150, 176), "%s 年 %d 月 %d 日" % (birth[:4], int(birth[4:6]), int(birth[6:])),
            fill=ink, font=vf)
    dr.text((60, 245), "住址", fill=grey, font=lf)
    for k, part in enumerate([address[i:i + 11] for i in range(0, len(address), 11)]):
        dr.text((150, 241 + 46 * k), part, fill=ink, font=vf)
    dr.text((60, 440), "公民身份号码", fill=grey, font=lf)
    dr.text((260, 434), number, fill=ink, font=font("dejavu", 36))
    dr.rectangle([600, 60, 800, 320], fill=(200, 208, 214))
    return img


def id_check(body):
    """ISO 7064 MOD 11-2 check character of 17 digits."""
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    return "10X98765432"[total % 11]


def cmd_fixtures(args):
    out = args.dir
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    truth = []

    def put(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    # About pages: English stacked, Chinese two columns, each clean and photographed.
    specs = [("about-en.png", "en", "clean", False, "stacked", 720),
             ("about-zh.png", "zh", "clean", False, "columns", 720),
             ("about-en-photo.jpg", "en", "photo", False, "columns", 720),
             ("about-zh-dark-photo.jpg", "zh", "photo", True, "stacked", 720)]
    for name, lang, kind, dark, layout, width in specs:
        while True:
            d = device(rng, lang)
            # The committed set covers two IMEIs and a MEID on the Chinese pages.
            if lang == "zh" and ("imei2" not in d or "meid" not in d):
                continue
            break
        rows = page_rows(rng, d, lang)
        img = draw_page(rng, rows, lang, dark, layout, width)
        if kind == "photo":
            data, _ = photograph(rng, img, strength=0.8)
        else:
            data = png_bytes(img.convert("L"))
        put(name, data)
        truth.append({"file": name, "fields": truth_of(d)})
    with open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8") as f:
        for t in truth:
            f.write(json.dumps(t, ensure_ascii=False, sort_keys=True) + "\n")

    # A payment code screenshot.
    put("pay-qr.png", png_bytes(pay_screenshot(rng, "wxp://f2f0Zq8pLm3RtY7aBcD", "张伟", "88.00")
                                .convert("L")))

    # Frames of a prompted screen recording: step 1 shows the user's id,
    # step 2 asks to open the wallet, then the evidence screens.
    os.makedirs(os.path.join(out, "frames-ok"), exist_ok=True)
    os.makedirs(os.path.join(out, "frames-bad"), exist_ok=True)
    app = ["设置  Settings", "钱包  Wallet", "消息  Messages"]
    chat = ["转账记录 Transfers", "2024-03-01 向李四转账 5000.00", "2024-03-02 收款 200.00"]
    seq = [(0, "用户ID: 10086", app), (500, "用户ID: 10086", app), (1000, "用户ID: 10086", app),
           (1500, "请打开钱包 Open wallet", app), (2000, "请打开钱包 Open wallet", app),
           (2500, None, chat), (3000, None, chat), (3500, None, chat + ["2024-03-03 收款 80.00"]),
           (9000, None, ["桌面 Home"])]
    for k, (ms, prompt, lines) in enumerate(seq):
        img = frame(rng, prompt, lines, seed_noise=k + 1)
        put("frames-ok/frame-%05d.png" % ms, png_bytes(img.convert("L")))
        # The bad sequence never shows the wallet prompt.
        bad = "请打开相册 Open photos" if prompt and prompt.startswith("请") else prompt
        put("frames-bad/frame-%05d.png" % ms, png_bytes(frame(rng, bad, lines, seed_noise=k + 1)
                                                         .convert("L")))
    steps = {"steps": [{"text": "用户ID: 10086", "display": 1.5},
                       {"text": "请打开钱包", "display": 1.0}],
             "window": 2.0}
    put("steps.json", (json.dumps(steps, ensure_ascii=False, indent=1) + "\n").encode())
    put("steps-bad.json", b'{"steps": [{"text": "ID 10086", "display": 1.5},\n  {"display": "soon"}\n')

    # An identity card (made-up person, valid check character).
    body = "11010519491231003"
    number = body + id_check(body)
    put("idcard.png", png_bytes(idcard(rng, "张三丰", "男", "汉", "19491231",
                                       "北京市朝阳区建国路88号院3号楼1单元501", number).convert("L")))
    with open(os.path.join(out, "idcard.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"number": number, "name": "张三丰", "sex": "男", "nation": "汉",
                            "birth": "1949-12-31",
                            "address": "北京市朝阳区建国路88号院3号楼1单元501"},
                           ensure_ascii=False, sort_keys=True) + "\n")

    # Bad inputs: no text at all, a cut-off PNG, text that is no image, and
    # a 20000 x 20000 one-bit PNG (small on disk, 1.6 GB as RGBA).
    blank = Image.linear_gradient("L").resize((640, 480))
    put("no-text.png", png_bytes(blank))
    whole = open(os.path.join(out, "about-en.png"), "rb").read()
    put("truncated.png", whole[:len(whole) // 3])
    put("not-an-image.png", b"This is a text file with an image's name.\n")
    put("huge.png", huge_png(20000, 20000))
    # A JPEG of 48 million pixels: decoded at a quarter of its size, not refused.
    big = Image.new("L", (8000, 6000), 250)
    ImageDraw.Draw(big).text((400, 2600), "IMEI 356938035643809", fill=30, font=font("roboto", 480))
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=60)
    put("big.jpg", buf.getvalue())


def huge_png(w, h):
    """A blank one-bit PNG, compressed row by row without holding it whole."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + b"\xff" * ((w + 7) // 8)
    z = zlib.compressobj(9)
    parts = [z.compress(row) for _ in range(h)]
    parts.append(z.flush())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) +
            chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("about")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--count", type=int, default=200)
    a.add_argument("--kind", choices=["mix", "clean", "photo"], default="mix")
    a.add_argument("dir")
    f = sub.add_parser("fixtures")
    f.add_argument("dir", nargs="?", default="tests/fixtures/ocr")
    args = p.parse_args()
    if args.cmd == "about":
        cmd_about(args)
    else:
        cmd_fixtures(args)


if __name__ == "__main__":
    sys.exit(main())
