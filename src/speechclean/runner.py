"""Cleaning many files: workers, the write/diff/check modes, up-to-date state, the report.

Workers receive batches of paths (never file contents) and build the pipeline once each.
Every input gives one ``FileReport``; the summary and the JSON Lines report are made from
those, sorted by input path so a run's report does not depend on scheduling.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .io import Job, atomic_write, read_input, remove_temp_files
from .pipeline import Pipeline, Result

STATE_FILE = ".speechclean-state.json"  # in DST: what produced each output, for re-runs
MODES = ("write", "diff", "check")


@dataclass
class FileReport:
    path: str
    output: str | None
    status: str  # ok | unchanged | error | skipped
    encoding: str | None = None
    confidence: float | None = None
    converted: bool = False
    sites: list[str] = field(default_factory=list)
    bytes_in: int = 0
    bytes_out: int = 0
    removed: dict = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    error: str | None = None
    changed: bool = False  # would cleaning change the file (input bytes != output bytes)
    diff: str = ""  # --diff only
    input_hash: str = ""
    output_hash: str = ""
    output_stat: tuple[int, int] | None = None  # (size, mtime_ns) of the output, once written

    def to_json(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k not in ("diff", "changed")}
        d.pop("input_hash")
        d.pop("output_hash")
        d.pop("output_stat")
        return d


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unified_diff(result: Result, label: str) -> str:
    before = result.source.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{label}", f"b/{label}"))


def report_for(result: Result, path: str, output: str | None,
               data: bytes | None = None) -> FileReport:
    """``data``: the clean bytes, if already encoded."""
    return FileReport(
        path=path,
        output=output,
        status="ok",
        encoding=result.encoding,
        confidence=result.confidence,
        converted=result.converted,
        sites=result.sites,
        bytes_in=result.bytes_in,
        bytes_out=len(result.data if data is None else data),
        removed=result.removed(),
        warnings=[w.to_dict() for w in result.warnings],
    )


class LocalFiles:
    """How ``process`` reads inputs and outputs and writes outputs: local paths, atomic
    writes. Another engine passes an object with the same two methods (the Ray engine's
    reads and writes any pyarrow filesystem too), so every engine runs this one ``process``."""

    @staticmethod
    def read(path) -> bytes:
        return read_input(Path(path))  # refuses pipes and devices instead of blocking

    @staticmethod
    def write(path, data: bytes) -> bool:
        """False when the output already held exactly ``data`` (nothing was written)."""
        return atomic_write(Path(path), data)

    @staticmethod
    def stat(path) -> tuple[int, int] | None:
        """(size, mtime_ns) of an output, None if there is none."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns


LOCAL_FILES = LocalFiles()


def process(job: Job, pipeline: Pipeline, mode: str, state: dict | None = None,
            files=LOCAL_FILES) -> FileReport:
    """Clean one file. Never raises for a bad input: the report says what went wrong."""
    out = str(job.output) if job.output else None
    try:
        data = files.read(job.path)
    except OSError as exc:
        return FileReport(str(job.path), out, "error", error=f"cannot read: {exc.strerror or exc}")
    input_hash = _sha(data)
    if mode == "write" and state is not None and job.output is not None:
        prior = state.get(job.rel)
        if prior and prior.get("input") == input_hash and prior.get("pipeline") == pipeline.fingerprint:
            # The output is as written if its size and modification time are (as make and
            # rsync judge); otherwise its bytes are read and hashed.
            seen = files.stat(job.output)
            if seen is not None and list(seen) == prior.get("output_stat"):
                return FileReport(
                    str(job.path), out, "unchanged", bytes_in=len(data), bytes_out=seen[0],
                    input_hash=input_hash, output_hash=prior["output"], output_stat=seen,
                )  # fmt: skip
            try:
                existing = files.read(job.output)
                if _sha(existing) == prior.get("output"):
                    return FileReport(
                        str(job.path), out, "unchanged", bytes_in=len(data),
                        bytes_out=len(existing),
                        input_hash=input_hash, output_hash=prior["output"],
                        output_stat=files.stat(job.output),
                    )  # fmt: skip
            except OSError:
                pass
    try:
        result = pipeline.clean(data, name=str(job.path))
    except DocumentError as exc:
        return FileReport(str(job.path), out, exc.status, bytes_in=len(data), error=str(exc))
    except Exception as exc:  # a bug met on one odd file must not end a run of thousands:
        # that file fails, loudly (the message asks for a report), and the others go on
        return FileReport(str(job.path), out, "error", bytes_in=len(data),
                          error=f"internal error, please report: {type(exc).__name__}: {exc}")
    cleaned = result.data
    report = report_for(result, str(job.path), out, cleaned)
    report.changed = cleaned != data
    report.input_hash = input_hash
    report.output_hash = _sha(cleaned)
    if mode == "diff" and report.changed:
        report.diff = unified_diff(result, job.rel)
    if mode != "write" and not report.changed:
        report.status = "unchanged"  # --check/--diff: the file is clean already
    if mode == "write" and job.output is not None:
        try:
            if files.write(job.output, cleaned) is False:
                report.status = "unchanged"  # the output held these bytes already
            report.output_stat = files.stat(job.output)
        except OSError as exc:
            report.status = "error"
            report.error = f"cannot write {job.output}: {exc.strerror or exc}"
    return report


# ---------------------------------------------------------------- worker processes
_worker: dict = {}


def _init_worker(pipeline: Pipeline, mode: str, state: dict | None) -> None:
    # Ctrl-C reaches every process of the terminal's group: only the parent handles it (no
    # traceback per worker). The parent then stops the pool with SIGTERM, which ends a
    # worker at once, wherever it is (a Python-level handler could miss a signal that
    # arrives just before a blocking lock wait, and hang the pool); the parent removes
    # the temp file of a write it cut short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker.update(pipeline=pipeline, mode=mode, state=state)


