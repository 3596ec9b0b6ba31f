def test_front_page_lists_the_seeded_themes(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Open justice" in response.data


def test_sign_in_works(auth, user, client):
    response = auth.sign_in(user.email)
    assert response.status_code == 302
    assert client.get("/me/profile").status_code == 200
