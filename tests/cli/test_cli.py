#!/usr/bin/python3
"""
End-to-end tests of the lathe program (docs/cli.md), run by meson (suite 'cli'):

    test_cli.py LATHE DATA_DIR

LATHE is the built binary, DATA_DIR the project's data/ (the shipped CSV files).
Every test runs the binary in a temporary directory with the insecure test preset and
--passphrase-file. Each result is checked against a plaintext computation done here
from the CSV file (the fixed-point rules of docs/cli.md re-implemented in Python, exact
rational arithmetic where the program claims exactness); each error path is checked for
its exit code, a message naming the file / row / column, and the absence of any output
or temporary file afterwards. Standard library only.
"""

import csv
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

PRESET = "insecure-test-n4096-t268042241"
T = 268042241
HALF = (T - 1) // 2
PASS = "correct horse battery staple"

LATHE = None
DATA = None
WORK = None
results = {"passed": 0, "failed": 0}


# ---------------------------------------------------------------- helpers

def run(*args, timeout=600, new_session=False):
    """Runs lathe with args in WORK; returns (rc, stdout, stderr)."""
    p = subprocess.run([LATHE] + [str(a) for a in args], cwd=WORK, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=timeout, start_new_session=new_session)
    return p.returncode, p.stdout, p.stderr


def path(name):
    return os.path.join(WORK, name)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def test(fn):
    """Runs one test function, counting and reporting it."""
    t0 = time.monotonic()
    try:
        fn()
    except Failure as e:
        results["failed"] += 1
        print(f"FAIL {fn.__name__}: {e}", flush=True)
        return
    except Exception as e:  # a crash of the test itself is a failure too
        results["failed"] += 1
        print(f"FAIL {fn.__name__}: {type(e).__name__}: {e}", flush=True)
        return
    results["passed"] += 1
    print(f"ok   {fn.__name__} ({time.monotonic() - t0:.1f}s)", flush=True)


def no_leftovers(out):
    """No file at out, and no temporary file beside it."""
    d = os.path.dirname(path(out)) or WORK
    base = os.path.basename(out)
    check(not os.path.exists(path(out)), f"{out} exists after a failure")
    if os.path.isdir(d):
        tmps = [f for f in os.listdir(d) if f.startswith("." + base + ".tmp-")]
        check(not tmps, f"temporary files left beside {out}: {tmps}")


def expect_fail(args, code, needles, out):
    """The command fails with exit code `code`, one stderr line holding every needle, and leaves no output."""
    if out is not None and os.path.exists(path(out)):
        os.remove(path(out))
    rc, so, se = run(*args)
    lines = [l for l in se.splitlines() if l.strip()]
    check(rc == code, f"{' '.join(map(str, args))}: exit {rc}, expected {code}; stderr: {se.strip()}")
    check(len(lines) == 1, f"{args[0]}: expected one line on stderr, got {lines}")
    check(lines[0].startswith("lathe: "), f"message without the 'lathe: ' prefix: {lines[0]}")
    for n in needles:
        check(n in lines[0], f"message '{lines[0]}' does not name '{n}'")
    if out is not None:
        no_leftovers(out)
    return lines[0]


def ok(*args):
    rc, so, se = run(*args)
    check(rc == 0, f"{' '.join(map(str, args))}: exit {rc}: {se.strip()}")
    check("\r" not in se, f"{args[0]}: progress output on a stderr that is no terminal: {se!r}")
    return so, se


def info(name):
    """`lathe info` as a dict of lists of values per key."""
    so, _ = ok("info", name)
    d = {}
    for line in so.splitlines():
        k, _, v = line.partition(": ")
        d.setdefault(k, []).append(v)
    return d


def read_rows(name, limit=None):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[:limit] if limit else rows


