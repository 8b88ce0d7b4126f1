"""A clinic's whole day, role to role, in the real pages: one journey split in three tests, each
led by one role on its own screen and crossing into the others.

1. The front desk (desktop) registers a client and sends the intake link; the client fills it
   in on a phone (24 weeks pregnant) and uploads her midwife's note; the desk books a series and
   sees "Clearance needed" turn into "Cleared: restrictions apply" once the therapist records it.
2. The therapist (tablet) charts a visit the desk already pressed Done on, is refused deep
   tissue in plain words, signs, corrects the pain score; the chart and the PDF show it amended.
3. The client (phone) moves one visit and cancels another from their portal and
   gets both calendar updates; the desk sees the freed slot.

Every step in the pages is taken with the keyboard alone (Tab, arrows, Space, Enter and typing;
see journey.py), as issue 11 asks. Each journey ends with axe on its last page and a screenshot
(see conftest.journey_screenshots).
"""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clinic.accounts.models import Client
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.booking.series import book_series, series_starts
from clinic.core.clinic_time import at_local, today
from intake.answers import ANSWER_SPECS, Kind
from intake.models import ClearanceUpload
from sessions.models import SessionNote
from tests.booking.conftest import working_every_day
from tests.browser.conftest import PHONE
from tests.browser.journey import (
    calendar_events,
    choose,
    emailed_link,
    finish,
    log_in_by_keyboard,
    pdf_text,
    pick,
    press_on,
    tab_to,
    tick,
    tiny_png,
    type_into,
)
from tests.browser.test_portal import long_date
from tests.factories import PASSWORD, RoomFactory, ServiceFactory
from tests.treatment.conftest import clear, screened, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The screens of the walk-through.
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1024, "height": 768}
CLEARANCE_NEEDED = "Clearance needed"
CLEARED = "Cleared: restrictions apply"


