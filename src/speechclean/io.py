"""Finding input files, mirroring trees, and atomic writes."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from .errors import UsageError

TEMP_PREFIX = ".speechclean-"


@dataclass(frozen=True, slots=True)
class Job:
    """One input file and where its output goes."""

    path: Path  # the input
    rel: str  # its path relative to its SRC (POSIX), also its path under DST
    output: Path | None  # None when nothing is written (--diff, --check)


def iter_inputs(src: Path, glob: str = "*.txt") -> Iterator[tuple[Path, str]]:
    """Files under ``src`` matching ``glob`` (on the path relative to ``src``), sorted.

    A file given directly is taken whatever its name (and whatever it is: a pipe or a
    device is reported by ``read_input``, not silently dropped). Symlinked directories are
    not followed, so a symlink loop cannot trap the walk; symlinked files are read.
    """
    if not src.is_dir():
        yield src, src.name
        return
    # A glob of one component (the usual "*.txt") matches the file name: fnmatchcase is
    # what PurePosixPath.match does then, without a path object per file.
    glob = str(PurePosixPath(glob))
    one_part = "/" not in glob
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(src, followlinks=False, onerror=unreadable.append):
        while unreadable:
            # A folder that cannot be listed is an input that fails (reading it reports
            # why), never a silent hole in the output tree.
            yield _failed_folder(src, unreadable.pop(0))
        dirs[:] = sorted(d for d in dirs if not d.startswith(TEMP_PREFIX))
        base = Path(root)
        prefix = base.relative_to(src).as_posix() + "/" if base != src else ""
        for name in sorted(files):
            if name.startswith(TEMP_PREFIX):
                continue
            rel = prefix + name
            if fnmatchcase(name, glob) if one_part else PurePosixPath(rel).match(glob):
                yield base / name, rel
    for exc in unreadable:  # the last folders walked
        yield _failed_folder(src, exc)


def _failed_folder(src: Path, exc: OSError) -> tuple[Path, str]:
    path = Path(exc.filename) if exc.filename else src
    return path, (path.relative_to(src).as_posix() if path != src else src.name)


def plan(sources: list[Path], dest: Path | None, glob: str = "*.txt") -> list[Job]:
    """The jobs of a run: each SRC tree mirrored under DST. Raises ``UsageError``."""
    for src in sources:
        if not src.exists():
            raise UsageError(f"{src}: no such file or directory")
    if dest is not None:
        check_destination(sources, dest)
    jobs = []
    seen: dict[Path, Path] = {}
    for src in sources:
        for path, rel in iter_inputs(src, glob):
            output = dest / rel if dest is not None else None
            if output is not None:
                if output in seen:
                    raise UsageError(
                        f"{path} and {seen[output]} would both be written to {output}"
                    )
                seen[output] = path
            jobs.append(Job(path, rel, output))
    return jobs


def check_destination(sources: list[Path], dest: Path) -> None:
    """Refuse a DST that is a SRC, lies inside one, or is an existing file."""
    dest_r = dest.resolve()
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest}: the output must be a directory")
    for src in sources:
        src_r = src.resolve()
        src_dir = src_r if src_r.is_dir() else src_r.parent
        if dest_r == src_dir or src_dir in dest_r.parents:
            raise UsageError(
                f"refusing to write into {dest}: it is or lies inside the input {src}"
            )


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def read_input(path: Path) -> bytes:
    """The bytes of a regular file. Anything else raises ``OSError`` instead of blocking:
    a named pipe would wait forever for a writer, a device would never end.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so
    what is checked is what is read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(path))
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read()
    finally:
        if fd != -1:
            os.close(fd)


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (read once)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_FILE_MODE = _default_mode()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_MADE: set[Path] = set()  # output folders this process has made or found


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename; never a half-written file.

    Returns False (and leaves the file alone) when it already holds exactly ``data``.
    The file gets the permissions a plain ``open()`` would give it (``mkstemp`` alone
    would make every output private to its owner); an existing file keeps its own.
    """
    try:
        current = path.stat()
        mode = stat.S_IMODE(current.st_mode)
        if current.st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        mode = _NEW_FILE_MODE
    folder = path.parent
    if folder not in _MADE:  # one mkdir per folder and process, not one per file
        folder.mkdir(parents=True, exist_ok=True)
        _MADE.add(folder)
    # The name is chosen before the file exists, so an interrupt at any point (even right
    # after the file is created) knows what to remove; mkstemp would leave that window.
    # It carries the writer's pid: a parent removes what its killed workers left.
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        try:
            # Created as open() would create it (0o666 less the umask); an existing
            # output's own permissions are set below.
            fd = os.open(tmp, _CREATE, 0o666)
        except FileNotFoundError:  # the folder went away since: make it again
            _MADE.discard(folder)
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
            fd = os.open(tmp, _CREATE, 0o666)
        with os.fdopen(fd, "wb") as fh:
            if mode != _NEW_FILE_MODE:
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        # Ctrl-C, a worker being stopped or a full disk: leave no temp file behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def remove_temp_files(folders, pids) -> None:
    """Remove the temp files that the processes ``pids`` left in ``folders`` (a worker
    killed in the middle of ``atomic_write``)."""
    for folder in folders:
        for pid in pids:
            for tmp in Path(folder).glob(f"{TEMP_PREFIX}{pid}-*.tmp"):
                try:
                    tmp.unlink()
                except OSError:
                    pass