def write_csv(name, header, rows):
    with open(path(name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def rnd(x):
    """round() of C: halfway cases away from zero (x a float)."""
    a = abs(x)
    f = math.floor(a)
    r = f + 1 if a - f >= 0.5 else f
    return -r if x < 0 else r


def nextafter(x, d):
    return math.nextafter(x, d)


def widen(lo, hi):
    """docs/cli.md: each end outward to a multiple of 10^e, 10^e <= max(|lo|,|hi|) < 10^(e+1)."""
    m = max(abs(lo), abs(hi))
    if not m > 0:
        return lo, hi
    e = math.floor(math.log10(m))
    p = 10.0 ** abs(e)
    if e >= 0:
        a, b = math.floor(lo / p) * p, math.ceil(hi / p) * p
    else:
        a, b = math.floor(lo * p) / p, math.ceil(hi * p) / p
    a, b = float(a), float(b)
    while a > lo:
        a = nextafter(a, -math.inf)
    while b < hi:
        b = nextafter(b, math.inf)
    return a, b


def auto_bits(rows):
    """docs/cli.md: the largest b with rows * (2^b - 1)^2 <= (t - 1) / 2."""
    bits = 1
    for b in range(1, 41):
        if rows * (2 ** b - 1) ** 2 <= HALF:
            bits = b
    return bits


POW10 = [1e12, 1e11, 1e10, 1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6]


def auto_scale(lo, hi, bits):
    m = max(abs(lo), abs(hi))
    cap = 2.0 ** bits - 1
    for s in POW10:
        if m * s <= cap:
            return s
    raise ValueError("no scale")


def expected_columns(values, bits, scales=None):
    """The declared range and scale of each column, as docs/cli.md says encrypt chooses them."""
    out = {}
    for c, vs in values.items():
        lo, hi = min(vs), max(vs)
        wlo, whi = widen(lo, hi)
        s = scales[c] if scales and c in scales else auto_scale(wlo, whi, bits)
        if abs(rnd(wlo * s)) > HALF:
            wlo = lo
        if abs(rnd(whi * s)) > HALF:
            whi = hi
        out[c] = (s, wlo, whi)
    return out


def info_columns(d):
    """{name: (scale, lo, hi)} from `lathe info` of a table."""
    cols = {}
    for v in d.get("column", []):
        name, rest = v.split(" ", 1)
        sc = float(rest.split("scale=")[1].split(" ")[0])
        rng = rest.split("range=[")[1].rstrip("]")
        lo, hi = (float(x) for x in rng.split(", "))
        cols[name] = (sc, lo, hi)
    return cols


def read_result(name):
    with open(path(name), newline="") as f:
        return list(csv.reader(f))


def quantities(name):
    rows = read_result(name)
    check(rows[0] == ["quantity", "value"], f"{name}: header {rows[0]}")
    return {r[0]: r[1] for r in rows[1:]}


def close(a, b, rel=1e-9, what=""):
    check(math.isclose(a, b, rel_tol=rel, abs_tol=1e-12), f"{what}: {a} != {b}")


def setup_keys(d, preset=PRESET, pass_text=PASS):
    with open(path(d + ".pw"), "w") as f:
        f.write(pass_text + "\n")
    ok("keygen", "--preset", preset, "--out", d, "--passphrase-file", d + ".pw")


# ---------------------------------------------------------------- data used below

DIAB_COLS = ["age", "sex", "bmi", "bp", "s5_ltg", "progression"]
BC_MODEL = {"radius_mean": 0.9, "texture_mean": 0.35, "concave_points_mean": 40.0, "area_se": -0.01,
            "smoothness_worst": 25.0, "intercept": -25.5}


def column_values(rows, cols):
    return {c: [float(r[c]) for r in rows] for c in cols}


# ---------------------------------------------------------------- tests

def t_version_and_help():
    so, _ = ok("--version")
    check(so.startswith("lathe ") and so.strip().split()[1].count(".") == 2, f"--version: {so}")
    so, _ = ok("--help")
    for c in ("keygen", "encrypt", "eval", "decrypt", "info"):
        check(c in so, f"--help lacks {c}")
    for c in ("keygen", "encrypt", "eval", "decrypt", "info"):
        so, _ = ok(c, "--help")
        check(so.startswith("usage: lathe " + c), f"{c} --help: {so[:60]}")
    so, _ = ok("keygen", "--help")
    check("bgv-128-n32768-t268042241" in so and "(default)" in so, "keygen --help names the default preset")
    check(PRESET in so and "INSECURE" in so, "keygen --help lists the insecure preset")
    for line in so.splitlines():
        f = line.split()
        if f and f[0] == "bgv-128-n32768-t268042241" and len(f) >= 7 and f[1].isdigit():
            check(f[1] == "32768" and f[2] == "268042241" and f[3] == "13" and f[5] == "32768",
                  f"default preset row: {line}")


def t_keygen():
    setup_keys("k2")  # a second key pair, for the mismatch tests
    with open(path("k.pw"), "w") as f:
        f.write(PASS + "\r\n")  # a CRLF line: the CR is not part of the passphrase
    rc, so, se = run("keygen", "--preset", PRESET, "--out", "k", "--passphrase-file", "k.pw")
    check(rc == 0, f"keygen: {se}")
    check("insecure" in se.lower() and len(se.strip().splitlines()) == 1, f"one-line insecure warning: {se}")
    for f in ("secret.key", "public.key", "eval.keys"):
        check(os.path.isfile(path("k/" + f)), f"k/{f} missing")
    check(os.stat(path("k/secret.key")).st_mode & 0o077 == 0, "secret.key readable by others")
    check(os.stat(path("k")).st_mode & 0o077 == 0, "key directory open to others")
    d = info("k/eval.keys")
    check(d["kind"] == ["evaluation-key bundle"], f"eval.keys kind {d['kind']}")
    check(d["public key"] == ["included"], "eval.keys carries the public key")
    check("served" in d["built-in circuits"][0] and "NOT" not in d["built-in circuits"][0], "rotation keys")
    check(d["security"][0].startswith("NONE"), "insecure preset reported")
    s = info("k/secret.key")
    check(s["kind"] == ["secret key"] and "interactive" in s["passphrase cost"][0], f"secret.key info {s}")
    check(s["key id"] == d["key id"] == info("k/public.key")["key id"], "one key id for the three files")
    check(s["key id"] != info("k2/public.key")["key id"], "two key pairs, two ids")


def t_keygen_errors():
    expect_fail(["keygen", "--preset", PRESET, "--out", "k", "--passphrase-file", "k.pw"], 4,
                ["k", "refusing"], None)
    os.makedirs(path("full"), exist_ok=True)
    open(path("full/notes.txt"), "w").close()
    expect_fail(["keygen", "--preset", PRESET, "--out", "full", "--passphrase-file", "k.pw"], 4,
                ["full", "not empty"], None)
    check(os.listdir(path("full")) == ["notes.txt"], "keygen wrote into a non-empty directory")
    open(path("empty.pw"), "w").close()
    expect_fail(["keygen", "--preset", PRESET, "--out", "kx", "--passphrase-file", "empty.pw"], 4,
                ["empty.pw", "empty passphrase"], None)
    check(not os.path.exists(path("kx")), "keygen left a key directory after refusing the passphrase")
    with open(path("nl.pw"), "w") as f:
        f.write("\nsecond line\n")
    expect_fail(["keygen", "--preset", PRESET, "--out", "kx", "--passphrase-file", "nl.pw"], 4,
                ["empty passphrase"], None)
    expect_fail(["keygen", "--preset", "bgv-1-nope", "--out", "kx", "--passphrase-file", "k.pw"], 2,
                ["unknown preset 'bgv-1-nope'"], None)
    expect_fail(["keygen", "--preset", PRESET, "--passphrase-file", "k.pw"], 2, ["--out"], None)
    expect_fail(["keygen", "--preset", PRESET, "--out", "kx", "--passphrase-file", "missing.pw"], 7,
                ["missing.pw"], None)
    # no --passphrase-file and no terminal (a new session has no controlling terminal): refused, nothing left
    rc, so, se = run("keygen", "--preset", PRESET, "--out", "kx", timeout=60, new_session=True)
    check(rc == 4 and "terminal" in se and "--passphrase-file" in se, f"keygen without a terminal: {rc} {se}")
    check(not os.path.exists(path("kx")), "keygen left kx behind")


def t_stats_diabetes():
    rows = read_rows("diabetes.csv")
    shutil.copy(os.path.join(DATA, "diabetes.csv"), path("diabetes.csv"))
    so, _ = ok("encrypt", "--keys", "k", "--in", "diabetes.csv", "--columns", ",".join(DIAB_COLS), "--out",
               "diab.lct")
    vals = column_values(rows, DIAB_COLS)
    n = len(rows)
    want = expected_columns(vals, auto_bits(n))
    d = info("diab.lct")
    check(d["kind"] == ["encrypted table"] and d["rows"] == [str(n)], f"table info {d.get('rows')}")
    got = info_columns(d)
    check(list(got) == DIAB_COLS, f"columns {list(got)}")
    for c in DIAB_COLS:
        check(got[c] == want[c], f"column {c}: scale/range {got[c]}, expected {want[c]}")
    check(int(d["noise budget estimate"][0].split()[0]) > 0, "a noise estimate")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "diab.lct", "--out", "diab-stats.lct")
    r = info("diab-stats.lct")
    check(r["kind"] == ["encrypted result"] and r["circuit"] == ["stats"], f"result info {r.get('circuit')}")
    check(int(r["noise budget estimate"][0].split()[0]) > 0 and int(r["level"][0]) <= 1, f"result level {r}")
    items = [v.split()[0] for v in r["item"]]
    check(items == ["count"] + [f"{q}:{c}" for c in DIAB_COLS for q in ("sum", "sumsq")], f"items {items}")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "diab-stats.lct", "--out", "diab-stats.csv")
    q = quantities("diab-stats.csv")
    check(q["count"] == str(n), f"count {q['count']}")
    for c in DIAB_COLS:
        s = Fraction(want[c][0])
        X = [rnd(v * want[c][0]) for v in vals[c]]
        sx, sxx = sum(X), sum(x * x for x in X)
        mean = Fraction(sx) / n / s
        var = (Fraction(sxx) / n - (Fraction(sx) / n) ** 2) / (s * s)
        close(float(q["sum:" + c]), float(Fraction(sx) / s), what=f"sum:{c}")
        close(float(q["mean:" + c]), float(mean), what=f"mean:{c}")
        close(float(q["variance:" + c]), float(var), rel=1e-8, what=f"variance:{c}")
        # and the fixed point stays close to the real data (one scale step)
        real_mean = sum(vals[c]) / n
        check(abs(float(q["mean:" + c]) - real_mean) <= 0.5 / want[c][0] + 1e-9, f"mean:{c} far from the data")


def linear_expect(model, cols, X, out_scale):
    """The integer score per patient: B + sum W_j X_j (lathe_linear_fixed's rule), and its bound."""
    B = rnd(model["intercept"] * out_scale)
    W = {c: rnd(w * out_scale / cols[c][0]) for c, w in model.items() if c != "intercept"}
    hi = lo = B
    for c, w in W.items():
        s, a, b = cols[c]
        ilo, ihi = rnd(a * s), rnd(b * s)
        hi += max(w * ilo, w * ihi)
        lo += min(w * ilo, w * ihi)
    bound = max(abs(hi), abs(lo))
    n = len(next(iter(X.values())))
    scores = [B + sum(W[c] * X[c][i] for c in W) for i in range(n)]
    return scores, bound, W


def encrypt_bc(out, limit=None, extra=()):
    rows = read_rows("breast_cancer_wisconsin.csv", limit)
    cols = [c for c in BC_MODEL if c != "intercept"]
    write_csv("bc.csv", list(rows[0].keys()), [list(r.values()) for r in rows])
    ok("encrypt", "--keys", "k", "--in", "bc.csv", "--columns", ",".join(cols), "--out", out, *extra)
    d = info(out)
    got = info_columns(d)
    vals = column_values(rows, cols)
    X = {c: [rnd(v * got[c][0]) for v in vals[c]] for c in cols}
    return rows, got, X, vals


