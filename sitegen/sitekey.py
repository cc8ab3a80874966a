"""The start of every build: read the site, digest all it read into the site key, and reuse the last output when that key is unchanged.

`start_build` is what `sitegen build` runs first: it imports neither the
analysis nor the rendering (build.py), so a build with nothing changed links
the last output into place without them (importing the pipeline is about
0.3 s of such a build). When something changed, the `Started` it returns
(the settings, theme, texts and the kept cache it read) goes on to
build.finish_build.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from .cache import BuildCache
from .errors import SitegenError
from .load.boundary import display, resolved_inside
from .load.config import SiteConfig, load_site_config
from .load.files import LoadedWork, find_work_folders, load_work
from .model import Diagnostic, Work
from .output import Kept, check_output_folder, write_output as write_files
from .progress import report
from .render.theme import Theme, builtin_themes, resolve_theme, static_files
from .store import Saved, Store


@dataclass(frozen=True)
class BuildResult:
    files: Mapping[str, bytes]                   # posix path relative to the output folder -> content
    diagnostics: tuple[Diagnostic, ...]
    works: tuple[Work, ...]
    counts: tuple[int, int] | None = None        # (works, words), when reused whole from the cache (works empty)

    @property
    def work_count(self) -> int:
        return self.counts[0] if self.counts else len(self.works)

    @property
    def words(self) -> int:
        return self.counts[1] if self.counts else sum(sum(w.words) for w in self.works)


@dataclass
class Started:
    """A build read so far: what build_site goes on with (`result` when the last output stands)."""
    site_dir: Path
    out_dir: Path | None
    config: SiteConfig
    chosen: Theme
    templates_key: tuple
    static: dict[str, bytes]
    loaded: list[LoadedWork]
    cache: BuildCache
    store: Store | None = None
    key: str | None = None                       # the site key (with a store)
    result: BuildResult | None = None            # the last output, when nothing it was made from changed


def fingerprint(loaded: LoadedWork) -> str:
    h = hashlib.blake2b(digest_size=16)
    for src in loaded.sources:
        h.update(f"{src.path}\0{src.digest}\0".encode())
    h.update(repr(sorted(loaded.config.items(), key=lambda kv: kv[0])).encode())
    h.update(repr(loaded.cast).encode())
    return h.hexdigest()


def theme_key(theme: Theme) -> tuple:
    """Changes whenever a template file changes (its path and a digest of its bytes, which, unlike a
    modification time, survive a fresh checkout, so a kept cache stays good on a CI machine).
    Links only within the site."""
    roots = (theme.site_dir, builtin_themes()) if theme.site_dir else (builtin_themes(),)
    return tuple((k, str(p.relative_to(d)), hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest())
                 for k, d in enumerate(theme.template_dirs) for p in sorted(d.rglob("*"))
                 if (not p.is_symlink() or resolved_inside(p, roots, str(p))) and p.is_file())


def site_key(config: SiteConfig, templates: tuple, static: dict[str, bytes], loaded: list[LoadedWork]) -> str:
    """A digest of everything a build reads: settings, templates, static files, every work's files
    and their modification times (the feed's dates)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((config, templates)).encode())
    for rel, data in sorted(static.items()):
        h.update(f"{rel}\0{len(data)}\0".encode() + hashlib.blake2b(data, digest_size=16).digest())
    for lw in loaded:
        h.update(f"{lw.slug}\0{fingerprint(lw)}\0{[src.modified for src in lw.sources]}\0".encode())
    return h.hexdigest()


def read_static(chosen: Theme, site_dir: Path) -> dict[str, bytes]:
    """The theme's static files (and the site's own), by their output path."""
    files = {}
    for rel, path in static_files(chosen).items():
        try:
            files[f"static/{rel}"] = path.read_bytes()
        except OSError as e:
            raise SitegenError(f"cannot read the static file: {e.strerror}", path=display(path, site_dir),
                               hint="check the file's permissions (sitegen needs to read it)") from None
    return files


def load_works(site_dir: Path, config: SiteConfig, cache: BuildCache) -> list[LoadedWork]:
    """Every work folder of content/, read."""
    loaded_works = []
    for folder in find_work_folders(site_dir / "content", site_dir):
        loaded = load_work(folder, site_dir, cache.texts)
        if config.language != loaded.site_language:
            loaded = replace(loaded, site_language=config.language)
        loaded_works.append(loaded)
    return loaded_works


def read_site(site_dir: Path, out_dir: Path | None = None, *, theme: str | None = None,
              cache: BuildCache | None = None, config: SiteConfig | None = None,
              store: Store | None = None) -> Started:
    """The settings, theme, static files and texts; with `store`, the site key, and the last output
    when it was made from the same key (else the kept BuildCache, unless `cache` is given)."""
    site_dir = Path(site_dir)
    config = config or load_site_config(site_dir)
    chosen = resolve_theme(site_dir, theme or config.theme)
    templates_key = theme_key(chosen)
    static = read_static(chosen, site_dir)
    given = cache is not None           # the dev server's cache lives on; else one for this build (or the store's)
    cache = cache if given else BuildCache()
    saved = None
    if store is not None:                   # the last output: files read then, and what was written
        store.open()
        saved = store.saved()
        if saved is not None and saved.texts is not None and not given:
            cache.texts = saved.texts
    loaded_works = load_works(site_dir, config, cache)
    started = Started(site_dir, out_dir, config, chosen, templates_key, static, loaded_works, cache, store)
    if store is not None:
        started.key = key = site_key(config, templates_key, static, loaded_works)
        cache.texts.retain({src.path for lw in loaded_works for src in lw.sources})
        if saved is not None and store.key == key:
            store.made, store.texts = (key, None), cache.texts
            started.result = BuildResult(saved.files, saved.diagnostics, (), counts=(saved.works, saved.words))
        elif not given:
            texts = cache.texts
            started.cache = store.cache() or cache
            started.cache.texts = texts
    return started


def write_output(result: BuildResult, out_dir: Path, site_dir: Path, store: Store | None = None) -> None:
    """Write the build into the output folder; with `store`, link what the last build wrote there
    unchanged, then save the store (the cache, the output and where each file went)."""
    out = Path(out_dir)
    kept = store.kept(out.resolve()) if store is not None else None
    written = write_files(result.files, out, Path(site_dir), Kept(kept.files, kept.stamps) if kept else None)
    if store is not None:
        same = kept is not None and store.made is not None and store.made[1] is None and kept.stamps == written
        if not same:                            # (an unchanged site, linked whole: nothing new to keep)
            store.save(Saved(dict(result.files), result.diagnostics, result.work_count, result.words,
                             str(out.resolve()), written, store.texts))


def start_build(site_dir: Path, *, out: Path | None = None, theme: str | None = None,
                cache: BuildCache | None = None, keep: bool = False) -> Started:
    """Read the site; when the kept output (`keep`: .sitegen-cache/) stands, swap it into the output
    folder and return with `result` set. Otherwise build.finish_build goes on (and closes the store)."""
    site_dir = Path(site_dir)
    config = load_site_config(site_dir)
    out_dir = Path(out) if out is not None else site_dir / config.output
    check_output_folder(out_dir, site_dir)
    report("reading", 0, 1)
    store = Store(site_dir, freeze=True) if keep else None
    try:
        started = read_site(site_dir, out_dir, theme=theme, cache=cache, config=config, store=store)
        if started.result is not None:
            report("writing pages", 0, len(started.result.files))
            write_output(started.result, out_dir, site_dir, store)
    except BaseException:
        if store is not None:
            store.close()
        raise
    if started.result is not None and store is not None:
        store.close()
    return started
