"""The README's two commands are the ones that work: CI runs the README's test command."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands():
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text("utf-8"))


def test_readme_has_exactly_two_commands_one_runs_the_forum_one_the_tests():
    commands = _commands()
    assert len(commands) == 2
    assert "run.py" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_as_written():
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert _commands()[1] in ci
