"""The body map: the lower back, pelvis and upper thighs seen from behind, as SVG shapes.

Seen from behind, the client's left is on the viewer's left. Muscles are drawn first and the
bony no-pressure areas on top of them, hatched, so a tap on a bone lands on the bone.

Colours are written as SVG presentation attributes too: WeasyPrint draws an inline SVG without
the page's stylesheet, so the PDF reads them, while the screen's CSS (which outranks presentation
attributes) stays free to restyle focus and refusals.
"""

from dataclasses import dataclass

from django.forms.utils import flatatt

from intake.screening import BONY_AREAS

from .vocab import region_label

VIEWBOX = "0 0 400 520"
OUTLINE = (
    "M122,8 L278,8 C288,90 298,150 328,215 C346,258 348,330 334,384 L322,512 L212,512 "
    "L204,424 L196,424 L188,512 L78,512 L66,384 C52,330 54,258 72,215 C102,150 112,90 122,8 Z"
)


def _mirror(tag, attrs):
    """The same shape on the other side of the midline (x = 200)."""
    mirrored = dict(attrs)
    if tag in ("ellipse", "circle"):
        mirrored["cx"] = 400 - attrs["cx"]
    elif tag == "rect":
        mirrored["x"] = 400 - attrs["x"] - attrs["width"]
    elif tag == "polygon":
        points = [p.split(",") for p in attrs["points"].split()]
        mirrored["points"] = " ".join(f"{400 - int(x)},{y}" for x, y in points)
    return tag, mirrored


# The client's left side; the right is mirrored.
_LEFT = {
    "lumbar_erectors": ("rect", {"x": 156, "y": 14, "width": 34, "height": 164, "rx": 14}),
    "quadratus_lumborum": ("rect", {"x": 114, "y": 66, "width": 38, "height": 104, "rx": 16}),
    "gluteus_medius": ("ellipse", {"cx": 140, "cy": 226, "rx": 44, "ry": 25}),
    "gluteus_minimus": ("ellipse", {"cx": 100, "cy": 262, "rx": 19, "ry": 15}),
    "gluteus_maximus": ("ellipse", {"cx": 146, "cy": 336, "rx": 52, "ry": 46}),
    "piriformis": ("polygon", {"points": "174,256 180,272 100,300 94,285"}),
    "tfl": ("rect", {"x": 54, "y": 238, "width": 18, "height": 60, "rx": 9}),
    "proximal_hamstrings": ("rect", {"x": 108, "y": 402, "width": 80, "height": 86, "rx": 18}),
}
_BONES = {
    "spine": ("rect", {"x": 192, "y": 8, "width": 16, "height": 180, "rx": 7}),
    "iliac_crest_left": (
        "polygon",
        {"points": "96,206 130,184 170,180 190,190 188,198 168,190 132,194 102,216"},
    ),
    "sacrum": ("polygon", {"points": "172,196 228,196 200,270"}),
    "coccyx": ("ellipse", {"cx": 200, "cy": 283, "rx": 8, "ry": 10}),
    "greater_trochanter_left": ("circle", {"cx": 84, "cy": 302, "r": 13}),
    "ischial_tuberosity_left": ("circle", {"cx": 170, "cy": 390, "r": 11}),
}


# The screen's colours (static/treatment/treatment.css), repeated here for the PDF.
OUTLINE_PAINT = flatatt({"fill": "#f4efe9", "stroke": "#b9aea2", "stroke-width": 2})
TEXT_PAINT = flatatt({"fill": "#555555", "font-size": 14})
HATCH_ID = "bone-hatch"
MARK_FILLS = {"treated": "#2f6f73", "tender": "#f0a13a", "avoid": "#e57373"}
_MUSCLE_PAINT = {"fill": "#dce9e4", "stroke": "#6d8f86", "stroke-width": 1.5}
_BONY_PAINT = {
    "fill": f"url(#{HATCH_ID})",
    "stroke": "#78909c",
    "stroke-width": 1.5,
    "stroke-dasharray": "4 3",
}


def paint(shape: "Shape", mark: str) -> str:
    """The shape's fill and stroke as rendered attributes: its mark's colour, else its own."""
    attrs = dict(_BONY_PAINT if shape.bony else _MUSCLE_PAINT)
    if mark in MARK_FILLS:
        attrs["fill"] = MARK_FILLS[mark]
    return flatatt(attrs)


@dataclass(frozen=True)
class Shape:
    region: str
    tag: str
    attrs: str  # rendered attributes
    label: str
    bony: bool


def _shapes():
    raw = []
    for muscle, (tag, attrs) in _LEFT.items():
        raw.append((f"{muscle}_left", tag, attrs))
        raw.append((f"{muscle}_right", *_mirror(tag, attrs)))
    for bone, (tag, attrs) in _BONES.items():
        raw.append((bone, tag, attrs))
        if bone.endswith("_left"):
            raw.append((bone.replace("_left", "_right"), *_mirror(tag, attrs)))
    assert {r for r, _, _ in raw} >= set(BONY_AREAS)
    return tuple(
        Shape(region, tag, flatatt(attrs), region_label(region), region in BONY_AREAS)
        for region, tag, attrs in raw
    )


SHAPES = _shapes()
