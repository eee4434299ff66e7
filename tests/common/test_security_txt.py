"""``/.well-known/security.txt`` names the deployment's security contact (RFC 9116)."""

from __future__ import annotations

from django.urls import reverse


def test_it_publishes_the_configured_contact(client, settings):
    settings.SECURITY_CONTACT = "security@example.com"
    settings.SITE_URL = "https://service.example.com"
    response = client.get(reverse("security_txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Contact: mailto:security@example.com\n" in body
    assert "Expires: " in body and body.split("Expires: ")[1].split("\n")[0].endswith("Z")
    assert "Canonical: https://service.example.com/.well-known/security.txt" in body


def test_it_keeps_an_https_contact_as_it_is(client, settings):
    settings.SECURITY_CONTACT = "https://example.com/security"
    assert (
        "Contact: https://example.com/security\n" in client.get("/.well-known/security.txt").content.decode()
    )


def test_it_is_absent_without_a_contact(client, settings):
    settings.SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404