def write_model(name, model):
    with open(path(name), "w") as f:
        f.write(",".join(model) + "\n")
        f.write(",".join(repr(v) for v in model.values()) + "\n")


def t_linear_breast_cancer():
    rows, cols, X, vals = encrypt_bc("bc.lct")
    want = expected_columns(vals, auto_bits(len(rows)))
    for c in cols:
        check(cols[c] == want[c], f"column {c}: {cols[c]} != {want[c]}")
    write_model("model.csv", BC_MODEL)
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "linear", "--model", "model.csv", "--in", "bc.lct",
       "--out", "bc-lin.lct")
    r = info("bc-lin.lct")
    item = [v for v in r["item"] if v.startswith("score ")][0]
    S = float(item.split("denominator=")[1].split()[0])
    # docs/cli.md: the largest 2^k, -20 <= k <= 40, whose bound fits (t - 1)/2
    want_S = None
    for k in range(40, -21, -1):
        try:
            _, bound, W = linear_expect(BC_MODEL, cols, X, 2.0 ** k)
        except OverflowError:
            continue
        if all(abs(w) < 2 ** 40 for w in W.values()) and bound <= HALF:
            want_S = 2.0 ** k
            break
    check(S == want_S, f"out_scale {S}, expected {want_S}")
    scores, bound, _ = linear_expect(BC_MODEL, cols, X, S)
    check(int(item.split("bound=")[1]) == bound, f"bound {item} != {bound}")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "bc-lin.lct", "--out", "bc-lin.csv")
    out = read_result("bc-lin.csv")
    check(out[0] == ["row", "score"], f"header {out[0]}")
    check(len(out) == len(rows) + 1, f"{len(out) - 1} rows")
    for i, line in enumerate(out[1:]):
        check(int(line[0]) == i + 1, f"row number {line[0]}")
        check(float(line[1]) == scores[i] / S, f"row {i + 1}: score {line[1]}, expected {scores[i] / S}")
    # the fixed-point score is close to the real one
    for i, r in enumerate(rows[:50]):
        real = BC_MODEL["intercept"] + sum(w * float(r[c]) for c, w in BC_MODEL.items() if c != "intercept")
        check(abs(float(out[i + 1][1]) - real) < 1.0, f"row {i + 1}: {out[i + 1][1]} far from {real}")


def t_logistic_breast_cancer():
    rows, cols, X, vals = encrypt_bc("bc.lct")
    write_model("model.csv", BC_MODEL)
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "logistic", "--model", "model.csv", "--in", "bc.lct",
       "--out", "bc-log.lct")
    r = info("bc-log.lct")
    check(r["circuit"] == ["logistic"], f"circuit {r['circuit']}")
    item = [v for v in r["item"] if v.startswith("score ")][0]
    S = float(item.split("denominator=")[1].split()[0])
    check(S > 0 and math.frexp(S)[0] == 0.5, f"out_scale {S} is not a power of two")
    scores, bound, _ = linear_expect(BC_MODEL, cols, X, S)
    check(int(item.split("bound=")[1]) == bound, f"bound {item} != {bound}")
    # the next power of two must not fit the documented limit, or this one is not the largest
    _, bound2, _ = linear_expect(BC_MODEL, cols, X, 2 * S)
    check(bound2 > LOGISTIC_MAX_BOUND or bound2 > HALF, f"out_scale {S} is not the largest (bound {bound2})")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "bc-log.lct", "--out", "bc-log.csv")
    out = read_result("bc-log.csv")
    check(out[0] == ["row", "score", "decision"], f"header {out[0]}")
    check(len(out) == len(rows) + 1, f"{len(out) - 1} rows")
    agree = 0
    for i, line in enumerate(out[1:]):
        check(float(line[1]) == scores[i] / S, f"row {i + 1}: score {line[1]} != {scores[i] / S}")
        check(int(line[2]) == (1 if scores[i] >= 0 else 0), f"row {i + 1}: decision {line[2]} for {scores[i]}")
        agree += int(line[2]) == int(rows[i]["malignant"])
    check(agree > 0.8 * len(rows), f"the model agrees with the diagnosis on {agree} of {len(rows)} only")


def t_regression_diabetes():
    rows = read_rows("diabetes.csv")
    cols = ["bmi", "bp", "s5_ltg", "progression"]
    write_csv("diab4.csv", cols, [[r[c] for c in cols] for r in rows])
    ok("encrypt", "--keys", "k", "--in", "diab4.csv", "--columns", ",".join(cols), "--out", "diab4.lct")
    got = info_columns(info("diab4.lct"))
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "regression", "--target", "progression", "--in",
       "diab4.lct", "--out", "diab-reg.lct")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "diab-reg.lct", "--out", "diab-reg.csv")
    q = quantities("diab-reg.csv")
    xs = cols[:-1]
    # least squares on the fixed-point values, exactly: x_j = X_j / s_j, y = Y / s_y
    data = [[Fraction(rnd(float(r[c]) * got[c][0])) / Fraction(got[c][0]) for c in cols] for r in rows]
    p = len(xs)
    A = [[Fraction(0)] * (p + 1) for _ in range(p + 1)]
    b = [Fraction(0)] * (p + 1)
    for row in data:
        z = [Fraction(1)] + row[:p]
        for i in range(p + 1):
            b[i] += z[i] * row[p]
            for j in range(p + 1):
                A[i][j] += z[i] * z[j]
    # Gauss-Jordan over the rationals
    M = [A[i] + [b[i]] for i in range(p + 1)]
    for i in range(p + 1):
        piv = next(r for r in range(i, p + 1) if M[r][i] != 0)
        M[i], M[piv] = M[piv], M[i]
        M[i] = [v / M[i][i] for v in M[i]]
        for r in range(p + 1):
            if r != i and M[r][i] != 0:
                M[r] = [a - M[r][i] * c for a, c in zip(M[r], M[i])]
    beta = [M[i][p + 1] for i in range(p + 1)]
    ybar = sum(row[p] for row in data) / len(data)
    sst = sum((row[p] - ybar) ** 2 for row in data)
    sse = sum((row[p] - beta[0] - sum(beta[1 + j] * row[j] for j in range(p))) ** 2 for row in data)
    check(q["n"] == str(len(rows)), f"n {q.get('n')}")
    close(float(q["intercept"]), float(beta[0]), what="intercept")
    for j, c in enumerate(xs):
        close(float(q["coef:" + c]), float(beta[1 + j]), what=f"coef:{c}")
    close(float(q["r2"]), float(1 - sse / sst), what="r2")
    check(0.3 < float(q["r2"]) < 0.8, f"r2 {q['r2']} implausible for this data")


def t_csv_dialect():
    # BOM, CRLF, quoted names, a quoted text column with commas, quotes and a line break
    text = ('\ufeff"id","note",age,"b m i"\r\n'
            '1,"fine, ""really""",30,22.5\r\n'
            '2,"two\r\nlines",41,30.25\r\n'
            '3,plain,-7.5e1,  19  \r\n'
            '\r\n')
    with open(path("dialect.csv"), "w", newline="", encoding="utf-8") as f:
        f.write(text)
    ok("encrypt", "--keys", "k", "--in", "dialect.csv", "--columns", "age,id", "--scale", "10", "--out",
       "dialect.lct")
    d = info("dialect.lct")
    check(d["rows"] == ["3"], f"rows {d['rows']}")
    cols = info_columns(d)
    check(cols["age"] == (10.0, -80.0, 50.0) and cols["id"] == (10.0, 1.0, 3.0), f"columns {cols}")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "dialect.lct", "--out", "dialect-s.lct")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "dialect-s.lct", "--out", "dialect-s.csv")
    q = quantities("dialect-s.csv")
    check(q["count"] == "3" and float(q["sum:age"]) == 30 + 41 - 75 and float(q["sum:id"]) == 6, f"stats {q}")
    # the line numbers of a file whose quoted field spans two lines
    with open(path("dialect2.csv"), "w", newline="") as f:
        f.write('id,note,age\n1,"a\nb",3\n2,x,oops\n')
    expect_fail(["encrypt", "--keys", "k", "--in", "dialect2.csv", "--columns", "age", "--out", "d2.lct"], 3,
                ["dialect2.csv", "row 2 (line 4)", "column 'age'", "'oops'"], "d2.lct")


