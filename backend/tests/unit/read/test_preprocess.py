"""Cleaning a page before OCR (`preprocess.py`): table rules go, text and shaded bands stay;
the cheap connected-component path gives OpenCV's own answer."""

from __future__ import annotations

import cv2
import numpy as np

from docproc.pipeline.read.preprocess import component_stats, remove_rules


def page_with_rules() -> np.ndarray:
    gray = np.full((900, 700), 255, np.uint8)
    gray[100:102, 20:680] = 0  # a horizontal rule
    gray[150:850, 40:42] = 0  # a vertical rule
    gray[80:100, 300:312] = 40  # a digit standing on the horizontal rule
    gray[400:440, 60:660] = 200  # a shaded band: thicker than a rule
    gray[410:430, 100:112] = 0  # a digit inside the band
    gray[0:3, 0:700] = 0  # a rule along the page's top edge
    return gray


def test_rules_are_painted_white_and_text_and_bands_are_kept() -> None:
    gray = page_with_rules()
    cleaned = remove_rules(gray)
    assert (cleaned[100:102, 20:680] == 255).all()
    assert (cleaned[150:850, 40:42] == 255).all()
    assert (cleaned[0:3, 0:700] == 255).all()
    assert (cleaned[80:98, 300:312] == 40).all()  # the digit, but for the pixel row it touches
    assert (cleaned[400:440, 60:660] < 255).all()  # band and its digit untouched
    assert (cleaned[500:600, 200:600] == 255).all()


def test_rules_are_found_alike_across_and_down_a_square_page() -> None:
    gray = np.full((900, 900), 255, np.uint8)
    gray[:, 100:800] = page_with_rules()[:, :700]
    turned = remove_rules(np.ascontiguousarray(gray.T))
    assert np.array_equal(turned, remove_rules(gray).T)
    assert (turned[120:780, 100:102] == 255).all()
    assert (turned[160:760, 400:440] < 255).all()


def test_component_stats_match_opencv_with_few_and_with_many_blobs() -> None:
    few = np.zeros((200, 300), np.uint8)
    few[10:20, 10:30] = 255
    few[50:90, 100:110] = 255
    _, _, expected, _ = cv2.connectedComponentsWithStats(few, connectivity=8)
    assert np.array_equal(component_stats(few), expected)
    many = np.zeros((600, 600), np.uint8)
    many[::2, ::2] = 255  # 90,000 single-pixel blobs: more than 16-bit labels hold
    _, _, expected, _ = cv2.connectedComponentsWithStats(many, connectivity=8)
    assert len(expected) > 65_536
    assert np.array_equal(component_stats(many), expected)
