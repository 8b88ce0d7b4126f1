"""Amendments that correct the numbers: progress, the record and the PDFs show the corrected
score marked as amended, while the signed note and its hash stay as signed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clinic.accounts.models import Role
from sessions import notes as note_service
from sessions import pdf, signing
from sessions.models import Amendment, SessionNote
from tests.treatment.conftest import signed_note

pytestmark = pytest.mark.django_db

PSFS = [{"activity": "Sitting at work", "score": 3}, {"activity": "Walking", "score": 5}]


@pytest.fixture
def api(client_as):
    http = client_as(Role.THERAPIST)

    def call(method, url, data=None):
        return getattr(http, method)(url, data, content_type="application/json")

    return call


@pytest.fixture
def note(clear_client, therapist):
    return signed_note(clear_client, therapist, pain=(6, 3), psfs=PSFS)


def amend_pain_after(api, note, score=4):
    return api(
        "post",
        f"/api/notes/{note.pk}/amendments/",
        {
            "reason": "Misrecorded",
            "text": "Pain after was 4, not 3.",
            "corrections": {"pain_after": score},
        },
    )


def test_a_corrected_pain_score_is_what_progress_shows_marked_amended(api, note, clear_client):
    response = amend_pain_after(api, note)
    assert response.status_code == 201, response.json()
    assert response.json()["corrections"] == {"pain_after": 4}
    session = api("get", f"/api/clients/{clear_client.pk}/progress/").json()["sessions"][0]
    assert (session["pain_before"], session["pain_after"], session["change"]) == (6, 4, -2)
    assert session["amended"] is True and session["amended_fields"] == ["pain_after"]


def test_the_progress_page_and_its_chart_data_show_the_amended_value(
    client_as, api, note, clear_client
):
    amend_pain_after(api, note)
    page = client_as(Role.THERAPIST).get(reverse("treatment-progress", args=[clear_client.pk]))
    body = page.content.decode()
    table = body.split('id="pain-table"')[1].split("</table>")[0]
    assert "<td>4 (amended)</td>" in table
    chart = body.split('id="progress-data"')[1].split("</script>")[0]
    assert '"pain_after": 4' in chart and '"amended": true' in chart


def test_the_signed_note_and_its_hash_stay_as_signed(api, note):
    amend_pain_after(api, note)
    stored = SessionNote.objects.get(pk=note.pk)
    assert stored.pain_after == 3
    assert stored.content_hash == note.content_hash
    assert signing.verify(stored, stored.amendments.all())


def test_a_tampered_correction_breaks_the_hash_chain(api, note):
    amend_pain_after(api, note)
    amendment = Amendment.objects.get()
    amendment.corrections = {"pain_after": 1}
    assert not signing.verify(note, [amendment])


def test_the_note_page_and_record_show_the_corrected_score_and_what_was_signed(
    client_as, note, clear_client
):
    http = client_as(Role.THERAPIST)
    response = http.post(
        reverse("note-amend", args=[note.pk]),
        {"reason": "Misrecorded", "text": "", "pain_after": "4"},
    )
    assert response.status_code == 302
    page = http.get(reverse("note-detail", args=[note.pk])).content.decode()
    pain = page.split('id="note-pain">')[1].split("</dd>")[0]
    assert "4 (amended) after" in pain and "As signed: 6 before → 3 after" in pain
    assert "Corrected: Pain after: 4" in page
    assert 'id="integrity">content and amendments match' in page
    record = http.get(reverse("treatment-record", args=[clear_client.pk])).content.decode()
    assert "6 → 4 (amended)" in record.split('id="notes"')[1]


def test_a_psfs_score_is_corrected_for_the_note_s_own_activity(client_as, api, note, clear_client):
    http = client_as(Role.THERAPIST)
    form = http.get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "Corrected PSFS: Walking (0–10)" in form
    response = http.post(reverse("note-amend", args=[note.pk]), {"reason": "Typo", "psfs_1": "7"})
    assert response.status_code == 302
    taken = api("get", f"/api/clients/{clear_client.pk}/progress/").json()["psfs"][0]
    assert taken["average"] == 5.0 and taken["amended"] is True
    assert taken["activities"][1] == {"activity": "Walking", "score": 7, "amended": True}
    assert taken["activities"][0]["amended"] is False


def test_the_latest_correction_wins(api, note, clear_client):
    amend_pain_after(api, note, 4)
    amend_pain_after(api, note, 5)
    session = api("get", f"/api/clients/{clear_client.pk}/progress/").json()["sessions"][0]
    assert session["pain_after"] == 5


def rendered_pdf_html(monkeypatch, http, url):
    """The HTML WeasyPrint is given for the PDF at `url` (what the PDF reads)."""
    rendered = []
    real = pdf.render_to_string

    def keep(*args, **kwargs):
        html = real(*args, **kwargs)
        rendered.append(html)
        return html

    monkeypatch.setattr(pdf, "render_to_string", keep)
    assert http.get(url).status_code == 200
    return rendered[0]


def test_the_note_and_record_pdfs_show_the_amended_value(
    monkeypatch, client_as, api, note, clear_client
):
    amend_pain_after(api, note)
    http = client_as(Role.THERAPIST)
    for url in (
        reverse("note-pdf", args=[note.pk]),
        reverse("treatment-record-pdf", args=[clear_client.pk]),
    ):
        html = rendered_pdf_html(monkeypatch, http, url)
        assert "4 (amended) after" in html, url
        assert "Corrected: Pain after: 4" in html, url


@pytest.mark.parametrize(
    "corrections",
    [
        {"pain_after": 11},
        {"pain_after": -1},
        {"pain_after": "four"},
        {"pain_after": 3.5},
        {"subjective": "Changed my mind"},
        {"psfs": [{"activity": "Running", "score": 4}]},
        {"psfs": [{"activity": "Walking", "score": None}]},
        {"psfs": [{"activity": "Walking", "score": 12}]},
        {"psfs": [{"activity": "Walking", "score": 4}, {"activity": "Walking", "score": 5}]},
        "pain after 4",
    ],
)
def test_bad_corrections_answer_400_and_store_nothing(api, note, corrections):
    response = api(
        "post",
        f"/api/notes/{note.pk}/amendments/",
        {"reason": "Misrecorded", "text": "See values.", "corrections": corrections},
    )
    assert response.status_code == 400, response.json()
    assert not Amendment.objects.exists()


def test_a_note_without_psfs_takes_no_psfs_correction(api, clear_client, therapist):
    plain = signed_note(clear_client, therapist)
    response = api(
        "post",
        f"/api/notes/{plain.pk}/amendments/",
        {"reason": "x", "corrections": {"psfs": [{"activity": "Walking", "score": 4}]}},
    )
    assert response.status_code == 400
    assert "no PSFS" in str(response.json())
    assert not Amendment.objects.exists()


def test_a_bad_score_on_the_page_is_refused_and_nothing_is_stored(client_as, note):
    response = client_as(Role.THERAPIST).post(
        reverse("note-amend", args=[note.pk]), {"reason": "Misrecorded", "pain_after": "11"}
    )
    assert response.status_code == 400
    assert "less than or equal to 10" in response.content.decode()
    assert not Amendment.objects.exists()


def test_an_amendment_with_neither_text_nor_correction_is_refused(note, therapist):
    with pytest.raises(ValidationError, match="Write the amendment"):
        note_service.add_amendment(note, therapist.user, "Why", "")
    assert not Amendment.objects.exists()


def test_the_database_still_refuses_to_change_the_signed_note(api, note):
    amend_pain_after(api, note)
    with (
        pytest.raises(DatabaseError, match="signed_note_locked"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE treatment_sessionnote SET pain_after = 4 WHERE id = %s", [note.pk])
