"""Helpers the whole-day journeys share: emailed links and calendar entries, a small scan of a
provider's note, and the end of every journey (axe on the last page, then its screenshot)."""

import re
import struct
import subprocess
import zlib

import icalendar

from tests.browser.axe import serious_violations


def emailed_link(message, path):
    """The first link to `path` in an email's text."""
    return re.search(rf"https?://\S+{path}\S+", message.body).group(0)


def calendar_events(message):
    """The METHOD of an email's .ics and its events by UID."""
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    return str(calendar["METHOD"]), events


def tiny_png():
    """A real 1×1 PNG, as a phone camera would send a (very small) photo of the note."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_text(content, tmp_path):
    """A PDF's text, as pdftotext reads it."""
    pdf = tmp_path / "note.pdf"
    pdf.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


def finish(page, folder, name):
    """The journey's last page: no serious axe violations, and its screenshot kept."""
    assert serious_violations(page) == []
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def tab_to(page, target, limit=80):
    """Press Tab until `target` (a locator) has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")
