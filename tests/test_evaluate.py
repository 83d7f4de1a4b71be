"""`handmath evaluate` on a tiny archive of the test InkML files, clean and photographed."""

import tarfile
from pathlib import Path

import numpy as np
import pytest

from handmath.evaluate import evaluate, plot_attribution
from training.photo import DEGRADATIONS, photo, read_like_recogniser
from training.render import Pen, render

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crohme")
    with tarfile.open(folder / "crohme_test_2014_inkml.tar.xz", "w:xz") as tar:
        for path in sorted(DATA.glob("*.inkml"))[:3]:
            tar.add(path, arcname=f"test_2014/{path.name}")
    return folder


@pytest.mark.parametrize("style", ["clean", "photo"])
def test_evaluate_scores_every_expression(recognizer, archive, style):
    report = evaluate(recognizer, archive, "test_2014", style=style, progress=False)
    summary = report.summary()
    assert summary["expressions"] == 3 and summary["failures"] == 0
    assert summary["symbol_segmentation_rate"] > 0.6     # the photo's ground truth lands on its ink
    assert all(o.latex for o in report.outcomes)


def test_error_attribution_is_drawn(recognizer, archive, tmp_path):
    summary = evaluate(recognizer, archive, "test_2014", progress=False).summary()
    plot_attribution(summary, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_photo_is_repeatable(recognizer, archive):
    first, second = (evaluate(recognizer, archive, "test_2014", style="photo", progress=False) for _ in range(2))
    assert [o.latex for o in first.outcomes] == [o.latex for o in second.outcomes]


def test_unknown_style_is_refused(recognizer, archive):
    with pytest.raises(ValueError, match="style"):
        evaluate(recognizer, archive, "test_2014", style="sketch")


def test_masks_follow_the_photo(inkml):
    expr = inkml("18_em_0")
    rendering = render(expr, Pen())
    for only in ("rotation", "perspective", DEGRADATIONS):
        shot = photo(rendering.image, np.random.default_rng(1), only=only)
        ink, masks = read_like_recogniser(shot.image, rendering.symbol_masks, shot.homography, grow=1)
        covered = np.logical_or.reduce([ink & m for m in masks])
        assert covered.sum() > 0.9 * ink.sum()             # the symbols' masks hold the writing's ink


def test_photographed_training_samples_are_cut_like_clean_ones(inkml):
    from training.symbols import symbol_samples

    expr = inkml("18_em_0")
    clean = list(symbol_samples(expr, Pen()))
    shot = list(symbol_samples(expr, Pen(), np.random.default_rng(3), photographed=True))
    assert len(shot) >= len(clean) - 1                      # at most a faint dot lost to the camera
    assert {label for _, _, label in shot} <= {label for _, _, label in clean}
    assert all(patch.shape == (32, 32) for patch, _, _ in shot)


def test_a_wide_drawing_keeps_its_paper_visible_in_the_shadow():
    """The vignette darkens a frame's corners by 15 % whatever its shape (it went black at the ends of a 20:1 one)."""
    clean = np.full((60, 1200), 255, np.uint8)
    darkest = [photo(clean, np.random.default_rng(seed), only="shadow").image.min() for seed in range(5)]
    assert min(darkest) > 60


def test_evaluate_takes_every_nth_expression(recognizer, archive):
    every = evaluate(recognizer, archive, "test_2014", every=2, offset=1, progress=False)
    whole = evaluate(recognizer, archive, "test_2014", progress=False)
    assert [o.name for o in every.outcomes] == [o.name for o in whole.outcomes][1::2]
    assert every.summary()["too_large_to_draw"] == 0


def test_evaluate_takes_one_half_of_the_expressions(recognizer, archive):
    halves = [evaluate(recognizer, archive, "test_2014", half=k, progress=False) for k in (0, 1)]
    whole = evaluate(recognizer, archive, "test_2014", progress=False)
    names = [[o.name for o in h.outcomes] for h in halves]
    assert sorted(names[0] + names[1]) == sorted(o.name for o in whole.outcomes)
    assert names[0] and names[1] and not set(names[0]) & set(names[1])
