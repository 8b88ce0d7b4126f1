"""The client fills the intake from an emailed link on a phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from intake import services
from intake.answers import ANSWER_SPECS, PREGNANCY_DETAIL_KEYS, Kind
from intake.models import ClearanceUpload, Intake
from intake.status import screening_status
from tests.browser.conftest import PHONE, log_in
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREGNANCY_WEEKS = ANSWER_SPECS["pregnancy_weeks"].question


def emailed_url(mailoutbox):
    (message,) = mailoutbox
    return re.search(r"https?://\S+/intake/fill/\S+", message.body).group(0)


def answer_every_question(page, pregnant):
    """Answer like a client would: no to every yes/no question, except pregnancy if asked."""
    for key, spec in ANSWER_SPECS.items():
        if key in PREGNANCY_DETAIL_KEYS and not pregnant:
            continue
        if spec.kind is Kind.BOOL and key != "consent":
            answer = "Yes" if key == "pregnant" and pregnant else "No"
            group = page.get_by_role("group", name=spec.question)
            group.get_by_label(answer, exact=True).check()
    page.get_by_label(ANSWER_SPECS["pain_score"].question).fill("3")
    page.get_by_label(ANSWER_SPECS["pain_duration_weeks"].question).fill("2")
    page.get_by_role("group", name=ANSWER_SPECS["injury_in_area"].question).get_by_label(
        "No injury"
    ).check()
    if pregnant:
        page.get_by_label(PREGNANCY_WEEKS).fill("20")
    page.get_by_label("I agree to have massage treatment.").check()
    page.get_by_label(ANSWER_SPECS["signature"].question).fill("Alex Rivera")


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_front_desk_emails_the_link_and_the_client_fills_the_form_on_a_phone(
    open_page, front_desk_user, a_client, mailoutbox
):
    desk = open_page(PHONE)
    log_in(desk, front_desk_user.email)
    desk.goto(f"/clients/{a_client.pk}/")
    desk.get_by_role("button", name="Send intake link").click()
    expect(desk.get_by_role("status")).to_contain_text(f"Intake link sent to {a_client.email}")

    phone = open_page(PHONE)
    phone.goto(emailed_url(mailoutbox))
    expect(phone.get_by_role("heading", name="Your health form")).to_be_visible()
    assert fits_the_screen(phone)
    expect(phone.get_by_label(PREGNANCY_WEEKS)).to_be_hidden()
    phone.get_by_role("group", name="Are you pregnant?").get_by_label("Yes", exact=True).check()
    expect(phone.get_by_label(PREGNANCY_WEEKS)).to_be_visible()

    answer_every_question(phone, pregnant=True)
    phone.get_by_role("button", name="Send my form").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Thank you, {a_client.first_name}")
    expect(phone.get_by_text("see a doctor")).to_have_count(0)
    expect(phone.locator("#clearance-needed")).to_contain_text("note from your midwife or doctor")
    intake = Intake.objects.get()
    assert (intake.client, intake.outcome) == (a_client, "clearance")
    assert intake.answers["pregnancy_weeks"] == 20


def test_a_missing_answer_shows_its_message_beside_the_question_on_a_phone(
    open_page, live_server, a_client, front_desk_user, mailoutbox
):
    services.send_intake_link(a_client, front_desk_user, live_server.url)
    page = open_page(PHONE)
    page.goto(emailed_url(mailoutbox))
    answer_every_question(page, pregnant=False)
    page.get_by_label(ANSWER_SPECS["pain_score"].question).fill("")
    page.get_by_role("button", name="Send my form").click()

    expect(page.locator("#q-pain_score")).to_contain_text("Please answer this question.")
    assert not Intake.objects.exists()


def test_after_a_failed_send_on_a_phone_focus_lands_on_the_list_of_answers_to_fix(
    open_page, live_server, a_client, front_desk_user, mailoutbox
):
    services.send_intake_link(a_client, front_desk_user, live_server.url)
    page = open_page(PHONE)
    page.goto(emailed_url(mailoutbox))
    answer_every_question(page, pregnant=False)
    pain_score = page.get_by_label(ANSWER_SPECS["pain_score"].question)
    pain_score.fill("")
    page.get_by_label(ANSWER_SPECS["signature"].question).fill("")
    page.get_by_role("button", name="Send my form").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("2 answers need another look")
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [ANSWER_SPECS["pain_score"].question, ANSWER_SPECS["signature"].question]
    )

    links.first.click()
    expect(pain_score).to_be_focused()
    expect(pain_score).to_be_in_viewport()
    pain_score.fill("3")
    assert not Intake.objects.exists()


def test_a_pregnant_client_uploads_her_midwife_s_note_from_her_phone(
    open_page, a_client, client_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.submit_intake(a_client, clear_answers(pregnant=True, pregnancy_weeks=24), None)
    phone = open_page(PHONE)
    log_in(phone, client_user.email)
    phone.goto("/me/")
    expect(phone.locator("#clearance-needed")).to_contain_text("midwife or doctor")

    phone.get_by_role("link", name="Upload the note from your phone").click()
    phone.get_by_label("Your provider's note").set_input_files(
        files=[{"name": "IMG_0042.png", "mimeType": "image/png", "buffer": PNG}]
    )
    phone.get_by_role("button", name="Send the note").click()

    expect(phone.get_by_role("status")).to_contain_text("your note has reached the clinic")
    assert fits_the_screen(phone)
    assert ClearanceUpload.objects.get().client == a_client
    assert screening_status(a_client).blocks_treatment


def test_the_form_works_with_javascript_turned_off(
    browser, live_server, a_client, front_desk_user, mailoutbox
):
    services.send_intake_link(a_client, front_desk_user, live_server.url)
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(emailed_url(mailoutbox))
        # Without JavaScript the pregnancy questions are simply always there.
        expect(page.get_by_label(PREGNANCY_WEEKS)).to_be_visible()
        answer_every_question(page, pregnant=True)
        page.get_by_role("button", name="Send my form").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Thank you, {a_client.first_name}"
        )
        assert Intake.objects.get().answers["pregnant"] is True
    finally:
        context.close()
