"""Inclusion counts single nobody out: no count under 5 is shown, named, or derivable by
subtracting shown numbers from a known total, on an event's page or a theme's, alone or
together."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from convene.extensions import db
from convene.models import AgeBand, Sector, Theme
from convene.services import privacy
from convene.services import registration as reg

from .factories import make_event, make_user, registration_input

SMALL = range(1, privacy.SMALLEST_SHOWN)


def theme(slug: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def sign_up(event, **answers) -> None:
    reg.register(event, registration_input(inclusion_consent=True, **answers), actor=make_user())


def shown(page: str) -> dict[str, dict[str, int | str]]:
    """Each table's caption → {row label (lower case, "_" as a space): the cell's text}."""
    tables = {}
    for table in re.findall(r"<table.*?</table>", page, re.S):
        caption = re.search(r"<caption>([^<]*)</caption>", table).group(1).strip()
        cells = re.findall(r"<tr>\s*<t[hd][^>]*>([^<]*)</t[hd]>\s*<td>([^<]*)</td>\s*</tr>", table)
        tables[caption] = {
            label.strip().lower().replace("_", " "): (
                int(value) if value.strip().isdigit() else value.strip()
            )
            for label, value in cells
        }
    return tables


# The case, on every view -------------------------------------------------------


def test_one_young_registrant_is_not_named_anywhere(app, client):
    event = make_event(capacity=20, themes=[theme("youth")])
    sign_up(event, age_band="under_25", gender="woman")
    for _ in range(9):
        sign_up(event, age_band="25_34", gender="woman")
    db.session.commit()

    ages = privacy.inclusion_counts([event])["age_band"]
    assert AgeBand.UNDER_25.value not in {value for value, _count in ages}
    assert all(count >= privacy.SMALLEST_SHOWN for _value, count in ages)
    for path in (f"/events/{event.slug}/inclusion", "/themes/youth"):
        page = client.get(path).get_data(as_text=True)
        age = shown(page)["Age"]
        assert "under 25" not in age, (path, age)
        assert not [n for n in age.values() if n in SMALL or n == "fewer than 5"], (path, age)
        assert sum(n for n in age.values() if isinstance(n, int)) == 10  # everyone counted


def test_a_lone_small_category_folds_a_larger_one_in_with_it(app):
    event = make_event(capacity=20)
    for gender, n in (("woman", 9), ("man", 6), ("non-binary", 2)):
        for _ in range(n):
            sign_up(event, gender=gender)
    db.session.commit()
    # "non-binary: fewer than 5" alone is 17 − 9 − 6 = 2: "man" folds in with it.
    assert privacy.inclusion_counts([event])["gender"] == [("woman", 9), (None, 8)]


def test_the_theme_page_adds_nothing_an_event_page_could_be_subtracted_from(app, client):
    youth = theme("youth")
    big, small = make_event(themes=[youth]), make_event(themes=[youth])
    for _ in range(10):
        sign_up(big, age_band="under_25")
    for age_band, n in (("under_25", 2), ("25_34", 6)):
        for _ in range(n):
            sign_up(small, age_band=age_band)
    db.session.commit()

    on_theme = shown(client.get("/themes/youth").get_data(as_text=True))["Age"]
    on_big = shown(client.get(f"/events/{big.slug}/inclusion").get_data(as_text=True))["Age"]
    on_small = shown(client.get(f"/events/{small.slug}/inclusion").get_data(as_text=True))["Age"]
    assert "under 25" not in on_small
    # 12 young people in the theme, 10 at one event: the theme must not tell the other's 2.
    assert on_theme["under 25"] - on_big["under 25"] not in SMALL
    assert on_theme == {"under 25": 10, "other or fewer than 5": 8}


def test_the_pages_say_what_other_or_fewer_than_5_means(app, client):
    event = make_event()
    for sector, n in (("government", 6), ("media", 3), ("academia", 2)):
        for _ in range(n):
            sign_up(event, sector=sector)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/inclusion").get_data(as_text=True)
    assert shown(page)["Sector"] == {"government": 6, "other or fewer than 5": 5}
    assert "Media" not in page and "Academia" not in page


# The property ----------------------------------------------------------------------------

# Each dimension's possible values, as someone reading the pages knows them (None: free text).
UNIVERSES = {
    "sector": [s.value for s in Sector],
    "age_band": [a.value for a in AgeBand],
    "indigenous": ["yes", "no"],
    "gender": None,
}
GENDERS = ["woman", "man", "non-binary", "agender", "two-spirit", "genderqueer"]


@st.composite
def views(draw):
    """A dimension and the true counts of 1 to 4 events, each a value → count mapping."""
    dimension = draw(st.sampled_from(sorted(UNIVERSES)))
    values = UNIVERSES[dimension] or GENDERS
    counts = st.dictionaries(st.sampled_from(values), st.integers(0, 14), max_size=len(values))
    return dimension, draw(st.lists(counts, min_size=1, max_size=4))


def check_view(dimension: str, true: dict[str, int], rows: list[tuple[str | None, int]]):
    """What a reader who knows the view's true total can work out from its rows."""
    total = sum(true.values())
    named = {value: count for value, count in rows if value is not None}
    folded = [count for value, count in rows if value is None]
    assert all(count >= privacy.SMALLEST_SHOWN for _value, count in rows), rows
    assert len(folded) <= 1 and len(named) + len(folded) == len(rows)
    if not rows:
        assert total < privacy.SMALLEST_SHOWN  # only a view with too few people shows nothing
        return
    # Total minus every named count: the one thing hidden, and it is 0 or at least 5.
    remainder = total - sum(named.values())
    assert remainder not in SMALL, (true, rows)
    assert folded == ([remainder] if remainder else []), (true, rows)
    # Nobody's category is named unless at least 5 share it.
    assert not [v for v in named if true.get(v, 0) in SMALL], (true, rows)
    # A fold is never one category alone, which a reader knowing the values could name.
    hidden = [v for v, n in true.items() if n and v not in named]
    assert not folded or len(hidden) >= 2, (true, rows)
    universe = UNIVERSES[dimension]
    if universe is not None:
        unnamed = [v for v in universe if v not in named]
        assert len(unnamed) != 1 or true.get(unnamed[0], 0) not in SMALL


@settings(max_examples=600, deadline=None)
@given(views())
def test_no_count_under_5_can_be_worked_out_from_any_view(case):
    dimension, events = case
    tables = [privacy.protect(counts) for counts in events]
    for counts, rows in zip(events, tables, strict=True):
        check_view(dimension, counts, rows)
    # A theme's view is the events' views added up, and nothing else: whatever can be
    # worked out from it and the events' views together can be from the events' alone.
    theme_rows = privacy.add_up(tables)
    assert all(count >= privacy.SMALLEST_SHOWN for _value, count in theme_rows)
    assert [v for v, _n in theme_rows].count(None) <= 1
    for value, count in theme_rows:
        assert count == sum(n for rows in tables for v, n in rows if v == value)
    assert {v for v, _n in theme_rows} == {v for rows in tables for v, _n in rows}
