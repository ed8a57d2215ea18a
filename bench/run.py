"""Measure speechclean on the benchmark corpus, next to the floors, and write RESULTS.md.

    python bench/run.py bench/corpus [--results bench/RESULTS.md] [--naive-every 10]

Everything is measured in one run, each command in its own process (wall time, CPU time of
the process and its workers, peak resident memory of the main process and of each worker,
polled from /proc). Inputs are read once beforehand so every measurement sees a warm page
cache. This is a benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
MB = 1_000_000


# ----------------------------------------------------------------------- measuring
def _children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (workers of a pool)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], poll: float = 0.05) -> dict:
    """Run ``cmd``: wall and CPU seconds, peak RSS (MB) of it and of its largest worker."""
    log = HERE / ".last-run.log"
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        main_peak = 0
        worker_peaks: dict[int, int] = {}
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            main_peak = max(main_peak, _hwm_kb(proc.pid))
            for child in _children_of(proc.pid):
                worker_peaks[child] = max(worker_peaks.get(child, 0), _hwm_kb(child))
            time.sleep(poll)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_main_mb": max(main_peak, usage.ru_maxrss if not worker_peaks else 0) / 1024,
        "peak_worker_mb": max(worker_peaks.values(), default=0) / 1024,
        "workers": len(worker_peaks),
        "output": output,
    }


def floor(what: str, corpus: Path, out: Path | None = None, *extra: str) -> dict:
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(HERE / "floors.py"), what, str(corpus)]
    cmd += [str(out)] if out is not None else []
    m = measure(cmd + list(extra))
    m.update(json.loads(m["output"].strip().splitlines()[-1]))
    return m


def clean(src: Path, dest: Path, jobs: int, fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(dest, ignore_errors=True)
    return measure([str(BIN / "speechclean"), "clean", str(src), "-o", str(dest),
                    "--jobs", str(jobs), "--quiet"])  # fmt: skip


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*.txt"))
    files_b = sorted(p.relative_to(b) for p in b.rglob("*.txt"))
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


# ----------------------------------------------------------------------- the Ray engine
def clean_ray(src: Path, dest: Path, jobs: int) -> dict | None:
    """``clean --engine ray`` on a local Ray that the command starts and stops, so Ray's
    start-up is in the wall time (as a user sees it). None without the ``ray`` extra. Its
    CPU time and memory are left out: Ray's workers are not children the run waits for."""
    import importlib.util

    if importlib.util.find_spec("ray") is None:
        return None
    shutil.rmtree(dest, ignore_errors=True)
    return measure([str(BIN / "speechclean"), "clean", str(src), "-o", str(dest),
                    "--jobs", str(jobs), "--quiet", "--engine", "ray"])  # fmt: skip


def ray_lines(lines: list[str], r: dict) -> None:
    """The Ray engine's row, right after the ``--jobs 2`` row, and its identity check."""
    if not r.get("ray"):
        return
    total, files = r["corpus"]["bytes"], r["corpus"]["files"]
    at = next(i for i, line in enumerate(lines) if line.startswith("| `speechclean clean --jobs 2`"))
    lines.insert(at + 1, f"| `speechclean clean --engine ray --jobs 2` (local Ray, its start-up "
                         f"included: {r['ray']['wall']:.1f} s vs {r['jobs2']['wall']:.1f} s) | "
                         f"{rate(r['ray'], total, files)} | | |")  # fmt: skip
    lines.insert(len(lines) - 1, f"`--engine ray` and `--jobs 2` outputs identical: "
                                 f"{'yes' if r['ray_identical'] else '**no**'}.")  # fmt: skip


