"""#14 in a real browser: staff propose and support entries, a manager publishes the charter
and sets a target, a quarter's golden-rules review is filled, and a leaver's items are
handed over before they are deactivated."""

from __future__ import annotations

from django.utils import timezone

from people.roles import HR, MANAGER, STAFF
from programme.models import CharterSupport, GoldenRulesReview, Target
from programme.selectors import current_charter
from tests.browser.conftest import login
from tests.factories import ComplaintFactory, DepartmentFactory, EmployeeFactory, StandardFactory


def _sign_in_as(page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_it_takes_the_brainstorm_to_a_published_charter_targets_and_a_review(page):
    front = DepartmentFactory(name="Front desk")
    olga = EmployeeFactory(roles=[STAFF], department=front, user__first_name="Olga")
    ivan = EmployeeFactory(roles=[STAFF], department=front, user__first_name="Ivan")
    manager = EmployeeFactory(roles=[MANAGER], department=front, user__first_name="Maria")
    front.head = manager.user
    front.save()

    # Olga finds the charter from her home page and proposes a benefit in her own words.
    login(page, olga.user)
    page.get_by_test_id("panel-charter").get_by_role("link", name="Join the brainstorm").click()
    assert page.get_by_test_id("prompts").is_visible()
    assert page.locator("#id_text").input_value() == ""
    page.fill("#id_text", "Guests we greet by name come back with their families.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the brainstorm").click()
    page.locator("label", has_text="A fear or a doubt").click()
    page.fill("#id_text", "Customers only look at the price; they won't notice.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the brainstorm").click()
    assert page.get_by_test_id("benefits").get_by_test_id("entry").count() == 1

    # Ivan supports both; once he has, the button withdraws his support instead.
    _sign_in_as(page, ivan.user)
    page.goto("/programme/charter/brainstorm/")
    with page.expect_navigation():
        page.get_by_test_id("benefits").get_by_test_id("support").click()
    assert page.get_by_test_id("benefits").get_by_test_id("withdraw").is_visible()
    with page.expect_navigation():
        page.get_by_test_id("fears").get_by_test_id("support").click()
    assert CharterSupport.objects.filter(user=ivan.user).count() == 2
    assert "1 supporter" in page.get_by_test_id("benefits").get_by_test_id("support-count").inner_text()

    # Maria puts both in the charter, answers the fear with a figure and publishes.
    _sign_in_as(page, manager.user)
    page.goto("/programme/charter/brainstorm/")
    page.get_by_test_id("benefits").get_by_test_id("manage").click()
    page.check("#id_in_charter")
    with page.expect_navigation():
        page.locator("#entry-form").get_by_role("button", name="Save").click()
    page.get_by_test_id("fears").get_by_test_id("manage").click()
    page.check("#id_in_charter")
    page.fill("#id_answer", "If they notice, fewer of them leave: churn will tell us.")
    page.select_option("#id_answer_figure", "churn")
    with page.expect_navigation():
        page.locator("#entry-form").get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Publish a revision").first.click()
    assert "added" in page.get_by_test_id("publish-changes").inner_text()
    page.fill("#id_note", "Our first charter.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the charter").click()
    charter = page.get_by_test_id("charter-content").inner_text()
    assert "Guests we greet by name" in charter and "Monthly churn" in charter
    assert current_charter().number == 1

    # She sets this year's target for promises kept, 90 %, and 95 % for the front desk.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("menu-programme").click()
    page.get_by_test_id("add-target").click()
    page.select_option("#id_figure", "promise_kept")
    page.fill("#id_value", "90")
    page.fill(f"#id_department_{front.pk}", "95")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the target").click()
    assert page.locator('[data-testid=target][data-figure="promise_kept"]').is_visible()
    target = Target.objects.get()
    assert (target.value, target.department_values.get().value) == (0.9, 0.95)

    # …and scores the quarter's golden rules for her department.
    page.goto("/programme/golden-rules/")
    page.get_by_test_id("score-rules").click()
    assert page.get_by_test_id("evidence-timeliness").is_visible()
    for rule, score in (
        ("product_quality", 4),
        ("current_standards", 3),
        ("timeliness", 2),
        ("complaint_system", 4),
    ):
        page.locator(f"input[name={rule}][value='{score}']").check()
    page.fill("#id_comment", "Call-backs are late on Mondays.")
    with page.expect_navigation():
        page.get_by_test_id("review-submit").click()
    assert "Call-backs are late on Mondays." in page.get_by_test_id("quarter-reviews").inner_text()
    review = GoldenRulesReview.objects.get()
    assert (review.department, review.timeliness) == (front, 2)

    assert page.console_errors == []
    assert page.external_requests == []


def test_it_hands_a_leavers_items_over_before_deactivating_them(page):
    front = DepartmentFactory(name="Front desk")
    head = EmployeeFactory(roles=[MANAGER, STAFF], department=front, user__first_name="Maria")
    front.head = head.user
    front.save()
    leaver = EmployeeFactory(roles=[MANAGER, STAFF], department=front, user__first_name="Pavel")
    standard = StandardFactory(owner=leaver.user, code="SRV-042")
    complaint = ComplaintFactory(handler=leaver.user, department=front, status="in_progress")
    hr = EmployeeFactory(roles=[HR], customer_facing=False)

    login(page, hr.user)
    page.goto("/org/people/")
    page.get_by_role("row", name=leaver.full_name).get_by_role("link", name="Deactivate").click()

    # Without a successor the deactivation is refused and nothing changes.
    page.locator("select[name=to_standards_owned]").select_option("")
    page.locator("select[name=to_complaints_handled]").select_option("")
    with page.expect_navigation():
        page.get_by_test_id("deactivate").click()
    assert "still need an active owner" in page.get_by_test_id("handover-errors").inner_text()
    leaver.refresh_from_db()
    assert leaver.user.is_active

    # The head of the department is proposed for everything; the complaint is parked.
    page.goto(f"/org/people/{leaver.pk}/deactivate/")
    assert page.locator("select[name=to_standards_owned]").input_value() == str(head.user.pk)
    page.get_by_test_id("handover-group").filter(has_text="Open complaints").get_by_label("park").check()
    page.fill("#id_note", "The customer is away until March.")
    page.fill("#id_left_on", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_test_id("deactivate").click()

    assert "was deactivated" in page.locator("main").inner_text()
    leaver.refresh_from_db()
    standard.refresh_from_db()
    complaint.refresh_from_db()
    assert leaver.user.is_active is False
    assert standard.owner == head.user
    assert complaint.handler == leaver.user  # parked: still listed in the managers' digest
    assert page.console_errors == []
