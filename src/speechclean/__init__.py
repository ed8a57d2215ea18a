"""speechclean: clean scraped Chinese speeches into Simplified, UTF-8 plain text.

    >>> from speechclean import Pipeline
    >>> result = Pipeline.from_rules().clean("同志们：\\n\\n  今天我们开会。\\n")
    >>> result.text
    '同志们：\\n今天我们开会。\\n'
"""

__version__ = "0.1.0"

# Public names are imported on first use (PEP 562), so that ``speechclean --help`` and the
# CLI's startup do not pay for regex, YAML and the pipeline before there is work to do.
_EXPORTS = {
    "Change": "document", "Edit": "document",
    "DocumentError": "errors", "NotTextError": "errors", "RuleError": "errors",
    "RuleErrors": "errors", "RuleTimeoutError": "errors", "SpeechcleanError": "errors",
    "UsageError": "errors",
    "Pipeline": "pipeline", "Result": "pipeline", "Warning": "pipeline",
    "Rule": "rules", "RuleBook": "rules", "RuleSet": "rules", "load_rules": "rulefiles",
}  # fmt: skip


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'speechclean' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Change", "DocumentError", "Edit", "NotTextError", "Pipeline", "Result", "Rule",
    "RuleBook", "RuleError", "RuleErrors", "RuleSet", "RuleTimeoutError", "SpeechcleanError",
    "UsageError", "Warning", "load_rules", "__version__",
]  # fmt: skip
