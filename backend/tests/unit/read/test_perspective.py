"""Perspective correction: generated phone photos (a page on a table, shot at an angle, a shadow)
are found and flattened; scans, paper-filled photos and cut-off pages are left alone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from bench.accuracy import score_document
from bench.photo import read_photos
from docproc.pipeline.read.perspective import find_page, straighten_photo
from docproc.pipeline.read.reader import read_document
from docproc.pipeline.statements import extract_statement
from tests.generator import generate
from tests.generator.photo import PhotoDefects, photo_pages
from tests.generator.scan import scan_pages
from tests.unit.read.conftest import corpus_file


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.uint8)


@pytest.mark.parametrize(("layout", "seed"), [("us_checking", 11), ("randomized", 12)])
def test_the_page_outline_of_a_photo_is_found_to_within_half_a_percent(
    layout: str, seed: int
) -> None:
    (photo, *_) = photo_pages(generate(layout, seed, rows=8).pdf, seed)
    outline = find_page(gray(photo.image))
    assert outline is not None
    diagonal = float(np.hypot(*photo.image.size))
    assert float(np.abs(outline.corners - photo.corners).max()) < 0.005 * diagonal


def test_a_strong_tilt_and_a_deep_shadow_are_still_found() -> None:
    defects = PhotoDefects(tilt=0.1, shadow=0.5, vignette=0.35)
    (photo, *_) = photo_pages(generate("uk_current", 13, rows=8).pdf, 13, defects)
    outline = find_page(gray(photo.image))
    assert outline is not None
    assert float(np.abs(outline.corners - photo.corners).max()) < 0.01 * np.hypot(*photo.image.size)


def test_flat_scans_and_blank_pages_are_left_alone() -> None:
    (scan, *_) = scan_pages(generate("au_everyday", 14, rows=8).pdf, 14)
    assert find_page(gray(scan)) is None
    assert straighten_photo(scan) is scan
    assert find_page(np.full((1100, 850), 255, np.uint8)) is None


def test_a_page_cut_off_by_the_frame_is_left_alone() -> None:
    (photo, *_) = photo_pages(generate("us_checking", 15, rows=8).pdf, 15)
    image = photo.image
    width, height = image.size
    cropped = image.crop((0, 0, width, int(photo.corners[:, 1].max() - 0.2 * height)))
    assert find_page(gray(cropped)) is None


def test_a_photo_filled_with_paper_is_left_alone() -> None:
    photo = Image.open(corpus_file("anycompany-photo", "statement.jpg"))
    assert find_page(gray(photo)) is None


def test_a_photographed_statement_reads_like_its_truth_only_when_flattened() -> None:
    statement = generate("au_everyday", 3001, rows=14)
    (photo,) = photo_pages(statement.pdf, 3001)
    corrected = extract_statement(read_document(photo.jpeg))  # as POST /process reads it
    as_shot = extract_statement(read_photos([photo.jpeg], straighten=False))
    flat = score_document(corrected, statement.truth).f1
    assert flat >= 0.95
    assert corrected.opening_balance == statement.truth.opening_balance
    assert corrected.closing_balance == statement.truth.closing_balance
    assert score_document(as_shot, statement.truth).f1 < flat - 0.3
