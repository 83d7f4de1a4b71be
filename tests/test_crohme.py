import pytest

from latexgen import to_latex
from training.crohme import InkMLError, parse_inkml

DOC = b"""<ink xmlns="http://www.w3.org/2003/InkML">
<annotation type="truth">$\\frac{1}{x^2}$</annotation>
<annotationXML type="truth" encoding="Content-MathML">
 <math xmlns='http://www.w3.org/1998/Math/MathML'>
  <mfrac xml:id="frac_1"><mn xml:id="1_1">1</mn>
   <msup><mi xml:id="x_1">x</mi><mn xml:id="2_1">2</mn></msup></mfrac>
 </math>
</annotationXML>
<trace id="0">0 0, 10 0</trace>
<trace id="1">5 -10, 5 -2</trace>
<trace id="2">0 5, 4 10, 0 10, 4 5</trace>
<trace id="3">6 3, 8 3, 6 5, 8 5</trace>
<traceGroup xml:id="9"><annotation type="truth">Segmentation</annotation>
 <traceGroup xml:id="10"><annotation type="truth">-</annotation><traceView traceDataRef="0"/><annotationXML href="frac_1"/></traceGroup>
 <traceGroup xml:id="11"><annotation type="truth">1</annotation><traceView traceDataRef="1"/><annotationXML href="1_1"/></traceGroup>
 <traceGroup xml:id="12"><annotation type="truth">x</annotation><traceView traceDataRef="2"/><annotationXML href="x_1"/></traceGroup>
 <traceGroup xml:id="13"><annotation type="truth">2</annotation><traceView traceDataRef="3"/><annotationXML href="2_1"/></traceGroup>
</traceGroup>
</ink>"""


def test_parse_strokes_symbols_and_tree():
    expr = parse_inkml(DOC, "doc")
    assert len(expr.strokes) == 4 and expr.strokes[2].shape == (4, 2)
    assert [s.label for s in expr.symbols] == ["-", "1", "x", "2"]
    assert expr.symbols[2].strokes == (2,)
    assert expr.latex == "$\\frac{1}{x^2}$"
    assert to_latex(expr.tree) == r"\frac{1}{x^{2}}"
    # every tree node points back at its ink symbol
    assert sorted(n.symbol for n in expr.tree.nodes()) == [0, 1, 2, 3]


def test_latin1_bytes_are_accepted():
    doc = DOC.replace(b"<trace id=\"0\">", b"<!-- \xb7 --><trace id=\"0\">")
    assert len(parse_inkml(doc, "latin1").symbols) == 4


@pytest.mark.parametrize("data", [b"", b"   ", b"<ink"])
def test_bad_documents_raise(data):
    with pytest.raises(InkMLError):
        parse_inkml(data, "bad")


def test_shipped_file_round_trips(inkml):
    expr = inkml("18_em_0")
    assert to_latex(expr.tree) == "x_{k}xx_{k}+y_{k}yx_{k}"