def small_diabetes(name, edit=None, limit=40):
    rows = read_rows("diabetes.csv", limit)
    header = list(rows[0].keys())
    body = [[r[c] for c in header] for r in rows]
    if edit:
        edit(header, body)
    write_csv(name, header, body)
    return header, body


def t_missing_values():
    def blank(h, b):
        b[11][h.index("bmi")] = ""
        b[20][h.index("bp")] = "  "
    small_diabetes("miss.csv", blank)
    args = ["encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "age,bmi,bp", "--out", "miss.lct"]
    expect_fail(args, 3, ["miss.csv", "row 12 (line 13)", "column 'bmi'", "missing"], "miss.lct")
    expect_fail(args + ["--missing", "error"], 3, ["row 12", "column 'bmi'"], "miss.lct")
    # only the selected columns are read: bmi's blank does not matter for age alone
    ok("encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "age,bp", "--missing", "skip", "--out", "skip.lct")
    check(info("skip.lct")["rows"] == ["39"], "skip drops the patient's row")
    ok("encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "age", "--out", "age.lct")
    check(info("age.lct")["rows"] == ["40"], "a blank in another column is not read")
    ok("encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "age,bmi,bp", "--missing", "skip", "--out",
       "skip2.lct")
    check(info("skip2.lct")["rows"] == ["38"], "two rows skipped")
    ok("encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "bmi,bp", "--missing", "zero", "--out",
       "zero.lct")
    d = info("zero.lct")
    check(d["rows"] == ["40"], "zero keeps every row")
    check(info_columns(d)["bmi"][1] <= 0, "zero widens the range to 0")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "zero.lct", "--out", "zero-s.lct")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "zero-s.lct", "--out", "zero-s.csv")
    q = quantities("zero-s.csv")
    rows = read_rows("diabetes.csv", 40)
    s = info_columns(d)["bmi"][0]
    want = sum(rnd(float(r["bmi"]) * s) for i, r in enumerate(rows) if i != 11) / Fraction(s)
    close(float(q["sum:bmi"]), float(want), what="sum with a zero")
    expect_fail(["encrypt", "--keys", "k", "--in", "miss.csv", "--columns", "bmi", "--missing", "maybe", "--out",
                 "m.lct"], 2, ["--missing"], "m.lct")


def t_bad_values():
    def text(h, b):
        b[4][h.index("bmi")] = "high"
    small_diabetes("text.csv", text)
    expect_fail(["encrypt", "--keys", "k", "--in", "text.csv", "--columns", "age,bmi", "--out", "t.lct"], 3,
                ["text.csv", "row 5 (line 6)", "column 'bmi'", "'high'", "not a decimal"], "t.lct")
    for bad in ("inf", "nan", "0x10", "1e", "12abc", "1,5", "--1"):
        def put(h, b, bad=bad):
            b[2][h.index("bp")] = bad
        small_diabetes("bad.csv", put)
        expect_fail(["encrypt", "--keys", "k", "--in", "bad.csv", "--columns", "bp", "--out", "b.lct"], 3,
                    ["bad.csv", "row 3 (line 4)", "column 'bp'"], "b.lct")
    def huge(h, b):
        b[7][h.index("bp")] = "1e300"
    small_diabetes("huge.csv", huge)
    expect_fail(["encrypt", "--keys", "k", "--in", "huge.csv", "--columns", "bp", "--out", "h.lct"], 3,
                ["huge.csv", "column 'bp'"], "h.lct")
    # a scale that takes a value beyond the plaintext space: named by row and column
    small_diabetes("ok40.csv")
    rows = read_rows("diabetes.csv", 40)
    top = max(range(40), key=lambda i: float(rows[i]["s1_tc"]))
    expect_fail(["encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,s1_tc", "--scales",
                 "s1_tc=1e6", "--out", "sc.lct"], 3,
                ["ok40.csv", f"row {top + 1} (line {top + 2})", "column 's1_tc'", "plaintext"], "sc.lct")
    expect_fail(["encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,zzz", "--out", "u.lct"], 3,
                ["ok40.csv", "unknown column 'zzz'"], "u.lct")
    def short(h, b):
        b[9] = b[9][:3]
    small_diabetes("short.csv", short)
    expect_fail(["encrypt", "--keys", "k", "--in", "short.csv", "--columns", "age", "--out", "s.lct"], 3,
                ["short.csv", "row 10 (line 11)", "fields"], "s.lct")
    with open(path("quote.csv"), "w") as f:
        f.write('age,bmi\n1,"2\n')
    expect_fail(["encrypt", "--keys", "k", "--in", "quote.csv", "--columns", "age", "--out", "q.lct"], 3,
                ["quote.csv", "line 2", "quote"], "q.lct")
    open(path("none.csv"), "w").close()
    expect_fail(["encrypt", "--keys", "k", "--in", "none.csv", "--columns", "age", "--out", "n.lct"], 3,
                ["none.csv", "empty"], "n.lct")
    with open(path("hdr.csv"), "w") as f:
        f.write("age,bmi\n")
    expect_fail(["encrypt", "--keys", "k", "--in", "hdr.csv", "--columns", "age", "--out", "n.lct"], 3,
                ["hdr.csv", "no data rows"], "n.lct")


def t_usage_errors():
    small_diabetes("ok40.csv")
    base = ["encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age"]
    expect_fail(base, 2, ["--out"], None)
    expect_fail(base + ["--out", "x.lct", "--bogus"], 2, ["--bogus"], "x.lct")
    expect_fail(base + ["--out", "x.lct", "--scale", "10", "--scales", "age=1"], 2, ["--scale"], "x.lct")
    expect_fail(base + ["--out", "x.lct", "--scale", "-3"], 2, ["scale"], "x.lct")
    expect_fail(base + ["--out", "x.lct", "--scales", "bmi=10"], 2, ["bmi"], "x.lct")
    expect_fail(["encrypt", "--keys", "k", "--in", "ok40.csv", "--out", "x.lct"], 2, ["--columns"], "x.lct")
    expect_fail(["frobnicate"], 2, ["frobnicate"], None)
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "magic", "--in", "bc.lct", "--out", "x.lct"],
                2, ["magic"], "x.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "linear", "--in", "bc.lct", "--out", "x.lct"],
                2, ["--model"], "x.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "regression", "--in", "bc.lct", "--out",
                 "x.lct"], 2, ["--target"], "x.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "bc.lct"], 2, ["--out"], None)
    expect_fail(["decrypt", "--keys", "k", "--in", "bc-lin.lct"], 2, ["--out"], None)
    expect_fail(["info"], 2, ["FILE"], None)


def t_io_errors():
    small_diabetes("ok40.csv")
    expect_fail(["encrypt", "--keys", "k", "--in", "nothere.csv", "--columns", "age", "--out", "x.lct"], 7,
                ["nothere.csv"], "x.lct")
    expect_fail(["encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age", "--out", "nodir/x.lct"], 7,
                ["nodir/x.lct"], None)
    expect_fail(["encrypt", "--keys", "nokeys", "--in", "ok40.csv", "--columns", "age", "--out", "x.lct"], 7,
                ["nokeys/public.key"], "x.lct")
    expect_fail(["info", "nothere.lct"], 7, ["nothere.lct"], None)


def t_public_key_only():
    # encrypt needs public.key alone: a directory without secret.key serves
    os.makedirs(path("pubonly"), exist_ok=True)
    shutil.copy(path("k/public.key"), path("pubonly/public.key"))
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "pubonly", "--in", "ok40.csv", "--columns", "age,bmi", "--out", "pub.lct")
    check(info("pub.lct")["key id"] == info("k/public.key")["key id"], "table under the key pair")


