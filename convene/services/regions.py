"""The partnership's regions, from ISO 3166 country codes."""

from flask_babel import lazy_gettext as _l

REGION_NAMES = {
    "africa-middle-east": _l("Africa and the Middle East"),
    "americas": _l("Americas"),
    "asia-pacific": _l("Asia and the Pacific"),
    "europe": _l("Europe"),
}

_COUNTRIES = {
    "africa-middle-east": (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
        "MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW "
        "AE BH IL IQ IR JO KW LB OM PS QA SA SY YE"
    ),
    "americas": (
        "AI AG AR AW BS BB BZ BM BO BQ BR CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY "
        "HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC US UY VE VG VI"
    ),
    "asia-pacific": (
        "AF AS AU BD BT BN KH CN CK FJ PF GU HK IN ID JP KI KP KR LA MO MY MV MH FM MN MM NR NP "
        "NC NZ NU NF MP PK PW PG PH PN WS SB LK TW TH TL TK TO TV VU VN WF KZ KG TJ TM UZ"
    ),
    "europe": (
        "AL AD AM AT AZ BY BE BA BG HR CY CZ DK EE FO FI FR GE DE GI GR GG HU IS IE IM IT JE XK "
        "LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH TR UA GB VA AX"
    ),
}

COUNTRY_REGION = {code: region for region, codes in _COUNTRIES.items() for code in codes.split()}


def region_of(country: str | None) -> str | None:
    return COUNTRY_REGION.get((country or "").upper())


def countries_in(region: str) -> list[str]:
    return _COUNTRIES.get(region, "").split()
