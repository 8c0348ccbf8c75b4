"""Perspective correction for photographed pages: find the sheet of paper, warp it flat.

A phone photo of a page on a table shows the paper as a quadrilateral, lighter than what is
around it; text lines converge towards the far edge, which no rotation (deskew) can level. The
page's outline is found on a reduced copy (Otsu threshold of the blurred gray image, the largest
outer contour, simplified to four corners) and the page is warped to a rectangle whose sides are
the quadrilateral's longer opposite sides.

Only when the outline is unmistakable: four convex corners, the page between 25% and 92% of the
image (so some background shows all round: a flat scan or a photo filling the frame with paper
is left alone), no corner on the image's edge, corners that differ from an upright rectangle by
more than a hair (a scan's rectangle needs no warp), and a contour that fills its quadrilateral
(a shape that only roughly has four corners is not a page).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

_WORK_SIDE = 1000  # pixels, long side of the copy the outline is looked for on
_MIN_AREA, _MAX_AREA = 0.25, 0.92  # page share of the image
_EDGE_MARGIN = 0.01  # a corner this close to the image's border: the page is cut off
_MIN_SKEW = 0.004  # corner offset from an upright rectangle, share of the page's diagonal
_MIN_FILL = 0.95  # the contour's area over its quadrilateral's
_LIGHT_WINDOW = 0.06  # of the long side: wider than a margin of table, narrower than shade
_PAPER_RELATIVE = 0.75  # paper is at least this bright relative to the brightest nearby
_MIN_SIDES = 0.85  # the four longest sides' share of the outline's length


@dataclass(frozen=True, slots=True)
class PageOutline:
    corners: np.ndarray  # float32 (4, 2): top-left, top-right, bottom-right, bottom-left, pixels

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the flat page: the longer of each pair of opposite sides."""
        tl, tr, br, bl = self.corners
        width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
        height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
        return round(float(width)), round(float(height))


def find_page(gray: np.ndarray) -> PageOutline | None:
    """The photographed page's corners in `gray`, or None unless they are found confidently."""
    factor = _WORK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    contour = _paper_contour(small)
    if contour is None:
        return None
    found = _four_sides(cv2.convexHull(contour))
    if found is None:
        return None
    corners = _refined(_ordered(found), contour.reshape(-1, 2).astype(np.float64))
    if corners is None:
        return None
    height, width = small.shape
    area = cv2.contourArea(corners)
    if not _MIN_AREA <= area / (width * height) <= _MAX_AREA:
        return None
    if not cv2.isContourConvex(corners.reshape(-1, 1, 2)):
        return None
    if cv2.contourArea(contour) < _MIN_FILL * area:
        return None
    margin = _EDGE_MARGIN * max(width, height)
    xs, ys = corners[:, 0], corners[:, 1]
    if (
        xs.min() < margin
        or ys.min() < margin
        or xs.max() > width - margin
        or ys.max() > height - margin
    ):
        return None
    if _rectangle_offset(corners) < _MIN_SKEW:
        return None
    return PageOutline(corners / factor)


def _paper_contour(small: np.ndarray) -> np.ndarray | None:
    """The outline of the paper: the largest region, clear of the image's edges, that is about
    as bright as the brightest thing near it. Shade falls on paper and table alike, so it is
    brightness relative to the neighbourhood (a few percent of the image) that tells paper from
    a darker table, in a shadow as in full light; text is closed into the paper."""
    smooth = cv2.GaussianBlur(small, (5, 5), 0)
    size = int(_LIGHT_WINDOW * max(small.shape)) | 1
    light = cv2.dilate(smooth, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    relative = np.asarray(smooth, np.float32) / np.maximum(np.asarray(light, np.float32), 1)
    bright = np.where(relative > _PAPER_RELATIVE, 255, 0).astype(np.uint8)
    paper = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    # The table around a page lies all round it: the page is a region inside another, so
    # regions are labelled rather than outer outlines taken.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    height, width = small.shape
    inside = [
        label
        for label in range(1, count)
        if _clear_of_edges(tuple(int(v) for v in stats[label, :4]), width, height)
    ]
    if not inside:
        return None
    label = max(inside, key=lambda lab: int(stats[lab, cv2.CC_STAT_AREA]))
    region = np.where(labels == label, 255, 0).astype(np.uint8)
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea) if contours else None


def _clear_of_edges(box: tuple[int, ...], width: int, height: int) -> bool:
    x, y, w, h = box
    margin = _EDGE_MARGIN * max(width, height)
    return x > margin and y > margin and x + w < width - margin and y + h < height - margin