def t_eval_refuses_secret_keys():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi,bp", "--out", "t40.lct")
    expect_fail(["eval", "--eval-keys", "k/secret.key", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"],
                4, ["k/secret.key", "secret key"], "e.lct")
    shutil.copy(path("k/secret.key"), path("innocent.keys"))
    expect_fail(["eval", "--eval-keys", "innocent.keys", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"],
                4, ["innocent.keys", "secret key"], "e.lct")
    expect_fail(["eval", "--eval-keys", "k", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"], 4,
                ["k", "secret key"], "e.lct")
    expect_fail(["eval", "--eval-keys", "k/public.key", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"],
                5, ["k/public.key", "public key"], "e.lct")
    # the sealed key cut out of its container: a plain lathe secret-key object, refused as well
    data = open(path("k/secret.key"), "rb").read()
    clen, olen = int.from_bytes(data[112:120], "little"), int.from_bytes(data[120:128], "little")
    open(path("plain.sk"), "wb").write(data[128 + clen: 128 + clen + olen])
    check(info("plain.sk")["kind"] == ["secret key (sealed)"], "plain secret key info")
    expect_fail(["eval", "--eval-keys", "plain.sk", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"], 4,
                ["plain.sk", "secret key"], "e.lct")


def corrupt(src, dst, how):
    data = bytearray(open(path(src), "rb").read())
    if how == "flip":
        data[len(data) // 2] ^= 0x40
    elif how == "truncate":
        data = data[: len(data) - 1000]
    elif how == "header":
        data[0:8] = b"NOTLATHE"
    elif how == "version":
        data[8] = 9
    open(path(dst), "wb").write(bytes(data))


def t_corrupt_files():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi,bp", "--out", "t40.lct")
    ev = ["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--out", "e.lct", "--in"]
    corrupt("t40.lct", "flip.lct", "flip")
    expect_fail(ev + ["flip.lct"], 5, ["flip.lct", "corrupted"], "e.lct")
    corrupt("t40.lct", "trunc.lct", "truncate")
    expect_fail(ev + ["trunc.lct"], 5, ["trunc.lct", "truncated"], "e.lct")
    corrupt("t40.lct", "magic.lct", "header")
    expect_fail(ev + ["magic.lct"], 5, ["magic.lct", "not a lathe file"], "e.lct")
    corrupt("t40.lct", "ver.lct", "version")
    expect_fail(ev + ["ver.lct"], 5, ["ver.lct", "version"], "e.lct")
    corrupt("k/eval.keys", "flip.keys", "flip")
    expect_fail(["eval", "--eval-keys", "flip.keys", "--circuit", "stats", "--in", "t40.lct", "--out", "e.lct"], 5,
                ["flip.keys", "corrupted"], "e.lct")
    # a table where a result is expected, and the other way round
    expect_fail(["decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "t40.lct", "--out", "d.csv"], 5,
                ["t40.lct", "encrypted table"], "d.csv")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "t40.lct", "--out", "s40.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "s40.lct", "--out", "e.lct"], 5,
                ["s40.lct", "encrypted result"], "e.lct")
    corrupt("s40.lct", "s40flip.lct", "flip")
    expect_fail(["decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "s40flip.lct", "--out", "d.csv"], 5,
                ["s40flip.lct", "corrupted"], "d.csv")
    corrupt("k/secret.key", "flipsk.key", "flip")
    os.makedirs(path("kflip"), exist_ok=True)
    shutil.copy(path("flipsk.key"), path("kflip/secret.key"))
    expect_fail(["decrypt", "--keys", "kflip", "--passphrase-file", "k.pw", "--in", "s40.lct", "--out", "d.csv"], 5,
                ["kflip/secret.key", "corrupted"], "d.csv")
    expect_fail(["info", "flip.lct"], 5, ["flip.lct", "corrupted"], None)


def t_mismatched_keys():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k2", "--in", "ok40.csv", "--columns", "age,bmi", "--out", "other.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "other.lct", "--out", "e.lct"],
                5, ["other.lct", "another key pair", "k/eval.keys"], "e.lct")
    ok("eval", "--eval-keys", "k2/eval.keys", "--circuit", "stats", "--in", "other.lct", "--out", "other-s.lct")
    expect_fail(["decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "other-s.lct", "--out", "d.csv"], 5,
                ["other-s.lct", "another key pair"], "d.csv")


def t_wrong_passphrase():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi", "--out", "t40b.lct")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "t40b.lct", "--out", "s40b.lct")
    with open(path("wrong.pw"), "w") as f:
        f.write(PASS + "!\n")
    expect_fail(["decrypt", "--keys", "k", "--passphrase-file", "wrong.pw", "--in", "s40b.lct", "--out", "d.csv"], 4,
                ["k/secret.key", "wrong passphrase"], "d.csv")
    expect_fail(["decrypt", "--keys", "k", "--passphrase-file", "empty.pw", "--in", "s40b.lct", "--out", "d.csv"], 4,
                ["empty passphrase"], "d.csv")
    # the right one works, and an existing output is replaced whole
    open(path("d.csv"), "w").write("stale\n")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "s40b.lct", "--out", "d.csv")
    check(quantities("d.csv")["count"] == "40", "decrypt after the right passphrase")


def t_does_not_fit():
    small_diabetes("ok40.csv")
    rows = read_rows("diabetes.csv", 40)
    # values fit the plaintext space, their sums of squares do not: eval refuses with advice
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "bmi,s1_tc", "--scale", "1000", "--out",
       "big.lct")
    check(max(float(r["s1_tc"]) for r in rows) * 1000 <= HALF, "the test's premise: values fit")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "big.lct", "--out", "e.lct"], 6,
                ["big.lct", "stats", "does not fit", "smaller scales"], "e.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "regression", "--target", "bmi", "--in",
                 "big.lct", "--out", "e.lct"], 6, ["big.lct", "regression", "does not fit"], "e.lct")
    write_model("hugemodel.csv", {"bmi": 1e15, "intercept": 0.0})
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "linear", "--model", "hugemodel.csv", "--in",
                 "big.lct", "--out", "e.lct"], 6, ["hugemodel.csv", "does not fit"], "e.lct")


def t_model_errors():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi", "--out", "m40.lct")
    ev = ["eval", "--eval-keys", "k/eval.keys", "--circuit", "linear", "--in", "m40.lct", "--out", "e.lct", "--model"]
    write_model("m1.csv", {"age": 0.1, "weight": 2.0, "intercept": 1.0})
    expect_fail(ev + ["m1.csv"], 3, ["m1.csv", "unknown column 'weight'"], "e.lct")
    write_model("m2.csv", {"age": 0.1, "bmi": 2.0})
    expect_fail(ev + ["m2.csv"], 3, ["m2.csv", "intercept"], "e.lct")
    with open(path("m3.csv"), "w") as f:
        f.write("age,bmi,intercept\n0.1,,1\n")
    expect_fail(ev + ["m3.csv"], 3, ["m3.csv", "column 'bmi'", "missing"], "e.lct")
    with open(path("m4.csv"), "w") as f:
        f.write("age,bmi,intercept\n0.1,x2,1\n")
    expect_fail(ev + ["m4.csv"], 3, ["m4.csv", "column 'bmi'", "'x2'"], "e.lct")
    write_model("m6.csv", {"intercept": 1.0})
    expect_fail(ev + ["m6.csv"], 3, ["m6.csv", "no weights"], "e.lct")
    with open(path("m5.csv"), "w") as f:
        f.write("age,bmi,intercept\n0.1,2,1\n0.2,3,1\n")
    expect_fail(ev + ["m5.csv"], 3, ["m5.csv", "line 3", "one row"], "e.lct")
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "regression", "--target", "height", "--in",
                 "m40.lct", "--out", "e.lct"], 3, ["m40.lct", "unknown column 'height'"], "e.lct")


