"""One date format everywhere: the clinic's ("Wed 26 Nov 2026", "26 Nov 2026, 14:30")."""

import re
from datetime import date, datetime
from pathlib import Path

from django.template import Context, Template
from django.urls import reverse

from clinic.accounts.models import Role

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Formats a template may still spell out: times, a weekday alone, and ISO values for URLs.
ALLOWED_LITERALS = {"H:i", "D", "Y-m-d"}


def render(source, **context):
    return Template(source).render(Context(context))


def test_dates_read_day_month_year_with_a_24_hour_clock():
    moment = datetime(2026, 11, 26, 14, 30)
    assert render('{{ d|date:"DATE_FORMAT" }}', d=date(2026, 11, 26)) == "Thu 26 Nov 2026"
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=date(2026, 11, 26)) == "26 Nov 2026"
    assert render('{{ m|date:"SHORT_DATETIME_FORMAT" }}', m=moment) == "26 Nov 2026, 14:30"
    assert render("{{ d|date }}", d=date(2026, 11, 26)) == "Thu 26 Nov 2026"


def test_inputs_keep_iso_dates():
    from django import forms

    field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    assert 'value="2026-11-26"' in field.widget.render("d", date(2026, 11, 26))


def test_templates_name_a_clinic_format_instead_of_spelling_their_own():
    spelled = []
    for path in TEMPLATES.rglob("*.*"):
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            if found not in ALLOWED_LITERALS and not found.endswith("_FORMAT"):
                spelled.append(f"{path.relative_to(TEMPLATES)}: {found}")
    assert not spelled, "use DATE_FORMAT, SHORT_DATE_FORMAT, ...:\n" + "\n".join(spelled)


def test_the_client_page_shows_the_date_of_birth_in_the_clinic_format(client_as, a_client):
    a_client.date_of_birth = date(1980, 11, 26)
    a_client.save()
    page = client_as(Role.FRONT_DESK).get(reverse("client-detail", args=[a_client.pk]))
    assert "26 Nov 1980" in page.content.decode()
    assert "Nov 26, 1980" not in page.content.decode()
