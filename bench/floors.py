"""The floors speechclean is measured against, and the naive pipeline a user would write.

Each is a command run in its own process by ``run.py``, so that its time and peak memory
are its own:

    python bench/floors.py read-write  CORPUS OUT   # plain Python read + write of every file
    python bench/floors.py decode      CORPUS       # strict decode with the known codec
    python bench/floors.py opencc      CORPUS       # OpenCC t2s of every decoded document
    python bench/floors.py all         CORPUS OUT   # read + decode + OpenCC + write
    python bench/floors.py naive       CORPUS OUT [--every N]
        # chardet on every file, OpenCC on every document, then the rules one by one
        # (regex.sub over the whole text), on every N-th file

Each prints one JSON line: {"files", "bytes", "seconds"} — ``seconds`` only counts the
measured part (decode alone, OpenCC alone), not reading the inputs it needs first.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def manifest(corpus: Path) -> list[tuple[Path, str, str]]:
    """(path, codec, relative path) of every corpus file, in manifest order."""
    rows = (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for row in rows:
        rel, codec = row.split("\t")[:2]
        out.append((corpus / "src" / rel, codec, rel))
    return out


def _write(out: Path, rel: str, data: bytes) -> None:
    path = out / rel
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def read_write(corpus: Path, out: Path) -> dict:
    files = manifest(corpus)
    start = time.perf_counter()
    total = 0
    for path, _, rel in files:
        data = path.read_bytes()
        total += len(data)
        _write(out, rel, data)
    return {"files": len(files), "bytes": total, "seconds": time.perf_counter() - start}


def _read_all(corpus: Path) -> list[tuple[bytes, str, str]]:
    return [(path.read_bytes(), codec, rel) for path, codec, rel in manifest(corpus)]


def decode_only(corpus: Path) -> dict:
    items = _read_all(corpus)
    start = time.perf_counter()
    for data, codec, _ in items:
        data.decode(codec)
    seconds = time.perf_counter() - start
    return {"files": len(items), "bytes": sum(len(d) for d, _, _ in items), "seconds": seconds}


def opencc_only(corpus: Path) -> dict:
    import opencc

    converter = opencc.OpenCC("t2s")
    items = _read_all(corpus)
    texts = [data.decode(codec) for data, codec, _ in items]
    start = time.perf_counter()
    for text in texts:
        converter.convert(text)
    seconds = time.perf_counter() - start
    return {"files": len(items), "bytes": sum(len(d) for d, _, _ in items), "seconds": seconds}


def read_decode_convert_write(corpus: Path, out: Path) -> dict:
    import opencc

    converter = opencc.OpenCC("t2s")
    files = manifest(corpus)
    start = time.perf_counter()
    total = 0
    for path, codec, rel in files:
        data = path.read_bytes()
        total += len(data)
        text = converter.convert(data.decode(codec).replace("\r\n", "\n"))
        _write(out, rel, text.encode("utf-8"))
    return {"files": len(files), "bytes": total, "seconds": time.perf_counter() - start}


def naive(corpus: Path, out: Path, every: int) -> dict:
    """What a user would write first: detect, convert, strip with every rule in turn."""
    import chardet
    import opencc

    from speechclean.rulefiles import load_rules

    converter = opencc.OpenCC("t2s")
    rules = list(load_rules().rules())
    files = manifest(corpus)[::every]
    start = time.perf_counter()
    total = 0
    for path, _, rel in files:
        data = path.read_bytes()
        total += len(data)
        encoding = chardet.detect(data)["encoding"] or "utf-8"
        text = data.decode(encoding, errors="replace").replace("\r\n", "\n")
        text = converter.convert(text)
        for rule in rules:
            if rule.action in ("truncate-after", "truncate-before"):
                continue
            text = rule.compiled.sub(rule.replacement if rule.action == "replace" else "", text)
        _write(out, rel, text.encode("utf-8"))
    return {"files": len(files), "bytes": total, "seconds": time.perf_counter() - start}


def main(argv: list[str]) -> int:
    what, corpus = argv[0], Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else None
    if what == "read-write":
        result = read_write(corpus, out)
    elif what == "decode":
        result = decode_only(corpus)
    elif what == "opencc":
        result = opencc_only(corpus)
    elif what == "all":
        result = read_decode_convert_write(corpus, out)
    elif what == "naive":
        every = int(argv[argv.index("--every") + 1]) if "--every" in argv else 1
        result = naive(corpus, out, every)
    else:
        sys.exit(f"unknown floor {what!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