def t_info_plain_object():
    # the object inside a program file is a plain lathe object (docs/cli.md layout)
    data = open(path("k/public.key"), "rb").read()
    check(data[:8] == b"LATHECLI", "magic")
    clen = int.from_bytes(data[112:120], "little")
    olen = int.from_bytes(data[120:128], "little")
    check(len(data) == 128 + clen + olen + 32, "container lengths")
    import hashlib
    check(hashlib.blake2b(data[:-32], digest_size=32).digest() == data[-32:], "container checksum")
    obj = data[128 + clen: 128 + clen + olen]
    check(obj[:6] == b"LATHE\0", "object magic")
    open(path("plain.pk"), "wb").write(obj)
    d = info("plain.pk")
    check(d["kind"] == ["public key"] and d["format"][0].startswith("plain lathe object"), f"plain info {d}")
    check(d["key id"] == info("k/public.key")["key id"], "plain key id")
    ctx = data[128: 128 + clen]
    open(path("plain.ctx"), "wb").write(ctx)
    check(info("plain.ctx")["kind"] == ["context"], "plain context")
    # tables and results as the library saves them (docs/format.md): described from their layout
    for name, kind in (("diab.lct", "encrypted table"), ("diab-stats.lct", "encrypted result")):
        data = open(path(name), "rb").read()
        clen, olen = int.from_bytes(data[112:120], "little"), int.from_bytes(data[120:128], "little")
        obj = data[128 + clen: 128 + clen + olen]
        check(obj[:8] == b"LATHECIR", f"{name}: the circuits' magic")
        open(path("plain.obj"), "wb").write(obj)
        a, b = info(name), info("plain.obj")
        check(b["kind"] == [kind] and b["format"][0].startswith("plain lathe circuits object"), f"{b}")
        for k in ("rows", "column", "item", "circuit", "level", "key id"):
            check(a.get(k) == b.get(k), f"{name}: '{k}' {a.get(k)} != {b.get(k)}")
        bad = bytearray(obj)
        bad[len(bad) // 2] ^= 1
        open(path("plain.bad"), "wb").write(bytes(bad))
        expect_fail(["info", "plain.bad"], 5, ["plain.bad", "corrupted"], None)
        expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "plain.obj", "--out",
                     "e.lct"], 5, ["plain.obj", "saved by the library"], "e.lct")


def t_no_partial_output_on_signal():
    # interrupted at any moment, encrypt and eval leave the target absent and no temporary file
    small_diabetes("ok40.csv")
    rows = read_rows("breast_cancer_wisconsin.csv")
    write_csv("bcall.csv", list(rows[0].keys()), [list(r.values()) for r in rows])
    cols = ",".join(list(rows[0].keys())[:30])
    for delay in (0.05, 0.2, 0.4, 0.8):
        for sig in (signal.SIGINT, signal.SIGTERM):
            out = "sig.lct"
            if os.path.exists(path(out)):
                os.remove(path(out))
            p = subprocess.Popen([LATHE, "encrypt", "--keys", "k", "--in", "bcall.csv", "--columns", cols, "--out",
                                  out], cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(sig)
            p.wait(timeout=300)
            tmps = [f for f in os.listdir(WORK) if f.startswith(".sig.lct.tmp-")]
            check(not tmps, f"temporary file left after signal {sig} at {delay}s: {tmps}")
            # no output, or a whole one (the signal came after the rename)
            if os.path.exists(path(out)):
                check(info(out)["rows"] == [str(len(rows))], f"partial output after signal {sig} at {delay}s")


def t_scales_option():
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi,bp", "--scales", "age=1, bmi=100",
       "--out", "sc40.lct")
    rows = read_rows("diabetes.csv", 40)
    vals = column_values(rows, ["age", "bmi", "bp"])
    want = expected_columns(vals, auto_bits(40), {"age": 1.0, "bmi": 100.0})
    got = info_columns(info("sc40.lct"))
    check(got == want, f"--scales: {got} != {want}")
    ok("encrypt", "--keys", "k", "--in", "ok40.csv", "--columns", "age,bmi", "--scale", "0.5", "--out", "sc41.lct")
    check(all(v[0] == 0.5 for v in info_columns(info("sc41.lct")).values()), "--scale applies to every column")


