"""Entry point and the one place where errors become exit codes."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from review import __version__
from review.core.errors import ReviewError

log = logging.getLogger("review")


def crash_report(exc: BaseException) -> str:
    """The traceback of ``exc`` with no input in it: the frames (our files, lines and
    code) and the kinds of exception, never their messages, which may quote a cell, a
    key or a file name, nor the command line, which names the files."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        kind = type(current)
        block = "".join(traceback.format_list(frames))
        parts.append(
            f"Traceback (most recent call last):\n{block}{kind.__module__}.{kind.__qualname__}"
        )
        current = current.__cause__ or current.__context__
    return "\n\nwhile handling:\n".join(reversed(parts)) + "\n"


def _save_traceback(exc: BaseException) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"review-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"review {__version__} (exception messages left out: they may quote input)\n")
        handle.write(crash_report(exc))
    return Path(name)


# The closed registry of commands: name -> (module, attribute). A command's module is
# imported only when that command runs, so `review licenses scan` in a pre-commit hook
# does not pay two seconds for importing Presidio, spaCy and WeasyPrint.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("review.cli.init", "init"),
    "run": ("review.cli.run", "run"),
    "schema": ("review.cli.run", "schema"),
    "config": ("review.cli.workflow", "config_group"),
    "baseline": ("review.cli.workflow", "baseline"),
    "checklist": ("review.cli.checklist", "checklist"),
    "pii": ("review.cli.pii", "pii"),
    "desensitise": ("review.cli.desensitise", "desensitise"),
    "licenses": ("review.cli.licenses", "licenses"),
    "report": ("review.cli.report", "report"),
    "signoff": ("review.cli.report", "signoff"),
    "verify": ("review.cli.report", "verify"),
}


class ReviewGroup(click.Group):
    """A group whose ``main`` maps exceptions to the documented exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"review: error: {exc.format_message()}", err=True)
            code = 2
        except click.Abort:
            click.echo("review: aborted", err=True)
            code = 130
        except ReviewError as exc:
            click.echo(f"review: error: {exc}", err=True)
            code = exc.exit_code
        except Exception as exc:
            saved = _save_traceback(exc)
            click.echo(
                f"review: internal error ({type(exc).__name__}); traceback saved to {saved}",
                err=True,
            )
            code = 3
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=ReviewGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def cli(verbose: int) -> None:
    """Compliance and ethics review: checklists, PII, desensitisation, licenses, reports.

    合规与伦理审查：检查清单、个人信息、脱敏、开源许可证、报告。
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="review: %(levelname)s: %(message)s", stream=sys.stderr)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="review")
