"""Attack sitegen as a hostile or careless user would (issue #16), and count what gets through.

    python3 bench/attack.py [--only xss,links,kills,concurrent,flood,paths,words] [--kills 8]

Sections, each printing counts (a finding is a line starting with "FINDING"):
- xss: every payload in every input channel (story text in .txt and .md, chapter headings, front
  matter, notes, work.toml's title, summary, tags, chapters and characters' names and colours,
  file and folder names, sitegen.toml), built, then every page loaded in headless Chromium with
  alert/confirm/prompt/print trapped and mouse, focus and pointer events fired on every element:
  a script run, an `on*` attribute, a `javascript:`/`data:` URL in href/src, or `{{ 7*191 }}`
  rendered as 1337 is a finding.
- links: symbolic links out of the site (a chapter, a work folder, a static file, the cast, the
  theme, templates): a finding when anything outside the site reaches public/ or the build crashes.
- kills: SIGKILL and SIGTERM at spread moments of a build (reading, analysing, rendering, writing):
  a finding when no site is left where one was, or when a staging folder, lock or worker survives
  the next build.
- concurrent: 8 builds into one output at once: crashes (exit 2 / traceback), mixed output, leftovers.
- flood: `sitegen serve` under 400 idle (slowloris) connections and 600 quick requests, then a normal
  request, then Ctrl-C (SIGINT): a finding when it stops answering or does not exit 0 within 10 s.
- paths: path traversal and Host header tricks against `sitegen serve`.
- words: generated fics with repeated headings and notes: a finding for every word lost.
Needs Chromium and Playwright for the xss section (skipped, with the reason, without them).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.dom import minidom

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SITEGEN = [sys.executable, "-m", "sitegen"]
FINDINGS: list[str] = []
SECRET = "root:x:0:0"                       # what /etc/passwd holds, never in a published site

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>", '"><img src=x onerror=alert(5)>', "'><svg/onload=alert(6)>",
    "javascript:alert(7)", "[click](javascript:alert(8))", "[x](JaVaScRiPt:alert(9) \"t\")",
    "![a](x \"onerror=alert(10)\")", "<a href=\"javascript:alert(11)\">a</a>", "{{ 7*191 }}",
    "{% for x in range(3) %}loop{% endfor %}", "<iframe src=\"javascript:alert(12)\"></iframe>",
    "<div onmouseover=\"alert(13)\">hover</div>", "[x](data:text/html,<script>alert(14)</script>)",
    "<math><mtext><img src=x onerror=alert(15)></mtext></math>", "</title><script>alert(16)</script>",
    "\u2028<script>alert(17)</script>", "<details open ontoggle=alert(18)>", "{=x}<b onclick=alert(19)>x</b>",
    "<style>@import 'javascript:alert(20)'</style>", "\" onfocus=\"alert(21)\" autofocus \"",
]
NAME_PAYLOADS = ["<img src=x onerror=alert(31)>", "<svg onload=alert(32)>", "\"'><b onmouseover=alert(33)>"]


def finding(section: str, what: str) -> None:
    FINDINGS.append(f"{section}: {what}")
    print(f"FINDING {section}: {what}", flush=True)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build(site: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*SITEGEN, "build", "--quiet", "--site", str(site), *extra], cwd=site,
                          capture_output=True, text=True, timeout=timeout)


def crashed(run: subprocess.CompletedProcess) -> bool:
    return run.returncode not in (0, 1) or "Traceback" in run.stderr or "internal error" in run.stderr


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\u2028") + '"'


# ----------------------------------------------------------------- xss

def xss_site(root: Path, p: str, k: int) -> Path:
    """One site with payload p in every channel."""
    q = toml_str(p)
    story = (f"Chapter 1: {p}\n\nShe said, \"{p}\" and left. {p}\n\n(A/N: {p})\n\n[A/N {p}]\n\n"
             f"'{p}' he thought.\n\n***\n\nChapter 2 {p}\n\nMore text {p}.\n\n(lol {p} sorry)\n")
    y = json.dumps(p)                                     # a JSON string is a YAML string
    md = (f"---\ntitle: {y}\nsummary: {y}\ntags: [{y}]\n---\n# {p}\n\n*{p}* and **{p}** `{p}`\n\n> {p}\n\n"
          f"[{p}]({p}) ![{p}]({p})\n\n- {p}\n\n{p}\n\n[link](https://example.com \"{p}\")\n")
    files = {
        "sitegen.toml": f"title = {q}\nbase_url = {toml_str('https://ex.org/' + p)}\nlanguage = {q}\n",
        "content/w/work.toml": (f"title = {q}\nsummary = {q}\ntags = [{q}, \"ok\"]\nauthor = {q}\nfandom = {q}\n"
                                f"rating = {q}\nwarnings = [{q}]\ncategories = [{q}]\nrelationships = [{q}]\n"
                                f"source_url = {q}\nnotes = {q}\nend_notes = {q}\npublished = {q}\n"
                                f"chapters = [{q}, {q}]\n"
                                f"[[series]]\ntitle = {q}\nposition = 1\nurl = {q}\n"
                                f"[characters.ana]\nname = {q}\naliases = [{q}]\ncolour = \"#a03030\"\n"
                                f"[characters.bo]\nname = \"Bo\"\naliases = [{q}]\ncolour = \"#123456\"\n"),
        "content/w/a.txt": story,
        "content/m/b.md": md,
        "content/m/work.toml": (f"title = \"M {k}\"\nsummary = {q}\n"
                                f"[[chapter]]\ntitle = {q}\nsummary = {q}\nnotes = {q}\nend_notes = {q}\n"),
    }
    name = NAME_PAYLOADS[k % len(NAME_PAYLOADS)]
    files[f"content/{name}/{name}.txt"] = f"Text of a folder named after a payload. {p}\n"
    return write(root, files)


JS_TRAP = """
window.__xss = [];
for (const f of ['alert', 'confirm', 'prompt', 'print']) { window[f] = (...a) => { window.__xss.push(f + ':' + a); }; }
"""
JS_FIRE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const t of ['mouseover', 'mouseenter', 'focus', 'click', 'pointerdown', 'toggle', 'animationstart']) {
      try { el.dispatchEvent(new Event(t, {bubbles: true})); } catch (e) {}
    }
  }
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name);
      if (/^(href|src|action|formaction|xlink:href|data)$/i.test(a.name) && /^\\s*(javascript|vbscript|data):/i.test(a.value))
        bad.push(el.tagName + ' ' + a.name + '=' + a.value.slice(0, 40));
    }
  }
  return {ran: window.__xss, bad: bad, text: document.body ? document.body.innerText : ''};
}"""