def t_small_chain():
    # bgv-128-n8192-t65537: depth 2 and t = 65537, too little for the comparison of `logistic`
    setup_keys("k8", "bgv-128-n8192-t65537")
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "k8", "--in", "ok40.csv", "--columns", "age,bmi", "--out", "t8.lct")
    write_model("m8.csv", {"age": 0.05, "bmi": 0.2, "intercept": -7.0})
    expect_fail(["eval", "--eval-keys", "k8/eval.keys", "--circuit", "logistic", "--model", "m8.csv", "--in",
                 "t8.lct", "--out", "e.lct"], 6, ["m8.csv", "preset with more levels"], "e.lct")
    # parameters of another preset
    expect_fail(["eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "t8.lct", "--out", "e.lct"], 5,
                ["t8.lct", "other parameters"], "e.lct")
    # stats fit this t for 40 rows, and are exact
    ok("eval", "--eval-keys", "k8/eval.keys", "--circuit", "stats", "--in", "t8.lct", "--out", "s8.lct")
    ok("decrypt", "--keys", "k8", "--passphrase-file", "k8.pw", "--in", "s8.lct", "--out", "s8.csv")
    q = quantities("s8.csv")
    rows = read_rows("diabetes.csv", 40)
    bits = max(b for b in range(1, 41) if 40 * (2 ** b - 1) ** 2 <= (65537 - 1) // 2)
    cols = expected_columns(column_values(rows, ["age", "bmi"]), bits)
    for c in ("age", "bmi"):
        sc = cols[c][0]
        close(float(q["sum:" + c]), float(sum(rnd(float(r[c]) * sc) for r in rows) / Fraction(sc)), what=c)


def t_keygen_into_empty_dir():
    os.makedirs(path("emptydir"))
    ok("keygen", "--preset", PRESET, "--out", "emptydir", "--passphrase-file", "k.pw")
    check(sorted(os.listdir(path("emptydir"))) == ["eval.keys", "public.key", "secret.key"], "keys in an empty dir")


def t_keygen_interrupted():
    for delay in (0.05, 0.2, 0.5, 0.9):
        d = "kint"
        if os.path.exists(path(d)):
            shutil.rmtree(path(d))
        p = subprocess.Popen([LATHE, "keygen", "--preset", PRESET, "--out", d, "--passphrase-file", "k.pw"],
                             cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=300)
        # whatever the moment: no key directory, or a complete one (the signal came after the last rename)
        if os.path.exists(path(d)):
            check(sorted(os.listdir(path(d))) == ["eval.keys", "public.key", "secret.key"],
                  f"keygen interrupted at {delay}s left {os.listdir(path(d))}")
            check(info(d + "/eval.keys")["kind"] == ["evaluation-key bundle"], "a whole bundle")


def run_pty(args, answers=(), timeout=120):
    """Runs lathe on a pseudo-terminal (its controlling terminal); answers each prompt in turn."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(WORK)
        os.execv(LATHE, [LATHE] + list(args))
    out = b""
    pending = list(answers)
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if pending and out.count(b"passphrase") > len(answers) - len(pending) and out.endswith(b": "):
                os.write(fd, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out, time.monotonic() - t0


def t_terminal_passphrase_and_progress():
    secret = "typed on a terminal"
    rc, out, _ = run_pty(["keygen", "--preset", PRESET, "--out", "ktty"], [secret, secret])
    check(rc == 0, f"keygen on a terminal: {rc} {out!r}")
    check(b"passphrase again" in out, f"asked twice: {out!r}")
    check(secret.encode() not in out, "the passphrase was echoed")
    with open(path("ktty.pw"), "w") as f:
        f.write(secret + "\n")
    small_diabetes("ok40.csv")
    ok("encrypt", "--keys", "ktty", "--in", "ok40.csv", "--columns", "age", "--out", "tty.lct")
    ok("eval", "--eval-keys", "ktty/eval.keys", "--circuit", "stats", "--in", "tty.lct", "--out", "tty-s.lct")
    rc, out, _ = run_pty(["decrypt", "--keys", "ktty", "--in", "tty-s.lct", "--out", "tty-s.csv"], [secret])
    check(rc == 0 and quantities("tty-s.csv")["count"] == "40", f"decrypt with the typed passphrase: {out!r}")
    rc, out, _ = run_pty(["keygen", "--preset", PRESET, "--out", "ktty2"], [secret, secret + "x"])
    check(rc == 4 and b"differ" in out and not os.path.exists(path("ktty2")), f"two passphrases differ: {out!r}")
    # a progress bar on a terminal for work longer than a second: the default preset's keygen
    rc, out, took = run_pty(["keygen", "--out", "kdef", "--passphrase-file", "k.pw"])
    check(rc == 0, f"default keygen: {out!r}")
    if took > 1.6:
        check(b"lathe keygen [" in out and b"\r\x1b[K" in out, f"no progress bar in {took:.1f}s: {out[-200:]!r}")
        check(out.rstrip(b"\r\n").endswith(b"\r\x1b[K"), "the bar is cleared at the end")
    d = info("kdef/eval.keys")
    check(d["preset"] == ["bgv-128-n32768-t268042241"] and d["security"][0].startswith("128-bit"), f"{d}")
    check(os.path.getsize(path("kdef/eval.keys")) <= 100 * 2 ** 20, "eval.keys above 100 MB")


# ---------------------------------------------------------------- lathe party

def party_setup(n, study="study.lathe", prefix="h"):
    """Runs the key protocol of n parties (docs/cli.md, "lathe party"); returns the collective key directory."""
    keys = prefix + "keys"
    ok("party", "init", "--parties", n, "--preset", PRESET, "--out", study)
    for i in range(n):
        ok("party", "keygen-share", "--study", study, "--index", i, "--out", f"{prefix}{i}", "--passphrase-file",
           "k.pw")
        check(os.stat(path(f"{prefix}{i}/party.key")).st_mode & 0o077 == 0, "party.key readable by others")
    ok("party", "combine-keys", "--study", study, "--out", keys, *[f"{prefix}{i}/pk.share" for i in range(n)])
    for i in range(n):
        ok("party", "evalkey-share", "--party", f"{prefix}{i}", "--keys", keys, "--round", 1, "--passphrase-file",
           "k.pw")
    ok("party", "combine-keys", "--study", study, "--out", keys, *[f"{prefix}{i}/round1.share" for i in range(n)])
    for i in range(n):
        ok("party", "evalkey-share", "--party", f"{prefix}{i}", "--keys", keys, "--round", 2, "--passphrase-file",
           "k.pw")
    ok("party", "combine-keys", "--study", study, "--out", keys, *[f"{prefix}{i}/round2.shares" for i in range(n)])
    return keys


def t_party():
    """Three parties: their collective keys serve encrypt and eval unchanged, and the collective decryption of a
    regression gives exactly what one key pair's decryption gives on the same data; with DP, every aggregate
    within its stated noise."""
    rows = read_rows("diabetes.csv")
    cols = ["bmi", "bp", "s5_ltg", "progression"]
    write_csv("pdiab.csv", cols, [[r[c] for c in cols] for r in rows])
    keys = party_setup(3)
    check(info(keys + "/public.key")["kind"] == ["public key"], "collective public key info")
    check(info("h0/party.key")["kind"][0].startswith("party key"), "party key info")
    for name, k in (("pk", keys), ("one", "k")):
        ok("encrypt", "--keys", k, "--in", "pdiab.csv", "--columns", ",".join(cols), "--out", f"{name}.lct")
        ev = keys + "/eval.keys" if name == "pk" else "k/eval.keys"
        ok("eval", "--eval-keys", ev, "--circuit", "regression", "--target", "progression", "--in", f"{name}.lct",
           "--out", f"{name}-reg.lct")
    ok("decrypt", "--keys", "k", "--passphrase-file", "k.pw", "--in", "one-reg.lct", "--out", "one-reg.csv")
    for i in range(3):
        ok("party", "decrypt-share", "--party", f"h{i}", "--in", "pk-reg.lct", "--out", f"h{i}/reg.dsh",
           "--passphrase-file", "k.pw")
    shares = [f"h{i}/reg.dsh" for i in range(3)]
    ok("party", "combine-decrypt", "--in", "pk-reg.lct", "--out", "pk-reg.csv", *shares)
    one, coll = open(path("one-reg.csv")).read(), open(path("pk-reg.csv")).read()
    check(one == coll and "coef:bmi" in coll, f"collective decryption {coll!r} differs from one key's {one!r}")
    # decryption shares differ every time (smudging), the result does not
    ok("party", "decrypt-share", "--party", "h0", "--in", "pk-reg.lct", "--out", "h0/reg2.dsh", "--passphrase-file",
       "k.pw")
    check(open(path("h0/reg.dsh"), "rb").read() != open(path("h0/reg2.dsh"), "rb").read(),
          "two decryption shares of one result are equal")
    ok("party", "combine-decrypt", "--in", "pk-reg.lct", "--out", "pk-reg2.csv", "h0/reg2.dsh", *shares[1:])
    check(open(path("pk-reg2.csv")).read() == coll, "another share of party 0 changed the result")
    # with DP: the raw aggregates are not printed, but the released values are within the stated noise of the
    # exact ones, checked through the accounting printed and the decrypted stats circuit of one column
    write_csv("pbmi.csv", ["bmi"], [[r["bmi"]] for r in rows])
    ok("encrypt", "--keys", keys, "--in", "pbmi.csv", "--columns", "bmi", "--out", "pbmi.lct")
    ok("eval", "--eval-keys", keys + "/eval.keys", "--circuit", "stats", "--in", "pbmi.lct", "--out", "pbmi-s.lct")
    exact = None
    for dp in (False, True):
        extra = ["--dp-epsilon", "4", "--dp-delta", "1e-6", "--sensitivity", "ranges"] if dp else []
        for i in range(3):
            ok("party", "decrypt-share", "--party", f"h{i}", "--in", "pbmi-s.lct", "--out", f"h{i}/s.dsh",
               "--passphrase-file", "k.pw", *extra)
        so, _ = ok("party", "combine-decrypt", "--in", "pbmi-s.lct", "--out", "pbmi-s.csv",
                   *[f"h{i}/s.dsh" for i in range(3)])
        q = quantities("pbmi-s.csv")
        if not dp:
            exact = q
            bmi = [rnd(float(r["bmi"]) * 10) for r in rows]
            check(q["count"] == str(len(rows)) and float(q["sum:bmi"]) == sum(bmi) / 10, f"exact stats {q}")
            continue
        check("differentially private release" in so and "rho" in so, f"no DP accounting printed: {so!r}")
        sd = {}
        for line in so.splitlines():
            line = line.strip()
            if ": rho = " in line:
                item = line.split(":", 1)[0] if not line.startswith(("sum:", "sumsq:")) else ":".join(
                    line.split(":")[:2])
                sd[item] = float(line.split("standard deviation ")[1].split()[0])
        check("sum:bmi" in sd, f"no noise stated for sum:bmi: {so!r}")
        check(set(q) == {"count", "sum:bmi", "sumsq:bmi"}, f"a DP release holds the aggregates themselves: {q}")
        d = abs(float(q["sum:bmi"]) - float(exact["sum:bmi"]))
        check(d <= 8 * sd["sum:bmi"], f"sum:bmi off by {d}, beyond 8 stated standard deviations {sd['sum:bmi']}")
    # a DP release needs both parameters, and is for aggregates only
    expect_fail(["party", "decrypt-share", "--party", "h0", "--in", "pbmi-s.lct", "--out", "x.dsh",
                 "--passphrase-file", "k.pw", "--dp-epsilon", "1"], 2, ["--dp-delta"], "x.dsh")
    write_model("pmodel.csv", {"bmi": 1.0, "intercept": 0.0})
    ok("eval", "--eval-keys", keys + "/eval.keys", "--circuit", "linear", "--model", "pmodel.csv", "--in",
       "pbmi.lct", "--out", "pbmi-l.lct")
    expect_fail(["party", "decrypt-share", "--party", "h0", "--in", "pbmi-l.lct", "--out", "x.dsh",
                 "--passphrase-file", "k.pw", "--dp-rho", "1"], 2, ["pbmi-l.lct", "per patient"], "x.dsh")


def t_party_errors():
    """Every bad input of lathe party: a clear status, nothing written."""
    keys = "hkeys"
    if not os.path.exists(path(keys + "/eval.keys")):
        keys = party_setup(3)
    small_diabetes("pe40.csv")
    ok("encrypt", "--keys", keys, "--in", "pe40.csv", "--columns", "age,bmi", "--out", "pe.lct")
    ok("eval", "--eval-keys", keys + "/eval.keys", "--circuit", "stats", "--in", "pe.lct", "--out", "pe-s.lct")
    for i in range(3):
        ok("party", "decrypt-share", "--party", f"h{i}", "--in", "pe-s.lct", "--out", f"h{i}/pe.dsh",
           "--passphrase-file", "k.pw")
    sh = [f"h{i}/pe.dsh" for i in range(3)]
    cd = ["party", "combine-decrypt", "--in", "pe-s.lct", "--out", "pe.csv"]
    expect_fail(cd + sh[:2], 2, ["2 share files for 3 parties"], "pe.csv")
    expect_fail(cd + [sh[0], sh[1], sh[1]], 5, ["two shares of party 1"], "pe.csv")
    corrupt(sh[2], "trunc.dsh", "truncate")
    expect_fail(cd + [sh[0], sh[1], "trunc.dsh"], 5, ["trunc.dsh", "truncated"], "pe.csv")
    corrupt(sh[2], "flip.dsh", "flip")
    expect_fail(cd + [sh[0], sh[1], "flip.dsh"], 5, ["flip.dsh", "corrupted"], "pe.csv")
    # shares of another result under the same key (another encryption of the same table)
    ok("encrypt", "--keys", keys, "--in", "pe40.csv", "--columns", "age,bmi", "--out", "pe2.lct")
    ok("eval", "--eval-keys", keys + "/eval.keys", "--circuit", "stats", "--in", "pe2.lct", "--out", "pe-s2.lct")
    ok("party", "decrypt-share", "--party", "h2", "--in", "pe-s2.lct", "--out", "h2/other.dsh", "--passphrase-file",
       "k.pw")
    expect_fail(cd + [sh[0], sh[1], "h2/other.dsh"], 5, ["pe-s.lct", "another ciphertext"], "pe.csv")
    # a key share where decryption shares go, and the other way round
    expect_fail(cd + [sh[0], sh[1], "h2/pk.share"], 5, ["h2/pk.share"], "pe.csv")
    expect_fail(["party", "combine-keys", "--study", "study.lathe", "--out", "hk2"] + sh, 2,
                ["no key share", "combine-decrypt"], None)
    # a party of another study, a repeated key share, a missing one
    ok("party", "init", "--parties", 3, "--preset", PRESET, "--out", "study2.lathe")
    ok("party", "keygen-share", "--study", "study2.lathe", "--index", 0, "--out", "g0", "--passphrase-file", "k.pw")
    expect_fail(["party", "combine-keys", "--study", "study.lathe", "--out", "hk3", "g0/pk.share", "h1/pk.share",
                 "h2/pk.share"], 5, ["common seed"], "hk3/public.key")
    expect_fail(["party", "combine-keys", "--study", "study.lathe", "--out", "hk3", "h0/pk.share", "h1/pk.share",
                 "h1/pk.share"], 5, ["public-key shares"], "hk3/public.key")
    expect_fail(["party", "combine-keys", "--study", "study.lathe", "--out", "hk3", "h0/pk.share", "h1/pk.share"], 5,
                ["public-key shares"], "hk3/public.key")
    # keys and seeds are never overwritten
    expect_fail(["party", "combine-keys", "--study", "study.lathe", "--out", keys, "h0/pk.share", "h1/pk.share",
                 "h2/pk.share"], 4, ["public.key", "refusing to overwrite"], None)
    expect_fail(["party", "init", "--parties", 3, "--out", "study.lathe"], 4, ["study.lathe", "refusing"], None)
    expect_fail(["party", "keygen-share", "--study", "study.lathe", "--index", 0, "--out", "h0", "--passphrase-file",
                 "k.pw"], 4, ["h0", "not empty"], None)
    expect_fail(["party", "keygen-share", "--study", "study.lathe", "--index", 3, "--out", "hx", "--passphrase-file",
                 "k.pw"], 2, ["--index", "0 to 2"], "hx/party.key")
    expect_fail(["party", "init", "--parties", 1, "--out", "s1.lathe"], 2, ["--parties"], "s1.lathe")
    # the wrong passphrase, a party's key where a public key goes, a party bound to another key
    with open(path("wrong.pw"), "w") as f:
        f.write(PASS + "!\n")
    expect_fail(["party", "decrypt-share", "--party", "h0", "--in", "pe-s.lct", "--out", "x.dsh",
                 "--passphrase-file", "wrong.pw"], 4, ["h0/party.key", "wrong passphrase"], "x.dsh")
    os.makedirs(path("pkdir"), exist_ok=True)
    shutil.copy(path("h0/party.key"), path("pkdir/public.key"))
    expect_fail(["encrypt", "--keys", "pkdir", "--in", "pe40.csv", "--columns", "age", "--out", "x.lct"], 4,
                ["pkdir/public.key", "party"], "x.lct")
    expect_fail(["party", "decrypt-share", "--party", "g0", "--in", "pe-s.lct", "--out", "x.dsh",
                 "--passphrase-file", "k.pw"], 4, ["g0/party.key", "no collective key"], "x.dsh")
    # a result of one key pair
    ok("encrypt", "--keys", "k", "--in", "pe40.csv", "--columns", "age", "--out", "pone.lct")
    ok("eval", "--eval-keys", "k/eval.keys", "--circuit", "stats", "--in", "pone.lct", "--out", "pone-s.lct")
    expect_fail(["party", "decrypt-share", "--party", "h0", "--in", "pone-s.lct", "--out", "x.dsh",
                 "--passphrase-file", "k.pw"], 5, ["pone-s.lct"], "x.dsh")
    expect_fail(["party", "bogus"], 2, ["unknown step"], None)


# ---------------------------------------------------------------- main

# docs/cli.md: logistic's output scale keeps the score's bound at most this (a rule, not a result)
LOGISTIC_MAX_BOUND = 1023


def main():
    global LATHE, DATA, WORK
    LATHE = os.path.abspath(sys.argv[1])
    DATA = sys.argv[2]
    if not os.path.isfile(os.path.join(DATA, "diabetes.csv")):
        print(f"no data in {DATA}", flush=True)
        return 1
    WORK = tempfile.mkdtemp(prefix="lathe-cli-test-")
    # a timeout (SIGTERM from meson) still removes the working directory
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # threads that sleep when idle: spinning ones starve each other on a loaded 2-core machine
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    t0 = time.monotonic()
    try:
        for fn in (t_version_and_help, t_keygen, t_keygen_errors, t_stats_diabetes, t_linear_breast_cancer,
                   t_logistic_breast_cancer, t_regression_diabetes, t_csv_dialect, t_missing_values, t_bad_values,
                   t_usage_errors, t_io_errors, t_public_key_only, t_eval_refuses_secret_keys, t_corrupt_files,
                   t_mismatched_keys, t_wrong_passphrase, t_does_not_fit, t_model_errors, t_info_plain_object,
                   t_no_partial_output_on_signal, t_scales_option, t_small_chain, t_keygen_into_empty_dir,
                   t_keygen_interrupted, t_terminal_passphrase_and_progress, t_party, t_party_errors):
            test(fn)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"total time {time.monotonic() - t0:.1f}s")
    print(f"cli: {results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
