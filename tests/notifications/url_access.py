"""Who may open the notification pages: email preferences, for everyone."""

from __future__ import annotations

from tests.url_access import ANY_ROLE, Access

URL_ACCESS = {
    "notifications:preferences": Access(ANY_ROLE),
}
