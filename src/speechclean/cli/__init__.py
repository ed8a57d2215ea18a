"""The command line: thin wrappers over library calls, one module per concern.

Library errors become one line on stderr and an exit code here, and nowhere else:
0 success, 1 ``--check`` found changes, 2 usage or rule-file error, 3 some inputs failed.
"""

from __future__ import annotations

import click

from .. import __version__
from .clean import clean
from .detect import detect
from .preview import preview
from .rules import rules


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speechclean")
def main() -> None:
    """Clean scraped Chinese speeches into Simplified, UTF-8 plain text."""


main.add_command(clean)
main.add_command(rules)
main.add_command(detect)
main.add_command(preview)
