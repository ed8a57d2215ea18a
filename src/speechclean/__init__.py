"""speechclean: clean scraped Chinese speeches into Simplified, UTF-8 plain text.

    >>> from speechclean import Pipeline
    >>> result = Pipeline.from_rules().clean("同志们：\\n\\n  今天我们开会。\\n")
    >>> result.text
    '同志们：\\n今天我们开会。\\n'
"""

__version__ = "0.1.0"

from .document import Change, Edit  # noqa: E402
from .errors import (  # noqa: E402
    DocumentError,
    NotTextError,
    RuleError,
    RuleErrors,
    RuleTimeoutError,
    SpeechcleanError,
    UsageError,
)
from .pipeline import Pipeline, Result, Warning  # noqa: E402
from .rules import Rule, RuleBook, RuleSet, load_rules  # noqa: E402

__all__ = [
    "Change", "DocumentError", "Edit", "NotTextError", "Pipeline", "Result", "Rule",
    "RuleBook", "RuleError", "RuleErrors", "RuleSet", "RuleTimeoutError", "SpeechcleanError",
    "UsageError", "Warning", "load_rules", "__version__",
]  # fmt: skip
