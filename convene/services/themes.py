"""The theme tree and its thematic-leader groups."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Member, Theme, ThemeLeader
from ..policy import Actor
from . import Conflict, InvalidInput, NotFound, content
from .rows import delete_or, found
from .validation import check_slug

# The partnership's priorities as the design fixes them: (slug, en, fr, es, children).
DEFAULT_THEMES = [
    (
        "open-state",
        "Open State",
        "État ouvert",
        "Estado abierto",
        [
            ("open-justice", "Open justice", "Justice ouverte", "Justicia abierta"),
            ("open-parliament", "Open parliament", "Parlement ouvert", "Parlamento abierto"),
            (
                "independent-institutions",
                "Independent institutions",
                "Institutions indépendantes",
                "Instituciones independientes",
            ),
        ],
    ),
    (
        "open-digital",
        "#OpenDigital: trust in digital governance",
        "#OpenDigital : confiance dans la gouvernance numérique",
        "#OpenDigital: confianza en la gobernanza digital",
        [],
    ),
    (
        "anti-corruption",
        "Anti-corruption, transparency and integrity",
        "Lutte contre la corruption, transparence et intégrité",
        "Anticorrupción, transparencia e integridad",
        [
            (
                "beneficial-ownership",
                "Beneficial ownership",
                "Bénéficiaires effectifs",
                "Beneficiarios finales",
            ),
            (
                "open-contracting",
                "Open contracting",
                "Commande publique ouverte",
                "Contrataciones abiertas",
            ),
        ],
    ),
    (
        "inclusion-civic-space",
        "Inclusion and civic space",
        "Inclusion et espace civique",
        "Inclusión y espacio cívico",
        [
            (
                "feminist-open-government",
                "Feminist open government",
                "Gouvernement ouvert féministe",
                "Gobierno abierto feminista",
            ),
            ("youth", "Youth", "Jeunesse", "Juventud"),
        ],
    ),
    ("local", "Local open government", "Gouvernement ouvert local", "Gobierno abierto local", []),
]


def seed_default_themes() -> int:
    """Add the default themes that are missing (by slug); returns how many were added."""
    existing = set(db.session.scalars(select(Theme.slug)))
    added = 0
    for position, (slug, en, fr, es, children) in enumerate(DEFAULT_THEMES):
        parent = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if parent is None:
            parent = Theme(slug=slug, name_en=en, name_fr=fr, name_es=es, position=position)
            db.session.add(parent)
            added += 1
        for child_position, (c_slug, c_en, c_fr, c_es) in enumerate(children):
            if c_slug not in existing:
                db.session.add(
                    Theme(
                        slug=c_slug,
                        name_en=c_en,
                        name_fr=c_fr,
                        name_es=c_es,
                        position=child_position,
                        parent=parent,
                    )
                )
                added += 1
    db.session.flush()
    return added


def theme_tree() -> list[tuple[Theme, int]]:
    """Every theme with its depth, parents before their children, in display order."""
    themes = db.session.scalars(
        select(Theme).options(selectinload(Theme.leaders).selectinload(ThemeLeader.member))
    ).all()
    by_parent: dict[int | None, list[Theme]] = {}
    for theme in themes:
        by_parent.setdefault(theme.parent_id, []).append(theme)
    ordered: list[tuple[Theme, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for theme in sorted(by_parent.get(parent_id, []), key=lambda t: (t.position, t.slug)):
            ordered.append((theme, depth))
            walk(theme.id, depth + 1)

    walk(None, 0)
    return ordered


def get_theme(theme_id: int) -> Theme:
    """The theme; NotFound if there is none."""
    return found(db.session.get(Theme, theme_id), _l("No such theme."))


def get_theme_by_slug(slug: str) -> Theme:
    """The theme of this short name; NotFound if there is none."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    return found(theme, _l("No such theme."))


def _check_names(names: dict[str, str]) -> dict[str, str]:
    cleaned = {lang: (names.get(lang) or "").strip()[:200] for lang in content.LANGUAGES}
    missing = {
        f"name_{lang}": [str(_l("Enter the name in this language."))]
        for lang, value in cleaned.items()
        if not value
    }
    if missing:
        raise InvalidInput(str(_l("A theme needs a name in English, French and Spanish.")), missing)
    return cleaned


