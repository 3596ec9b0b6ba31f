"""The demo's people: staff with a role, members from several regions and their focal
points, themes' leaders, and a crowd of participants."""

from ..models import FocalPoint, Member, Role, User
from ..policy import SYSTEM
from ..services import accounts, members, themes

DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105 - printed for the public demo  # nosec B105
DEMO_DOMAIN = "example.org"

# (name, kind, country, focal point's name)
DEMO_MEMBERS = [
    ("Government of Argentina", "national_government", "AR", "Lucía Fernández"),
    ("Government of France", "national_government", "FR", "Camille Martin"),
    ("Government of Kenya", "national_government", "KE", "Wanjiru Kamau"),
    ("Government of Indonesia", "national_government", "ID", "Dewi Lestari"),
    ("Government of Canada", "national_government", "CA", "Olivia Tremblay"),
    ("Government of Senegal", "national_government", "SN", "Aminata Diop"),
    ("Government of Chile", "national_government", "CL", "Matías Rojas"),
    ("City of Buenos Aires", "local_government", "AR", "Santiago Pérez"),
    ("City of Paris", "local_government", "FR", "Julien Bernard"),
    ("County of Makueni", "local_government", "KE", "Peter Mutua"),
    ("Poder Ciudadano", "civil_society", "AR", "Valentina Gómez"),
    ("Transparence Citoyenne", "civil_society", "FR", "Claire Lefèvre"),
    ("Mzalendo Trust", "civil_society", "KE", "Brian Otieno"),
    ("Open Data Indonesia", "civil_society", "ID", "Rizky Pratama"),
    ("Youth for Open Government", "civil_society", "SN", "Fatou Ndiaye"),
    ("Women in Governance Network", "civil_society", "CA", "Sarah Thompson"),
]

# theme slug → names of the members that lead it
DEMO_LEADERS = {
    "open-justice": ["Government of Argentina", "Poder Ciudadano"],
    "open-parliament": ["Government of Chile", "Mzalendo Trust"],
    "open-digital": ["Government of France", "Open Data Indonesia"],
    "anti-corruption": ["Government of Kenya", "Transparence Citoyenne"],
    "inclusion-civic-space": ["Government of Canada", "Women in Governance Network"],
    "local": ["City of Buenos Aires", "County of Makueni"],
}

DEMO_STAFF = [
    ("admin", "Ada Admin", Role.ADMIN),
    ("reviewer", "Rafael Reviewer", Role.REVIEWER),
    ("assessor", "Asha Assessor", Role.ASSESSOR),
]

# (name, sector): people who register for the demo's events
DEMO_PARTICIPANTS = [
    ("Amara Okafor", "civil_society"),
    ("Bruno Costa", "government"),
    ("Chen Wei", "academia"),
    ("Daniela Ruiz", "media"),
    ("Elif Yilmaz", "civil_society"),
    ("Farah Haddad", "international_organisation"),
    ("Gustavo Lima", "private_sector"),
    ("Hana Sato", "government"),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def load_people(password: str) -> tuple[dict[str, str], dict[str, Member]]:
    """Staff, a participant, the members with a focal point each, and the themes' leaders;
    returns {role or member: e-mail} and {member name: member}."""
    people: dict[str, str] = {}
    for local_part, name, role in DEMO_STAFF:
        user = accounts.create_user(demo_email(local_part), name, password, confirmed=True)
        accounts.grant_role(SYSTEM, user, role)
        people[role.value] = user.email
    participant = accounts.create_user(
        demo_email("participant"), "Paula Participant", password, confirmed=True
    )
    people["participant"] = participant.email

    by_name: dict[str, Member] = {}
    for name, kind, country, person in DEMO_MEMBERS:
        member = members.create_member(SYSTEM, name, kind, country)
        by_name[name] = member
        user = accounts.create_user(demo_email(member.slug), person, password, confirmed=True)
        member.focal_points.append(FocalPoint(user=user))
        people[name] = user.email
    for slug, leader_names in DEMO_LEADERS.items():
        theme = themes.get_theme_by_slug(slug)
        for leader_name in leader_names:
            themes.add_leader(SYSTEM, theme, by_name[leader_name])
    return people, by_name


def load_crowd() -> list[tuple[User, str]]:
    """The participants' accounts (always with the demo password), each with their sector."""
    return [
        (
            accounts.create_user(
                demo_email(name.split()[0].lower()), name, DEMO_PASSWORD, confirmed=True
            ),
            sector,
        )
        for name, sector in DEMO_PARTICIPANTS
    ]
