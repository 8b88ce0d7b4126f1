"""What the chain's rows say: names, intake answers and their screening, plan and note content.

The clinical content is the demo's (intake/demo.py, sessions/demo.py), so it is valid by the
same rules; the intake answers are screened by intake/screening.py once per variant.
"""

from functools import cache
from typing import Any

from intake.answers import validate_answers
from intake.demo import CLEAR
from intake.screening import screen
from sessions.demo import HOME_CARE, PSFS, SUBJECTIVE, TECHNIQUES

FIRST_NAMES = [
    "Marie", "Jean", "Sophie", "Luc", "Isabelle", "Marc", "Julie", "Pierre", "Nathalie",
    "Martin", "Chloé", "Alexandre", "Émilie", "Simon", "Camille", "Olivier", "Léa", "Mathieu",
    "Sarah", "David", "Emma", "Daniel", "Olivia", "James", "Amira", "Noah", "Priya", "Wei",
]  # fmt: skip
# Common surnames in a Quebec chain: Gagnon is the second most common (about 1 in 60 here),
# which is what the client search benchmark looks for.
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier",
    "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault", "Nadeau", "Martin",
    "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier", "Richard", "Michaud",
    "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais", "Gosselin",
    "Savard", "Proulx", "Smith", "Brown", "Wilson", "Nguyen", "Singh", "Chen", "Patel",
]  # fmt: skip

# (weight, answers that differ from the demo's clear intake)
INTAKE_VARIANTS = [
    (70, {}),
    (18, {"pain_score": 5, "anticoagulants": True}),
    (8, {"osteoporosis": True, "pain_duration_weeks": 10, "medically_evaluated": False}),
    (4, {"recent_trauma": True, "pain_score": 6}),
]


@cache
def screened_intakes() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each variant's cleaned answers and the screening result stored with them."""
    variants = []
    for _, changes in INTAKE_VARIANTS:
        cleaned, errors = validate_answers({**CLEAR, **changes, "signature": "Chain Client"})
        assert not errors, errors
        variants.append((cleaned, screen(cleaned).as_dict()))
    return variants


PLAN = {
    "goals": [
        {"goal": "muscle_relaxation", "measure": "Pain (0-10)", "baseline": 7, "target": 3},
        {"goal": "flexibility", "measure": "PSFS average (0-10)", "baseline": 4, "target": 8},
    ],
    "target_muscles": [
        {"muscle": "gluteus_medius", "side": "both"},
        {"muscle": "piriformis", "side": "left"},
    ],
    "techniques": [{**t, "progression": "as_tolerated"} for t in TECHNIQUES],
    "home_care": HOME_CARE,
}

NOTE_TEXT = {
    "objective": "Tender left piriformis; hip rotation limited on the left.",
    "assessment": "Gluteal tension easing; responding to moderate pressure.",
    "plan": "Continue weekly; progress pressure as tolerated.",
    "client_response": "Relaxed; said the left side felt looser.",
}
NOTE_SUBJECTIVE = SUBJECTIVE
NOTE_TECHNIQUES = TECHNIQUES
NOTE_BODY_MAP = {
    "gluteus_medius_left": "treated",
    "gluteus_maximus_left": "treated",
    "piriformis_left": "tender",
}
NOTE_PSFS = PSFS
