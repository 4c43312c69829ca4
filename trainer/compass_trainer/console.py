"""The CLI's conventions in one place: results on stdout (or one JSON document with ``--json``), logs and errors on
stderr, exit status 2 for usage errors and 1 for data or runtime errors, no line wrapping when not on a terminal.

A command is a function decorated with :func:`command`: it may print with :func:`say` (human results) and
:func:`log` (progress), and returns a JSON-able dict, printed as the result under ``--json``.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console

from .atomic import json_default
from .errors import UsageError

EXIT_USAGE = 2
EXIT_FAILURE = 1


class _State:
    json = False


STATE = _State()


def make_console(stderr: bool = False) -> Console:
    """A rich console on the current stdout/stderr: on a terminal as rich likes it; elsewhere (a pipe, a file, a test
    runner) no wrapping at 80 columns and no colour codes."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(file=stream, highlight=False)
    return Console(file=stream, soft_wrap=True, width=100_000, no_color=True, highlight=False)


def say(*objects: Any) -> None:
    """A human-readable result (a line, a table); suppressed under ``--json``, where the returned dict is the result."""
    if not STATE.json:
        make_console().print(*objects)


def log(*objects: Any) -> None:
    """Progress: on stderr, so that stdout holds only the result."""
    make_console(stderr=True).print(*objects)


def fail(message: str) -> None:
    """Stop with a usage error (exit status 2)."""
    raise UsageError(message)


def fail_run(message: str) -> None:
    """Stop with a data or runtime error (exit status 1): the arguments were fine, the data, a store or a worker was not."""
    raise RuntimeError(message)


def command(app: typer.Typer, name: str | None = None, **settings: Any) -> Callable:
    """Register ``fn`` as a subcommand of ``app`` with the conventions above (a ``--json`` flag on every command)."""

    def decorate(fn: Callable[..., dict | None]) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, json_output: bool = False, **kwargs: Any) -> None:
            STATE.json = STATE.json or json_output
            try:
                result = fn(*args, **kwargs)
            except typer.Exit:
                raise
            except UsageError as err:
                _error(err, EXIT_USAGE)
            except (ValueError, OSError, RuntimeError, KeyError) as err:
                _error(err, EXIT_FAILURE)
            if STATE.json and result is not None:
                typer.echo(json.dumps(result, ensure_ascii=False, default=json_default))

        run.__signature__ = _with_json_option(fn)
        run.__annotations__ = {p.name: p.annotation for p in run.__signature__.parameters.values()}
        return app.command(name, **settings)(run)

    return decorate


JSON_OPTION = Annotated[bool, typer.Option("--json", help="Print the result as one JSON document on stdout (logs stay on stderr)")]


def _with_json_option(fn: Callable) -> inspect.Signature:
    signature = inspect.signature(fn, eval_str=True)  # the annotations as objects: typer reads its options from them
    option = inspect.Parameter("json_output", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=JSON_OPTION)
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD else p for p in signature.parameters.values()]
    return signature.replace(parameters=[*params, option])


def _error(err: BaseException, code: int) -> None:
    message = str(err) if not isinstance(err, KeyError) else f"missing key {err}"
    if STATE.json:
        typer.echo(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False), err=True)
    else:
        make_console(stderr=True).print(f"error: {message}", markup=False)
    raise typer.Exit(code)


class _SayConsole:
    """A stand-in for a rich ``Console`` whose ``print`` follows the conventions: a command body (or a ``log=``
    callback) written as ``console.print(...)`` prints results as :func:`say` does."""

    def print(self, *objects: Any, **_: Any) -> None:
        say(*objects)


console = _SayConsole()
