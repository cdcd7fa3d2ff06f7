"""Every public page whole on a phone (320 and 375 px wide), in Chromium on the demo
content: no horizontal scroll of the page, wide tables scrolling in their own labelled
region, chart text readable (12 CSS px or more as rendered), chart labels neither
overlapping nor clipped, a header that leaves the screen to the content, a catalogue
that shows its results after a filter change, and a printed report that fits A4."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from observatory.models import Indicator
from resources.enums import Kind
from resources.models import Resource
from tests.browser.test_error_pages import ERROR_PAGES, outage_page, rendered

PHONES = [320, 375]
PHONE_HEIGHT = 667


@pytest.fixture(scope="module")
def demo(committed):
    call_command("load_demo", verbosity=0)


def public_pages() -> list[str]:
    resource = Resource.objects.published().exclude(kind=Kind.CASE).first()
    case = Resource.objects.published().cases().first()
    indicators = [i.get_absolute_url() for i in Indicator.objects.all()]
    return [
        "/",
        "/ressources/",
        "/ressources/?q=evaluation",
        "/ressources/?q=zzzzzz",
        "/ressources/?public=collectivites&usage=evaluer",
        "/ressources/?page=2",
        resource.get_absolute_url(),
        case.get_absolute_url(),
        "/cas-pratiques/",
        "/cas-pratiques/?region=84",
        "/diagnostic/",
        "/observatoire/",
        "/observatoire/?vue=tableau",
        "/observatoire/?population=maires&indicateur=inconnu",
        *indicators,
        *[f"{url}integrer/" for url in indicators],
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/plan-du-site/",
        "/nulle-part/",
    ]


# The widest element that is not inside a scrolling container: what makes the page wider.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !inScroller(el))
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .map(el => `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''} ` +
                `« ${(el.textContent || '').trim().slice(0, 40)} »`)
    .slice(0, 3);
}"""


def overflow_of(page) -> dict | None:
    scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if scroll <= 0:
        return None
    return {"url": page.url, "px": scroll, "elements": page.evaluate(WIDE_ELEMENTS)}


def phone(new_page, width, **options):
    return new_page(viewport={"width": width, "height": PHONE_HEIGHT}, **options)


@pytest.mark.parametrize("width", PHONES)
def test_every_public_page_fits_a_phone(demo, new_page, width):
    page = phone(new_page, width)
    too_wide = []
    for path in public_pages():
        page.goto(path)
        too_wide.append(overflow_of(page))
        if page.locator(".catalogue__filters").count():  # the filter panel open too
            page.locator(".catalogue__filters").evaluate("el => el.open = true")
            too_wide.append(overflow_of(page))
    assert not [o for o in too_wide if o], too_wide


@pytest.mark.parametrize("width", PHONES)
def test_error_pages_fit_a_phone(demo, new_page, width):
    page = phone(new_page, width)
    page.goto("/")  # the site's origin, so that the stylesheet resolves
    too_wide = []
    for name, make in ERROR_PAGES.items():
        page.set_content(rendered(make))
        too_wide.append(overflow_of(page) and (name, overflow_of(page)))
    page.set_content(outage_page())
    too_wide.append(overflow_of(page))
    assert not [o for o in too_wide if o], too_wide


def complete_diagnostic(page, check=lambda: None) -> str:
    """Take the diagnostic (the error state first), calling `check` on every page met."""
    page.goto("/diagnostic/")
    check()
    page.get_by_role("button", name="Commencer le diagnostic").click()
    check()
    page.locator("button[value=suivant]").click()  # nothing answered: the error state
    expect(page.get_by_role("alert")).to_be_visible()
    check()
    page.get_by_label("Agent de collectivité").check()
    page.get_by_label("Votre commune").fill("94220")
    page.locator("#id_consent_0").check()
    page.locator("button[value=suivant]").click()
    while page.locator("fieldset.question").count():
        check()
        # Hidden follow-up questions appear in place once the question before is answered.
        for group in page.locator("fieldset.question").all():
            if group.is_visible() and not group.locator("input:checked").count():
                group.locator("input[type=radio]").nth(1).check()
        page.locator("button[value=suivant]").click()
    expect(page.get_by_role("heading", name="Vos résultats")).to_be_visible()
    check()
    return page.url


@pytest.mark.parametrize("width", PHONES)
def test_the_diagnostic_steps_and_results_fit_a_phone(demo, new_page, width):
    page = phone(new_page, width)
    too_wide = []
    complete_diagnostic(page, lambda: too_wide.append(overflow_of(page)))
    assert not [o for o in too_wide if o], too_wide


