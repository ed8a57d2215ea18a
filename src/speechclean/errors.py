"""speechclean's exceptions. The library raises these; only the CLI turns them into
messages and exit codes."""

from __future__ import annotations


class SpeechcleanError(Exception):
    """Base class: every error speechclean raises on purpose."""


class RuleError(SpeechcleanError):
    """A rule file is invalid. ``str()`` reads ``file:line: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = path or "<rules>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class RuleErrors(SpeechcleanError):
    """Several rule errors found in one load; all are reported, not just the first."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class DocumentError(SpeechcleanError):
    """One input could not be cleaned; the run goes on with the others."""

    status = "error"


class NotTextError(DocumentError):
    """The input is binary, not text: it is skipped."""

    status = "skipped"


class RuleTimeoutError(DocumentError):
    """A rule's pattern ran past its time limit on this document."""

    def __init__(self, rule_id: str, seconds: float):
        self.rule_id = rule_id
        super().__init__(
            f"rule {rule_id} timed out after {seconds:g}s (catastrophic pattern?)"
        )


class UsageError(SpeechcleanError):
    """The command line asks for something impossible (e.g. DST inside SRC)."""
