"""Demo intakes with every outcome, found-or-created so seeding twice changes nothing."""

from django.utils import timezone

from . import services

CLEAR = {
    "pain_score": 3,
    "pain_duration_weeks": 2,
    "pain_constant_unrelenting": False,
    "pain_worse_at_night": False,
    "medically_evaluated": True,
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
    "dvt_signs": False,
    "dvt_history": False,
    "anticoagulants": False,
    "osteoporosis": False,
    "skin_condition_in_area": False,
    "other_conditions": "",
    "consent": True,
}
# Per demo client, in DemoPeople order: the answers that differ from CLEAR, and whether a
# provider's clearance is on file. The last client has no intake at all (status `missing`).
DEMO_INTAKES = [
    ({"pain_score": 5, "anticoagulants": True}, False),  # precautions
    ({}, False),  # clear
    # clearance, with the provider's clearance on file
    (
        {
            "pregnant": True,
            "pregnancy_weeks": 22,
            "pregnancy_high_risk": False,
            "pregnancy_warning_signs": False,
        },
        True,
    ),
    # clearance, none on file yet
    ({"osteoporosis": True, "pain_duration_weeks": 10, "medically_evaluated": False}, False),
    ({"recent_trauma": True, "pain_score": 6}, False),  # refer
]


def seed(people):
    """Give the first five demo clients an intake each (clear, precautions, clearance with and
    without a clearance on file, refer); clients who already have one are left alone."""
    for client, (changes, cleared) in zip(people.clients, DEMO_INTAKES, strict=False):
        if client.intakes.exists():
            continue
        answers = CLEAR | changes | {"signature": client.full_name}
        services.submit_intake(client, answers, None)
        if cleared and not client.clearances.exists():
            services.record_clearance(
                client,
                provider_name="Dr Amara Osei, family physician",
                cleared_on=timezone.localdate(),
                note="Cleared for gentle side-lying massage through the pregnancy.",
                by_user=people.admin,
            )
