import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from handmath.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_convert_example(capsys):
    assert main(["convert", str(EXAMPLES / "quadratic.png")]) == 0
    assert capsys.readouterr().out.strip() == "x^{2}=1"


def test_convert_jsonl_reports_each_image(tmp_path, capsys):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    status = main(["convert", "--format", "jsonl", str(EXAMPLES / "cubic.png"), str(bad)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert lines[0]["image"].endswith("cubic.png") and lines[0]["latex"] == "x^{3}-1=0" and lines[0]["seconds"] > 0
    assert lines[1]["image"].endswith("notes.png") and "not a readable image" in lines[1]["error"]


def test_convert_json_has_symbols(capsys):
    assert main(["convert", "--format", "json", str(EXAMPLES / "quadratic.png")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [s["label"] for s in result["symbols"]] == ["x", "2", "=", "1"]
    assert all(len(s["alternatives"]) == 5 for s in result["symbols"])


def _write(path: Path, array: np.ndarray) -> Path:
    Image.fromarray(array).save(path)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.png", "no such file"),
    (lambda d: (d / "text.png").write_bytes(b"hello") and d / "text.png", "not a readable image"),
    (lambda d: _write(d / "blank.png", np.full((300, 400), 240, np.uint8)), "no writing found"),
    (lambda d: (d / "cut.png").write_bytes((EXAMPLES / "cubic.png").read_bytes()[:400]) and d / "cut.png", "broken image"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["convert", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_solve_the_handwritten_equation(capsys):
    assert main(["solve", str(EXAMPLES / "quadratic.png")]) == 0
    out = capsys.readouterr().out
    assert "read:     x^{2}=1" in out and "solution: x = -1 ∨ x = 1" in out and r"x = -1 \vee x = 1" in out


def test_solve_a_handwritten_system_of_two_lines(capsys):
    assert main(["solve", str(EXAMPLES / "system.png")]) == 0
    out = capsys.readouterr().out
    assert "read:     y+16=x\nread:     x=3" in out and "solution: x = 3 ∧ y = -13" in out


def test_solve_latex_and_its_failures(capsys):
    assert main(["solve", "--latex", "x+y=3", "--latex", "x-y=1"]) == 0
    assert "x = 2 ∧ y = 1" in capsys.readouterr().out
    assert main(["solve", "--latex", "x+y=3"]) == 1
    assert "cannot solve" in capsys.readouterr().err
