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


def test_the_readme_commands_work_where_there_is_no_python_and_no_system_pip():
    """Debian 12+ and Ubuntu 24.04 have no ``python`` and refuse ``pip`` into the system (PEP 668):
    each command is one line that makes and uses a virtual environment in the checkout."""
    for command in _commands():
        assert "\n" not in command
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")
        words = re.split(r"[\s&]+", command)
        assert "python" not in words and "pip" not in words


def test_the_readme_lists_every_url_line_run_py_prints():
    """run.py prints one line per URL ("  Audience (phones):  http…"); the README names each one."""
    run = (ROOT / "run.py").read_text("utf-8")
    printed = re.findall(r'print\(f"  ([A-Z][A-Za-z ()]+):\s', run)
    readme = (ROOT / "README.md").read_text("utf-8")
    listed = re.findall(r"^- \*\*([^*]+)\*\*", readme.split("## Run the forum")[1].split("##")[0], re.M)
    numbers = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    assert (printed, f"prints {numbers.get(len(printed))} lines of URLs" in readme) == (listed, True)
