"""Cleaning on a Ray cluster: the same ``Pipeline`` and the same per-file code, scaled out.

``run_ray`` does what ``runner.run`` does, with Ray Data as the scheduler: the file list
becomes a dataset, ``map_batches`` hands batches of files to a pool of actors, each actor
receives the pipeline once (rules compiled, OpenCC loaded lazily in that process) and runs
``runner.process`` on each file — reading the input, the up-to-date check, cleaning,
writing. Workers read and write the files themselves, through pyarrow's filesystems, so
sources and DST may be local paths or URIs (``s3://``, ``gs://``, ``hdfs://``,
``file://``). A file that cannot be read, decoded or written gives an error report like
in the local engine; it never fails the job.

``CleanBytes`` is the piece for users' own Ray Data pipelines (README, "Scaling out with
Ray"). Ray is imported lazily: the module imports without the ``ray`` extra.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .errors import DocumentError, UsageError
from .io import TEMP_PREFIX, Job, plan
from .pipeline import Pipeline
from .runner import (
    LOCAL_FILES,
    MODES,
    STATE_FILE,
    FileReport,
    RunSummary,
    process,
    report_for,
    updated_state,
)  # fmt: skip

MISSING_EXTRA = "--engine ray needs Ray: pip install 'speechclean[ray]'"
PROBE_TIMEOUT = 10.0  # seconds to wait for the head of a cluster given with --address
BATCH_SIZE = 16  # files per batch: large enough to amortize Ray's per-batch cost


def require_ray() -> None:
    """Raise ``UsageError`` (one clear line) when the ``ray`` extra is not installed."""
    try:
        import pyarrow.fs  # noqa: F401
        import ray  # noqa: F401
        import ray.data  # noqa: F401  (Ray Data comes with the extra's ``ray[data]``)
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None


def is_uri(path) -> bool:
    return isinstance(path, str) and "://" in path


# ---------------------------------------------------------------- files
class RayFiles:
    """``runner.process``'s file access on a Ray worker: local paths (resolved against the
    driver's working directory, since a worker's differs) or any pyarrow filesystem URI."""

    def __init__(self, cwd: str | None = None) -> None:
        self.cwd = cwd or os.getcwd()
        self._filesystems: dict = {}

    def __getstate__(self) -> dict:
        return {"cwd": self.cwd}  # filesystems are opened again in each process

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["cwd"])

    def filesystem(self, uri: str):
        """``(filesystem, path)`` for a URI; one filesystem per scheme, host and options."""
        from pyarrow.fs import FileSystem

        scheme, _, rest = uri.partition("://")
        rest, _, query = rest.partition("?")
        host = rest.split("/", 1)[0]
        key = (scheme, host, query)
        if key not in self._filesystems:
            self._filesystems[key] = FileSystem.from_uri(uri)
            return self._filesystems[key]
        fs, _ = self._filesystems[key]
        # the path as pyarrow spells it: local and HDFS paths drop the host, buckets keep it
        path = unquote(rest[len(host):] if fs.type_name in ("local", "hdfs") else rest)
        return fs, path

    def local_path(self, path) -> Path | None:
        """The local path behind ``path``, or None for a remote URI."""
        if is_uri(path):
            fs, fs_path = self.filesystem(path)
            return Path(fs_path) if fs.type_name == "local" else None
        p = Path(path)
        return p if p.is_absolute() else Path(self.cwd) / p

    def read(self, path) -> bytes:
        local = self.local_path(path)
        if local is not None:
            return LOCAL_FILES.read(local)  # exactly what the local engine does
        fs, fs_path = self.filesystem(path)
        with fs.open_input_stream(fs_path) as fh:
            return fh.read()

    def stat(self, path) -> tuple[int, int] | None:
        """(size, mtime_ns) of an output, None if there is none or the store has no time."""
        local = self.local_path(path)
        if local is not None:
            return LOCAL_FILES.stat(local)
        from pyarrow.fs import FileType

        fs, fs_path = self.filesystem(path)
        info = fs.get_file_info(fs_path)
        if info.type != FileType.File or info.mtime_ns is None:
            return None
        return info.size, info.mtime_ns

    def write(self, path, data: bytes) -> bool:
        """False when the output already held exactly ``data`` (nothing was written)."""
        local = self.local_path(path)
        if local is not None:
            return LOCAL_FILES.write(local, data)
        fs, fs_path = self.filesystem(path)
        from pyarrow.fs import FileType

        info = fs.get_file_info(fs_path)
        if info.type == FileType.File and info.size == len(data) and self.read(path) == data:
            return False  # like atomic_write: an unchanged output is not rewritten
        with fs.open_output_stream(fs_path) as fh:  # object stores: a put is atomic
            fh.write(data)
        return True


# ---------------------------------------------------------------- planning
def plan_files(sources: list[str], dest: str | None, glob: str = "*.txt") -> list[Job]:
    """Like ``io.plan`` (each SRC tree mirrored under DST, same checks), for local paths
    and URIs. Raises ``UsageError``."""
    require_ray()
    if not any(is_uri(s) for s in [*sources, dest]):
        return plan([Path(s) for s in sources], Path(dest) if dest else None, glob)
    try:
        return _plan_uris(RayFiles(), sources, dest, glob)
    except (ValueError, OSError) as exc:  # pyarrow: unknown scheme, bad URI, no access
        raise UsageError(str(exc).splitlines()[0]) from None


def _plan_uris(files: RayFiles, sources: list[str], dest: str | None, glob: str) -> list[Job]:
    if dest is not None:
        dest_key = _canonical(files, dest)
        for src in sources:
            src_key = _canonical(files, src)
            if dest_key == src_key or dest_key.startswith(src_key.rstrip("/") + "/"):
                raise UsageError(
                    f"refusing to write into {dest}: it is or lies inside the input {src}"
                )
    jobs: list[Job] = []
    seen: dict[str, str] = {}
    for src in sources:
        listing = _list_uri(files, src, glob) if is_uri(src) else _list_local(src, glob)
        for path, rel in listing:
            output = _join(dest, rel) if dest is not None else None
            if output is not None:
                if str(output) in seen:
                    raise UsageError(
                        f"{path} and {seen[str(output)]} would both be written to {output}"
                    )
                seen[str(output)] = str(path)
            jobs.append(Job(path, rel, output))
    return jobs


def _canonical(files: RayFiles, path: str) -> str:
    local = files.local_path(path)
    if local is not None:
        return str(Path(os.path.abspath(local)))
    return path.partition("?")[0].rstrip("/")


def _join(base: str, rel: str):
    return uri_child(base, rel) if is_uri(base) else Path(base) / rel


def uri_child(uri: str, rel: str) -> str:
    """``s3://b/dir?opt=1`` + ``a/x.txt`` -> ``s3://b/dir/a/x.txt?opt=1``."""
    base, sep, query = uri.partition("?")
    return f"{base.rstrip('/')}/{rel}{sep}{query}"


