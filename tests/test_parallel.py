"""Cold builds analyse files in worker processes: the same site as on one core, and errors still reach the user."""
from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import threading

import jinja2
import pytest

from conftest import SAMPLE, make_site
from sitegen import parallel
from sitegen.build import build, build_site
from sitegen.errors import SitegenError
from sitegen.load.files import read_text
from sitegen.render.theme import compile_templates, make_environment, resolve_theme


class _CountingPool(concurrent.futures.ProcessPoolExecutor):
    started = 0

    def __init__(self, *args, **kwargs):
        type(self).started += 1
        super().__init__(*args, **kwargs)


def _chapters(root):
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    step = len(paragraphs) // 10
    files = {f"content/w/{i:02d}.txt": f"Chapter {i}\n\n" + "\n\n".join(paragraphs[i * step:(i + 1) * step]) + "\n"
             for i in range(1, 10)}
    return make_site(root, files)


def test_a_cold_build_on_two_cores_is_the_build_on_one(tmp_path, monkeypatch):
    site = _chapters(tmp_path / "site")
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _CountingPool)
    monkeypatch.setenv("SITEGEN_JOBS", "1")
    one = build_site(site).files
    assert _CountingPool.started == 0
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    two = build_site(site).files
    assert _CountingPool.started >= 1, "the files were not analysed in worker processes"
    if parallel._start_method() == "fork":      # the analysis alone: the later stages go to the helpers
        assert _CountingPool.started == 1, "a later stage forked workers from the grown build (not its helpers)"
    assert two == one


def _sent_to(name: str, i: int) -> tuple[int, int, bool]:
    return os.getpid(), 2 * i, isinstance(parallel.inherited(name), type(threading.Lock()))


def test_helpers_forked_early_take_sent_jobs_and_what_they_inherited(monkeypatch):
    """run_sent's jobs go to the helpers forked before (they inherit what a job cannot carry: a lock here),
    the results in order; an object the helpers did not inherit makes it fork as run_shared does."""
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    lock = threading.Lock()
    with parallel.helpers_forked({"lock": lock}, work=10**6):
        helpers = {h.process.pid for h in parallel._helpers}
        found = parallel.run_sent(_sent_to, [("lock", i) for i in range(40)], work=10**6, inherit={"lock": lock})
        assert [n for _, n, _ in found] == [2 * i for i in range(40)] and all(ok for _, _, ok in found)
        if parallel._start_method() == "fork":
            assert helpers and {pid for pid, _, _ in found} - {os.getpid()} <= helpers
            assert {pid for pid, _, _ in found} & helpers, "no job ran in a helper"
            other = threading.Lock()
            found = parallel.run_sent(_sent_to, [("lock", i) for i in range(40)], work=10**6,
                                      inherit={"lock": other})
            assert [n for _, n, _ in found] == [2 * i for i in range(40)]
            assert not {pid for pid, _, _ in found} & helpers, "a helper was sent a job it lacks the object for"
    assert parallel._helpers == [] and parallel._inherit == {}
    for pid in helpers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _fail_at(i: int) -> int:
    if i == 7:
        raise SitegenError("job seven failed", hint="a hint")
    return i


def _warm_mark(folder: str) -> None:
    open(os.path.join(folder, f"warm-{os.getpid()}"), "w").close()
    raise RuntimeError("a warm-up's error is ignored")


def test_each_helper_warms_up_first_and_its_errors_are_ignored(monkeypatch, tmp_path):
    """helpers_forked's `warm` runs in each helper before its jobs (it is not this process's work), and
    an error in it stops neither the helper nor the build."""
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "3")
    with parallel.helpers_forked({}, work=10**6, warm=lambda: _warm_mark(str(tmp_path))):
        helpers = {h.process.pid for h in parallel._helpers}
        assert parallel.run_sent(_fail_at, [(i,) for i in range(5)], work=10**6) == list(range(5))
    if parallel._start_method() == "fork":
        assert len(helpers) == 2
        assert {p.name for p in tmp_path.iterdir()} == {f"warm-{pid}" for pid in helpers}


