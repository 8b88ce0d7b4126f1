"""The helpers the whole-day journeys share: emailed links and calendar entries, a small scan of a
provider's note, the end of every journey (axe on the last page, then its screenshot), and the
keyboard-only moves the journeys are walked with (Tab to a control, then Enter, Space, arrows or
typing; never a click)."""

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


def tab_to(page, target, limit=150):
    """Press Tab until `target` (a locator) has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def press_on(page, target, key="Enter"):
    """Tab to a link or button and press it (Enter, or Space for a button)."""
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page, field, text):
    """Tab to a field and type; Chromium selects a field's text when Tab focuses it, so the
    typing replaces what was there."""
    tab_to(page, field)
    page.keyboard.type(text)


def tick(page, checkbox):
    """Tab to a checkbox and tick it with Space, unless it is ticked already."""
    tab_to(page, checkbox)
    if not checkbox.is_checked():
        page.keyboard.press("Space")
    assert checkbox.is_checked()


def pick(page, select, label=None, value=None):
    """Tab to a closed <select> and type an option's label (found by its value if given), as a
    keyboard user does; the select jumps to the first option whose label begins with it."""
    tab_to(page, select)
    if value is not None:
        label = select.locator(f'option[value="{value}"]').text_content().strip()
    page.keyboard.type(label)
    chosen = select.evaluate("select => select.selectedOptions[0].textContent.trim()")
    assert chosen.startswith(label), (chosen, label)


IN_RADIO_GROUP = """name => document.activeElement.type === "radio"
  && document.activeElement.name === name"""


def choose(page, radio, limit=150):
    """Tab into the radio group of `radio`, then arrow to it and select it with Space."""
    name = radio.get_attribute("name")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(IN_RADIO_GROUP, name):
            break
    else:
        raise AssertionError(f"Tab never reached the {name!r} radios")
    for _ in range(30):
        if radio.evaluate("element => element === document.activeElement"):
            page.keyboard.press("Space")
            assert radio.is_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrows never reached {radio}")


def log_in_by_keyboard(page, email, password):
    """The login page with Tab, typing and Enter."""
    page.goto("/accounts/login/")
    page.wait_for_load_state("load")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
