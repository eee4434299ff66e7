from people.roles import HR, MANAGER, STAFF, has_role, user_roles
from tests.factories import EmployeeFactory, UserFactory


def test_it_creates_the_three_role_groups(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {MANAGER, HR, STAFF}


def test_it_reads_roles_from_groups(db):
    employee = EmployeeFactory(roles=[HR])
    assert user_roles(employee.user) == {HR}
    assert has_role(employee.user, HR, MANAGER)
    assert not has_role(employee.user, MANAGER)


def test_it_gives_superusers_every_role(db):
    admin = UserFactory(is_superuser=True)
    assert user_roles(admin) == {MANAGER, HR, STAFF}
