from django.urls import reverse


def test_it_offers_a_sign_out_button_on_get_instead_of_a_bare_405(staff_client):
    response = staff_client.get(reverse("logout"))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert "_auth_user_id" in staff_client.session


def test_it_signs_out_on_post(staff_client):
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in staff_client.session