def _list_local(src: str, glob: str) -> Iterator[tuple[Path, str]]:
    return ((job.path, job.rel) for job in plan([Path(src)], None, glob))


def _list_uri(files: RayFiles, uri: str, glob: str) -> Iterator[tuple[str, str]]:
    """The files under a URI matching ``glob``, sorted; the same rules as ``io.iter_inputs``."""
    from pyarrow.fs import FileSelector, FileType

    fs, base = files.filesystem(uri)
    info = fs.get_file_info(base)
    if info.type == FileType.NotFound:
        raise UsageError(f"{uri}: no such file or directory")
    if info.type == FileType.File:
        yield uri, PurePosixPath(base).name
        return
    base = base.rstrip("/")
    found = fs.get_file_info(FileSelector(base, recursive=True))
    for entry in sorted(found, key=lambda e: e.path):
        if entry.type != FileType.File:
            continue
        rel = entry.path[len(base) + 1:]
        if any(part.startswith(TEMP_PREFIX) for part in rel.split("/")):
            continue
        if PurePosixPath(rel).match(glob):
            yield uri_child(uri, rel), rel


# ---------------------------------------------------------------- the Ray Data UDFs
class CleanFiles:
    """``map_batches`` UDF of ``run_ray``: one instance per actor, the pipeline received
    once; each row names a file (``path``, ``rel``, ``output``, ``prior`` state entry) and
    gives back its ``FileReport`` as JSON."""

    def __init__(self, pipeline: Pipeline, mode: str, files: RayFiles) -> None:
        self.pipeline = pipeline
        self.mode = mode
        self.files = files

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        reports = []
        for path, rel, output, prior in zip(
            batch["path"], batch["rel"], batch["output"], batch["prior"], strict=True
        ):
            job = Job(_as_path(path), str(rel), _as_path(output) if output else None)
            state = {job.rel: json.loads(prior)} if prior else None
            report = process(job, self.pipeline, self.mode, state, files=self.files)
            reports.append(json.dumps(report.__dict__, ensure_ascii=False))
        return {"report": np.array(reports, dtype=object)}


def _as_path(path):
    path = str(path)
    return path if is_uri(path) else Path(path)


