"""Template tags other apps' pages use to show the complaints and actions that led to them.

``{% load complaints_links %}{% actions_for_standard standard %}`` on a standard's
page, ``{% actions_for_course course %}`` on a course's page: each renders
``complaints/snippets/actions_for.html`` from one selector call (two queries).
"""

from __future__ import annotations

from django import template

from complaints import selectors

register = template.Library()


@register.inclusion_tag("complaints/snippets/actions_for.html", takes_context=True)
def actions_for_standard(context, standard) -> dict:
    return {
        "actions": selectors.corrective_actions_for_standard(standard=standard),
        "link_complaints": context.get("is_manager", False),
    }


@register.inclusion_tag("complaints/snippets/actions_for.html", takes_context=True)
def actions_for_course(context, course) -> dict:
    # HR edits courses but does not see complaints: the summaries are shown without links.
    return {
        "actions": selectors.corrective_actions_for_course(course=course),
        "link_complaints": context.get("is_manager", False),
    }