def _work(batch: list[Job]) -> list[FileReport]:
    return [process(job, _worker["pipeline"], _worker["mode"], _worker["state"]) for job in batch]


BATCHES_PER_WORKER = 32


def batches(jobs: list[Job], workers: int) -> list[list[Job]]:
    """The jobs in batches of about equal bytes, largest files first: the workers finish
    together (no worker left alone at the end with one big file), and each batch is one
    round trip to a worker however small its files."""
    sizes = []
    for job in jobs:
        try:
            sizes.append(os.stat(job.path).st_size)
        except OSError:
            sizes.append(0)  # its worker reports why
    order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
    target = max(1, sum(sizes) // (workers * BATCHES_PER_WORKER))
    out: list[list[Job]] = []
    batch: list[Job] = []
    size = 0
    for i in order:
        batch.append(jobs[i])
        size += sizes[i]
        if size >= target or len(batch) >= 64:
            out.append(batch)
            batch, size = [], 0
    if batch:
        out.append(batch)
    return out


@dataclass
class RunSummary:
    reports: list[FileReport]
    provenance: dict

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.reports)

    @property
    def failed(self) -> list[FileReport]:
        return [r for r in self.reports if r.status in ("error", "skipped")]

    @property
    def changed(self) -> list[FileReport]:
        return [r for r in self.reports if r.changed]

    def lines_removed_by_category(self) -> Counter:
        total: Counter = Counter()
        for r in self.reports:
            total.update(r.removed.get("lines_by_category", {}))
        return total

    def warnings(self) -> Counter:
        return Counter(w["code"] for r in self.reports for w in r.warnings)


def load_state(dest: Path | None) -> dict:
    if dest is None:
        return {}
    try:
        return json.loads((dest / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_state(dest: Path, state: dict) -> None:
    data = json.dumps(state, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    atomic_write(dest / STATE_FILE, data)


def updated_state(state: dict, jobs: list[Job], reports: list[FileReport],
                  pipeline: Pipeline) -> dict:
    """The state after a run: each output written or found up to date is recorded."""
    new_state = dict(state)
    by_path = {str(j.path): j for j in jobs}
    for r in reports:
        job = by_path.get(r.path)
        if job and r.status in ("ok", "unchanged") and r.output_hash:
            new_state[job.rel] = {
                "input": r.input_hash,
                "output": r.output_hash,
                "pipeline": pipeline.fingerprint,
            }
            if r.output_stat is not None:
                new_state[job.rel]["output_stat"] = list(r.output_stat)
    return new_state


def run(
    jobs: list[Job],
    pipeline: Pipeline,
    *,
    mode: str = "write",
    workers: int = 1,
    dest: Path | None = None,
    force: bool = False,
    progress: Callable[[FileReport], None] | None = None,
) -> RunSummary:
    """Clean every job; returns the reports sorted by input path."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    state = load_state(dest) if (mode == "write" and not force) else {}
    reports: list[FileReport] = []
    results = _results(jobs, pipeline, mode, workers, state)
    try:
        for report in results:
            reports.append(report)
            if progress:
                progress(report)
    finally:
        # Stop the workers now (after Ctrl-C too), not whenever the generator is collected.
        results.close()
        # Even after Ctrl-C: what was written is recorded, so the next run skips it.
        if mode == "write" and dest is not None and reports and dest.is_dir():
            try:
                save_state(dest, updated_state(state, jobs, reports, pipeline))
            except OSError:
                pass  # a read-only DST: the outputs' own errors say so; re-runs redo more
    reports.sort(key=lambda r: r.path)
    return RunSummary(reports, pipeline.provenance())


def _start_method() -> str:
    """fork is fastest, but forking a process that runs other threads (an embedding
    application, a Ray driver) can copy a held lock into the child and hang it; then the
    clean forkserver process forks the workers instead."""
    import threading

    if not hasattr(os, "fork"):
        return "spawn"
    return "fork" if threading.active_count() == 1 else "forkserver"


def _results(jobs: list[Job], pipeline: Pipeline, mode: str, workers: int,
             state: dict) -> Iterable[FileReport]:
    if workers <= 1 or len(jobs) < 2:
        for job in jobs:
            yield process(job, pipeline, mode, state)
        return
    import multiprocessing as mp

    ctx = mp.get_context(_start_method())
    # Workers are born ignoring SIGINT and dying on SIGTERM (no window before their
    # initializer runs). Signal handlers can only be set from the main thread; elsewhere
    # the initializer does it.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if main_thread:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
        previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(pipeline, mode, state))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    pids: set[int] = set()
    finished = False
    try:
        with pool:  # on leaving (Ctrl-C included) the pool is terminated: SIGTERM, workers die
            pids.update(p.pid for p in mp.active_children())
            try:
                for reports in pool.imap_unordered(_work, batches(jobs, workers)):
                    yield from reports
                finished = True
            finally:
                pids.update(p.pid for p in mp.active_children())
    finally:
        if not finished:
            # A worker stopped in the middle of a write leaves its temp file: remove those.
            remove_temp_files({j.output.parent for j in jobs if j.output is not None}, pids)


def write_report(summary: RunSummary, path: Path) -> None:
    """JSON Lines, one object per input; each carries the run's provenance so a line read
    on its own still says which speechclean, OpenCC and rules produced it."""
    lines = [
        json.dumps({**r.to_json(), "provenance": summary.provenance}, ensure_ascii=False)
        for r in summary.reports
    ]
    atomic_write(path, "".join(line + "\n" for line in lines).encode("utf-8"))