@pytest.fixture
def service(therapist):
    """A 60-minute service, and the therapist working every day 9 to 5 in their room."""
    working_every_day(therapist, RoomFactory(name="Willow"))
    return ServiceFactory(name="Prenatal massage 60 min", duration_minutes=60, buffer_minutes=15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def patient_expectations():
    """A loaded CI machine can take more than expect's 5 s to render a page (a PDF, say)."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def answer_the_intake_by_keyboard(page, pregnancy_weeks, signature):
    """The intake in form order with Tab, arrows, Space and typing: no to every yes/no question
    but pregnancy, mild pain for two weeks, no injury, consent and a typed signature."""
    typed = {
        "pain_score": "3",
        "pain_duration_weeks": "2",
        "pregnancy_weeks": pregnancy_weeks,
        "signature": signature,
    }
    for key, spec in ANSWER_SPECS.items():
        group = page.get_by_role("group", name=spec.question)
        if key == "consent":
            tick(page, page.get_by_label("I agree to have massage treatment."))
        elif spec.kind is Kind.BOOL:
            choose(page, group.get_by_label("Yes" if key == "pregnant" else "No", exact=True))
        elif key == "injury_in_area":
            choose(page, group.get_by_label("No injury"))
        elif key in typed:
            type_into(page, page.get_by_label(spec.question), typed[key])


def test_the_front_desk_s_day_from_registration_to_a_cleared_series(
    open_page, front_desk_user, therapist, service, journey_screenshots
):
    """Every step in the pages is taken with the keyboard alone (issue 11, Accessibility)."""
    desk = open_page(DESKTOP)
    log_in_by_keyboard(desk, front_desk_user.email, PASSWORD)

    # The desk registers a new client and sends her the intake link.
    press_on(desk, desk.get_by_role("link", name="Clients"))
    press_on(desk, desk.get_by_role("link", name="Register a new client").first)
    type_into(desk, desk.get_by_label("First name"), "Mira")
    type_into(desk, desk.get_by_label("Last name"), "Okafor")
    type_into(desk, desk.get_by_label("Phone"), "+1 416 555 2468")
    type_into(desk, desk.get_by_label("Email:", exact=True), "mira@example.com")
    tick(desk, desk.get_by_label("Email the intake form link now"))
    press_on(desk, desk.get_by_role("button", name="Register and book"))
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Book Mira Okafor")
    expect(desk.get_by_role("status").filter(has_text="intake form link")).to_have_text(
        "The intake form link was emailed to mira@example.com."
    )
    client = Client.objects.get(email="mira@example.com")

    # On her phone she opens the emailed link: 24 weeks pregnant.
    [invitation] = mail.outbox
    assert invitation.to == ["mira@example.com"]
    phone = open_page(PHONE)
    phone.goto(emailed_link(invitation, "/intake/fill/"))
    expect(phone.get_by_role("heading", name="Your health form")).to_be_visible()
    answer_the_intake_by_keyboard(phone, pregnancy_weeks="24", signature="Mira Okafor")
    press_on(phone, phone.get_by_role("button", name="Send my form"))

    # She is told what to bring, and sends a photo of her midwife's note instead.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you, Mira")
    expect(phone.locator("#clearance-needed")).to_contain_text("note from your midwife or doctor")
    press_on(phone, phone.get_by_role("link", name="Upload the note from your phone"))
    note_file = phone.get_by_label("Your provider's note")
    tab_to(phone, note_file)
    # A keyboard user opens the system's file picker with Space here; Playwright stands in
    # for that dialog, which is the operating system's and outside the page.
    note_file.set_input_files(
        files=[{"name": "IMG_0042.png", "mimeType": "image/png", "buffer": tiny_png()}]
    )
    press_on(phone, phone.get_by_role("button", name="Send the note"))
    expect(phone.get_by_role("status")).to_contain_text("your note has reached the clinic")
    assert ClearanceUpload.objects.get().client == client

    # The desk books a weekly series of three; the day view says clearance is needed.
    day = today() + timedelta(days=2)
    desk.goto(f"/booking/book/?client={client.pk}")
    pick(desk, desk.get_by_label("Service"), service.name)
    pick(desk, desk.get_by_label("Therapist"), therapist.name)
    type_into(desk, desk.get_by_label("Date"), day.strftime("%m%d%Y"))
    press_on(desk, desk.get_by_role("button", name="Show free times"))
    expect(desk.locator("#slots legend")).to_contain_text(f"{day.day} {day:%b %Y}")
    slots = desk.locator(f'.slots[data-therapist="{therapist.pk}"]')
    choose(desk, slots.get_by_label("10:00", exact=True))
    pick(desk, desk.get_by_label("Repeat"), "Every week")
    type_into(desk, desk.get_by_label("Number of visits in the series"), "3")
    press_on(desk, desk.get_by_role("button", name="Book", exact=True))
    expect(desk.get_by_text("Every one is free.")).to_be_visible()
    press_on(desk, desk.get_by_role("button", name="Book the chosen visits"))
    expect(desk.locator("section", has_text="Booked 3 visits")).to_be_visible()
    press_on(desk, desk.get_by_role("link", name="Open the day view"))
    card = desk.locator(".visit", has_text="Mira Okafor")
    expect(card.locator(".badge")).to_have_text(CLEARANCE_NEEDED)

    # Her therapist reads the upload and records the clearance.
    tablet = open_page(TABLET)
    log_in_by_keyboard(tablet, therapist.user.email, PASSWORD)
    tablet.goto(client.get_absolute_url())
    press_on(tablet, tablet.get_by_role("link", name="Record a clearance"))
    type_into(tablet, tablet.get_by_label("Provider's name"), "Midwife J. Chen")
    type_into(tablet, tablet.get_by_label("Date of the clearance"), today().strftime("%m%d%Y"))
    type_into(tablet, tablet.get_by_label("Note"), "Fine for massage; side-lying, no deep work.")
    press_on(tablet, tablet.get_by_role("button", name="Record clearance"))
    expect(tablet.get_by_text("Clearance recorded.")).to_be_visible()

    # The desk's day, week and client views now say cleared, restrictions apply.
    desk.reload()
    expect(card.locator(".badge")).to_have_text(CLEARED)
    desk.goto(f"/booking/week/?date={day.isoformat()}")
    expect(desk.locator(".visit", has_text="Mira").locator(".badge")).to_have_text(CLEARED)
    desk.goto(client.get_absolute_url())
    expect(desk.locator(".badge").first).to_have_text(CLEARED)
    finish(desk, journey_screenshots, "1-front-desk")


@pytest.fixture
def cleared_client(a_client, therapist, service):
    """24 weeks pregnant, cleared by her midwife, and in the clinic since 30 minutes ago for
    a visit that started then (booked, not yet checked in)."""
    screened(a_client, pregnant=True, pregnancy_weeks=24)
    clear(a_client)
    # Half an hour ago, but never yesterday: the desk's day view opens on today.
    half_an_hour_ago = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    started = max(half_an_hour_ago, at_local(today(), time(0)))
    return visit(a_client, therapist, started, status=AppointmentStatus.BOOKED)


def refusal_without_codes(page):
    """The refusal box's text with the small-type rule codes taken out."""
    return page.locator(".refusals").evaluate(
        "box => { const copy = box.cloneNode(true);"
        " copy.querySelectorAll('small.code').forEach(code => code.remove());"
        " return copy.textContent; }"
    )


def test_the_therapist_charts_a_visit_the_desk_already_closed_and_corrects_the_pain_score(
    open_page, front_desk_user, therapist, cleared_client, journey_screenshots, tmp_path
):
    client = cleared_client.client

    # The desk checks her in and, after the session, presses Done before any note exists.
    desk = open_page(DESKTOP)
    log_in_by_keyboard(desk, front_desk_user.email, PASSWORD)
    desk.goto("/booking/day/")
    card = desk.locator(f'.visit[data-visit="{cleared_client.pk}"]')
    expect(card.locator(".badge")).to_have_text(CLEARED)
    press_on(desk, card.get_by_role("button", name="Check in"))
    expect(card.get_by_role("button", name="Done")).to_be_visible()
    press_on(desk, card.get_by_role("button", name="Done"))
    expect(card).to_contain_text("Completed")

    # The therapist finds it waiting on her home page and starts the note there.
    tablet = open_page(TABLET)
    log_in_by_keyboard(tablet, therapist.user.email, PASSWORD)
    waiting = tablet.locator("#charting .unsigned-visit", has_text=client.full_name)
    expect(waiting).to_contain_text("Not started")
    press_on(tablet, waiting.get_by_role("link", name="Start note"))
    expect(tablet.get_by_role("heading", level=1)).to_contain_text("Session note")
    type_into(tablet, tablet.get_by_label("Pain before (0–10)"), "6")
    type_into(tablet, tablet.get_by_label("Subjective"), "Low back and hips ache by evening.")

    # Deep tissue for a pregnancy is refused in plain words; the code only in small type.
    row = {"technique": "deep_tissue", "muscle": "gluteus_medius", "side": "left"}
    for key, value in {**row, "pressure": "moderate"}.items():
        pick(tablet, tablet.locator(f'[name="techniques-0-{key}"]'), value=value)
    type_into(tablet, tablet.locator('[name="techniques-0-minutes"]'), "10")
    press_on(tablet, tablet.get_by_role("button", name="Save draft"))
    refusal = tablet.locator(".refusals")
    expect(refusal.get_by_role("listitem")).to_have_text(
        [re.compile(r"^Deep tissue is not allowed for this client \(Pregnancy[^)]*\)\.")]
    )
    plain = refusal_without_codes(tablet)
    assert not re.search(r"\b[A-Z]{2}_[A-Z_]+\b|deep_tissue", plain), plain
    assert SessionNote.objects.get().techniques == []

    # Effleurage instead; signed through the confirmation page.
    pick(tablet, tablet.locator('[name="techniques-0-technique"]'), value="effleurage")
    # The left gluteus medius is marked treated on the body map: Enter on its region.
    region = tablet.locator('.body-map-svg .region[data-region="gluteus_medius_left"]')
    press_on(tablet, region)
    expect(region).to_have_attribute("aria-label", re.compile(r": treated$"))
    type_into(tablet, tablet.get_by_label("Pain after (0–10)"), "3")
    press_on(tablet, tablet.get_by_role("button", name="Review and sign…"))
    expect(tablet.locator("#what-locks")).to_contain_text("can no longer be edited")
    press_on(tablet, tablet.get_by_role("button", name="Sign and lock the note"))
    expect(tablet.get_by_text("Note signed.")).to_be_visible()

    # "Pain after was 4, not 3": an amendment corrects the number.
    type_into(tablet, tablet.get_by_label("Why"), "Pain after was 4, not 3")
    type_into(tablet, tablet.get_by_label("Corrected pain after (0–10)"), "4")
    press_on(tablet, tablet.get_by_role("button", name="Add amendment"))
    expect(tablet.locator("#amendments")).to_contain_text("Pain after was 4, not 3")
    expect(tablet.locator("#note-pain")).to_contain_text("4 (amended) after")
    note = SessionNote.objects.get()
    assert (note.pain_after, note.is_signed) == (3, True)
    assert note.body_map == {"gluteus_medius_left": "treated"}

    # The PDF, fetched as the logged-in therapist, carries the corrected score.
    pdf_url = tablet.get_by_role("link", name="PDF").get_attribute("href")
    response = tablet.request.get(pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body(), tmp_path).split())
    assert "4 (amended) after" in text

    # So do the progress chart and its table.
    tablet.goto(f"/treatment/clients/{client.pk}/record/")
    press_on(tablet, tablet.get_by_role("link", name="Progress", exact=True))
    expect(tablet.locator("#pain-chart")).to_have_attribute("data-points", "1")
    drawn = tablet.evaluate(
        "() => { const after = Chart.getChart('pain-chart').data.datasets[1];"
        " return [after.data[0], after.pointStyle[0]]; }"
    )
    assert drawn == [4, "triangle"]  # the corrected score, drawn as amended
    expect(tablet.locator("#pain-table")).to_contain_text("4 (amended)")
    finish(tablet, journey_screenshots, "2-therapist")


