"""Every link of the header navigation answers with its page at once: no redirect on the way
(issue 16: "the navigation links to Rankings and Methodology redirect")."""

from __future__ import annotations

import re

from django.urls import reverse

NAV = re.compile(r'<nav class="navbar[^"]*"[^>]*>(.*?)</nav>', re.S)


def nav_links(html: str) -> list[str]:
    match = NAV.search(html)
    assert match, "the page has no main navigation"
    return re.findall(r'href="([^"#]+)"', match.group(1))


def test_every_navigation_link_is_final(anonymous, published):
    links = nav_links(anonymous.get("/").content.decode())
    assert len(links) == 7  # the brand and six sections
    for url in links:
        response = anonymous.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_rankings_filters_and_sorting_lead_to_the_rounds_own_url(anonymous, published):
    html = anonymous.get(reverse("public:rankings_latest")).content.decode()
    own = published.round_2024.get_absolute_url()
    assert f'action="{own}"' in html
    sort_links = re.findall(r'<th scope="col"[^>]*><a href="([^"]+)"', html)
    assert sort_links
    assert all(link.startswith(f"{own}?sort=") for link in sort_links)
