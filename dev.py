#!/usr/bin/env python3
"""Run convene on a developer's machine with nothing installed but Python 3.11+.

    python3 dev.py run  [flask run options]   demo site on http://127.0.0.1:5000
    python3 dev.py test [pytest arguments]    the test suite
    python3 dev.py lint [ruff arguments]      ruff check
    python3 dev.py i18n                       update and compile the translations
    python3 dev.py bench [bench/run.py options] the performance benchmark (PostgreSQL, Redis)

Every command first makes sure `.venv/` exists and holds the project with its `dev`
extra. The install runs only when pyproject.toml changed since the last one: a stamp
file inside `.venv/` keeps the hash of the pyproject.toml it was made from.
Only the standard library is used here, so this file works before anything is installed.
"""

from __future__ import annotations  # lets an older Python reach the version check

import hashlib
import os
import shutil
import subprocess  # nosec B404 # runs only our own tools: venv, pip, pytest, ruff, flask
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "convene-install.sha256"
PYPROJECT = ROOT / "pyproject.toml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "5000"

USAGE = "\n\n".join(__doc__.split("\n\n")[:2])


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def venv_env() -> dict[str, str]:
    """The environment of a shell with .venv activated, so child processes find its tools."""
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    return env


def run(args: list[str], show: list[str] | None = None) -> int:
    """Run a command from the project folder, printing it first; return its exit code."""
    say("$ " + " ".join(show or args))
    try:
        return subprocess.call(args, cwd=ROOT, env=venv_env())  # nosec B603 # our own command
    except KeyboardInterrupt:
        return 130


def hand_over(args: list[str], show: list[str]) -> int:
    """Become the command (so its exit code and signals are its own); spawn it on Windows."""
    if os.name == "nt":
        return run(args, show)
    say("$ " + " ".join(show))
    os.chdir(ROOT)
    os.execve(args[0], args, venv_env())  # noqa: S606 - our own command, no shell  # nosec B606
    return 0  # not reached


def check(args: list[str], show: list[str] | None = None) -> None:
    code = run(args, show)
    if code != 0:
        say(f"failed with exit code {code}: {' '.join(show or args)}")
        sys.exit(code)


def venv_works() -> bool:
    if not PYTHON.exists():
        return False
    # The venv's own Python with fixed arguments: nothing from outside reaches the command.
    probe = subprocess.run([str(PYTHON), "-c", "import sys"], capture_output=True)  # nosec B603
    return probe.returncode == 0


def ensure_venv() -> None:
    if venv_works():
        return
    if VENV.exists():
        say(f"{VENV} is broken (its Python does not start); making it again")
        shutil.rmtree(VENV)
    say(f"creating the virtual environment {VENV}")
    check([sys.executable, "-m", "venv", str(VENV)], ["python3", "-m", "venv", ".venv"])


def pyproject_hash() -> str:
    return hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()


def ensure_installed() -> None:
    """Install the project into .venv unless this pyproject.toml was already installed."""
    ensure_venv()
    wanted = pyproject_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        say("dependencies are up to date (pyproject.toml unchanged since the last install)")
        return
    say("installing convene and its development tools into .venv")
    check(
        [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[dev]"],
        ["pip", "install", "-e", "'.[dev]'"],
    )
    temporary = STAMP.with_suffix(".tmp")
    temporary.write_text(wanted + "\n")
    temporary.replace(STAMP)


def flask(*args: str) -> list[str]:
    return [str(PYTHON), "-m", "flask", "--app", "convene", *args]


def shown_flask(*args: str) -> list[str]:
    return ["flask", "--app", "convene", *args]


def option_value(args: list[str], names: tuple[str, ...]) -> str | None:
    """The value of a `--name value` or `--name=value` option among args, if given."""
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def cmd_run(args: list[str]) -> int:
    ensure_installed()
    check(flask("db", "upgrade"), shown_flask("db", "upgrade"))
    check(flask("demo", "--if-empty"), shown_flask("demo", "--if-empty"))
    host = option_value(args, ("--host", "-h"))
    port = option_value(args, ("--port", "-p"))
    serve = ["run"]
    if host is None:
        host = DEFAULT_HOST
        serve += ["--host", host]
    if port is None:
        port = os.environ.get("PORT", DEFAULT_PORT)
        serve += ["--port", port]
    serve += args
    # Links in e-mails should point at this server, whatever port it was given.
    os.environ.setdefault("BASE_URL", f"http://{host}:{port}")
    say(f"serving convene on http://{host}:{port}/ (Ctrl+C stops it)")
    say("without MAIL_SERVER, e-mails are written to the log below instead of being sent")
    return hand_over(flask(*serve), shown_flask(*serve))


def cmd_test(args: list[str]) -> int:
    ensure_installed()
    return hand_over([str(PYTHON), "-m", "pytest", *args], ["python", "-m", "pytest", *args])


def cmd_lint(args: list[str]) -> int:
    ensure_installed()
    return hand_over([str(PYTHON), "-m", "ruff", "check", *args], ["ruff", "check", *args])


def cmd_bench(args: list[str]) -> int:
    ensure_installed()
    return hand_over(
        [str(PYTHON), str(ROOT / "bench" / "run.py"), *args], ["python", "bench/run.py", *args]
    )


TRANSLATIONS = ROOT / "convene" / "translations"
# Beyond Babel's own keywords: the lazy forms convene uses in forms and services.
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]


def cmd_i18n(args: list[str]) -> int:
    """Extract the marked strings, merge them into the catalogues, compile them."""
    ensure_installed()
    pybabel = str(BIN / "pybabel")
    pot = TRANSLATIONS / "messages.pot"
    check(
        [pybabel, "extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output"]
        + ["-o", str(pot), "."],
        ["pybabel", "extract", "…"],
    )
    check(
        [pybabel, "update", "-i", str(pot), "-d", str(TRANSLATIONS), "--no-fuzzy-matching"]
        + ["--ignore-obsolete"],
        ["pybabel", "update", "…"],
    )
    check([pybabel, "compile", "-d", str(TRANSLATIONS), "--statistics"], ["pybabel", "compile"])
    return 0


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "lint": cmd_lint,
    "i18n": cmd_i18n,
    "bench": cmd_bench,
}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by any python3
        print("convene needs Python 3.11 or newer; this is " + sys.version.split()[0])
        return 2
    if not argv or argv[0] not in COMMANDS:
        print(USAGE)
        return 0 if argv and argv[0] in {"-h", "--help", "help"} else 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
