"""Sign-in lockout behind the TLS proxy: by username and the client's real address.

With the README's proxy every request comes from the proxy's address; the client's is
the one the proxy puts in X-Forwarded-For. These tests send what the proxy sends
(REMOTE_ADDR = the proxy, X-Forwarded-For = what the client sent plus the client's
address), with the settings production uses for one trusted proxy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from common.throttle import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
VICTIM = "203.0.113.10"
ATTACKER = "198.51.100.66"
ONE_PROXY = override_settings(
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_PROXY_ORDER="right-most",
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_FAILURE_LIMIT=3,
)


def _through_proxy(client_sent: str | None, client_ip: str) -> dict:
    """The headers the proxy passes on: it appends the address it saw to the client's header."""
    forwarded = f"{client_sent}, {client_ip}" if client_sent else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def _sign_in(password: str, *, client_sent: str | None = None, client_ip: str) -> int:
    client = Client(**_through_proxy(client_sent, client_ip))
    response = client.post(reverse("login"), {"username": "boss", "password": password})
    return response.status_code


@pytest.fixture
def boss():
    user = UserFactory(username="boss")
    user.set_password("right-password-123")
    user.save()
    return user


@ONE_PROXY
def test_it_reads_the_address_the_proxy_forwarded():
    request = RequestFactory().get("/", **_through_proxy(None, VICTIM))
    assert client_address(request) == VICTIM


@ONE_PROXY
def test_it_never_takes_an_address_the_client_forged():
    request = RequestFactory().get("/", **_through_proxy(VICTIM, ATTACKER))
    assert client_address(request) == PROXY


@override_settings(AXES_IPWARE_META_PRECEDENCE_ORDER=("REMOTE_ADDR",))
def test_it_ignores_the_header_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM)
    assert client_address(request) == ATTACKER


@ONE_PROXY
def test_it_locks_out_the_attacker_without_locking_out_the_victim(boss):
    codes = [_sign_in("wrong", client_ip=ATTACKER) for _attempt in range(4)]
    assert codes[-1] == 429  # locked out
    assert _sign_in("right-password-123", client_ip=VICTIM) == 302


@ONE_PROXY
def test_it_gives_no_way_to_lock_out_the_victim_by_forging_their_address(boss):
    for _attempt in range(4):
        _sign_in("wrong", client_sent=VICTIM, client_ip=ATTACKER)
    assert _sign_in("right-password-123", client_ip=VICTIM) == 302


@ONE_PROXY
def test_it_gives_no_fresh_attempts_for_a_new_forged_address(boss):
    codes = [_sign_in("wrong", client_sent=f"192.0.2.{n}", client_ip=ATTACKER) for n in range(4)]
    assert codes[-1] == 429
    assert _sign_in("right-password-123", client_sent="192.0.2.99", client_ip=ATTACKER) == 429


def test_it_trusts_one_proxy_in_production_and_none_locally():
    root = Path(__file__).resolve().parents[2]
    script = (
        "from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER[0])"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TRUSTED_PROXY_COUNT"}}

    def settings_of(module: str, **extra: str) -> str:
        env = {
            **base,
            "DJANGO_SETTINGS_MODULE": module,
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "h",
            **extra,
        }
        return (
            subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", script],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

    assert settings_of("servicecraft.settings.local") == "0 0 REMOTE_ADDR"
    assert settings_of("servicecraft.settings.production") == "1 0 HTTP_X_FORWARDED_FOR"
    assert (
        settings_of("servicecraft.settings.production", TRUSTED_PROXY_COUNT="2") == "2 1 HTTP_X_FORWARDED_FOR"
    )


def test_it_refuses_a_username_longer_than_an_account_can_have_before_counting_it():
    from axes.models import AccessAttempt

    response = Client().post(reverse("login"), {"username": "x" * 6000, "password": "whatever"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert not AccessAttempt.objects.exists()