TABLE_REGIONS = """() => [...document.querySelectorAll('main table')]
  .filter(table => table.offsetParent !== null)
  .map(table => {
    const region = table.closest('.table-wrap');
    const style = region && getComputedStyle(region);
    const hint = region && region.querySelector('.table-wrap__hint');
    return {
      caption: (table.caption ? table.caption.textContent : '').trim().slice(0, 50),
      wide: table.getBoundingClientRect().width > (region || table.parentElement).clientWidth + 1,
      region: !!region && region.getAttribute('role') === 'region'
        && !!region.getAttribute('aria-label') && region.tabIndex === 0
        && ['auto', 'scroll'].includes(style.overflowX),
      cue: !!region && style.backgroundImage.includes('gradient')
        && !!hint && hint.getBoundingClientRect().height > 0,
    };
  })"""


@pytest.mark.parametrize("width", PHONES)
def test_wide_tables_scroll_in_a_labelled_region_with_a_visible_cue(demo, new_page, width):
    page = phone(new_page, width)
    pages = ["/observatoire/", "/observatoire/indicateurs/fragilites-territoires/"]
    faults = []
    for path in pages:
        page.goto(path)
        for table in page.evaluate(TABLE_REGIONS):
            if not table["region"] or (table["wide"] and not table["cue"]):
                faults.append((path, table))
    results = complete_diagnostic(page)
    for table in page.evaluate(TABLE_REGIONS):
        if not table["region"] or (table["wide"] and not table["cue"]):
            faults.append((results, table))
    assert not faults, faults


@pytest.mark.parametrize("width", PHONES)
def test_an_indicator_table_shows_its_values_without_scrolling(demo, new_page, width):
    page = phone(new_page, width)
    page.goto("/observatoire/indicateurs/fragilites-territoires/")
    table = page.locator("[data-table] table")
    cell = table.locator("tbody tr").first.locator("td", has_text=re.compile(r"/10"))
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= width, box


# Rendered size of chart text: for SVG text, the computed font size times the SVG's scale
# on screen; for the text charts keep in HTML (bar labels and values, line legends), the
# computed size. Each must lie inside its chart (and the screen).
CHART_TEXTS = """() => {
  const size = el => parseFloat(getComputedStyle(el).fontSize);
  const svg = [...document.querySelectorAll('svg.chart text, svg.radar text')]
    .map(t => ({el: t, frame: t.ownerSVGElement, px: size(t) * t.getScreenCTM().a}));
  const html = [...document.querySelectorAll(
    '[data-chart] .bar-chart__label, [data-chart] .bar-chart__value, [data-chart] .chart__legend li'
  )].map(el => ({el, frame: el.closest('[data-chart]'), px: size(el)}));
  return [...svg, ...html]
    .filter(({el}) => el.getBoundingClientRect().width > 0)
    .map(({el, frame: f, px}) => {
      const box = el.getBoundingClientRect(), frame = f.getBoundingClientRect();
      return {
        text: el.textContent.trim(), chart: el.closest('[id]') ? el.closest('[id]').id : '', px,
        box: [box.left, box.top, box.right, box.bottom],
        inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5
          && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5
          && box.left >= 0 && box.right <= document.documentElement.clientWidth,
      };
    });
}"""


def chart_pages(page) -> list[str]:
    results = complete_diagnostic(page)
    return [results, "/observatoire/"] + [i.get_absolute_url() for i in Indicator.objects.all()]


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["chart"] != b["chart"]:
                continue
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if min(r1, r2) - max(l1, l2) > 0.5 and min(b1, b2) - max(t1, t2) > 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("width", PHONES)
def test_chart_text_is_readable_on_a_phone_and_never_overlaps_or_is_clipped(demo, new_page, width):
    page = phone(new_page, width)
    small, clipped, overlaps = [], [], []
    for path in chart_pages(page):
        page.goto(path)
        texts = page.evaluate(CHART_TEXTS)
        assert texts or "indicateurs" in path, path
        if width == 375:  # the brief: 12 px as rendered on a 375 px screen
            small += [(path, t["text"], round(t["px"], 1)) for t in texts if t["px"] < 12]
        clipped += [(path, t["text"]) for t in texts if not t["inside"]]
        overlaps += [(path, pair) for pair in overlapping(texts)]
    assert not small, small
    assert not clipped, clipped
    assert not overlaps, overlaps


def test_the_printed_radar_keeps_its_labels_whole(demo, page):
    complete_diagnostic(page)
    page.emulate_media(media="print")
    texts = page.evaluate(CHART_TEXTS)
    assert texts
    assert not [t["text"] for t in texts if not t["inside"]]
    assert not overlapping(texts)


LINE_SERIES = """figure => [...figure.querySelectorAll('.chart__series')].map(series => {
  const line = series.querySelector('.chart__line');
  const marker = series.querySelector('.chart__point');
  const style = line && getComputedStyle(line);
  return {
    label: series.dataset.label,
    points: series.querySelectorAll('.chart__point').length,
    drawn: line ? [style.stroke, style.strokeDasharray].join(' ') : null,
    marker: marker ? marker.dataset.shape : null,
    key_line: !!figure.querySelector(`.chart__legend [data-label="${series.dataset.label}"] line`),
  };
})"""


