"""The clinic's one way of writing dates on pages, in emails and in PDFs.

"Wed 26 Nov 2026" and "26 Nov 2026, 14:30": day before month, 24-hour clock, never ambiguous.
Templates name these formats (`|date:"SHORT_DATE_FORMAT"`) instead of spelling their own.
Input formats are Django's (ISO in <input type=date>); the API and CSV stay ISO 8601.
"""

DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
