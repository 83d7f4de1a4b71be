import json
from pathlib import Path

import jsonschema
import numpy as np
from PIL import Image

from handmath.cli import main
from layout import Node, Relation, Tree
from layout.context import resolve_in_context
from symbolrec import BBox, Symbol

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "handmath" / "recognition.schema.json").read_text())


def test_recognition_json_follows_the_documented_schema(recognizer):
    data = json.loads(recognizer.recognize("examples/cubic.png").to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["latex"] == "x^{3}-1=0"
    assert data["symbols"][1]["parent"] == {"id": 0, "relation": "Sup", "probability": data["symbols"][1]["parent"]["probability"]}


def test_overlay_is_an_rgb_picture_of_the_image(recognizer):
    result = recognizer.recognize("examples/quadratic.png")
    picture = result.overlay("examples/quadratic.png")
    assert picture.ndim == 3 and picture.shape[2] == 3 and picture.dtype == np.uint8
    assert picture.shape[1] > result.image_shape[1]          # enlarged for readable labels
    assert (picture[..., 1] > picture[..., 0] + 60).any()    # sure symbols are boxed in green


def test_explain_command_writes_table_overlay_and_json(tmp_path, capsys):
    overlay, out = tmp_path / "o.png", tmp_path / "o.json"
    assert main(["explain", "examples/quadratic.png", "--overlay", str(overlay), "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "LaTeX: x^{2}=1" in table and "Sup of 0" in table
    assert Image.open(overlay).size[0] > 500
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)


def test_raised_comma_is_a_prime():
    comma = Symbol(BBox(30, 0, 5, 10), ",", 0.8, ((",", 0.8), (")", 0.1)))
    symbols = [Symbol(BBox(0, 10, 28, 30), "f", 0.9), comma]
    tree = Tree((Node("f", {Relation.SUP: (Node(",", symbol=1),)}, 0),))
    tree, symbols = resolve_in_context(tree, symbols)
    assert tree.row[0].children[Relation.SUP][0].label == r"\prime"
    assert symbols[1].label == r"\prime" and symbols[1].alternatives[1] == (",", 0.8)


def test_a_lone_raised_minus_is_a_prime_but_a_minus_in_an_exponent_stays():
    flat = Symbol(BBox(30, 0, 8, 3), "-", 0.7, (("-", 0.7), (",", 0.1)))
    symbols = [Symbol(BBox(0, 10, 28, 30), "y", 0.9), flat]
    tree, symbols = resolve_in_context(Tree((Node("y", {Relation.SUP: (Node("-", symbol=1),)}, 0),)), symbols)
    assert tree.row[0].children[Relation.SUP][0].label == r"\prime" and symbols[1].label == r"\prime"
    exponent = Tree((Node("e", {Relation.SUP: (Node("-", symbol=1), Node("x", symbol=2))}, 0),))
    symbols = [Symbol(BBox(0, 10, 28, 30), "e", 0.9), flat, Symbol(BBox(40, 0, 8, 8), "x", 0.9)]
    tree, _ = resolve_in_context(exponent, symbols)
    assert [n.label for n in tree.row[0].children[Relation.SUP]] == ["-", "x"]


def test_lone_times_is_the_letter_x():
    symbols = [Symbol(BBox(0, 10, 28, 30), r"\times", 0.6, ((r"\times", 0.6), ("x", 0.4))),
               Symbol(BBox(30, 0, 15, 15), "2", 0.9), Symbol(BBox(50, 10, 20, 20), "+", 0.9),
               Symbol(BBox(80, 10, 20, 30), "3", 0.9), Symbol(BBox(105, 10, 20, 20), r"\times", 0.9),
               Symbol(BBox(130, 10, 20, 30), "4", 0.9)]
    tree = Tree((Node(r"\times", {Relation.SUP: (Node("2", symbol=1),)}, 0), Node("+", symbol=2),
                 Node("3", symbol=3), Node(r"\times", symbol=4), Node("4", symbol=5)))
    tree, symbols = resolve_in_context(tree, symbols)
    assert [n.label for n in tree.row] == ["x", "+", "3", r"\times", "4"]
    assert symbols[0].label == "x" and symbols[4].label == r"\times"
