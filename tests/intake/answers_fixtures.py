"""A valid, all-clear set of intake answers for tests to start from."""

from typing import Any


def clear_answers(**overrides: Any) -> dict[str, Any]:
    """Answers that pass validation and screen as `clear`, with `overrides` on top.

    The pregnancy details are included as a not-pregnant client's cleaned answers hold them, so
    `validate_answers(clear_answers())` gives back the same dict. `medically_evaluated` is False
    so that raising the pain or its duration is enough to need a clearance.
    """
    answers: dict[str, Any] = {
        "pain_score": 2,
        "pain_duration_weeks": 1,
        "pain_constant_unrelenting": False,
        "pain_worse_at_night": False,
        "medically_evaluated": False,
        "pain_radiates_below_knee": False,
        "leg_numbness_or_tingling": False,
        "progressive_leg_weakness": False,
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        "fever_or_unwell": False,
        "unexplained_weight_loss": False,
        "history_of_cancer": False,
        "recent_trauma": False,
        "injury_in_area": "none",
        "recent_surgery_weeks": None,
        "pregnant": False,
        "pregnancy_weeks": None,
        "pregnancy_high_risk": False,
        "pregnancy_warning_signs": False,
        "dvt_signs": False,
        "dvt_history": False,
        "anticoagulants": False,
        "osteoporosis": False,
        "skin_condition_in_area": False,
        "other_conditions": "",
        "consent": True,
        "signature": "Alex Example",
    }
    answers.update(overrides)
    return answers
