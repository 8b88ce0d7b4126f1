"""Intake answers as the HTML form posts them (strings; an unticked box is left out)."""

from tests.intake.answers_fixtures import clear_answers


def as_post(answers):
    data = {}
    for key, value in answers.items():
        if key == "consent":
            if value:
                data[key] = "on"
        elif isinstance(value, bool):
            data[key] = "yes" if value else "no"
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)
    return data


def form_data(**overrides):
    """A valid all-clear form post, with `overrides` (already strings) on top; a value of
    None leaves that question unanswered."""
    data = as_post(clear_answers()) | overrides
    return {key: value for key, value in data.items() if value is not None}


def question(html, key):
    """The part of the page that belongs to one question: where its errors must show."""
    start = html.index(f'id="q-{key}"')
    end = html.find('id="q-', start + 1)
    return html[start : end if end != -1 else len(html)]
