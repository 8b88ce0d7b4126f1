"""The PDFs as a reader sees them: the body map drawn in colour with its legend, and pages that
never end on a lone heading. Rendered with poppler-utils (pdftoppm, pdftotext)."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatment.conftest import make_plan, signed_note

pytestmark = pytest.mark.django_db


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


# The screen's colours for treated and tender (static/treatment/treatment.css).
TREATED, TENDER = "#2f6f73", "#f0a13a"
BODY_MAP = {"gluteus_maximus_left": "treated", "gluteus_medius_right": "tender"}


def pdf_of(http, url, tmp_path):
    response = http.get(url)
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "out.pdf"
    path.write_bytes(response.content)
    return path


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]


def render_pages(pdf: Path, dpi=50) -> list[tuple[int, int, bytes]]:
    """Every page as (width, height, RGB bytes), read from pdftoppm's binary PPM output."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    pages = []
    for ppm in sorted(pdf.parent.glob(f"{prefix.name}-*.ppm")):
        data = ppm.read_bytes()
        # P6 header: magic, width, height, maxval, each separated by whitespace.
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P6" and maxval == b"255"
        pages.append((int(width), int(height), pixels))
    return pages


def colour_count(page, rgb, tolerance=12):
    width, height, pixels = page
    return sum(
        1
        for i in range(0, width * height * 3, 3)
        if all(abs(pixels[i + c] - rgb[c]) <= tolerance for c in range(3))
    )


def near_black(page):
    width, height, pixels = page
    return sum(1 for i in range(0, width * height * 3, 3) if max(pixels[i : i + 3]) < 40)


def test_the_note_pdf_draws_treated_and_tender_regions_in_their_colours(
    client_as, clear_client, therapist, tmp_path
):
    note = signed_note(clear_client, therapist, body_map=BODY_MAP)
    pdf = pdf_of(client_as("therapist"), reverse("note-pdf", args=[note.pk]), tmp_path)
    pages = render_pages(pdf)
    # At 50 dpi the treated gluteus maximus covers several hundred pixels; a black silhouette none.
    assert max(colour_count(p, rgb(TREATED)) for p in pages) > 300
    assert max(colour_count(p, rgb(TENDER)) for p in pages) > 150
    # Text is dark too, but only a silhouette makes thousands of black pixels.
    assert max(near_black(p) for p in pages) < 1500


def test_the_note_pdf_has_the_body_map_legend(client_as, clear_client, therapist, tmp_path):
    note = signed_note(clear_client, therapist, body_map=BODY_MAP)
    text = "".join(
        page_texts(pdf_of(client_as("therapist"), reverse("note-pdf", args=[note.pk]), tmp_path))
    )
    for words in ("Treated", "Tender", "Bony: no pressure"):
        assert words in text


def test_no_page_of_the_record_pdf_holds_only_a_heading(
    client_as, clear_client, therapist, tmp_path
):
    make_plan(clear_client, therapist)
    now = timezone.now().replace(microsecond=0)
    for weeks in range(5):
        signed_note(
            clear_client, therapist, starts_at=now - timedelta(weeks=weeks), body_map=BODY_MAP
        )
    url = reverse("treatment-record-pdf", args=[clear_client.pk])
    pages = page_texts(pdf_of(client_as("therapist"), url, tmp_path))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        # The footer ("page N of M") is on every page; a lone heading would be one line more.
        lines = [line for line in text.splitlines() if line.strip() and "page " not in line]
        assert len(lines) >= 4, f"page {number} holds only {lines}"
