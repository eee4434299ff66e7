"""Who may open the turnover and employee-import pages."""

from __future__ import annotations

from servicecraft.roles import HR, MANAGER
from tests.url_access import Access

URL_ACCESS = {
    "servicecraft:workforce": Access(frozenset({HR, MANAGER})),
}
URL_ACCESS["servicecraft:employee_import"] = Access(frozenset({HR, MANAGER}))
