"""``{% role_fragment %}…{% endrole_fragment %}``: a part of the navigation that depends only on
the reader's roles and the language, rendered once per process for each such combination.

Every page carries the navigation, and rendering it resolved some thirty URLs and translated
as many labels on every request (about a millisecond of each page, the same bytes each time
for everyone holding the same roles). A fragment may read only what its key holds: the
language, the script prefix and URLconf, ``is_manager``, ``is_hr``, ``is_staff_member`` (the
roles context processor) and whether the user is signed in or a superuser. It is rendered from
a context of those values only (``user`` a :class:`FragmentReader`), so that nothing else of
the page can reach HTML shared with other people: what differs per person or per page (the
name, the count of unopened complaints, the CSRF token, the current path) stays outside the
fragments, and inside one renders empty. With ``DEBUG`` on, fragments render every time, so
that template edits show at once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString

register = template.Library()

_rendered: dict[tuple, SafeString] = {}
# Each fragment parsed gets its own number (token positions are only kept in debug mode).
_fragment_numbers = itertools.count()


@receiver(setting_changed)
def _forget_rendered_fragments(**kwargs) -> None:
    # A test that changes the settings (languages, URLs, templates) must not see old HTML.
    _rendered.clear()


@dataclass(frozen=True)
class FragmentReader:
    """The ``user`` of a fragment: what its key holds of the reader, nothing that names them."""

    is_authenticated: bool
    is_superuser: bool


def _fragment_inputs(context: template.Context) -> dict[str, object]:
    """The values a fragment renders from, all of them in its key."""
    user = context.get("user")
    return {
        "is_manager": bool(context.get("is_manager")),
        "is_hr": bool(context.get("is_hr")),
        "is_staff_member": bool(context.get("is_staff_member")),
        "user": FragmentReader(
            is_authenticated=bool(getattr(user, "is_authenticated", False)),
            is_superuser=bool(getattr(user, "is_superuser", False)),
        ),
    }


class RoleFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        self.number = next(_fragment_numbers)

    def render(self, context: template.Context) -> SafeString:
        inputs = _fragment_inputs(context)
        # ``new`` keeps the template (for includes) and the request, not the page's variables.
        fragment_context = context.new(inputs)
        if settings.DEBUG:
            return self.nodelist.render(fragment_context)
        key = (
            self.number,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            *inputs.values(),
        )
        html = _rendered.get(key)
        if html is None:
            html = _rendered[key] = self.nodelist.render(fragment_context)
        return html


@register.tag
def role_fragment(parser: template.base.Parser, token: template.base.Token) -> RoleFragmentNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% role_fragment %} takes no argument.")
    nodelist = parser.parse(("endrole_fragment",))
    parser.delete_first_token()
    return RoleFragmentNode(nodelist)