def startup(corpus: Path) -> dict:
    """Median wall time of ``speechclean --help`` and of cleaning one file, and which heavy
    modules the CLI imports before it has work to do."""
    one = sorted((corpus / "src").rglob("*.txt"))[0]
    tmp = HERE / "out-one"

    def median(cmd: list[str], n: int = 5) -> float:
        times = []
        for _ in range(n):
            shutil.rmtree(tmp, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return sorted(times)[n // 2]

    probe = ("import sys, speechclean.cli; print(' '.join(m for m in "
             "('opencc', 'chardet', 'regex', 'yaml') if m in sys.modules) or '-')")
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              cwd=ROOT, check=True).stdout.strip()  # fmt: skip
    python = median([sys.executable, "-c", "pass"])
    return {
        "python": python,
        "help": median([str(BIN / "speechclean"), "--help"]),
        "one": median([str(BIN / "speechclean"), "clean", str(one), "-o", str(tmp), "--quiet"]),
        "one_bytes": one.stat().st_size,
        "imported": imported,
    }


# ----------------------------------------------------------------------- reporting
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))  # fmt: skip
    except (OSError, StopIteration):
        mem = 0
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()  # fmt: skip
    except OSError:
        commit = "unknown"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "speechclean": version("speechclean"), "commit": commit or "unknown",
        "opencc": version("opencc"), "regex": version("regex"), "chardet": version("chardet"),
    }  # fmt: skip


def rate(m: dict, total: int, files: int, cpu: bool = False) -> str:
    seconds = m["cpu"] if cpu else m["wall"]
    return f"{total / MB / seconds:.1f} MB/s, {files / seconds:.0f} files/s"


