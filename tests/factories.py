"""factory_boy factories for every app's models (one file, grouped by app)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from servicecraft.models import Department, Employee, Position

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
    customer_name = factory.Faker("name")
    customer_contact = factory.Faker("phone_number")
    summary = factory.Faker("sentence", nb_words=6)
    department = factory.SubFactory(DepartmentFactory)
    severity = "medium"
    status = "new"


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "complaints.CorrectiveAction"

    kind = "fix_process"
    description = factory.Faker("sentence", nb_words=8)
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
