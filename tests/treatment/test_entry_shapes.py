"""Each entry shape is declared once: the form rows, the API and the cleaners agree on it."""

import pytest

from sessions import entries, forms, serializers
from sessions.signing import note_content
from tests.treatment.conftest import TECHNIQUE

SHAPES = [
    (entries.TECHNIQUE, serializers.TechniqueSerializer, forms.TechniqueRows),
    (entries.PLAN_TECHNIQUE, serializers.PlanTechniqueSerializer, forms.PlanTechniqueRows),
    (entries.TRIGGER_POINT, serializers.TriggerPointSerializer, forms.TriggerPointRows),
    (entries.PSFS, serializers.PsfsSerializer, forms.PsfsRows),
    (entries.GOAL, serializers.GoalSerializer, None),
    (entries.TARGET_MUSCLE, serializers.TargetMuscleSerializer, None),
    (entries.HOME_CARE, serializers.HomeCareSerializer, None),
]


@pytest.mark.parametrize(
    ("shape", "serializer", "rows"), SHAPES, ids=[s.__name__ for _, s, _ in SHAPES]
)
def test_the_api_and_the_form_rows_offer_the_keys_the_shape_declares(shape, serializer, rows):
    keys = [field.name for field in shape.fields]
    assert list(serializer().fields) == keys
    if rows is not None:
        assert list(rows().empty_form.fields) == keys
        assert rows.max_num == rows.absolute_max == shape.max_rows


def test_the_api_and_the_form_keep_to_the_declared_bounds():
    minutes = entries.TECHNIQUE["minutes"]
    api = serializers.TechniqueSerializer().fields["minutes"]
    form = forms.TechniqueRows().empty_form.fields["minutes"]
    assert (api.min_value, api.max_value) == (minutes.low, minutes.high)
    assert (form.min_value, form.max_value) == (minutes.low, minutes.high)


def test_a_plan_technique_left_without_a_progression_takes_the_declared_default():
    api = serializers.PlanTechniqueSerializer(data=TECHNIQUE)
    assert api.is_valid(), api.errors
    cleaned = entries.clean_plan_techniques([TECHNIQUE])[0]
    assert api.validated_data["progression"] == cleaned["progression"] == "as_tolerated"


@pytest.mark.django_db
def test_the_form_the_api_and_the_signature_cover_the_note_s_fields(draft):
    names = list(entries.NOTE_FIELD_NAMES)
    posted = {
        f"{prefix}-{key}": "0"
        for prefix in ("techniques", "trigger_points", "psfs")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    form = forms.NoteForm(posted, note=draft)
    assert form.is_valid(), form.errors
    assert list(form.note_data()) == names
    assert [name for name in serializers.NoteSerializer().fields if name in names] == names
    assert set(names) <= set(note_content(draft))
