"""Phone photos of generated statements: a printed page lying on a table, shot at a slight angle.

Each page is 'scanned' first (`scan.py`: 200 dpi, blur, noise; no skew, the camera supplies
that), laid on a darker textured background larger than the page, seen in perspective (each
corner of the page moved by a random share of the page's size), lit unevenly (a shadow falling
across it and a vignette) and saved as a JPEG, as a phone does. The paper's corners are kept so
tests can check what a page finder finds. The truth of the original statement stays the truth.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from tests.generator.scan import ScanDefects, scan_pages


@dataclass(frozen=True, slots=True)
class PhotoDefects:
    tilt: float = 0.06  # each page corner moves up to this share of the page's width/height
    margin: float = 0.12  # background around the page, share of the page's size
    shadow: float = 0.35  # darkest shade of the shadow across the page (0: none)
    vignette: float = 0.25  # how much darker the photo's corners are
    noise: float = 4.0
    jpeg_quality: int = 85


@dataclass(frozen=True, slots=True)
class Photo:
    jpeg: bytes  # the file a phone would upload
    corners: np.ndarray  # page corners in the photo: top-left, top-right, bottom-right, bottom-left

    @property
    def image(self) -> Image.Image:
        return Image.open(io.BytesIO(self.jpeg))


def photo_pages(pdf: bytes, seed: int, defects: PhotoDefects | None = None) -> list[Photo]:
    """Every page of `pdf` as a photo with the given defects (seeded: same seed, same photo)."""
    defects = defects or PhotoDefects()
    flat = ScanDefects(max_skew=0.0, blur=0.5, noise=2.0, jpeg_quality=95)
    rng = random.Random(f"photo:{seed}")
    return [_photograph(page, rng, defects) for page in scan_pages(pdf, seed, flat)]


def _photograph(page: Image.Image, rng: random.Random, defects: PhotoDefects) -> Photo:
    paper = np.asarray(page.convert("L"), dtype=np.float32)
    height, width = paper.shape
    pad_x, pad_y = int(width * defects.margin), int(height * defects.margin)
    size = (width + 2 * pad_x, height + 2 * pad_y)
    square = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    jitter = [
        (rng.uniform(-1, 1) * defects.tilt * width, rng.uniform(-1, 1) * defects.tilt * height)
        for _ in range(4)
    ]
    corners = np.array(
        [[x + pad_x + dx, y + pad_y + dy] for (x, y), (dx, dy) in zip(square, jitter, strict=True)],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(square, corners)
    warped = cv2.warpPerspective(paper, matrix, size, flags=cv2.INTER_LINEAR, borderValue=-1.0)
    mask = warped >= 0
    photo = np.where(mask, warped, _table(size, rng))
    photo *= _lighting(size, rng, defects)
    generator = np.random.default_rng(rng.randrange(2**32))
    photo += generator.normal(0, defects.noise, photo.shape)
    gray = np.clip(photo, 0, 255).astype(np.uint8)
    # A colour photo: the table warm, the paper neutral (the reader turns it gray again).
    rgb = np.dstack([gray, (gray * 0.97).astype(np.uint8), (gray * 0.9).astype(np.uint8)])
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=defects.jpeg_quality)
    return Photo(buffer.getvalue(), corners)


def _table(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A darker wood-like background: a base tone with soft stripes."""
    width, height = size
    base = rng.uniform(60, 120)
    columns = np.arange(width, dtype=np.float32)
    stripes = 12 * np.sin(columns / rng.uniform(15, 40)) + 6 * np.sin(columns / rng.uniform(3, 7))
    return np.tile(base + stripes, (height, 1)).astype(np.float32)


def _lighting(size: tuple[int, int], rng: random.Random, defects: PhotoDefects) -> np.ndarray:
    """Light falling on the scene: 1 where fully lit; a soft shadow edge and a vignette."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    along = (xs - width / 2) * np.cos(angle) + (ys - height / 2) * np.sin(angle)
    edge = rng.uniform(-0.2, 0.2) * max(size)
    softness = 0.08 * max(size)
    shadow = 1 - defects.shadow / (1 + np.exp((along - edge) / softness))
    radius = np.hypot((xs - width / 2) / (width / 2), (ys - height / 2) / (height / 2))
    vignette = 1 - defects.vignette * np.clip(radius / np.sqrt(2), 0, 1) ** 2
    return np.asarray(shadow * vignette, dtype=np.float32)