def attack_xss(work: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("xss: skipped (playwright is not installed)")
        return
    if not Path(CHROMIUM).exists():
        print(f"xss: skipped ({CHROMIUM} is missing)")
        return
    pages = loads = placements = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for k, p in enumerate(PAYLOADS):
            site = xss_site(work / f"xss{k}", p, k)
            placements += sum(t.count(p) for t in (f.read_text() for f in site.rglob("*") if f.is_file()))
            colour = write(work / f"colour{k}", {"content/w/a.txt": "Ana said hi.\n", "content/w/work.toml":
                                                f"[characters.ana]\nname = \"Ana\"\ncolour = {toml_str(p)}\n"})
            refused_colour = build(colour)
            if refused_colour.returncode != 1 or crashed(refused_colour):
                finding("xss", f"payload {k}: a character colour {p!r} is not refused: exit {refused_colour.returncode}")
            shutil.rmtree(colour)
            run = build(site)
            if run.returncode != 0:
                (finding("xss", f"payload {k} {p!r}: build failed: {run.stderr.strip()[-300:]}") if crashed(run)
                 else print(f"xss: payload {k} refused with a user error: {run.stderr.strip().splitlines()[0]}",
                            flush=True))
                continue
            ctx = browser.new_context(java_script_enabled=True)
            ctx.add_init_script(JS_TRAP)
            ctx.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())   # nothing leaves the machine
            for html in sorted((site / "public").rglob("*.html")):
                page = ctx.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                try:
                    page.goto(html.as_uri(), wait_until="load", timeout=15000)
                    page.wait_for_timeout(50)
                    got = page.evaluate(JS_FIRE)
                    page.wait_for_timeout(50)
                    got["ran"] = page.evaluate("window.__xss || []")
                except Exception as e:                                       # noqa: BLE001
                    finding("xss", f"payload {k}: {html.name} did not load: {e}")
                    continue
                finally:
                    page.close()
                loads += 1
                rel = html.relative_to(site / "public")
                if got["ran"] or dialogs:
                    finding("xss", f"payload {k} {p!r} RAN in {rel}: {got['ran'] or dialogs}")
                if got["bad"]:
                    finding("xss", f"payload {k} {p!r} in {rel}: {got['bad'][:3]}")
                if "{{" in p and "1337" in got["text"]:
                    finding("xss", f"payload {k}: template syntax evaluated in {rel}")
                if "{%" in p and "looplooploop" in got["text"]:
                    finding("xss", f"payload {k}: template loop evaluated in {rel}")
            pages += len(list((site / "public").rglob("*.html")))
            for feed in (site / "public").rglob("*.xml"):
                try:
                    minidom.parse(str(feed))
                except Exception as e:                                       # noqa: BLE001
                    finding("xss", f"payload {k}: {feed.name} is not well-formed: {e}")
            ctx.close()
            shutil.rmtree(site)
        browser.close()
    print(f"xss: {len(PAYLOADS)} payloads, {placements} placements, {pages} pages, {loads} page loads in Chromium")


