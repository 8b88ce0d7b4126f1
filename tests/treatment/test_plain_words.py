"""Clinical pages speak plain words ("Deep tissue", "Pregnancy: clearance needed"); the codes
stay beside them in small type for reference, and unchanged in the API."""

import re

import pytest
from django.urls import reverse

from intake.labels import RULE_NAMES, rule_title
from intake.screening import RULES
from sessions.vocab import GOAL_MEASURES, Goal
from tests.treatment.conftest import clear, screened, visit
from tests.treatment.test_note_pages import form_data, technique_row

pytestmark = pytest.mark.django_db

CODES = ("deep_tissue", "side_lying", "CL_PREGNANCY", "STANDING_NO_BONY_PRESSURE")


def shown_text(html):
    """What a reader sees: no tags or attributes, and no codes in small type or <code>."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<small class="code">.*?</small>|<code>.*?</code>', "", html, flags=re.S)
    html = re.sub(r"<select\b.*?</select>", "", html, flags=re.S)  # options: values are codes
    return re.sub(r"<[^>]*>", " ", html)


@pytest.fixture
def pregnant(a_client):
    screened(a_client, pregnant=True, anticoagulants=True)
    clear(a_client)
    return a_client


def test_the_plan_form_names_restrictions_in_plain_words(client_as, pregnant):
    html = client_as("therapist").get(reverse("plan-create", args=[pregnant.pk])).content.decode()
    text = shown_text(html)
    assert "Deep tissue" in text and "Side-lying only" in text
    assert "Pregnancy: clearance needed" in text
    for code in CODES:
        assert code not in text
    assert '<small class="code">CL_PREGNANCY</small>' in html


def test_the_note_page_names_restrictions_in_plain_words(client_as, pregnant, therapist):
    http = client_as("therapist")
    response = http.get(reverse("note-for-appointment", args=[visit(pregnant, therapist).pk]))
    html = http.get(response.url).content.decode()
    text = shown_text(html)
    assert "Deep tissue" in text and "Side-lying only" in text
    for code in CODES:
        assert code not in text


def test_a_refusal_names_the_rule_in_plain_words_with_its_code_in_small_type(
    client_as, pregnant, therapist
):
    http = client_as("therapist")
    note_url = http.get(reverse("note-for-appointment", args=[visit(pregnant, therapist).pk])).url
    response = http.post(
        note_url, form_data(subjective="Sore", **technique_row(technique="deep_tissue"))
    )
    assert response.status_code == 400
    html = response.content.decode()
    refusal = html[html.index('class="refusals"') :]
    refusal = refusal[: refusal.index("</div>")]
    assert "Deep tissue is not allowed for this client" in refusal
    assert "Pregnancy: clearance needed" in refusal
    assert '<small class="code">' in refusal and "CL_PREGNANCY" in refusal
    assert "CL_PREGNANCY" not in shown_text(refusal)


def test_every_screening_rule_has_a_plain_name():
    assert set(RULE_NAMES) == {rule.code for rule in RULES}
    assert rule_title("CL_PREGNANCY") == "Pregnancy: clearance needed"


@pytest.mark.parametrize("goal", list(Goal))
def test_each_goal_starts_with_a_measure_of_its_own(goal):
    assert "Pain" not in GOAL_MEASURES[goal]


def test_the_plan_form_offers_each_goal_its_own_measure(client_as, pregnant):
    html = client_as("therapist").get(reverse("plan-create", args=[pregnant.pk])).content.decode()
    for goal in (Goal.CIRCULATION, Goal.INFLAMMATION):
        assert f'value="{GOAL_MEASURES[goal]}"' in html
    assert 'value="Pain (0-10)"' not in html


def test_the_record_pdf_names_findings_and_restrictions_in_plain_words(
    client_as, pregnant, tmp_path
):
    from tests.treatment.test_pdf import page_texts, pdf_of

    url = reverse("treatment-record-pdf", args=[pregnant.pk])
    text = " ".join(" ".join(page_texts(pdf_of(client_as("therapist"), url, tmp_path))).split())
    assert "Pregnancy: clearance needed" in text
    assert "not allowed: Deep tissue" in text and "side-lying only" in text
    assert "deep_tissue" not in text and "side_lying" not in text
