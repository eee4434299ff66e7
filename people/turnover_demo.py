"""Demo people history for the turnover and tenure figures: past and present staff.

The demo organisation (servicecraft.demo) is eight people who all still work
here, which gives a turnover of zero. This adds a realistic history through the
HR import (the same path as a real CSV): colleagues who stayed long, newcomers in
adaptation, and people who left over the last two years — more of them in the
call centre, where turnover is typically highest. Only usernames not known yet
are imported, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.utils import timezone

from people import services
from people.employee_import import EMPLOYEE_COLUMNS

User = get_user_model()

# username, full name, department, position, days since hire, days since leaving (None: still here)
HISTORY = [
    ("elena.f", "Elena Fedorova", "Front desk", "Receptionist", 2600, None),
    ("nikolai.b", "Nikolai Belov", "Front desk", "Receptionist", 900, 120),
    ("irina.k", "Irina Kozlova", "Front desk", "Receptionist", 75, None),
    ("yulia.n", "Yulia Novikova", "Call centre", "Call-centre operator", 500, 300),
    ("artem.l", "Artem Lebedev", "Call centre", "Call-centre operator", 420, 200),
    ("maxim.o", "Maxim Orlov", "Call centre", "Call-centre operator", 380, 40),
    ("daria.z", "Daria Zaitseva", "Call centre", "Call-centre operator", 130, None),
    ("kirill.s", "Kirill Semenov", "Call centre", "Call-centre operator", 60, None),
    ("roman.p", "Roman Pavlov", "Call centre", "Team lead", 1300, None),
    ("oleg.v", "Oleg Vinogradov", "After-sales service", "Service engineer", 3100, None),
    ("andrey.g", "Andrey Golubev", "After-sales service", "Service engineer", 2000, 500),
    ("vera.m", "Vera Makarova", "After-sales service", "Service engineer", 150, None),
    ("boris.t", "Boris Titov", "Warehouse", "Storekeeper", 2400, None),
    ("egor.k", "Egor Kiselev", "Warehouse", "Storekeeper", 700, 90),
]


def seed(*, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    known = set(
        User.objects.filter(username__in=[row[0] for row in HISTORY]).values_list("username", flat=True)
    )
    lines = [",".join(EMPLOYEE_COLUMNS)]
    for username, name, department, position, hired_days, left_days in HISTORY:
        if username in known:
            continue
        hired_on = today - datetime.timedelta(days=hired_days)
        left_on = "" if left_days is None else (today - datetime.timedelta(days=left_days)).isoformat()
        customer_facing = "no" if department == "Warehouse" else "yes"
        lines.append(
            f"{username},{name},{username}@servicecraft.example,{department},{position},"
            f"{hired_on.isoformat()},{left_on},{customer_facing}"
        )
    if len(lines) > 1:
        result = services.employees_import(handle=io.StringIO("\n".join(lines) + "\n"))
        assert result.ok, result.errors
