"""Template helpers shared by every page's frame (base.html)."""

from datetime import date

from django import template
from django.utils.html import escape

register = template.Library()


@register.filter(is_safe=True)
def mark_current(menu, path):
    """Give the menu link that points at this very page `aria-current="page"`.

    Applied to the whole rendered menu, so a link any feature adds to _nav.html is marked too.
    `is_safe` keeps the rendered menu safe (it is template output) without trusting any other
    string this filter might be given: that one is escaped as usual.
    """
    link = f'<a href="{escape(path)}"'
    return str(menu).replace(link, f'{link} aria-current="page"', 1)


@register.filter
def iso_date(value):
    """An ISO date string (as the API shapes carry them) as a date, for the `date` filter."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value
