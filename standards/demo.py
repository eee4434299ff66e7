"""Demo standards: fifteen realistic service standards across the demo departments.

Some are acknowledged, some overdue, two are past their review date, one was
revised with a major version (so Olga must re-acknowledge it and sees what
changed), one had a minor wording fix, and one step of the returns standard is
flagged as an anti-standard candidate. Keyed by standard code: a second run
changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from people.models import Department, Employee
from standards import rules, services
from standards.models import Acknowledgement, Standard, StandardVersion, StepResult

User = get_user_model()
CHECKLIST = {key: True for key, _label in rules.CHECKLIST_ITEMS}

FRONT, CALLS, AFTER = "Front desk", "Call centre", "After-sales service"


@dataclass
class DemoStandard:
    code: str
    title: str
    category: str
    body: str
    steps: list[tuple[str, str]]
    departments: list[str] = field(default_factory=list)
    all_customer_facing: bool = False
    owner: str = "manager"
    published_days_ago: int = 60
    review_months: int = 12
    questions: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)
    # Usernames who signed the (first) version, and how many days after publication.
    acknowledged_by: list[str] = field(default_factory=list)
    # A later version: (days ago, kind, change summary, new steps).
    revision: tuple[int, str, str, list[tuple[str, str]]] | None = None


STANDARDS = [
    DemoStandard(
        "SRV-001",
        "Greeting a visitor",
        "greeting",
        "The first ten seconds decide how the visitor feels about the whole visit. "
        "Everyone at the desk greets, even when busy with another customer.",
        [
            (
                "Look up and make eye contact within 10 seconds of the visitor entering.",
                "They know they were seen.",
            ),
            ("Smile and say “Good morning / Good afternoon, welcome to …”.", "A warm start lowers tension."),
            (
                "If you are busy, say “I will be with you in a minute” and offer a seat.",
                "Waiting feels shorter.",
            ),
            ("Ask “How can I help you today?” — never “What do you want?”.", ""),
        ],
        departments=[FRONT],
        published_days_ago=400,
        acknowledged_by=["olga", "manager"],
        revision=(
            10,
            "major",
            "Greet by name when the visitor is known; offer water to anyone waiting more than five minutes.",
            [
                (
                    "Look up and make eye contact within 10 seconds of the visitor entering.",
                    "They know they were seen.",
                ),
                (
                    "Smile and greet; use the visitor's name when you know it.",
                    "People like to be recognised.",
                ),
                (
                    "If you are busy, say “I will be with you in a minute” and offer a seat.",
                    "Waiting feels shorter.",
                ),
                (
                    "Offer water or coffee to anyone waiting more than five minutes.",
                    "Shows we value their time.",
                ),
                ("Ask “How can I help you today?” — never “What do you want?”.", ""),
            ],
        ),
    ),
    DemoStandard(
        "SRV-002",
        "Answering the phone",
        "phone",
        "A phone call is often the customer's first contact. **Answer fast, introduce yourself, listen.**",
        [
            ("Pick up by the third ring.", "Nobody likes listening to ringing."),
            (
                "Say the company name, your name and “How can I help you?”.",
                "The caller knows who they talk to.",
            ),
            (
                "Write down the caller's name and use it during the call.",
                "Calling customers by name builds trust.",
            ),
            (
                "Summarise what you will do and by when before hanging up.",
                "The customer leaves with a clear promise.",
            ),
        ],
        departments=[CALLS],
        published_days_ago=90,
        questions=[
            (
                "By which ring do you pick up?",
                [("The third", True), ("The fifth", False), ("When free", False)],
            ),
            (
                "What do you say first?",
                [("Company name, my name, how can I help", True), ("Hello?", False), ("Please hold", False)],
            ),
        ],
        acknowledged_by=["ivan", "anna"],
    ),
    DemoStandard(
        "SRV-003",
        "Accepting a complaint",
        "complaint_acceptance",
        "A complaint is a gift: only a few unhappy customers ever tell us. Thank them, then fix it.\n\n"
        "Record every complaint in servicecraft, even when you solved it on the spot.",
        [
            ("Listen to the end without interrupting.", "They feel heard before anything else."),
            ("Thank the customer for telling us.", "Complaining takes effort; we want them to do it again."),
            ("Apologise for the experience, without blaming colleagues or the customer.", ""),
            ("Agree what happens next and a date you can beat.", "A clear promise removes uncertainty."),
            (
                "Record the complaint and its root cause the same day.",
                "Nothing gets lost; the cause gets fixed.",
            ),
        ],
        all_customer_facing=True,
        published_days_ago=30,
        questions=[
            (
                "A customer complains about a colleague. What do you do first?",
                [("Listen to the end, then thank them", True), ("Defend the colleague", False)],
            ),
            (
                "When do you record a complaint solved on the spot?",
                [("The same day, always", True), ("Never, it is solved", False)],
            ),
        ],
        acknowledged_by=["olga", "pavel", "anna"],
    ),
    DemoStandard(
        "SRV-004",
        "Promising delivery dates",
        "promises",
        "Promise conservatively and beat the promise: if the job takes about three days, promise five.",
        [
            ("Check the real lead time in the system before promising.", "The promise is based on facts."),
            ("Add the buffer: promise at least two working days more than the estimate.", "We can beat it."),
            (
                "If a delay appears, call the customer before the promised date.",
                "No bad surprise on the day.",
            ),
        ],
        all_customer_facing=True,
        published_days_ago=25,
        questions=[
            (
                "The repair takes about three days. What do you promise?",
                [("Five days", True), ("Three days", False), ("Tomorrow, to be nice", False)],
            ),
        ],
        acknowledged_by=["pavel", "ivan"],
    ),
    DemoStandard(
        "SRV-005",
        "Addressing the customer by name",
        "addressing",
        "People like hearing their own name. Use it, and use the form of address the customer prefers.",
        [
            ("Ask for the customer's name early and write it down.", ""),
            ("Use the name at least twice during the conversation.", "They feel personally served."),
            (
                "Use the form of address the customer used themselves.",
                "Respect for how they want to be called.",
            ),
        ],
        all_customer_facing=True,
        published_days_ago=200,
        acknowledged_by=["olga", "ivan", "pavel", "dmitry", "manager"],
        revision=(
            40,
            "minor",
            "Wording: “form of address” made clearer.",
            [
                ("Ask for the customer's name early and write it down.", ""),
                ("Use the name at least twice during the conversation.", "They feel personally served."),
                (
                    "Address the customer the way they introduced themselves.",
                    "Respect for how they want to be called.",
                ),
            ],
        ),
    ),
    DemoStandard(
        "SRV-006",
        "Farewell",
        "farewell",
        "The last impression stays. End every contact as warmly as it began.",
        [
            ("Ask “Is there anything else I can do for you?”.", "Nothing is left unsaid."),
            ("Thank the customer by name.", ""),
            ("Tell them how to reach you if something goes wrong.", "They know we stay responsible."),
        ],
        all_customer_facing=True,
        published_days_ago=20,
        acknowledged_by=["olga"],
    ),
    DemoStandard(
        "SRV-007",
        "After-sales follow-up call",
        "after_sales",
        "Three days after a repair or delivery we call the customer to check everything works.",
        [
            (
                "Call within three working days of the delivery or repair.",
                "Problems surface while still small.",
            ),
            ("Ask whether everything works and whether they are satisfied.", ""),
            (
                "Log any problem as a complaint and promise a date for the fix.",
                "The silent unhappy get a voice.",
            ),
        ],
        departments=[AFTER],
        owner="dmitry",
        published_days_ago=50,
        acknowledged_by=["pavel", "dmitry"],
    ),
    DemoStandard(
        "SRV-008",
        "Transferring a call",
        "phone",
        "A customer should never have to repeat their story.",
        [
            ("Tell the customer who you are transferring them to and why.", ""),
            ("Brief the colleague before connecting.", "The customer does not repeat themselves."),
            ("If nobody answers, take the number and promise a call-back time.", "No dead ends."),
        ],
        departments=[CALLS],
        published_days_ago=16,
    ),
    DemoStandard(
        "SRV-009",
        "Waiting area and queue",
        "greeting",
        "Keep the waiting area tidy and the queue moving.",
        [
            ("Check the waiting area every hour: seats, magazines, water.", "A pleasant wait."),
            ("If the queue is longer than three people, call a colleague to help.", "Shorter waits."),
        ],
        departments=[FRONT],
        published_days_ago=430,
        acknowledged_by=["olga"],
    ),
    DemoStandard(
        "SRV-010",
        "Calling back a missed call",
        "phone",
        "Every missed call is a customer who may not call twice.",
        [
            ("Call back every missed call within two working hours.", "They do not go to a competitor."),
            ("Introduce yourself and say you are returning their call.", ""),
        ],
        departments=[CALLS],
        published_days_ago=120,
        acknowledged_by=["ivan"],
    ),
    DemoStandard(
        "SRV-011",
        "Visiting a customer at home",
        "after_sales",
        "A service engineer in the customer's home is a guest.",
        [
            ("Call 30 minutes before arriving.", "The customer can plan their day."),
            ("Wear shoe covers and clean up after the work.", "Their home stays as it was."),
            ("Explain what was done and what to watch for.", "They trust the repair."),
        ],
        departments=[AFTER],
        owner="dmitry",
        published_days_ago=75,
        acknowledged_by=["pavel"],
    ),
    DemoStandard(
        "SRV-012",
        "Written replies to customers",
        "other",
        "Emails and chat messages follow the same warmth as a conversation.",
        [
            ("Reply within one working day.", ""),
            ("Start with the customer's name and answer the question in the first paragraph.", "No hunting."),
            ("Sign with your own name, not “The Team”.", "A person is responsible."),
        ],
        all_customer_facing=True,
        published_days_ago=500,
        review_months=12,
        acknowledged_by=["ivan", "olga", "pavel"],
    ),
    DemoStandard(
        "SRV-013",
        "Returns at the desk",
        "complaint_acceptance",
        "Returns are a chance to keep a customer.",
        [
            ("Greet and ask what went wrong with the product.", "We learn about product defects."),
            ("Ask for the original receipt and refuse any return without it.", ""),
            ("Offer an exchange or a refund as the customer prefers.", "They leave satisfied."),
        ],
        departments=[FRONT],
        published_days_ago=35,
        acknowledged_by=["olga"],
    ),
    DemoStandard(
        "SRV-014",
        "Warranty repair intake",
        "after_sales",
        "Taking in a device for repair under warranty.",
        [
            ("Check the device together with the customer and note visible damage.", "No disputes later."),
            ("Give a written receipt with the promised date (with buffer).", "A clear promise."),
        ],
        departments=[AFTER],
        owner="dmitry",
        published_days_ago=5,
    ),
    DemoStandard(
        "SRV-015",
        "Asking for feedback after a visit",
        "after_sales",
        "We ask every customer how we did — most unhappy customers never tell us on their own.",
        [
            ("At the end of the visit, ask “How did we do today?”.", "Silent unhappiness gets a voice."),
            ("Write down any suggestion, however small.", ""),
        ],
        all_customer_facing=True,
        published_days_ago=3,
    ),
]


def seed(*, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["manager", "dmitry"])}
    employees = {e.user.username: e for e in Employee.objects.select_related("user")}
    departments = {d.name: d for d in Department.objects.all()}
    if "manager" not in users:
        return
    for item in STANDARDS:
        if Standard.objects.filter(code=item.code).exists():
            continue
        _seed_standard(item, today=today, users=users, employees=employees, departments=departments)
    # The demo moves publication dates and signatures behind the services: count the
    # stored coverage once from what it wrote.
    services.acknowledgement_standings_rebuild(today=today)


def _backdate(version: StandardVersion, days_ago: int, today: datetime.date) -> None:
    """Demo history: move a just-published version into the past."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    day = today - datetime.timedelta(days=days_ago)
    fields = {"published_at": moment}
    if version.minor_number == 0:
        fields["major_published_on"] = day
    StandardVersion.objects.filter(pk=version.pk).update(**fields)
    standard = version.standard
    Standard.objects.filter(pk=standard.pk).update(
        last_reviewed_at=moment,
        next_review_due=rules.next_review_due(
            last_reviewed_on=day, interval_months=standard.review_interval_months
        ),
    )
    version.refresh_from_db()


