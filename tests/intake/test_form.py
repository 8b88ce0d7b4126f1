import re

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from intake.answers import ANSWER_SPECS, PREGNANCY_DETAIL_KEYS
from intake.links import link_path
from intake.models import Intake, IntakeLink
from tests.factories import UserFactory
from tests.intake.forms_fixtures import form_data, question

pytestmark = pytest.mark.django_db

PREGNANT = {"pregnant": "yes", "pregnancy_weeks": "20", "pregnancy_high_risk": "no"}
PREGNANT |= {"pregnancy_warning_signs": "no"}


@pytest.fixture
def link_url(a_client):
    return link_path(IntakeLink.objects.create(client=a_client, sent_to=a_client.email))


@pytest.fixture(params=["link", "logged-in client"])
def form_url(request, client_as, link_url):
    """The form as reached by an emailed link (anonymous) or by the client logged in."""
    if request.param == "link":
        return link_url
    client_as(Role.CLIENT)
    return reverse("intake-my-form")


def test_the_form_asks_every_question_with_nothing_answered_in_advance(client, link_url):
    page = client.get(link_url).content.decode()

    for spec in ANSWER_SPECS.values():
        assert f'id="q-{spec.key}"' in page
    assert not re.search(r"<input[^>]* checked", page)
    assert page.count("data-pregnancy-detail") == len(PREGNANCY_DETAIL_KEYS)
    assert 'name="viewport"' in page


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        ({"pain_score": None}, "pain_score", "Please answer this question."),
        ({"pain_score": "11"}, "pain_score", "Please enter a number from 0 to 10."),
        ({"pain_score": "-1"}, "pain_score", "Please enter a number from 0 to 10."),
        ({"pain_score": "a lot"}, "pain_score", "Please enter a whole number."),
        ({"pain_duration_weeks": ""}, "pain_duration_weeks", "Please answer this question."),
        ({"saddle_numbness": None}, "saddle_numbness", "Please answer this question."),
        ({"saddle_numbness": "maybe"}, "saddle_numbness", "Please answer yes or no"),
        ({"injury_in_area": "broken"}, "injury_in_area", "Please choose one of"),
        ({"recent_surgery_weeks": "53"}, "recent_surgery_weeks", "from 0 to 52"),
        ({"consent": None}, "consent", "We need your consent"),
        ({"signature": "   "}, "signature", "Please type your full name"),
        (PREGNANT | {"pregnancy_weeks": ""}, "pregnancy_weeks", "Please answer this question."),
        (PREGNANT | {"pregnancy_high_risk": None}, "pregnancy_high_risk", "Please answer"),
    ],
)
def test_a_bad_answer_is_refused_next_to_its_question_and_nothing_is_stored(
    client, form_url, overrides, key, message
):
    response = client.post(form_url, form_data(**overrides))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in question(page, key)
    assert "Nothing has been sent yet" in page
    assert not Intake.objects.exists()


def test_the_error_summary_links_each_bad_question_to_its_input_in_form_order(client, form_url):
    bad = {"pain_score": "", "pain_worse_at_night": None, "consent": None, "signature": " "}
    page = client.post(form_url, form_data(**bad)).content.decode()

    summary = page[page.index('id="error-summary"') : page.index("</ul>")]
    assert 'role="alert" tabindex="-1"' in summary
    assert "4 answers need another look" in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_pain_score", ANSWER_SPECS["pain_score"].question),
        ("id_pain_worse_at_night_0", ANSWER_SPECS["pain_worse_at_night"].question),
        ("id_consent", "I agree to have massage treatment."),
        ("id_signature", ANSWER_SPECS["signature"].question),
    ]
    for anchor, _ in links:
        assert page.count(f'id="{anchor}"') == 1
    assert "Please type your full name" in summary


def test_an_invalid_form_keeps_what_the_client_already_answered(client, form_url):
    page = client.post(form_url, form_data(pain_score="12", pain_worse_at_night="yes"))
    html = page.content.decode()

    assert 'value="12"' in question(html, "pain_score")
    assert 'value="yes" id="id_pain_worse_at_night_0" checked' in html


def test_a_valid_form_is_stored_and_ends_on_a_calm_confirmation(client, form_url, a_client):
    response = client.post(form_url, form_data(anticoagulants="yes"), follow=True)

    intake = Intake.objects.get()
    assert (intake.client, intake.outcome) == (a_client, "precautions")
    assert response.redirect_chain[-1][0] == reverse("intake-thanks")
    page = response.content.decode()
    assert "Thank you, " + a_client.first_name in page
    # Never the clinical reasoning: no outcome, rule code or finding.
    for hidden in ("precautions", "PR_ANTICOAGULANTS", "blood thinners", "see a doctor"):
        assert hidden not in page


def test_a_refer_outcome_advises_prompt_medical_care_without_saying_why(client, form_url):
    response = client.post(form_url, form_data(bladder_or_bowel_change="yes"), follow=True)

    page = response.content.decode()
    assert "Please see a doctor promptly" in page
    for hidden in ("refer", "RF_CAUDA_EQUINA", "cauda equina", "bladder"):
        assert hidden not in page.lower()


def test_pregnancy_details_are_ignored_when_not_pregnant(client, form_url):
    data = form_data(pregnancy_weeks="lots", pregnancy_high_risk="yes")

    client.post(form_url, data)

    answers = Intake.objects.get().answers
    assert answers["pregnancy_weeks"] is None
    assert answers["pregnancy_high_risk"] is False


def test_pregnancy_details_count_when_pregnant(client, form_url):
    client.post(form_url, form_data(**PREGNANT | {"pregnancy_high_risk": "yes"}))

    intake = Intake.objects.get()
    assert intake.answers["pregnancy_weeks"] == 20
    assert [f["code"] for f in intake.findings] == ["CL_PREGNANCY", "CL_HIGH_RISK_PREGNANCY"]


def test_an_empty_surgery_box_means_no_surgery_in_the_last_year(client, form_url):
    client.post(form_url, form_data(recent_surgery_weeks=""))
    assert Intake.objects.get().answers["recent_surgery_weeks"] is None


def test_the_logged_in_client_s_intake_records_them_as_its_author(client_as, client_user):
    client_as(Role.CLIENT).post(reverse("intake-my-form"), form_data())
    assert Intake.objects.get().submitted_by == client_user


def test_an_intake_sent_through_a_link_has_no_author(client, link_url):
    client.post(link_url, form_data())
    assert Intake.objects.get().submitted_by is None


def test_a_client_login_without_a_client_record_is_told_to_call(client):
    client.force_login(UserFactory(role=Role.CLIENT))

    page = client.get(reverse("intake-my-form")).content.decode()

    assert "not linked to a client record" in page
    assert 'id="q-pain_score"' not in page


def test_the_confirmation_opened_without_sending_a_form_confirms_nothing(client):
    page = client.get(reverse("intake-thanks")).content.decode()
    assert "There is no form sent from this browser" in page
    assert "reached the clinic" not in page
