"""Benchmark pages of the intake (see ``common/bench.py``): the public complaint form a
customer opens from a department's QR code (anonymous), and the managers' page of every
department's link and QR code, which grows with the number of departments."""

from __future__ import annotations

from django.urls import reverse

from common.bench import VISITOR, BenchPage
from complaints.intake.links import intake_token
from people.models import Department


def bench_pages() -> list[BenchPage]:
    pages = [BenchPage("complaints: intake links and QR codes", reverse("intake:links"))]
    department = Department.objects.filter(name__startswith="Bench department").order_by("id").first()
    if department:
        form = reverse("intake:public_form", kwargs={"token": intake_token(department)})
        pages.append(BenchPage("complaints: public form (anonymous)", form, username=VISITOR))
    return pages
