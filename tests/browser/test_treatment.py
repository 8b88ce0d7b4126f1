"""A therapist's session on a tablet: plan, note with the body map, refusal, signing, amendment,
progress chart."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import SessionNote, TreatmentPlan
from tests.browser.conftest import TABLET, log_in
from tests.treatment.conftest import screened, signed_note, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def todays_client(a_client, therapist):
    """On blood thinners (PR_ANTICOAGULANTS: moderate at most, no deep tissue or trigger
    points), one signed session last week, and checked in for today's visit."""
    screened(a_client, anticoagulants=True)
    signed_note(a_client, therapist, timezone.now() - timedelta(days=7), pain=(7, 5))
    visit(a_client, therapist)
    return a_client


def test_a_therapist_plans_writes_signs_and_amends_a_note_on_a_tablet(
    open_page, therapist, todays_client
):
    page = open_page(TABLET)
    log_in(page, therapist.user.email)

    # Today's client, from the therapist's day.
    page.locator("#today").get_by_role("link", name=todays_client.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(todays_client.full_name)

    # A plan: a goal, a technique within the restrictions, home care.
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Muscle relaxation", exact=True).check()
    page.locator('[name="goal_muscle_relaxation_baseline"]').fill("7")
    page.locator('[name="goal_muscle_relaxation_target"]').fill("3")
    page.locator('[name="muscle_gluteus_medius_side"]').select_option("both")
    row = {
        "technique": "kneading",
        "muscle": "gluteus_medius",
        "side": "both",
        "pressure": "moderate",
        "progression": "as_tolerated",
    }
    for key, value in row.items():
        page.locator(f'[name="techniques-0-{key}"]').select_option(value)
    page.locator('[name="techniques-0-minutes"]').fill("15")
    page.get_by_label("A massage ball").check()
    page.locator('[name="home_massage_ball_technique"]').select_option("kneading")
    page.locator('[name="home_massage_ball_minutes"]').fill("5")
    for day in ("Mon", "Wed", "Fri"):
        page.locator("fieldset.home-row").nth(2).get_by_label(day).check()
    page.locator('[name="home_massage_ball_time"]').fill("19:30")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Treatment plan saved.")).to_be_visible()
    assert TreatmentPlan.objects.get().techniques[0]["pressure"] == "moderate"

    # One tap to today's note, pre-filled from the plan.
    page.get_by_role("link", name=re.compile("record")).click()
    page.get_by_role("link", name=todays_client.full_name).first.click()
    page.get_by_role("link", name="Write today's note").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session note")
    expect(page.locator('[name="techniques-0-technique"]')).to_have_value("kneading")
    page.get_by_label("Pain before (0–10)").fill("6")
    page.get_by_label("Subjective").fill("Left buttock tight after a long drive.")
    expect(page.locator("#autosave")).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))

    # The body map: taps cycle a muscle through treated and tender; the sacrum refuses.
    medius = page.locator('[data-region="gluteus_medius_left"]')
    medius.click()
    expect(medius).to_have_class(re.compile("mark-treated"))
    piriformis = page.locator('[data-region="piriformis_left"]')
    piriformis.click()
    piriformis.click()
    expect(piriformis).to_have_class(re.compile("mark-tender"))
    sacrum = page.locator('[data-region="sacrum"]')
    sacrum.click()
    expect(page.locator(".body-map-status")).to_contain_text("no direct pressure on the spine")
    expect(page.locator(".body-map-status small.code")).to_have_text("STANDING_NO_BONY_PRESSURE")
    expect(sacrum).not_to_have_class(re.compile("mark-"))

    # A technique the screening forbids is refused in plain words, its rule code in small type.
    for key, value in {
        "technique": "deep_tissue",
        "muscle": "piriformis",
        "side": "left",
        "pressure": "moderate",
    }.items():
        page.locator(f'[name="techniques-1-{key}"]').select_option(value)
    page.locator('[name="techniques-1-minutes"]').fill("5")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".refusals")).to_contain_text("Deep tissue is not allowed")
    expect(page.locator(".refusals")).to_contain_text("Blood thinners: take care")
    expect(page.locator(".refusals small.code").first).to_contain_text("PR_ANTICOAGULANTS")
    assert SessionNote.objects.get(signed_at__isnull=True).techniques[1:] == []

    # Fixed, it signs.
    page.locator('[name="techniques-1-technique"]').select_option("effleurage")
    page.get_by_label("Pain after (0–10)").fill("3")
    page.get_by_role("button", name="Review and sign…").click()
    expect(page.locator("#what-locks")).to_contain_text("can no longer be edited")
    page.get_by_role("button", name="Sign and lock the note").click()
    expect(page.get_by_text("Note signed.")).to_be_visible()
    note = SessionNote.objects.get(appointment__starts_at__gte=timezone.now() - timedelta(hours=2))
    assert note.is_signed and note.body_map == {
        "gluteus_medius_left": "treated",
        "piriformis_left": "tender",
    }

    # An amendment, shown in the note's history.
    page.get_by_label("Why").fill("Forgot the home care talk")
    page.get_by_label("Amendment").fill("Showed the massage ball routine; client tried it.")
    page.get_by_role("button", name="Add amendment").click()
    expect(page.locator("#amendments")).to_contain_text("Forgot the home care talk")

    # Progress: two sessions on the chart.
    page.get_by_role("link", name=re.compile("record")).click()
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.locator("#pain-chart")).to_have_attribute("data-points", "2")
    expect(page.locator("#pain-table")).to_contain_text("≥ 2 points or 30%")
    page.screenshot(path="/tmp/treatment-progress.png", full_page=True)
