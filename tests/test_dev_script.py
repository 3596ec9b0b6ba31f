"""dev.py: the install runs only when pyproject.toml changed; options reach `flask run`."""

import importlib.util

import pytest

from convene import ROOT


@pytest.fixture
def dev(tmp_path, monkeypatch):
    """dev.py loaded as a module, with its venv and pyproject.toml moved into tmp_path."""
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[project]\nname = 'x'\n")
    monkeypatch.setattr(module, "PYPROJECT", pyproject)
    monkeypatch.setattr(module, "STAMP", tmp_path / "stamp")
    monkeypatch.setattr(module, "ensure_venv", lambda: None)
    module.commands = []
    monkeypatch.setattr(module, "check", lambda args, show=None: module.commands.append(args))
    return module


def test_installs_once_then_again_when_pyproject_changes(dev):
    dev.ensure_installed()
    assert len(dev.commands) == 1
    assert dev.commands[0][1:4] == ["-m", "pip", "install"]
    assert dev.STAMP.read_text().strip() == dev.pyproject_hash()

    dev.ensure_installed()
    assert len(dev.commands) == 1

    dev.PYPROJECT.write_text("[project]\nname = 'y'\n")
    dev.ensure_installed()
    assert len(dev.commands) == 2


def test_a_failed_install_leaves_no_stamp(dev, monkeypatch):
    def fail(args, show=None):
        raise SystemExit(1)

    monkeypatch.setattr(dev, "check", fail)
    with pytest.raises(SystemExit):
        dev.ensure_installed()
    assert not dev.STAMP.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], None),
        (["--port", "8080"], "8080"),
        (["--port=8081"], "8081"),
        (["-p", "8082", "--debug"], "8082"),
        (["--debug"], None),
    ],
)
def test_option_value(dev, args, expected):
    assert dev.option_value(args, ("--port", "-p")) == expected


def test_unknown_command_prints_usage(dev, capsys):
    assert dev.main(["deploy"]) == 2
    assert "python3 dev.py run" in capsys.readouterr().out
    assert dev.main(["--help"]) == 0


def test_the_test_command_says_why_tests_were_skipped(tmp_path):
    """`python3 dev.py test` runs pytest with the project's settings, which must print each
    skipped test's reason (a machine without Redis or Chromium learns what it lacks)."""
    import subprocess
    import sys

    (tmp_path / "test_lacking.py").write_text(
        "import pytest\n\n\ndef test_needs_a_service():\n"
        "    pytest.skip('needs a service this machine lacks')\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml")]
        + ["--rootdir", str(tmp_path), "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SKIPPED [1]" in result.stdout
    assert "needs a service this machine lacks" in result.stdout
