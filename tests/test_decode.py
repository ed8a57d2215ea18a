"""decode: every encoding a scraped folder holds gives the same clean text as UTF-8.

The encoded fixtures are made here from the seeds (no binary files in the repository):
GBK, GB18030, Big5 (of the Traditional seed, its pinyin annotations removed first since
Big5 has no tone marks), UTF-16 LE/BE with and without BOM, UTF-8 with BOM, CRLF, CR.
"""

from __future__ import annotations

import codecs
import gzip
import io
import random
import zipfile
import zlib

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from speechclean import NotTextError
from speechclean.convert import simplified_to_traditional
from speechclean.decode import MAX_DAMAGED_CONFIDENCE, decode, plausibility

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def traditional_seed() -> str:
    """The seed written in Traditional characters (found, not named)."""
    from speechclean.convert import traditional_count

    return max((seed_text(n) for n in SEED_NAMES), key=traditional_count)


# Pinyin glued after characters, possibly broken across a line: 現(xiàn), 戮(lù⏎)
_PINYIN = regex.compile(r"\(\s*[a-zü\u00c0-\u024f\u0300-\u036f]{1,8}\s*\)")


def big5_text() -> str:
    """The Traditional seed without pinyin; the few characters Big5 lacks (a spam line in
    Simplified) are written in their Traditional form, as a Big5 site would show them."""
    text = _PINYIN.sub("", traditional_seed())
    out = []
    for ch in text:
        try:
            ch.encode("big5")
        except UnicodeEncodeError:
            ch = simplified_to_traditional(ch)
            ch.encode("big5")  # fails the test if even that is not Big5
        out.append(ch)
    return "".join(out)


def variants(text: str) -> dict[str, bytes]:
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        gb2312 = text.encode("gb2312")
    except UnicodeEncodeError:
        gb2312 = b""
    return {
        "gb2312": gb2312,
        "gbk": text.encode("gbk"),
        "gb18030": text.encode("gb18030"),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "crlf": lf.replace("\n", "\r\n").encode("utf-8"),
        "cr": lf.replace("\n", "\r").encode("utf-8"),
    }


EXPECTED_ENCODING = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030",
    "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be",
    "utf-16-le-bom": "utf-16-le", "utf-16-be-bom": "utf-16-be",
    "utf-8-bom": "utf-8", "crlf": "utf-8", "cr": "utf-8",
}  # fmt: skip


CASES = [
    (name, variant)
    for name in SEED_NAMES
    for variant, data in sorted(variants(seed_text(name)).items())
    if data  # GB2312 lacks characters of some seeds (GBK covers them)
]


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_every_encoding_cleans_like_utf8(pipeline, name, variant):
    utf8 = (SEEDS / name).read_bytes()
    data = variants(utf8.decode("utf-8"))[variant]
    assert data != utf8
    result = pipeline.clean(data, name=f"{name}.{variant}")
    assert result.encoding == EXPECTED_ENCODING[variant]
    assert 0.0 <= result.confidence <= 1.0
    assert not [w for w in result.warnings if w.code == "replaced-bytes"]
    assert result.data == pipeline.clean(utf8, name=name).data


def test_big5_traditional_seed_cleans_like_the_same_text_in_utf8(pipeline):
    text = big5_text()
    data = text.encode("big5")
    # GB18030 accepts these bytes too: only the plausibility check can choose right.
    assert data.decode("gb18030", errors="strict")
    result = pipeline.clean(data, name="big5.txt")
    assert result.encoding == "big5hkscs"
    assert result.converted
    assert result.data == pipeline.clean(text.encode("utf-8"), name="utf8.txt").data
    assert decode(data).text == text
    assert "争创" in result.text and "爭" not in result.text  # came out Simplified


def _ambiguous_gbk_lines() -> list[str]:
    """Seed lines whose GBK bytes Big5 also decodes without an error."""
    lines = []
    for name in SEED_NAMES:
        for line in seed_text(name).splitlines():
            line = line.strip()
            try:
                data = line.encode("gbk")
                data.decode("big5hkscs")
            except UnicodeError:
                continue
            if len(line) >= 8 and not line.isascii():
                lines.append(line)
    return lines


def test_gbk_that_big5_also_decodes_is_read_as_gbk():
    lines = _ambiguous_gbk_lines()
    assert len(lines) >= 3
    text = "\n".join(lines) + "\n"
    data = text.encode("gbk")
    as_big5 = data.decode("big5hkscs")  # plausible-looking Traditional nonsense
    assert as_big5 != text
    decoded = decode(data)
    assert decoded.encoding == "gb18030"
    assert decoded.text == text
    assert plausibility(text) > plausibility(as_big5) + 0.2


@pytest.mark.parametrize("line", _ambiguous_gbk_lines()[:5])
def test_single_ambiguous_gbk_line_is_read_as_gbk(line):
    assert decode(line.encode("gbk")).text == line


def test_mojibake_scores_below_the_real_text():
    text = seed_text(SEED_NAMES[1])
    utf8_read_as_gbk = text.encode("utf-8").decode("gb18030", errors="replace")
    marked = text[:200] + "锟斤拷锟斤拷" + text[200:]
    assert plausibility(text) > plausibility(utf8_read_as_gbk) + 0.3
    assert plausibility(text) > plausibility(marked)


