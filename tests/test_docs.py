"""Documentation stays current with the code."""

from __future__ import annotations

import dataclasses

from conftest import ROOT
from policybrief.cli import _parser
from policybrief.options import Options


def test_every_option_field_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    for field in dataclasses.fields(Options):
        assert f"| `{field.name}` |" in text, f"Options.{field.name} is not in docs/cli.md"


def test_every_cli_flag_is_documented() -> None:
    import argparse

    text = (ROOT / "docs" / "cli.md").read_text()
    parser = _parser()
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers += list(action.choices.values())
            for command in action.choices:
                assert f"| `{command}`" in text, f"command {command} is not in docs/cli.md"
    for each in parsers:
        for action in each._actions:
            for flag in action.option_strings:
                if flag in ("-h", "--help"):
                    continue
                assert f"`{flag}" in text, f"{flag} is not in docs/cli.md"


def test_every_exit_code_is_documented() -> None:
    from policybrief import cli

    text = (ROOT / "docs" / "cli.md").read_text()
    codes = [v for k, v in vars(cli).items() if k.startswith("EXIT_") and isinstance(v, int)]
    assert len(set(codes)) == len(codes), "exit codes are not distinct"
    for code in codes:
        assert f"| {code} |" in text, f"exit code {code} is not in docs/cli.md"


def test_readme_gives_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make build" in text and "make test" in text
    assert "make test" in (ROOT / ".ci" / "run").read_text()
