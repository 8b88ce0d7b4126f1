"""The reports page, its CSV exports and the API: who sees what, bad input, fixed queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.core.clinic_time import clinic_zone
from clinic.reminders.models import Reminder
from clinic.reports import retention, sections
from sessions.models import PracticeLog
from tests.factories import ClientFactory, RoomFactory
from tests.reports import scene as week

PERIOD = {"start": "2026-11-02", "end": "2026-11-08"}


@pytest.fixture
def scene(db, therapist):
    return week.build(therapist)


def test_the_admin_sees_every_report_with_its_tables_and_charts(client_as, scene):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("reports"), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Utilisation", "Visits and clients", "Retention", "Reminders", "Home-care"):
        assert title in page
    assert scene.other.name in page and "utilisation-rooms" in page
    assert 'id="utilisation-chart" type="application/json"' in page
    assert "Revenue by service" not in page  # nothing invoiced in the period yet


def test_a_therapist_sees_only_their_own_figures(client_as, scene):
    page = client_as(Role.THERAPIST).get(reverse("reports"), PERIOD).content.decode()
    assert "Your own figures only" in page
    assert scene.other.name not in page
    assert "table-utilisation-rooms" not in page


@pytest.mark.parametrize(
    "query",
    [{"start": "2026-13-01"}, {"end": "yesterday"}, {"start": "2026-11-08", "end": "2026-11-01"}],
)
def test_a_bad_period_is_refused_with_a_400_page(client_as, db, query):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("reports"), query)
    assert response.status_code == 400
    assert b'role="alert"' in response.content


def test_a_huge_range_is_cut_to_a_year_and_says_so(client_as, db):
    response = client_as(Role.CLINIC_ADMIN).get(
        reverse("reports"), {"start": "1900-01-01", "end": "2026-11-08"}
    )
    assert response.status_code == 200
    assert response.context["period"].days == 366
    assert b"at most a year" in response.content


def test_each_table_downloads_as_csv(client_as, scene):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("report-csv", args=["lapsed"]), PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Client", "Phone"]
    assert {row[0] for row in rows[1:]} == {scene.clients[0].full_name, scene.clients[2].full_name}


def lapse(scene, clients):
    """`clients` more clients lapsed from a weekly plan: last seen a month before the period."""
    for n in range(clients):
        client = ClientFactory()
        week.visit(scene, client, scene.therapist, week.at(-30, 9 + n % 8) + timedelta(days=n))
        week.plan(client, scene.therapist)


def test_the_page_lists_the_first_lapsed_clients_and_the_csv_has_them_all(
    client_as, scene, monkeypatch
):
    monkeypatch.setattr(retention, "LAPSED_SHOWN", 3)
    lapse(scene, 4)  # with the scene's two: six lapsed
    admin = client_as(Role.CLINIC_ADMIN)
    page = admin.get(reverse("reports"), PERIOD)
    lapsed = next(t for s in page.context["sections"] for t in s.tables if t.key == "lapsed")
    assert (len(lapsed.rows), lapsed.count) == (3, 6)
    assert "The first 3 of 6 rows; the CSV has them all." in page.content.decode()
    response = admin.get(reverse("report-csv", args=["lapsed"]), PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 6
    # The longest gap first, on the page as in the CSV.
    assert [row["client"] for row in lapsed.rows] == [row[0] for row in rows[1:4]]
    (retention_report,) = admin.get(reverse("api-report", args=["retention"]), PERIOD).json()[
        "reports"
    ]
    api_lapsed = retention_report["tables"][1]
    assert (len(api_lapsed["rows"]), api_lapsed["total_rows"]) == (3, 6)


def test_csv_cells_cannot_become_spreadsheet_formulas(client_as, scene):
    scene.clients[0].first_name = "=HYPERLINK(1)"
    scene.clients[0].save()
    response = client_as(Role.CLINIC_ADMIN).get(reverse("report-csv", args=["lapsed"]), PERIOD)
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


def test_an_unknown_table_is_404_and_a_therapist_has_no_rooms_csv(client_as, scene):
    admin = client_as(Role.CLINIC_ADMIN)
    assert admin.get(reverse("report-csv", args=["nothing"])).status_code == 404
    therapist = client_as(Role.THERAPIST)
    assert therapist.get(reverse("report-csv", args=["utilisation-rooms"])).status_code == 404


def test_the_api_answers_the_same_figures(client_as, scene):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("api-report", args=["visits"]), PERIOD)
    assert response.status_code == 200
    (visits,) = response.json()["reports"]
    assert visits["figures"]["new_clients"] == {"label": "New clients", "value": 3}
    assert visits["tables"][0]["key"] == "visits"


def test_the_apis_figures_have_stable_keys_and_their_labels(client_as, scene):
    reports = client_as(Role.CLINIC_ADMIN).get(reverse("api-reports"), PERIOD).json()["reports"]
    for report in reports:
        section = sections.report(report["key"], week.period(clinic_zone()))
        assert list(report["figures"]) == [figure.key for figure in section.figures]
        assert [f["label"] for f in report["figures"].values()] == [
            label for label, _ in section.figures
        ]
        assert all(key.isidentifier() and key.islower() for key in report["figures"])


def test_the_api_refuses_a_bad_date_with_its_rule_code(client_as, db):
    response = client_as(Role.THERAPIST).get(reverse("api-reports"), {"start": "nope"})
    assert response.status_code == 400
    assert response.json()["code"] == "REPORT_BAD_PERIOD"


def test_the_api_has_no_unknown_report(client_as, db):
    assert client_as(Role.CLINIC_ADMIN).get("/api/reports/nothing/").status_code == 404


def grow(scene, clients=40):
    """Many more clients, visits, plans, notes, reminders and practice days in the period."""
    for n in range(clients):
        client = ClientFactory()
        day, hour = n % 5, 15 + n // 5  # after the scene's own visits
        scene.room = RoomFactory()
        therapist = scene.therapist if n % 2 else scene.other
        first = week.visit(scene, client, therapist, week.at(day, hour))
        plan = week.plan(client, therapist, home_care=week.HOME_CARE)
        week.note(first, plan)
        week.visit(scene, client, therapist, week.at(day + 7, hour), week.S.NO_SHOW)
        Reminder.objects.create(
            kind="appointment",
            client=client,
            appointment=first,
            channel="email",
            due_at=first.starts_at - timedelta(hours=2),
            next_attempt_at=first.starts_at,
            status="sent",
            sent_at=first.starts_at,
        )
        PracticeLog.objects.create(client=client, plan=plan, practiced_on=week.MONDAY, source="api")


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_data(
    client_as, scene, django_assert_max_num_queries
):
    admin = client_as(Role.CLINIC_ADMIN)
    with django_assert_max_num_queries(40) as few:
        admin.get(reverse("reports"), PERIOD)
    grow(scene)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get(reverse("reports"), PERIOD)
    assert response.context["sections"][1].figures[1][1] > 40  # the growth is counted
