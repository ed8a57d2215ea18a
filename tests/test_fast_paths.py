"""Shortcuts taken for speed must give exactly what the straightforward code gives."""

from __future__ import annotations

import regex

from reflow_reference import _TRIM
from speechclean.pipeline import NOT_REGEX_SPACE, visible_chars
from speechclean.prefilter import LineScanner
from speechclean.reflow import LINE_SPACE, display_width, join_broken_lines, trim_lines
from speechclean.rulefiles import load_rules


def test_visible_chars_counts_what_regex_does_not_call_space():
    space = regex.compile(r"\s")
    python_only = {chr(i) for i in range(0x110000) if chr(i).isspace() and not space.match(chr(i))}
    regex_only = {chr(i) for i in range(0x110000) if space.match(chr(i)) and not chr(i).isspace()}
    assert python_only == set(NOT_REGEX_SPACE) and not regex_only
    text = "\u3000\u3000讲话\x1c稿 \t\n第二行\xa0\u2028"
    assert visible_chars(text) == len(text) - len(space.findall(text)) == 7


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("讲话ab") == 6
    assert display_width("ＡＢ") == 4  # fullwidth forms are wide


def test_line_scanner_finds_overlapping_literals():
    book = load_rules()
    scanner = LineScanner(book.rules())
    rules = [r for r in book.rules() if scanner.covers(r)]
    line = "相关下载举报收藏"
    size, found = scanner.scan(line)
    assert size == len(line)
    # Every covered rule whose pattern matches the whole line was reported as a candidate.
    for r in rules:
        if r.compiled.match(line + "\n"):
            assert r.id in found


def test_join_broken_lines_after_an_open_annotation():
    text = "我们要戮(lù\n)力同心，共同奋斗，一起把这件事情做好，把日子过得越来越好。\n"
    assert join_broken_lines(text)  # the break inside "(lù⏎)" is joined


def test_trim_shortcut_finds_what_the_pattern_finds():
    space = regex.compile(r"\s")
    assert LINE_SPACE == {chr(i) for i in range(0x110000) if space.match(chr(i))} - {"\n"}
    for text in ["", "\n", "a", "a\nb\n", " a", "a ", "a\n\u3000b", "a\u2028 \nb", "\n\n \n",
                 "a \u2028b", "a\rb\r\n", "句子。\xa0"]:
        expected = [(m.start(), m.end()) for m in _TRIM.finditer(text)]
        assert [(e.start, e.end) for e in trim_lines(text)] == expected, repr(text)