# ----------------------------------------------------------------- symlinks

def attack_links(work: Path) -> None:
    cases = {
        "chapter": ("content/w/b.txt", "/etc/passwd"),
        "work folder": ("content/etc", "/etc"),
        "static file": ("static/x.txt", "/etc/passwd"),
        "static folder": ("static/sys", "/etc"),
        "templates": ("templates", "/etc"),
        "theme folder": ("themes/evil", "/etc"),
        "cover image": ("content/w/cover.jpg", "/etc/passwd"),
        "loop": ("content/w/loop.txt", "content/w/loop.txt"),
    }
    configs = {"cast": ('content/w/work.toml', 'cast = "/etc/passwd"\n'),
               "theme path": ("sitegen.toml", 'theme = "../../../../../../etc"\n'),
               "cast traversal": ('content/w/work.toml', 'cast = "../../../../../../etc/passwd"\n')}
    tried = refused = 0
    for name, (rel, target) in [*cases.items(), *((n, (None, c)) for n, c in configs.items())]:
        site = write(work / f"link-{name.replace(' ', '-')}", {"content/w/a.txt": "Title\n\nSome prose here.\n"})
        if rel is not None:
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target if target.startswith("/") else site / target, path)
        else:
            cfg_rel, line = target
            write(site, {cfg_rel: line})
        run = build(site)
        tried += 1
        if crashed(run):
            finding("links", f"{name}: crash: {run.stderr.strip()[-300:]}")
        elif run.returncode == 1:
            refused += 1
        leaked = [str(f) for f in (site / "public").rglob("*") if f.is_file() and SECRET in f.read_text(errors="replace")] \
            if (site / "public").is_dir() else []
        if leaked:
            finding("links", f"{name}: outside file published in {leaked[:3]}")
        shutil.rmtree(site)
    print(f"links: {tried} links and paths out of the site, {refused} refused with a user error, "
          f"{sum(1 for f in FINDINGS if f.startswith('links'))} findings")


# ----------------------------------------------------------------- kills

def big_site(root: Path, chapters: int = 120) -> Path:
    rnd = random.Random(3)
    words = "the she he said ran bright door night 'Run,' \"Wait!\" (A/N sorry) quietly Ana Bo".split()
    files = {"content/w/work.toml": '[characters.ana]\nname = "Ana"\n[characters.bo]\nname = "Bo"\n'}
    for c in range(chapters):
        paras = ["\"" + " ".join(rnd.choice(words) for _ in range(12)) + ",\" Ana said. "
                 + " ".join(rnd.choice(words) for _ in range(40)) + "." for _ in range(30)]
        files[f"content/w/{c:03}.txt"] = f"Chapter {c + 1}\n\n" + "\n\n".join(paras) + "\n"
    return write(root, files)


def leftovers(site: Path) -> list[str]:
    """What a build leaves beside its output that is not the site, its inputs or its cache."""
    keep = {"content", "public", ".sitegen-cache", "static", "templates", "themes", "sitegen.toml"}
    out = [p.name for p in site.iterdir() if p.name not in keep]
    cache = site / ".sitegen-cache"
    if cache.is_dir():
        out += [f"cache:{p.name}" for p in cache.rglob("*") if re.search(r"\.tmp|tmp[a-z0-9_]{6}|\.new", p.name)]
    return out


