"""factory_boy factories for every app's models (one file, grouped by app)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from people.models import Department, Employee, Position

User = get_user_model()

# --- organisation ---------------------------------------------------------------


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")
    customer_facing = True


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Position {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee; ``roles=[...]`` puts their user in those role groups."""

    class Meta:
        model = Employee
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    position = factory.SubFactory(PositionFactory)
    hired_on = datetime.date(2020, 1, 15)
    customer_facing = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))


# --- complaints -----------------------------------------------------------------


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint received today by phone; pass status/root_cause/resolved_at for resolved ones."""

    class Meta:
        model = "complaints.Complaint"

    received_at = factory.LazyFunction(timezone.now)
    channel = "phone"
    customer = None
    # As the services keep it: a copy of the linked customer's value.
    customer_value = factory.LazyAttribute(lambda c: c.customer.value if c.customer is not None else None)
    customer_name = factory.Faker("name")
    customer_contact = factory.Faker("phone_number")
    summary = factory.Faker("sentence", nb_words=6)
    department = factory.SubFactory(DepartmentFactory)
    severity = "medium"
    status = "new"


class CannedReplyFactory(factory.django.DjangoModelFactory):
    """An active canned reply for any complaint in any language; pass root_cause/language."""

    class Meta:
        model = "complaints.CannedReply"

    title = factory.Sequence(lambda n: f"Canned reply {n}")
    body = "Dear {customer_name}, we are on it."
    root_cause = ""
    language = ""


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "complaints.CorrectiveAction"

    kind = "fix_process"
    description = factory.Faker("sentence", nb_words=8)
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


# --- standards ------------------------------------------------------------------


class StandardFactory(factory.django.DjangoModelFactory):
    """A standard with no version yet; use ``publish_standard_version`` to give it content."""

    class Meta:
        model = "standards.Standard"

    code = factory.Sequence(lambda n: f"SRV-{n:03d}")
    title = factory.Sequence(lambda n: f"Greeting the customer {n}")
    category = "greeting"
    owner = factory.SubFactory(UserFactory, roles=["Manager"])
    applies_to_all_customer_facing = True


def publish_standard_version(
    standard=None,
    *,
    body: str = "Be **kind** to the customer.",
    steps=(("Greet the customer within 10 seconds.", "They feel noticed."), ("Say your name.", "")),
    questions=None,
    kind: str = "major",
    change_summary: str = "",
    publisher=None,
):
    """Publish a new version of ``standard`` (a new standard by default) through the services.

    ``questions`` is a list of ``(text, [(answer, correct), ...])``.
    """
    from standards import rules, services

    standard = standard or StandardFactory()
    publisher = publisher or standard.owner
    draft = services.standard_version_start_draft(standard=standard, author=publisher)
    services.standard_draft_update(
        version=draft,
        actor=publisher,
        body=body,
        change_summary=change_summary,
        steps=[services.StepInput(text, why) for text, why in steps],
        questions=None
        if questions is None
        else [services.QuestionInput(text, list(choices)) for text, choices in questions],
    )
    return services.standard_version_publish(
        version=draft,
        publisher=publisher,
        kind=kind,
        checklist={key: True for key, _label in rules.CHECKLIST_ITEMS},
    )


# --- training -------------------------------------------------------------------


def _training_now() -> datetime.datetime:
    from django.utils import timezone as tz

    return tz.now()


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Course"
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Service course {n}")
    description = "Greeting, listening, promising conservatively."
    duration_minutes = 120
    counts_toward_rule = True


class SessionFactory(factory.django.DjangoModelFactory):
    """A planned session of two hours, a week from now unless ``starts_at`` is given."""

    class Meta:
        model = "training.Session"

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: _training_now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    place = "Room 1"
    trainer_name = "External trainer"
    capacity = 10
    status = "planned"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Enrolment"

    session = factory.SubFactory(SessionFactory)
    employee = factory.SubFactory(EmployeeFactory)
    status = "invited"


def attended_session(employee, day: datetime.date, *, course=None, status: str = "attended"):
    """Record that ``employee`` attended (or not, per ``status``) a held session on ``day``."""
    from django.utils import timezone as tz

    starts_at = tz.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    session = SessionFactory(
        course=course or CourseFactory(title="Service basics"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status="held",
    )
    return EnrolmentFactory(session=session, employee=employee, status=status)


# --- metrics --------------------------------------------------------------------


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Customer"

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda c: f"{c.external_id.lower()}@example.com")
    segment = "retail"
    first_seen = datetime.date(2024, 1, 1)


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Purchase"

    external_id = factory.Sequence(lambda n: f"T{n:08d}")
    customer = factory.SubFactory(CustomerFactory)
    date = datetime.date(2024, 2, 1)
    amount = "100.00"


# --- notifications ----------------------------------------------------------------


class ReportFactory(factory.django.DjangoModelFactory):
    """A stored weekly report with one metric and one chart."""

    class Meta:
        model = "reports.Report"

    week_start = factory.Sequence(lambda n: datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n))
    department = None
    figures = factory.LazyFunction(
        lambda: {
            "filters": ["Change: compared with the week before."],
            "sections": [
                {
                    "key": "people",
                    "title": "People",
                    "metrics": [{"label": "Employees", "value": 12, "previous": 10, "format": "int"}],
                    "charts": [
                        {
                            "name": "headcount",
                            "title": "Employees",
                            "type": "bars",
                            "labels": ["A"],
                            "values": [3],
                        }
                    ],
                }
            ],
        }
    )


# --- complaints: satisfaction survey ------------------------------------------------


class SurveyEmailFactory(factory.django.DjangoModelFactory):
    """The email that carried a survey: a notification to an address, sent."""

    class Meta:
        model = "notifications.Notification"

    to_email = factory.Sequence(lambda n: f"customer{n}@example.com")
    language = "en"
    kind = "complaint_survey"
    key = factory.Sequence(lambda n: f"complaint:{n}:round:1")
    period = ""
    status = "sent"
    attempts = 1
    sent_at = factory.LazyFunction(timezone.now)


class SatisfactionSurveyFactory(factory.django.DjangoModelFactory):
    """A sent, unanswered survey of a resolved complaint; pass ``answer`` and ``answered_at``
    to answer it, ``notification__status="failed"`` for one whose email failed."""

    class Meta:
        model = "complaints.SatisfactionSurvey"

    complaint = factory.SubFactory(
        ComplaintFactory,
        status="resolved",
        root_cause="processes",
        resolved_at=factory.LazyFunction(timezone.now),
        customer_contact=factory.Sequence(lambda n: f"customer{n}@example.com"),
    )
    email = factory.LazyAttribute(lambda s: s.complaint.customer_contact)
    notification = factory.SubFactory(SurveyEmailFactory, to_email=factory.SelfAttribute("..email"))


# --- complaints: pulse survey ---------------------------------------------------------


class PulseWaveFactory(factory.django.DjangoModelFactory):
    """A week of the pulse survey (its counts are whatever the test sets)."""

    class Meta:
        model = "complaints.PulseWave"
        django_get_or_create = ("week_start",)

    week_start = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(weeks=n))
    created_at = factory.LazyFunction(timezone.now)
    seed = 1


class PulseEmailFactory(SurveyEmailFactory):
    kind = "pulse_survey"
    key = factory.Sequence(lambda n: f"pulse:factory:{n}")


class PulseInvitationFactory(factory.django.DjangoModelFactory):
    """A customer asked today whose email was sent, not answered yet; pass the answer fields
    (``answered_at``, ``satisfaction``, ``problem``, ``told``…) to answer it."""

    class Meta:
        model = "complaints.PulseInvitation"

    wave = factory.SubFactory(PulseWaveFactory)
    customer = factory.SubFactory(CustomerFactory, email_consent="yes")
    email = factory.LazyAttribute(lambda i: i.customer.email)
    language = "en"
    segment = factory.LazyAttribute(lambda i: i.customer.segment)
    notification = factory.SubFactory(PulseEmailFactory, to_email=factory.SelfAttribute("..email"))
    created_at = factory.LazyFunction(timezone.now)
    asked_about_since = factory.LazyAttribute(lambda i: i.created_at - datetime.timedelta(days=30))
    expires_at = factory.LazyAttribute(lambda i: i.created_at + datetime.timedelta(days=30))