def test_every_line_series_is_told_apart_without_colour(demo, page):
    page.goto("/observatoire/indicateurs/fragilites-territoires/")
    series = page.locator("figure.figure").evaluate(LINE_SERIES)
    assert len(series) == 8, series
    drawn = [s for s in series if s["points"] > 1]
    assert drawn and all(s["drawn"] for s in drawn)
    # Each series has its own marker shape, and each drawn line its own dash pattern.
    assert len({s["marker"] for s in series}) == len(series), series
    assert len({s["drawn"].split(" ", 3)[-1] for s in drawn}) == len(drawn), drawn
    # A series with a single point is a marker, not a line, in the chart and its legend.
    for single in (s for s in series if s["points"] == 1):
        assert single["drawn"] is None and not single["key_line"], single


@pytest.mark.parametrize("width", PHONES)
def test_the_header_leaves_the_first_screen_to_the_content(demo, new_page, width):
    page = phone(new_page, width)
    for path in ["/", "/ressources/", "/diagnostic/", "/observatoire/", "/plan-du-site/"]:
        page.goto(path)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 0.15 * PHONE_HEIGHT, (path, height)
    menu = page.locator(".site-nav").get_by_role("link", name="Observatoire", exact=True)
    expect(menu).to_be_hidden()
    page.locator(".site-nav summary").click()
    expect(menu).to_be_visible()
    assert overflow_of(page) is None


def test_on_a_wide_screen_the_navigation_shows_without_a_menu(demo, page):
    page.goto("/")
    expect(page.get_by_role("link", name="Observatoire", exact=True)).to_be_visible()
    expect(page.locator(".site-nav summary")).to_be_hidden()


def in_first_screen(page, selector) -> bool:
    top = page.locator(selector).evaluate("el => el.getBoundingClientRect().top")
    return -1 <= top <= PHONE_HEIGHT / 3


@pytest.mark.parametrize("width", PHONES)
def test_after_a_filter_change_a_phone_shows_the_results(demo, new_page, width):
    page = phone(new_page, width)
    page.goto("/ressources/")
    page.locator(".catalogue__filters > summary").click()
    box = page.locator('.facet input[name="usage"]').first
    box.scroll_into_view_if_needed()
    box.check()
    page.wait_for_url("**usage=**")
    expect(page.locator(".chips")).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_be_focused()
    assert in_first_screen(page, "#resultats")


@pytest.mark.parametrize("width", PHONES)
def test_without_javascript_applying_filters_lands_on_the_results(demo, new_page, width):
    page = phone(new_page, width, java_script_enabled=False)
    page.goto("/ressources/")
    page.locator('.facet input[name="usage"]').first.check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    assert page.url.endswith("#resultats")
    assert in_first_screen(page, "#resultats")


def test_a_search_without_results_shows_no_empty_filter_headings(demo, page):
    page.goto("/ressources/?q=zzzzzz")
    expect(page.locator("#nombre-resultats")).to_have_text(re.compile(r"^0 résultat"))
    assert page.locator(".facet legend").all_inner_texts() == []


def test_the_printed_report_gives_each_tool_its_address_and_fits_a4(demo, page):
    complete_diagnostic(page)
    tools = page.locator("section:has(#titre-outils) .resource-card")
    count = tools.count()
    assert count
    page.emulate_media(media="print")
    addresses = page.locator("section:has(#titre-outils) .resource-card .print-url")
    expect(addresses).to_have_count(count)
    for index in range(count):
        text = addresses.nth(index).inner_text()
        assert re.fullmatch(r"https?://\S+/ressources/[\w-]+/", text), text
        expect(addresses.nth(index)).to_be_visible()
    # "Et maintenant ?" is printed too, each reading with its address, and the report's.
    next_steps = page.locator("section:has(#titre-suite)")
    expect(next_steps).to_be_visible()
    readings = next_steps.locator(".next-steps .print-url")
    read = next_steps.locator(".next-steps__item p:has-text('À lire') a")
    assert readings.count() == read.count()
    assert readings.count() >= 1
    for index in range(readings.count()):
        expect(readings.nth(index)).to_be_visible()
    expect(next_steps.get_by_text("Ce rapport reste accessible")).to_be_visible()
    expect(next_steps.locator("form")).to_be_hidden()  # no button on paper
    # A4 less the print margins (210 - 2 x 16 mm): nothing wider than the paper.
    page.set_viewport_size({"width": round(178 / 25.4 * 96), "height": 1000})
    assert overflow_of(page) is None
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(
        rb"/MediaBox\s*\[\s*([\d.\s]+?)\s*\]", pdf)}  # fmt: skip
    assert boxes == {(0, 0, 595, 842)}, boxes
