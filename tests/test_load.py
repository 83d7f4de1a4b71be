import io

import numpy as np
import pytest
from PIL import Image

from symbolrec import ImageError
from symbolrec.load import WORK_SIDE, load_image, load_with_transform


def png_bytes(image: Image.Image, fmt="PNG", **kw) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def test_path_bytes_pil_and_array_agree(tmp_path):
    grey = np.full((20, 30), 255, np.uint8)
    grey[5:15, 10:12] = 0
    path = tmp_path / "a.png"
    Image.fromarray(grey).save(path)
    for source in (path, str(path), path.read_bytes(), Image.fromarray(grey), grey):
        assert np.array_equal(load_image(source), grey)


def test_transparent_png_is_put_on_white():
    rgba = np.zeros((10, 10, 4), np.uint8)          # fully transparent black
    rgba[4:6, 2:8] = (0, 0, 0, 255)                 # an opaque black bar
    grey = load_image(png_bytes(Image.fromarray(rgba, "RGBA")))
    assert grey[0, 0] == 255 and grey[5, 5] == 0


def test_sixteen_bit_tiff():
    deep = np.full((10, 10), 60000, np.uint16)
    deep[3:7, 3:7] = 1000
    grey = load_image(png_bytes(Image.fromarray(deep), "TIFF"))
    assert grey.dtype == np.uint8 and grey[0, 0] > 200 and grey[5, 5] < 20


def test_exif_rotation_is_applied():
    image = Image.new("L", (40, 20), 255)
    exif = Image.Exif()
    exif[0x0112] = 6                                # rotated 90° on the phone
    grey = load_image(png_bytes(image, "JPEG", exif=exif.tobytes()))
    assert grey.shape == (40, 20)


def test_huge_images_are_scaled_down():
    grey = load_image(np.full((100, 5000), 255, np.uint8))
    assert max(grey.shape) == WORK_SIDE


@pytest.mark.parametrize("as_jpeg", [False, True], ids=["array", "jpeg"])
def test_the_transform_follows_every_scaling_down(as_jpeg):
    page = np.full((1200, 4000), 255, np.uint8)
    page[560:640, 2960:3040] = 0                    # a blot centred at (3000, 600)
    source = png_bytes(Image.fromarray(page), "JPEG") if as_jpeg else page   # decoded at 1/2, or halved first
    grey, matrix = load_with_transform(source)
    x, y, _ = matrix @ [3000, 600, 1]
    assert grey[round(y), round(x)] < 100 and matrix[0, 0] == pytest.approx(grey.shape[1] / 4000)


@pytest.mark.parametrize("source, message", [
    (b"", "empty"),
    (b"not an image at all", "not a readable image"),
    ("/no/such/file.png", "no such file"),
    (np.zeros((0, 5)), "shape"),
    (12, "cannot read"),
])
def test_bad_input_is_a_clear_error(source, message):
    with pytest.raises(ImageError, match=message):
        load_image(source)


def test_truncated_file():
    data = png_bytes(Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), np.uint8)))
    with pytest.raises(ImageError):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused():
    data = png_bytes(Image.new("1", (20_000, 20_000)))   # 400 megapixels, a few kB of PNG
    with pytest.raises(ImageError, match="pixels"):
        load_image(data)