@pytest.fixture
def series(a_client, therapist, service):
    """Her weekly series of three at 10:00 from the day after tomorrow (cleared to come)."""
    screened(a_client, pregnant=True, pregnancy_weeks=24)
    clear(a_client)
    first = at_local(today() + timedelta(days=2), time(10))
    result = book_series(
        client=a_client,
        therapist=therapist,
        service=service,
        starts=series_starts(first, 1, 3),
    )
    [confirmation] = mail.outbox
    mail.outbox.clear()
    return result.booked, calendar_events(confirmation)[1]


def test_the_client_moves_and_cancels_from_her_phone_with_the_keyboard_alone(
    open_page, a_client, front_desk_user, series, journey_screenshots
):
    (moving, cancelling, _), booked_events = series
    first_day = today() + timedelta(days=2)
    second_day = first_day + timedelta(weeks=1)
    new_day = first_day + timedelta(days=1)
    phone = open_page(PHONE)

    log_in_by_keyboard(phone, a_client.user.email, PASSWORD)
    expect(phone.get_by_role("heading", name="Your upcoming visits")).to_be_visible()

    # Move the first visit a day later, at 14:00.
    tab_to(phone, phone.get_by_role("link", name=f"Move the visit on {long_date(first_day)}"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Move your visit")
    tab_to(phone, phone.get_by_role("link", name=f"{new_day:%a} {new_day.day} {new_day:%b}"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Free times on")).to_contain_text(long_date(new_day))
    tab_to(phone, phone.get_by_role("button", name=f"Move to {long_date(new_day)}, 14:00"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Your visit is moved from")).to_be_visible()

    # Cancel the second.
    tab_to(phone, phone.get_by_role("link", name=f"Cancel the visit on {long_date(second_day)}"))
    phone.keyboard.press("Enter")
    cancel = phone.get_by_role("button", name="Yes, cancel this visit")
    expect(cancel).to_be_visible()
    tab_to(phone, cancel)
    phone.keyboard.press("Space")
    expect(phone.get_by_text("is cancelled")).to_be_visible()

    # Two emails: the move updates her calendar entry, the cancellation removes the other.
    moved_email, cancelled_email = mail.outbox
    assert moved_email.to == cancelled_email.to == [a_client.email]
    assert f"Was: {long_date(first_day)} at 10:00" in moved_email.body
    assert f"Now: {long_date(new_day)} at 14:00" in moved_email.body
    method, events = calendar_events(moved_email)
    [(uid, event)] = events.items()
    assert method == "REQUEST" and uid in booked_events
    assert int(event["SEQUENCE"]) > int(booked_events[uid]["SEQUENCE"])
    assert event.decoded("DTSTART") == at_local(new_day, time(14))
    method, events = calendar_events(cancelled_email)
    [(cancelled_uid, event)] = events.items()
    assert method == "CANCEL" and cancelled_uid in booked_events and cancelled_uid != uid
    assert str(event["STATUS"]) == "CANCELLED"
    moving.refresh_from_db()
    assert moving.starts_at == at_local(new_day, time(14))
    assert Appointment.objects.get(pk=cancelling.pk).status == AppointmentStatus.CANCELLED

    # The desk sees the freed slot struck through on that day, and the moved visit.
    desk = open_page(DESKTOP)
    log_in_by_keyboard(desk, front_desk_user.email, PASSWORD)
    desk.goto(f"/booking/day/?date={second_day.isoformat()}")
    gone = desk.locator(f'.visit[data-visit="{cancelling.pk}"]')
    expect(gone).to_have_class(re.compile("visit-gone"))
    expect(gone.locator(".status-label")).to_have_text("Cancelled")
    desk.goto(f"/booking/day/?date={new_day.isoformat()}")
    expect(desk.locator(f'.visit[data-visit="{moving.pk}"]')).to_contain_text("14:00")

    # Back on her phone, her portal lists the visits as they now are.
    phone.goto("/me/")
    upcoming = phone.locator("section", has_text="Your upcoming visits")
    expect(upcoming).to_contain_text(long_date(new_day))
    finish(phone, journey_screenshots, "3-client")