def _four_sides(hull: np.ndarray) -> np.ndarray | None:
    """The corners of the quadrilateral made by the hull's four longest sides (a corner cut
    off by shadow or the threshold is restored where its two sides meet); None when those four
    sides are not most of the outline."""
    polygon = cv2.approxPolyDP(hull, 0.01 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(polygon) < 4:
        return None
    starts = polygon.astype(np.float64)
    ends = np.roll(starts, -1, axis=0)
    lengths = np.linalg.norm(ends - starts, axis=1)
    sides = sorted(np.argsort(lengths)[-4:])
    if lengths[sides].sum() < _MIN_SIDES * lengths.sum():
        return None
    corners = []
    for first, second in zip(sides, sides[1:] + sides[:1], strict=True):
        point = _intersection(starts[first], ends[first], starts[second], ends[second])
        if point is None:
            return None
        corners.append(point)
    return np.asarray(corners, dtype=np.float32)


def _refined(corners: np.ndarray, outline: np.ndarray) -> np.ndarray | None:
    """Corners where lines fitted to each side's outline points meet (the middle 80% of each
    side, so a rounded or cut corner does not bend its lines): sub-pixel, where the polygon's
    vertices are only on the outline to a pixel or two."""
    lines = []
    for start, end in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        start, end = start.astype(np.float64), end.astype(np.float64)
        along = end - start
        length = float(np.linalg.norm(along))
        unit = along / max(length, 1e-9)
        offset = outline - start
        t = offset @ unit / max(length, 1e-9)
        distance = np.abs(offset[:, 0] * unit[1] - offset[:, 1] * unit[0])
        points = outline[(t > 0.1) & (t < 0.9) & (distance < 3.0)]
        if len(points) < 20:
            return None
        vx, vy, x0, y0 = cv2.fitLine(
            points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01
        ).ravel()
        lines.append((np.array([x0, y0]), np.array([x0 + vx, y0 + vy])))
    refined = []
    for (a0, a1), (b0, b1) in zip(lines, lines[1:] + lines[:1], strict=True):
        point = _intersection(a0, a1, b0, b1)
        if point is None:
            return None
        refined.append(point)
    # Line i runs from corner i to i+1: corner i+1 is where lines i and i+1 meet.
    return np.roll(np.asarray(refined, dtype=np.float32), 1, axis=0)


def _intersection(
    a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray
) -> np.ndarray | None:
    """Where the line through a0, a1 meets the line through b0, b1 (None when parallel)."""
    da, db = a1 - a0, b1 - b0
    cross = da[0] * db[1] - da[1] * db[0]
    if abs(cross) < 1e-9 * np.linalg.norm(da) * np.linalg.norm(db):
        return None
    t = ((b0 - a0)[0] * db[1] - (b0 - a0)[1] * db[0]) / cross
    return np.asarray(a0 + t * da, dtype=np.float64)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    order = [sums.argmin(), diffs.argmin(), sums.argmax(), diffs.argmax()]
    return np.asarray(points[order], dtype=np.float32)


def _rectangle_offset(corners: np.ndarray) -> float:
    """How far the corners are from an upright rectangle's, as a share of the diagonal (0 for a
    straight scan; a rotated page counts too, but deskew would handle that alone)."""
    tl, tr, br, bl = corners
    left, right = (tl[0] + bl[0]) / 2, (tr[0] + br[0]) / 2
    top, bottom = (tl[1] + tr[1]) / 2, (bl[1] + br[1]) / 2
    upright = np.array(
        dtype=np.float32, object=[[left, top], [right, top], [right, bottom], [left, bottom]]
    )
    diagonal = float(np.hypot(right - left, bottom - top))
    return float(np.abs(corners - upright).max()) / max(diagonal, 1.0)


def flatten_page(gray: np.ndarray, outline: PageOutline) -> np.ndarray:
    """The page warped from its quadrilateral to an upright rectangle."""
    width, height = outline.size
    target = np.array(
        dtype=np.float32, object=[[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
    )
    matrix = cv2.getPerspectiveTransform(outline.corners.astype(np.float32), target)
    flat = cv2.warpPerspective(
        gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(flat, dtype=np.uint8)


def straighten_photo(image: Image.Image) -> Image.Image:
    """A grayscale photo of a page with the page warped flat; the image itself when no page
    outline is found confidently (scans, photos filled with paper, anything else)."""
    gray = np.asarray(image.convert("L") if image.mode != "L" else image, dtype=np.uint8)
    outline = find_page(gray)
    if outline is None:
        return image
    flat = Image.fromarray(flatten_page(gray, outline))
    flat.info["dpi"] = None  # the camera's resolution is not the page's: sized as a page
    return flat
