"""Home care: the self-massage routine in plain words, the client's precautions, practice logs.

The words come from the seed article ("Incorporating Buttock Massage into Your Self-Care
Routine", its techniques and its precautions); the reminders app records "I did it" clicks
through `record_practice()`.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.screening import SIDE_LYING, SKIN_AFFECTED_AREA, Pressure, Restrictions

from . import entries
from .models import PracticeLog, PracticeSource
from .vocab import WEEKDAY_INDEX, HomeCareTool, Weekday

TECHNIQUE_WORDS = {
    "effleurage": (
        "Gentle strokes",
        "Warm up first: with your palms or fingertips, make long, sweeping strokes over your "
        "buttock muscles. This warms the muscles, helps the blood flow and relaxes the area.",
    ),
    "kneading": (
        "Kneading",
        "Press and make slow circles into the buttock muscles with your fingers, knuckles or "
        "palms, in a controlled and comfortable way. This helps release tension and knots.",
    ),
    "deep_tissue": (
        "Deeper pressure",
        "Press slowly and firmly into the spots that feel tight, with your thumbs or knuckles, "
        "or by leaning into the tool. It can feel intense: stay within what is comfortable.",
    ),
    "trigger_point": (
        "Trigger points",
        "Find a tight knot, press on it with your fingers or a massage ball, hold for a few "
        "seconds, then release.",
    ),
}
TOOL_WORDS = {
    HomeCareTool.HANDS: "Use your hands.",
    HomeCareTool.FOAM_ROLLER: (
        "Sit on the foam roller with it under one buttock and roll slowly back and forth; "
        "shift your weight to control the pressure."
    ),
    HomeCareTool.MASSAGE_BALL: (
        "Sit or lean against a wall with the massage ball under one buttock and move slowly "
        "over the muscle; shift your weight to control the pressure."
    ),
}
GENERAL_PRECAUTIONS = (
    "Start with lighter pressure and increase it gradually, as you tolerate it.",
    "Do not press directly on your spine or the bony parts of your buttocks and hips "
    "(the tailbone, sit bones, and the bones at the sides and top of your hips).",
    "If your back pain becomes severe or does not go away, seek medical advice.",
    "Consistency matters more than intensity: a few minutes on the planned days is enough.",
)
PRESSURE_WORDS = {
    Pressure.LIGHT: "Keep the pressure light: a gentle touch, never pressing hard.",
    Pressure.MODERATE: "Keep the pressure moderate: firm enough to feel, never hard or deep.",
    Pressure.FIRM: "Keep the pressure no more than firm; no deep pressure.",
}


def _days_words(days) -> str:
    if len(days) == 7:
        return "every day"
    return ", ".join(Weekday(d).label for d in days)


def describe_item(item) -> str:
    """One home-care item as a sentence: what, with what, how long, which days and when."""
    title, _ = TECHNIQUE_WORDS[item["technique"]]
    tool = HomeCareTool(item["tool"]).label.lower()
    return (
        f"{title} with {tool}, {item['minutes']} minutes, {_days_words(item['days'])} "
        f"at {item['time']}."
    )


def describe_home_care(plan) -> str:
    """The plan's home care as plain sentences (a note's 'home care given' starts from it)."""
    return " ".join(describe_item(item) for item in plan.home_care)


def routine(plan) -> list[dict]:
    """Each home-care item with the seed's plain-words instructions, for the client's page."""
    steps = []
    for item in plan.home_care:
        title, how = TECHNIQUE_WORDS[item["technique"]]
        steps.append(
            {
                **item,
                "title": title,
                "how": how,
                "tool_how": TOOL_WORDS[HomeCareTool(item["tool"])],
                "tool_label": HomeCareTool(item["tool"]).label,
                "days_words": _days_words(item["days"]),
                "summary": describe_item(item),
            }
        )
    return steps


def precautions_for(restrictions: Restrictions | None, blocks_treatment=False) -> list[str]:
    """The seed's precautions plus the ones this client's screening adds, in plain words."""
    personal = []
    if blocks_treatment:
        personal.append(
            "Your health questionnaire asks us to check with a doctor before treatment: talk "
            "to your therapist before starting this routine."
        )
    if restrictions is not None:
        if restrictions.max_pressure in PRESSURE_WORDS:
            personal.append(PRESSURE_WORDS[restrictions.max_pressure])
        for technique in restrictions.forbidden_techniques:
            title, _ = TECHNIQUE_WORDS[technique]
            personal.append(f"Skip “{title.lower()}”: it is not safe for you right now.")
        if SKIN_AFFECTED_AREA in restrictions.avoid_areas:
            personal.append("Keep off any area with a rash, wound, infection or bruise.")
        if restrictions.positioning == SIDE_LYING:
            personal.append("Do it lying on your side rather than on your back or front.")
    return personal + list(GENERAL_PRECAUTIONS)


def practice_days(plan) -> set[int]:
    """The weekdays (Monday is 0) the plan asks the client to practise on."""
    return {WEEKDAY_INDEX[day] for item in plan.home_care for day in item["days"]}


def record_practice(client, plan, on_date, pain_now=None, source=PracticeSource.API):
    """Record that the client did their home care on `on_date` (their local day).

    Idempotent per client, plan and day: a second call that day changes nothing but the pain
    score, when one is given. Returns (log, created). Raises ValidationError for another
    client's plan, a day in the future or a pain score outside 0-10.
    """
    if plan.client_id != client.pk:
        raise ValidationError("That plan belongs to another client.")
    if on_date > timezone.localdate() + timedelta(days=1):
        # One day of slack: the client's evening may already be tomorrow in UTC terms.
        raise ValidationError("Practice cannot be recorded for a future day.")
    pain_now = entries.clean_pain(pain_now, "Pain now")
    source = PracticeSource(source)
    try:
        with transaction.atomic():
            log, created = PracticeLog.objects.get_or_create(
                client=client,
                plan=plan,
                practiced_on=on_date,
                defaults={"pain_now": pain_now, "source": source},
            )
    except IntegrityError:
        # Two clicks raced; the other one won and its row is the answer.
        log, created = (
            PracticeLog.objects.get(client=client, plan=plan, practiced_on=on_date),
            False,
        )
    if not created and pain_now is not None and log.pain_now != pain_now:
        log.pain_now = pain_now
        log.save(update_fields=["pain_now"])
    return log, created


def adherence(plan, logs, until: date, window_days=28) -> dict | None:
    """How many of the planned practice days in the last `window_days` were done.

    `logs` are the plan's practice dates (any iterable of dates). None when the plan has no
    home care.
    """
    days = practice_days(plan)
    if not days:
        return None
    start = max(plan.starts_on, until - timedelta(days=window_days - 1))
    expected = {
        start + timedelta(days=n)
        for n in range((until - start).days + 1)
        if (start + timedelta(days=n)).weekday() in days
    }
    done = {d for d in logs if start <= d <= until}
    on_plan = len(done & expected)
    return {
        "plan": plan.pk,
        "since": start.isoformat(),
        "until": until.isoformat(),
        "expected": len(expected),
        "done": on_plan,
        "extra": len(done - expected),
        "percent": round(100 * on_plan / len(expected)) if expected else None,
    }
