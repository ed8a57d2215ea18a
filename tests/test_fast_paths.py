"""Shortcuts taken for speed must give exactly what the straightforward code gives."""

from __future__ import annotations

import regex

from speechclean.pipeline import SPACE_CHARS
from speechclean.prefilter import LineScanner
from speechclean.reflow import display_width, join_broken_lines
from speechclean.rules import load_rules


def test_space_chars_are_exactly_regex_whitespace():
    space = regex.compile(r"\s")
    expected = {chr(i) for i in range(0x110000) if space.match(chr(i))}
    assert set(SPACE_CHARS) == expected
    assert len(SPACE_CHARS) == len(expected)  # each counted once


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