def test_a_cold_build_keeps_every_template_compiled(tmp_path, monkeypatch):
    """A cold `sitegen build` on two cores: its helper compiles every page template into the kept cache while
    the files are analysed, templates the build itself did not render too (404.html without a base_url)."""
    site = _chapters(tmp_path / "site")
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    build(site, keep=True)
    if parallel._start_method() == "fork":
        kept = list((site / ".sitegen-cache" / "templates").glob("*/*.cache"))
        env = make_environment(resolve_theme(site, "default"))
        pages = env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml")))
        assert "404.html" in pages and len(kept) == len(pages)


def test_an_error_in_a_helper_reaches_the_build(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    with parallel.helpers_forked({}, work=10**6):
        with pytest.raises(SitegenError, match="job seven failed"):
            parallel.run_sent(_fail_at, [(i,) for i in range(40)], work=10**6)
        assert parallel.run_sent(_fail_at, [(i,) for i in range(5)], work=10**6) == list(range(5))


def _pid_and(shared: tuple, i: int) -> tuple[int, int]:
    return os.getpid(), shared[1][i] * 2


def test_later_stages_share_the_work_with_forked_workers_without_pickling_it(monkeypatch):
    """run_shared hands each worker an index into what it inherited: `shared` need not be picklable."""
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    shared = (threading.Lock(), list(range(40)))                 # a lock cannot be pickled
    found = parallel.run_shared(_pid_and, shared, 40, work=10**6)
    assert [n for _, n in found] == [2 * i for i in range(40)]
    if parallel._start_method() == "fork":
        assert {pid for pid, _ in found} - {os.getpid()}, "no job ran in a worker"
    monkeypatch.setenv("SITEGEN_JOBS", "1")
    assert parallel.run_shared(_pid_and, shared, 40, work=10**6) == [(os.getpid(), 2 * i) for i in range(40)]


def test_an_error_in_a_worker_is_raised_in_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    paths = []
    for i in range(8):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"fine text\n" if i != 5 else b"caf\xe9\n")
        paths.append((path, path.name))
    with pytest.raises(SitegenError, match="not UTF-8") as caught:
        parallel.run_all(read_text, paths, work=10**6)
    assert caught.value.path == "5.txt"


def test_small_jobs_stay_in_this_process(monkeypatch):
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", None)     # would fail if used
    monkeypatch.setenv("SITEGEN_JOBS", "4")
    assert parallel.run_all(divmod, [(7, 2)] * 20, work=100) == [(3, 1)] * 20