def test_utf8_with_a_few_invalid_bytes_is_kept_and_counted(pipeline):
    raw = (SEEDS / SEED_NAMES[0]).read_bytes()
    one = raw.index(b"\n", len(raw) // 3)
    two = raw.index(b"\n", 2 * len(raw) // 3)
    # a stray byte, and a lead byte whose character was cut off (before a newline)
    data = raw[:one] + b"\xff" + raw[one:two] + b"\xe4\xb8" + raw[two:]
    assert data.decode("utf-8", errors="replace").count("\ufffd") == 2
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.replaced == data.decode("utf-8", errors="replace").count("\ufffd")
    assert decoded.confidence <= MAX_DAMAGED_CONFIDENCE
    result = pipeline.clean(data, name="damaged.txt")
    codes = [w.code for w in result.warnings]
    assert codes.count("replaced-bytes") == 1
    assert str(decoded.replaced) in result.warnings[codes.index("replaced-bytes")].message


def test_real_replacement_characters_are_not_counted_as_damage():
    text = "原文里就有一个\ufffd字符。\n" + seed_text(SEED_NAMES[0])
    decoded = decode(text.encode("utf-8"))
    assert decoded.replaced == 0 and decoded.text == text


def test_truncated_downloads_are_decoded_with_replacements():
    text = seed_text(SEED_NAMES[2])
    utf8 = text.encode("utf-8")
    # cut inside a multi-byte character
    cut = next(i for i in range(len(utf8) // 2, len(utf8)) if utf8[i] & 0xC0 == 0x80)
    d = decode(utf8[:cut])
    assert (d.encoding, d.replaced) == ("utf-8", 1)
    for enc in ("utf-16-le", "utf-16-be"):
        d = decode(text.encode(enc)[:-1])  # half a code unit: no BOM, odd length
        assert (d.encoding, d.replaced) == (enc, 1)
        assert d.text[:-1] == text[:-1]
    gbk = text.encode("gbk")
    d = decode(gbk[: len(gbk) // 2] + b"\xff" + gbk[len(gbk) // 2 :])
    assert d.encoding == "gb18030" and d.replaced >= 1


def _binaries() -> dict[str, bytes]:
    seed = (SEEDS / SEED_NAMES[0]).read_bytes()
    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(20_000))
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", seed)
    return {
        "random": noise,
        "gzip": gzip.compress(seed),
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise[:4000],
        "pdf": b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(seed) + b"\nendstream\n",
        "docx": docx.getvalue(),
        "nul-in-text": seed[:500] + b"\x00" * 4 + seed[500:],
    }


@pytest.mark.parametrize("kind", sorted(_binaries()))
def test_binary_files_are_refused(pipeline, kind):
    with pytest.raises(NotTextError):
        pipeline.clean(_binaries()[kind], name=f"{kind}.txt")


def test_empty_and_blank_inputs(pipeline):
    assert decode(b"").text == ""
    for data in (b"", b"\n\n", b"  \r\n\t\r\n", codecs.BOM_UTF8):
        result = pipeline.clean(data, name="empty.txt")
        assert result.data == b""
        assert [w.code for w in result.warnings] == ["empty"]


def test_ascii_and_confidence_range():
    d = decode(b"plain ascii\n")
    assert d.encoding == "ascii" and d.confidence == 1.0
    for name in SEED_NAMES:
        for data in filter(None, variants(seed_text(name)).values()):
            assert 0.0 <= decode(data).confidence <= 1.0


def test_chardet_sees_only_a_bounded_sample(monkeypatch):
    import chardet

    from speechclean.decode import SAMPLE_BYTES

    seen = []
    real = chardet.detect

    def detect(data, *args, **kwargs):
        seen.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(chardet, "detect", detect)
    gbk = (seed_text(SEED_NAMES[1]) * 40).encode("gbk")  # ~500 KB
    damaged = gbk[:1000] + b"\xff" + gbk[1000:]  # no codec decodes it strictly
    d = decode(damaged)
    assert d.encoding == "gb18030" and d.replaced >= 1
    assert seen and max(seen) <= SAMPLE_BYTES < len(damaged)


# Any bytes at all: decoded (with counted replacements) or refused as binary, nothing else.

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=100)
    .map(lambda t: t.encode("gb18030")),
    st.tuples(st.binary(max_size=8), st.text(max_size=100))
    .map(lambda bt: bt[1].encode("utf-16-le") + bt[0]),
))  # fmt: skip
def test_decode_never_fails_otherwise(data):
    try:
        d = decode(data)
    except NotTextError:
        return
    assert 0.0 <= d.confidence <= 1.0
    assert d.replaced >= 0
    assert isinstance(d.text, str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_pipeline_on_any_bytes_cleans_or_raises_a_document_error(pipeline, data):
    from speechclean import DocumentError

    try:
        result = pipeline.clean(data, name="any.txt")
    except DocumentError:
        return
    assert result.data == b"" or result.data.endswith(b"\n")
    assert pipeline.clean(result.data).data == result.data  # clean output stays clean