def write_results(path: Path, r: dict) -> None:
    c, f = r["corpus"], r["floors"]
    total, files = c["bytes"], c["files"]
    j1, j2, again = r["jobs1"], r["jobs2"], r["rerun"]
    floor_all = f["all"]["bytes"] / MB / f["all"]["seconds"]
    mbps = {k: total / MB / r[k]["wall"] for k in ("jobs1", "jobs2")}
    largest = c["largest"] / MB
    worker_limit = 150 + 4 * largest
    worker_peak = max(j2["peak_worker_mb"], j1["peak_main_mb"])

    def mark(ok: bool) -> str:
        return "yes" if ok else "**no**"

    naive = f["naive"]
    rows = [
        ("Python read + write of every file", f["read-write"]),
        ("strict decode, known codec (in memory)", f["decode"]),
        ("OpenCC t2s of every document (in memory)", f["opencc"]),
        ("read + decode + OpenCC + write", f["all"]),
    ]
    m = r["machine"]
    load = r["load"]
    lines = [
        "# speechclean benchmark",
        "",
        f"Measured by `make bench` on {r['date']} (load average before/after: "
        f"{load[0]:.2f} / {load[1]:.2f}; other work on the machine slows the wall-clock "
        "numbers, CPU-time numbers are given beside them).",
        "",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}",
        f"- Python {m['python']}; speechclean {m['speechclean']} ({m['commit']}); "
        f"OpenCC {m['opencc']}; regex {m['regex']}; chardet {m['chardet']}",
        f"- corpus: {files:,} files, {total / MB:.1f} MB, generated by "
        f"`bench/make_corpus.py` from the seeds ({c['mix']}; largest file "
        f"{largest:.1f} MB)",
        "",
        "## Throughput",
        "",
        "| what | wall clock | CPU time | peak memory |",
        "|------|-----------|----------|-------------|",
    ]
    for label, fl in rows:
        lines.append(f"| floor: {label} | {fl['bytes'] / MB / fl['seconds']:.1f} MB/s, "
                     f"{fl['files'] / fl['seconds']:.0f} files/s | | |")  # fmt: skip
    lines += [
        f"| `speechclean clean --jobs 1` | {rate(j1, total, files)} | "
        f"{rate(j1, total, files, cpu=True)} | {j1['peak_main_mb']:.0f} MB |",
        f"| `speechclean clean --jobs 2` | {rate(j2, total, files)} | "
        f"{rate(j2, total, files, cpu=True)} | main {j2['peak_main_mb']:.0f} MB, "
        f"largest worker {j2['peak_worker_mb']:.0f} MB |",
        f"| second run, outputs up to date (`--jobs 1`) | {rate(again, total, files)} "
        f"({again['wall']:.1f} s) | | |",
        f"| peer: naive script (chardet on every file, OpenCC, rules one by one), every "
        f"{r['naive_every']}th file | {naive['bytes'] / MB / naive['seconds']:.2f} MB/s, "
        f"{naive['files'] / naive['seconds']:.1f} files/s | | |",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|--------|----------|-----|",
        f"| `--jobs 1` ≥ 50% of read + decode + OpenCC + write | "
        f"{mbps['jobs1']:.1f} / {floor_all:.1f} MB/s = {mbps['jobs1'] / floor_all:.0%} | "
        f"{mark(mbps['jobs1'] >= 0.5 * floor_all)} |",
        f"| `--jobs 2` ≥ 1.8 × `--jobs 1` | {mbps['jobs2'] / mbps['jobs1']:.2f}× | "
        f"{mark(mbps['jobs2'] >= 1.8 * mbps['jobs1'])} |",
        f"| peak memory per worker < 150 MB + 4 × largest file ({worker_limit:.0f} MB) | "
        f"{worker_peak:.0f} MB | {mark(worker_peak < worker_limit)} |",
        f"| second run ≥ 10× faster than the first | "
        f"{j1['wall'] / again['wall']:.0f}× | {mark(j1['wall'] >= 10 * again['wall'])} |",
        f"| vs the naive script | {mbps['jobs1'] / (naive['bytes'] / MB / naive['seconds']):.0f}× "
        "(`--jobs 1`) | |",
        "",
        "## Startup",
        "",
        f"- `python -c pass`: {r['startup']['python'] * 1000:.0f} ms; `speechclean --help`: "
        f"{r['startup']['help'] * 1000:.0f} ms; `speechclean clean` of one "
        f"{r['startup']['one_bytes'] / 1000:.0f} KB file: {r['startup']['one'] * 1000:.0f} ms "
        "(median of 5)",
        f"- heavy modules imported by `import speechclean.cli`: {r['startup']['imported']}",
        "",
        f"`--jobs 1` and `--jobs 2` outputs identical: {mark(r['identical'])}.",
        "",
    ]
    ray_lines(lines, r)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--naive-every", type=int, default=10)
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    src = corpus / "src"
    paths = sorted(src.rglob("*.txt"))
    load_before = os.getloadavg()[0]
    sizes = [len(p.read_bytes()) for p in paths]  # also warms the page cache
    kinds: dict[str, int] = {}
    for p in paths:
        kind = p.stem.split("-", 1)[1]
        kinds[kind] = kinds.get(kind, 0) + 1
    mix = ", ".join(f"{k} {n * 100 / len(paths):.0f}%" for k, n in
                    sorted(kinds.items(), key=lambda t: -t[1]))  # fmt: skip
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "corpus": {"files": len(paths), "bytes": sum(sizes), "largest": max(sizes),
                   "mix": mix},  # fmt: skip
        "naive_every": args.naive_every,
        "floors": {},
    }
    say = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    for what, out in (("read-write", HERE / "out-floor"), ("decode", None),
                      ("opencc", None), ("all", HERE / "out-floor")):  # fmt: skip
        say(f"floor {what}")
        results["floors"][what] = floor(what, corpus, out)
    say(f"naive peer on every {args.naive_every}th file")
    results["floors"]["naive"] = floor("naive", corpus, HERE / "out-naive", "--every",
                                       str(args.naive_every))
    say("speechclean --jobs 1")
    results["jobs1"] = clean(src, HERE / "out-j1", 1)
    say("speechclean --jobs 1 again (outputs up to date)")
    results["rerun"] = clean(src, HERE / "out-j1", 1, fresh=False)
    say("speechclean --jobs 2")
    results["jobs2"] = clean(src, HERE / "out-j2", 2)
    results["identical"] = same_tree(HERE / "out-j1", HERE / "out-j2")
    say("speechclean --engine ray --jobs 2")
    results["ray"] = clean_ray(src, HERE / "out-ray", 2)
    results["ray_identical"] = bool(results["ray"]) and same_tree(HERE / "out-j2", HERE / "out-ray")
    if results["ray"]:
        results["ray"].pop("output", None)
    say("startup")
    results["startup"] = startup(corpus)
    results["load"] = (load_before, os.getloadavg()[0])
    for m in (results["jobs1"], results["jobs2"], results["rerun"], *results["floors"].values()):
        m.pop("output", None)
    (HERE / "out-results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_results(args.results, results)
    print(args.results.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
