"""Browsers ask every site for /favicon.ico; the portal answers instead of logging a 404."""

from __future__ import annotations


def test_favicon_ico_points_to_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 302
