import pytest

PAGES = [
    "/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/contact/",
    "/ressources/",
    "/cas-pratiques/",
    "/diagnostic/",
    "/observatoire/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_and_styled(page, assert_accessible, path):
    response = page.goto(path)

    assert response.status == 200
    # The stylesheet is served (hashed name, by WhiteNoise) and applied.
    assert page.eval_on_selector("body", "el => getComputedStyle(el).display") == "flex"
    assert_accessible(page)


def test_404_page_is_accessible(page, assert_accessible):
    response = page.goto("/nulle-part/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Cette page est introuvable"
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_every_link_is_reachable_with_the_keyboard_and_shows_focus(page):
    page.goto("/")
    links = page.locator("a:visible").count()

    seen = set()
    for _ in range(links + 2):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " const style = getComputedStyle(el);"
            " return [el.tagName, el.getAttribute('href'), style.outlineStyle]; }"
        )
        if focused[0] == "A":
            assert focused[2] != "none", f"no visible focus on {focused[1]}"
            seen.add(focused[1])
    assert "/plan-du-site/" in seen
    assert "/diagnostic/" in seen


@pytest.mark.parametrize("path", ["/", "/plan-du-site/", "/nulle-part/"])
def test_no_horizontal_scroll_at_320_px(new_page, path):
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_page_zoomed_to_200_percent_keeps_its_navigation(new_page):
    # 200 % zoom of a 1280 px window is a 640 px wide layout at twice the pixel density.
    page = new_page(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.get_by_role("link", name="Observatoire", exact=True).is_visible()


def test_print_stylesheet_hides_the_navigation(page):
    page.goto("/")
    page.emulate_media(media="print")

    assert not page.locator(".site-nav").is_visible()
    assert page.locator("h1").is_visible()