def _check_parent(theme: Theme | None, parent_id: int | None) -> Theme | None:
    if parent_id is None:
        return None
    parent = db.session.get(Theme, parent_id)
    if parent is None:
        raise InvalidInput(str(_l("No such theme.")), {"parent_id": [str(_l("No such theme."))]})
    ancestor = parent
    while ancestor is not None:
        if theme is not None and ancestor.id == theme.id:
            raise InvalidInput(
                str(_l("A theme cannot be placed under itself or its own sub-themes.")),
                {"parent_id": [str(_l("A theme cannot be placed under itself."))]},
            )
        ancestor = ancestor.parent
    return parent


def _check_position(position: int) -> int:
    if not isinstance(position, int) or not 0 <= position <= 9999:
        raise InvalidInput(
            str(_l("Invalid position.")), {"position": [str(_l("Give a number from 0 to 9999."))]}
        )
    return position


def _check_unique_slug(slug: str, theme: Theme | None) -> None:
    other = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if other is not None and other is not theme:
        raise InvalidInput(
            str(_l("Another theme already uses this short name.")),
            {"slug": [str(_l("Another theme already uses this short name."))]},
        )


def create_theme(
    actor: Actor,
    slug: str,
    names: dict[str, str],
    parent_id: int | None = None,
    description: str = "",
    position: int = 0,
) -> Theme:
    """A new theme; InvalidInput at the first of its details that is wrong."""
    theme = Theme(**_checked(actor, None, slug, names, parent_id, description, position))
    db.session.add(theme)
    db.session.flush()
    return theme


def update_theme(
    actor: Actor,
    theme: Theme,
    slug: str,
    names: dict[str, str],
    parent_id: int | None,
    description: str = "",
    position: int = 0,
) -> Theme:
    """The theme changed; InvalidInput at the first of its details that is wrong, and then
    nothing changed."""
    values = _checked(actor, theme, slug, names, parent_id, description, position)
    for name, value in values.items():
        setattr(theme, name, value)
    return theme


def _checked(
    actor: Actor, theme: Theme | None, slug, names, parent_id, description, position
) -> dict:
    """A theme's attributes, checked one after the other for `theme` (None: a new one)."""
    policy.require_administer(actor)
    slug = check_slug(slug)
    _check_unique_slug(slug, theme)
    cleaned = _check_names(names)
    return {
        "slug": slug,
        "name_en": cleaned["en"],
        "name_fr": cleaned["fr"],
        "name_es": cleaned["es"],
        "parent": _check_parent(theme, parent_id),
        "description": (description or "")[:2000],
        "position": _check_position(position),
    }


def delete_theme(actor: Actor, theme: Theme) -> None:
    """Delete `theme` and its leader group; Conflict while it has sub-themes or other
    records (proposals, events …) still refer to it. The caller rolls back after a refusal.
    """
    policy.require_administer(actor)
    if theme.children:
        raise Conflict(str(_l("Move or delete this theme's sub-themes first.")))
    refusal = Conflict(
        str(
            _l("%(theme)s cannot be deleted: other records still refer to it.", theme=theme.name_en)
        )
    )
    delete_or(theme, refusal)


def add_leader(actor: Actor, theme: Theme, member: Member) -> ThemeLeader:
    policy.require_administer(actor)
    for leader in theme.leaders:
        if leader.member_id == member.id:
            return leader
    leader = ThemeLeader(theme=theme, member=member)
    db.session.add(leader)
    return leader


def remove_leader(actor: Actor, theme: Theme, member_id: int) -> None:
    policy.require_administer(actor)
    for leader in list(theme.leaders):
        if leader.member_id == member_id:
            theme.leaders.remove(leader)
            return
    raise NotFound(str(_l("This member does not lead this theme.")))


def themes_led_by(member: Member) -> list[Theme]:
    """The themes whose thematic-leader group includes `member`, by slug."""
    return db.session.scalars(
        select(Theme)
        .join(ThemeLeader)
        .where(ThemeLeader.member_id == member.id)
        .order_by(Theme.slug)
    ).all()