class CleanBytes:
    """A Ray Data UDF for your own pipelines: cleans the ``bytes`` column of the rows that
    ``ray.data.read_binary_files(..., include_paths=True)`` gives.

    Returns per row: ``path``, ``text`` (None when the file failed), ``status`` (``ok``,
    ``error``, ``skipped``), ``error``, ``encoding`` and ``report`` (the JSON object the
    ``--report`` file has for that file). A bad file never fails the batch.
    """

    def __init__(self, pipeline: Pipeline | None = None) -> None:
        self.pipeline = pipeline if pipeline is not None else Pipeline.from_rules()

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        out: dict[str, list] = {k: [] for k in ("path", "text", "status", "error", "encoding",
                                                "report")}
        for data, path in zip(batch["bytes"], batch["path"], strict=True):
            path = str(path)
            try:
                result = self.pipeline.clean(bytes(data), name=path)
            except DocumentError as exc:
                report = FileReport(path, None, exc.status, bytes_in=len(data), error=str(exc))
                text = None
            else:
                report = report_for(result, path, None)
                text = result.text
            out["path"].append(path)
            out["text"].append(text)
            out["status"].append(report.status)
            out["error"].append(report.error)
            out["encoding"].append(report.encoding)
            out["report"].append(json.dumps(report.to_json(), ensure_ascii=False))
        return {k: np.array(v, dtype=object) for k, v in out.items()}


# ---------------------------------------------------------------- the run
@contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None) -> Iterator[int]:
    """A Ray session for one run; yields the CPUs it has. An already initialized session
    (the caller's own) is used as is and left running; otherwise a quiet local Ray is
    started (or ``address`` joined: ``auto``, ``ray://head:10001``) and shut down after.
    Raises ``UsageError`` when Ray is not installed or the cluster cannot be reached."""
    require_ray()
    import ray

    started = False
    if not ray.is_initialized():
        _quiet_ray()
        options = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            if address:
                _probe(address)
                ray.init(address=address, **options)
            else:
                ray.init(address="local", num_cpus=num_cpus or os.cpu_count() or 1, **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UsageError(f"cannot start or reach Ray at {address or 'local'}: {exc}") from None
        started = True
    try:
        yield max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


def _probe(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Fail fast on an explicit ``host:port`` that does not answer: Ray itself retries an
    unreachable head for minutes. (``auto`` and other forms are left to Ray.)"""
    import socket

    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit() or not host:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"nothing answers there ({exc.strerror or exc})") from None


def _quiet_ray() -> None:
    """Our own session: no progress bars or INFO lines from Ray on the terminal (the
    summary is ours); Ray still logs to its session folder."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.enable_operator_progress_bars = False
    ctx.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run_ray(
    jobs: list[Job],
    pipeline: Pipeline,
    *,
    mode: str = "write",
    dest: Path | str | None = None,
    force: bool = False,
    address: str | None = None,
    num_cpus: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[FileReport], None] | None = None,
) -> RunSummary:
    """``runner.run`` on Ray: the same reports (sorted by input path), outputs and state
    file. ``num_cpus`` bounds the actor pool (default: every CPU of the cluster) and sizes
    a local Ray; ``address`` joins an existing cluster instead."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    files = RayFiles()
    state = _load_state(files, dest) if (mode == "write" and dest is not None and not force) else {}
    rows = [
        {
            "path": str(j.path),
            "rel": j.rel,
            "output": str(j.output) if j.output is not None else "",
            "prior": json.dumps(state[j.rel]) if j.rel in state else "",
        }
        for j in jobs
    ]
    reports: list[FileReport] = []
    if not rows:
        return RunSummary(reports, pipeline.provenance())
    with ray_session(address, num_cpus) as cpus:
        import ray.data

        workers = max(1, min(num_cpus or cpus, -(-len(rows) // batch_size)))
        blocks = max(workers, min(-(-len(rows) // batch_size), 32 * workers))
        ds = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            CleanFiles,
            fn_constructor_kwargs={"pipeline": pipeline, "mode": mode, "files": files},
            batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        try:
            for row in ds.iter_rows():
                report = FileReport(**json.loads(row["report"]))
                reports.append(report)
                if progress:
                    progress(report)
        finally:
            # As in the local engine: even after Ctrl-C, what was written is recorded.
            if mode == "write" and dest is not None and reports:
                _save_state(files, dest, updated_state(state, jobs, reports, pipeline))
    reports.sort(key=lambda r: r.path)
    return RunSummary(reports, pipeline.provenance())


def _state_path(dest):
    return _join(str(dest), STATE_FILE)


def _load_state(files: RayFiles, dest) -> dict:
    try:
        return json.loads(files.read(_state_path(dest)).decode("utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(files: RayFiles, dest, state: dict) -> None:
    local = files.local_path(str(dest))
    if local is not None and not local.is_dir():
        return  # nothing was written (like the local engine, no folder is made for it)
    data = json.dumps(state, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    files.write(_state_path(dest), data)
