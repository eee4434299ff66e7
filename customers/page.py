"""What the customer page shows from the apps above customers, and who may open it.

The customer page lives in this app, but most of what it shows belongs to apps above it
(the complaints, the survey answers, the contacts they record) and so does the rule of
who may see a customer (staff see the customers of the complaints they may see). Those
apps register, from their ``AppConfig.ready()``:

- a **section provider** ``provider(*, customer, user, params) -> CustomerSection | None``:
  one card of the page (``params`` is the page's query string, for a section's own paging);
- a **contact provider** ``provider(*, customer, user, limit) -> list[ContactEntry]``: the
  newest ``limit`` contacts it knows of (a complaint received, a survey sent or answered),
  merged into one timeline;
- an **access rule** ``rule(*, user, customer) -> bool``: whether a person who is not a
  manager may see the customer (any rule saying yes is enough).

Every provider runs a bounded number of queries (a page, a limit), so the page does too.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import QueryDict

from customers.models import Customer


@dataclass
class CustomerSection:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    # Lower first.
    order: int = 100


@dataclass(frozen=True)
class ContactEntry:
    """One contact with the customer: when, what (already translated), and a link if any."""

    at: datetime.datetime
    text: str
    url: str = ""


SectionProvider = Callable[..., CustomerSection | None]
ContactProvider = Callable[..., list[ContactEntry]]
AccessRule = Callable[..., bool]

_section_providers: list[SectionProvider] = []
_contact_providers: list[ContactProvider] = []
_access_rules: list[AccessRule] = []


def _register(registry: list, item) -> None:
    # Once, however often an app's ``ready`` runs.
    if item not in registry:
        registry.append(item)


def register_customer_section(provider: SectionProvider) -> None:
    _register(_section_providers, provider)


def register_customer_contacts(provider: ContactProvider) -> None:
    _register(_contact_providers, provider)


def register_customer_access(rule: AccessRule) -> None:
    _register(_access_rules, rule)


def customer_sections(*, customer: Customer, user, params: QueryDict) -> list[CustomerSection]:
    sections = [provider(customer=customer, user=user, params=params) for provider in _section_providers]
    return sorted((section for section in sections if section is not None), key=lambda s: s.order)


def customer_contacts(*, customer: Customer, user, limit: int, own: list[ContactEntry]) -> list[ContactEntry]:
    """The newest ``limit`` contacts: ``own`` (the customers app's) and every provider's."""
    entries = list(own)
    for provider in _contact_providers:
        entries.extend(provider(customer=customer, user=user, limit=limit))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def customer_visible_by_rule(*, user, customer: Customer) -> bool:
    return any(rule(user=user, customer=customer) for rule in _access_rules)