def survivors(site: Path) -> list[int]:
    """Processes whose command line names this site (pool workers of a killed build)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes()
                if str(site).encode() in cmd and int(d.name) != os.getpid():
                    found.append(int(d.name))
            except OSError:
                pass
    return found


def attack_kills(work: Path, kills: int, chapters: int = 120) -> None:
    site = big_site(work / "kills", chapters)
    started = time.perf_counter()
    run = build(site, "--no-cache")
    full = time.perf_counter() - started
    if run.returncode:
        finding("kills", f"the site does not build: {run.stderr[-300:]}")
        return
    total = 0
    for sig in (signal.SIGKILL, signal.SIGTERM):
        for k in range(kills):
            delay = full * (k + 0.5) / kills
            proc = subprocess.Popen([*SITEGEN, "build", "--quiet", "--no-cache", "--site", str(site)], cwd=site,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            time.sleep(delay)
            proc.send_signal(sig)
            proc.wait()
            total += 1
            print(f"kills: {sig.name} at {delay:.2f} s of {full:.2f} s", flush=True)
            time.sleep(0.3)
            if not (site / "public" / "index.html").exists():
                finding("kills", f"{sig.name} at {delay:.2f}s of {full:.2f}s: no site left in public/")
            alive = survivors(site)
            if alive:
                finding("kills", f"{sig.name} at {delay:.2f}s: {len(alive)} processes outlive the build")
                for pid in alive:
                    os.kill(pid, signal.SIGKILL)
    after = build(site)
    if after.returncode:
        finding("kills", f"the build after the kills fails: {after.stderr[-300:]}")
    left = leftovers(site)
    if left:
        finding("kills", f"left behind after the next build: {left[:5]}")
    print(f"kills: {total} kills (SIGKILL, SIGTERM; {kills} moments each over a {full:.1f} s build), "
          f"{sum(1 for f in FINDINGS if f.startswith('kills'))} findings")


# ----------------------------------------------------------------- concurrent builds

def attack_concurrent(work: Path, rounds: int = 3) -> None:
    site = big_site(work / "concurrent", chapters=20)
    crashes = refused = ok = 0
    for _ in range(rounds):
        procs = [subprocess.Popen([*SITEGEN, "build", "--quiet", "--site", str(site)], cwd=site,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
        for p in procs:
            _, err = p.communicate(timeout=600)
            if p.returncode == 0:
                ok += 1
            elif p.returncode == 1 and "Traceback" not in err:
                refused += 1
            else:
                crashes += 1
                finding("concurrent", f"exit {p.returncode}: {err.strip()[-300:]}")
        if not (site / "public" / "index.html").exists():
            finding("concurrent", "no site after concurrent builds")
    left = leftovers(site)
    if left:
        finding("concurrent", f"left behind: {left[:5]}")
    print(f"concurrent: {rounds} x 8 builds at once: {ok} built, {refused} refused (another build holds the "
          f"output), {crashes} crashes")


# ----------------------------------------------------------------- the dev server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(site: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([*SITEGEN, "serve", "--port", str(port), "--site", str(site)], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(300):
        try:
            if get(port, "/")[0]:
                return proc, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("sitegen serve did not start")


def get(port: int, path: str, host: str | None = None, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def stop_server(proc: subprocess.Popen, what: str) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        finding(what, "Ctrl-C did not stop sitegen serve within 10 s")
        return
    if code != 0:
        finding(what, f"Ctrl-C: sitegen serve exited {code}: {proc.stdout.read()[-300:]}")


def attack_flood(work: Path) -> None:
    site = write(work / "flood", {"content/w/a.txt": "Title\n\nSome prose here.\n"})
    proc, port = start_server(site)
    idle, not_accepted = [], 0
    for _ in range(400):                                   # slowloris: half a request, then nothing
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(s)
        except OSError:
            not_accepted += 1
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def hammer(n: int) -> None:
        for _ in range(n):
            try:
                code = str(get(port, "/", timeout=20)[0])
            except OSError as e:
                code = type(e).__name__
            with lock:
                statuses[code] = statuses.get(code, 0) + 1
    started = time.perf_counter()
    threads = [threading.Thread(target=hammer, args=(30,)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    try:
        normal = get(port, "/", timeout=10)[0]
    except OSError as e:
        normal = type(e).__name__
    if normal != 200:
        finding("flood", f"after the flood a normal request gets {normal}")
    for s in idle:
        s.close()
    stop_server(proc, "flood")
    print(f"flood: {len(idle)} idle connections opened ({not_accepted} not accepted), 600 requests in {took:.1f} s: {statuses}; "
          f"then a normal request: {normal}")


def attack_paths(work: Path) -> None:
    site = write(work / "paths", {"content/w/a.txt": "Title\n\nSome prose here.\n", "drafts/secret.txt": "SECRET-DRAFT\n",
                                  "sitegen.toml": 'title = "T"\n'})
    proc, port = start_server(site)
    traversals = ["/../sitegen.toml", "/..%2fsitegen.toml", "/%2e%2e/sitegen.toml", "/%2e%2e%2fsitegen.toml",
                  "/w/../../sitegen.toml", "/..\\sitegen.toml", "//etc/passwd", "/%2fetc%2fpasswd", "/../../../../etc/passwd",
                  "/%252e%252e/sitegen.toml", "/content/w/a.txt", "/drafts/secret.txt", "/.sitegen-cache/",
                  "/w/%00../../sitegen.toml", "/.%2e/.%2e/etc/passwd", "http://127.0.0.1/../../etc/passwd",
                  "/%c0%ae%c0%ae/sitegen.toml", "/w/..;/..;/sitegen.toml"]
    served = 0
    for path in traversals:
        try:
            code, body = get(port, path)
        except OSError as e:
            code, body = type(e).__name__, b""
        if SECRET.encode() in body or b"SECRET-DRAFT" in body or b'title = "T"' in body:
            finding("paths", f"{path} served a file outside the output ({code})")
        else:
            served += 1
    hosts = {"evil.example": False, "127.0.0.1.evil.example": False, "localhost.evil.example": False,
             "": False, "127.0.0.1@evil.example": False, f"localhost:{port}": True, f"127.0.0.1:{port}": True,
             "[::1]": True, "LOCALHOST": True, "localhost:1": True}
    right = 0
    for host, allowed in hosts.items():
        for path in ("/", "/__sitegen/status"):
            try:
                code = get(port, path, host=host)[0]
            except OSError as e:
                code = type(e).__name__
            if (code == 200) != allowed and not (path != "/" and allowed):
                finding("paths", f"Host {host!r} {path}: {code} (should be {'answered' if allowed else 'refused'})")
            else:
                right += 1
    stop_server(proc, "paths")
    print(f"paths: {len(traversals)} traversal requests, {served} served nothing outside public/; "
          f"{len(hosts) * 2} Host header tricks, {right} answered as they should")


# ----------------------------------------------------------------- words

def attack_words(work: Path) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import missing_words
    from sitegen.build import build_site
    cases = [
        "Chapter 1\n\nChapter 1\n\nText here.\n",
        "Chapter 1: The Bridge\n\nChapter 1: The Bridge\n\nText here.\n",
        "Chapter 1\n\nChapter 1: The Bridge\n\nText here.\n",
        "Part One\n\nPart One\n\nChapter 1\n\nText here.\n",
        "Prologue\n\nPrologue\n\nText here.\n\nChapter 1\n\nChapter 1\n\nMore here.\n",
        "Text before.\n\nChapter 2\n\nChapter 2\n\nText after.\n",
        "Text before.\n\nChapter 2: Ends\n\nChapter 2: Ends\n",
        "# Chapter 1\n\n## Chapter 1\n\nText here.\n",
        "Chapter One\n\nCHAPTER ONE\n\nText here.\n",
        "Chapter 3\n\nChapter 3\n\nChapter 3\n\nText here.\n",
        "She ran.\n\n(A/N thanks)\n\n(A/N thanks)\n",
        "***\n\nChapter 1\n\n***\n\nChapter 1\n\nText.\n",
    ]
    lost = 0
    for k, text in enumerate(cases):
        for split in ("auto", "none", "scenes", "markers"):
            for ext in ("txt", "md"):
                site = write(work / f"words{k}{split}{ext}", {f"content/w/a.{ext}": text,
                                                            "content/w/work.toml": f'split = "{split}"\n'})
                try:
                    files = build_site(site).files
                except Exception as e:                                       # noqa: BLE001
                    finding("words", f"case {k} {split} .{ext}: build failed: {e}")
                    continue
                html = "".join(files[p].decode("utf-8") for p in ("w/all.html", "w/index.html") if p in files)
                gone = missing_words(text, html)
                if gone:
                    lost += 1
                    finding("words", f"case {k} split={split} .{ext}: lost {dict(gone)} of {text!r}")
                shutil.rmtree(site)
    print(f"words: {len(cases) * 8} builds of repeated headings and notes, {lost} lost words")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="xss,links,kills,concurrent,flood,paths,words")
    ap.add_argument("--kills", type=int, default=8, help="moments per signal")
    ap.add_argument("--chapters", type=int, default=120, help="chapters of the site the kills interrupt")
    args = ap.parse_args()
    sections = {"xss": attack_xss, "links": attack_links, "kills": lambda w: attack_kills(w, args.kills, args.chapters),
                "concurrent": attack_concurrent, "flood": attack_flood, "paths": attack_paths, "words": attack_words}
    with tempfile.TemporaryDirectory(prefix="sitegen-attack-") as tmp:
        for name in args.only.split(","):
            started = time.perf_counter()
            sections[name](Path(tmp))
            print(f"  ({name}: {time.perf_counter() - started:.0f} s)", flush=True)
    print(f"{len(FINDINGS)} findings")
    return 1 if FINDINGS else 0


if __name__ == "__main__":
    sys.exit(main())