def test_a_build_that_starts_no_worker_does_not_import_multiprocessing():
    """(0.007 s of a one-chapter `sitegen build`: multiprocessing, concurrent.futures and what they import.)"""
    code = ("import sys; from sitegen import parallel; parallel.run_all(divmod, [(7, 2)] * 3, work=100); "
            "parallel.run_shared(lambda shared, i: i, None, 3, work=100); "
            "print(sorted({'multiprocessing', 'concurrent.futures'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def _fail_first(folder: str, i: int) -> None:
    """Job i of a pool: the first fails at once; the others would finish later and leave a file."""
    import time
    from pathlib import Path
    if i == 0:
        raise SitegenError("the first job fails")
    time.sleep(5)
    Path(folder, f"done-{i}").write_text("finished")


def test_a_failing_job_stops_the_other_workers_at_once(tmp_path, monkeypatch):
    """An error (as Ctrl-C or `kill` in a long build) ends the workers; it does not wait for every queued job."""
    import signal
    from sitegen.cli import stop_cleanly_on_signals
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    stop_cleanly_on_signals()       # as `sitegen build` does: forked workers inherit the handler
    try:
        with pytest.raises(SitegenError, match="first job fails"):
            parallel.run_all(_fail_first, [(str(tmp_path), i) for i in range(8)], work=10**6)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    assert not list(tmp_path.glob("done-*")), "jobs after the error still ran to the end"


def test_the_largest_jobs_go_first_and_the_results_come_back_in_order(monkeypatch):
    """`sizes` sends the long jobs out first (no worker left with one at the end); results keep the jobs' order."""
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    sizes = [3, 50, 1, 7, 50, 2, 9, 4, 8, 6]
    assert parallel.largest_first(sizes) == [1, 4, 6, 8, 3, 9, 7, 0, 5, 2]
    jobs = [(n, 3) for n in range(10)]
    assert parallel.run_all(divmod, jobs, work=10**6, sizes=sizes) == [divmod(n, 3) for n in range(10)]


def test_a_long_file_is_read_for_the_timeline_in_runs_of_scenes(tmp_path, monkeypatch):
    """One long file's scenes are shared between workers in runs; the timeline is the one read whole."""
    from sitegen.timeline import facts
    site = make_site(tmp_path / "site", {"content/w/w.txt": SAMPLE.read_text(encoding="utf-8")})
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    whole = build_site(site)
    monkeypatch.setattr(facts, "RUN_CHARS", 300)
    split, seen = facts.scene_runs, []
    monkeypatch.setattr(facts, "scene_runs", lambda text, fa: seen.append(split(text, fa)) or seen[-1])
    runs = build_site(site)
    assert len(seen) == 1 and len(seen[0]) > 2, "the file was not read in runs"
    assert [first for first, _ in seen[0][1:]] == [last for _, last in seen[0][:-1]], "runs leave out scenes"
    assert runs.files == whole.files
    assert runs.works[0].timeline == whole.works[0].timeline


def test_this_process_does_a_share_and_n_cores_take_n_minus_one_workers(monkeypatch):
    """run_shared: the build's own process runs jobs while its workers do, one forked copy fewer of what it holds."""
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _CountingPool)
    sizes = []
    real = _CountingPool.__init__

    def counting(self, *args, **kwargs):
        sizes.append(kwargs["max_workers"])
        real(self, *args, **kwargs)
    monkeypatch.setattr(_CountingPool, "__init__", counting)
    monkeypatch.setenv("SITEGEN_JOBS", "3")
    if parallel._start_method() != "fork":
        pytest.skip("run_shared forks its workers, and this platform cannot fork")
    found = parallel.run_shared(_pid_and, (None, list(range(200))), 200, work=10**6)
    assert [n for _, n in found] == [2 * i for i in range(200)]
    assert sizes == [2]
    pids = {pid for pid, _ in found}
    assert os.getpid() in pids and len(pids) > 1, "the jobs were not shared between this process and workers"


def test_sharing_with_workers_keeps_an_earlier_freeze_and_undoes_its_own(monkeypatch):
    """run_shared freezes what the workers inherit and unfreezes it after, but what was frozen
    before it (`sitegen build`'s loaded cache) stays frozen."""
    import gc
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    if parallel._start_method() != "fork":
        pytest.skip("workers are not forked on this platform, so nothing is frozen for them")
    gc.unfreeze()
    try:
        parallel.run_shared(_pid_and, (None, list(range(40))), 40, work=10**6)
        assert gc.get_freeze_count() == 0
        kept = [object() for _ in range(10)]
        gc.freeze()
        before = gc.get_freeze_count()
        parallel.run_shared(_pid_and, (None, list(range(40))), 40, work=10**6)
        assert gc.get_freeze_count() >= before > 0 and kept
    finally:
        gc.unfreeze()


def test_compiling_the_templates_skips_one_with_a_mistake(tmp_path):
    """theme.compile_templates (a helper's warm-up) compiles the others when one does not compile: its
    page's render reports it, as before."""
    site = make_site(tmp_path / "site", {"content/w/story.txt": "Title\n\nText.\n",
                                         "templates/aaa-broken.html": "{% if %}"})
    compiled = []

    class Kept(jinja2.BytecodeCache):
        def load_bytecode(self, bucket):
            pass

        def dump_bytecode(self, bucket):
            compiled.append(bucket.key)
    env = make_environment(resolve_theme(site, "default"), Kept())
    compile_templates(env)
    pages = env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml")))
    assert "aaa-broken.html" in pages and len(compiled) == len(pages) - 1