def _publish(standard, author, body, steps, questions, kind, summary) -> StandardVersion:
    draft = services.standard_version_start_draft(standard=standard, author=author)
    services.standard_draft_update(
        version=draft,
        actor=author,
        body=body,
        change_summary=summary,
        steps=[services.StepInput(text, why) for text, why in steps],
        questions=[services.QuestionInput(text, list(choices)) for text, choices in questions],
    )
    return services.standard_version_publish(version=draft, publisher=author, checklist=CHECKLIST, kind=kind)


def _seed_standard(item: DemoStandard, *, today, users, employees, departments) -> None:
    owner = users.get(item.owner, users["manager"])
    standard = services.standard_create(
        code=item.code,
        title=item.title,
        category=item.category,
        owner=owner,
        actor=owner,
        applies_to_all_customer_facing=item.all_customer_facing,
        departments=[departments[name] for name in item.departments if name in departments],
        review_interval_months=item.review_months,
    )
    first = _publish(standard, owner, item.body, item.steps, item.questions, "major", "First version.")
    _backdate(first, item.published_days_ago, today)
    for username in item.acknowledged_by:
        employee = employees.get(username)
        if employee is None:
            continue
        if item.questions:
            services.knowledge_check_submit(
                employee=employee,
                version=first,
                answers={q.pk: q.choices.get(is_correct=True).pk for q in first.questions.all()},
            )
        ack = services.acknowledgement_record(
            employee=employee, version=first, user=employee.user, printed_name=employee.full_name
        )
        hired_at = timezone.make_aware(datetime.datetime.combine(employee.hired_on, datetime.time(10)))
        signed_at = max(first.published_at, hired_at) + datetime.timedelta(days=3, hours=2)
        Acknowledgement.objects.filter(pk=ack.pk).update(signed_at=signed_at)
    if item.revision:
        days_ago, kind, summary, steps = item.revision
        standard.refresh_from_db()
        revised = _publish(standard, owner, item.body, steps, item.questions, kind, summary)
        _backdate(revised, days_ago, today)
    if item.code == "SRV-013" and "olga" in employees:
        step = first.steps.get(order=2)
        services.step_flag_create(
            step=step,
            user=employees["olga"].user,
            note="Customers who lost the receipt leave angry; the sale is in our system anyway.",
        )
    if item.code in {"SRV-002", "SRV-003", "SRV-007"}:
        _seed_compliance(standard, item, employees, owner, today)


def _seed_compliance(standard, item, employees, observer, today) -> None:
    standard.refresh_from_db()
    steps = list(standard.current_version.steps.order_by("order"))
    people = {"SRV-002": ["ivan", "anna"], "SRV-003": ["olga", "ivan", "pavel"], "SRV-007": ["pavel"]}[
        item.code
    ]
    for offset, username in enumerate(people):
        employee = employees.get(username)
        if employee is None:
            continue
        observations = [
            services.StepObservation(
                step, StepResult.NOT_DONE if (index + offset) % 4 == 3 else StepResult.DONE, ""
            )
            for index, step in enumerate(steps)
        ]
        services.compliance_check_record(
            standard=standard,
            employee=employee,
            observer=observer,
            observations=observations,
            observed_on=today - datetime.timedelta(days=7 + 9 * offset),
            note="Observed at the desk." if offset == 0 else "",
        )
