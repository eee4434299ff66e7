"""API tokens: only a hash of the key is stored; the key is shown once, in the admin."""

from __future__ import annotations

import importlib
import re

from django.apps import apps

from metrics import services
from metrics.models import ApiToken, api_key_hash

ADD_URL = "/admin/metrics/apitoken/add/"
LIST_URL = "/admin/metrics/apitoken/"


def test_it_stores_only_the_hash_of_a_new_key(db):
    token, key = services.api_token_create(name="BI")
    stored = ApiToken.objects.values_list("key_hash", flat=True).get(pk=token.pk)
    assert stored == api_key_hash(key)
    assert key not in stored


def test_it_authenticates_the_key_and_records_its_use(db):
    token, key = services.api_token_create(name="BI")
    assert services.api_token_authenticate(key=key) == token
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_wrong_key(db):
    token, key = services.api_token_create(name="BI")
    assert services.api_token_authenticate(key=key + "x") is None
    assert services.api_token_authenticate(key=token.key_hash) is None
    assert services.api_token_authenticate(key="") is None


def test_it_refuses_a_revoked_key(db):
    token, key = services.api_token_create(name="BI")
    other, _other_key = services.api_token_create(name="Other")
    assert services.api_tokens_revoke(token_ids=[token.pk]) == 1
    assert services.api_token_authenticate(key=key) is None
    other.refresh_from_db()
    assert other.is_active


def test_it_shows_the_key_once_when_the_admin_adds_a_token(admin_client):
    response = admin_client.post(ADD_URL, {"name": "Power BI", "is_active": "on"}, follow=True)
    token = ApiToken.objects.get(name="Power BI")
    keys = re.findall(r'<code class="user-select-all">([^<]+)</code>', response.content.decode())
    assert len(keys) == 1 and api_key_hash(keys[0]) == token.key_hash
    assert services.api_token_authenticate(key=keys[0]) == token
    page = admin_client.get(f"/admin/metrics/apitoken/{token.pk}/change/").content.decode()
    assert keys[0] not in page and token.key_hash not in page


def test_it_keeps_the_key_when_the_admin_renames_a_token(admin_client):
    token, key = services.api_token_create(name="BI")
    admin_client.post(f"/admin/metrics/apitoken/{token.pk}/change/", {"name": "Tableau", "is_active": "on"})
    token.refresh_from_db()
    assert token.name == "Tableau"
    assert services.api_token_authenticate(key=key) == token


def test_it_revokes_tokens_with_the_admin_action(admin_client):
    token, key = services.api_token_create(name="BI")
    response = admin_client.post(LIST_URL, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert services.api_token_authenticate(key=key) is None


def test_it_hashes_the_keys_stored_before_migration_0003(db):
    migration = importlib.import_module("metrics.migrations.0003_api_token_key_hash")
    old = ApiToken.objects.create(name="Old BI", key_hash="a-plain-key-from-before")
    migration.hash_existing_keys(apps, None)
    old.refresh_from_db()
    assert old.key_hash == api_key_hash("a-plain-key-from-before")
    assert services.api_token_authenticate(key="a-plain-key-from-before") == old
