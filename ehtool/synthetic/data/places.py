"""Places for synthetic households: postcode districts and their local authorities, streets, invented schools."""

from __future__ import annotations

# district -> (town for the address, DfE LA number for UPNs)
DISTRICTS = {
    "CR0": ("Croydon", "306"),
    "CR2": ("South Croydon", "306"),
    "CR7": ("Thornton Heath", "306"),
    "SM1": ("Sutton", "319"),
    "SM5": ("Carshalton", "319"),
    "SE5": ("London", "210"),
    "SE15": ("London", "210"),
    "SW19": ("London", "315"),
}
# For the default three localities (Croydon's north, central and south).
_DEFAULT_DISTRICT_POOLS = {"north": ("CR7", "SE5", "SE15", "SW19"), "central": ("CR0", "SM1"), "south": ("CR2", "SM5")}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code may use

_STREETS = (
    "Maple Road, Elm Grove, Oak Avenue, Beech Close, Ash Gardens, Willow Way, Chestnut Drive, "
    "Hawthorn Crescent, Rowan Road, Sycamore Street, Laburnum Avenue, Holly Lane, Poplar Walk, Alder Close, "
    "Juniper Road, Linden Gardens, Cedar Road, Hazel Grove, Larch Way, Walnut Street, Mulberry Close, "
    "Cherry Tree Walk, Lime Street, Aspen Drive, Blackthorn Road, Hornbeam Close, Magnolia Court, "
    "Wisteria Road, Bramble Lane, Heather Road, Meadow Way, Orchard Street, Brook Road, Mill Lane, "
    "Station Road, Church Street, Park Road, Victoria Road, Albert Road, Queens Road, Kings Avenue, "
    "Windsor Road, Grange Road, Manor Way, Priory Close, Chapel Street, Market Street, Spring Lane, "
    "Well Road, Fountain Drive, Lark Rise, Wren Close, Swallow Street, Kestrel Way, Robin Road, Finch Close, "
    "Heron Drive, Kingfisher Court, Plover Way, Tower Court, Crown Parade, Beaumont House, Mandela Court"
).split(", ")

_PLACE_WORDS = (
    "Ashgrove Brookmead Elmfield Hazelwood Oakhurst Fernbank Larkhill Meadowbrook Redcliffe "
    "Thornbury Westmead Woodside Kingsmead Highfield Greenlane Millbrook Southfield Norbrook "
    "Elmstead Beechcroft Rowanfield Holmwood Lindenhill Cedarway"
).split()
_SAINTS = ("Mary's", "Joseph's", "Anne's", "Michael's", "Luke's", "Peter's", "Thomas's", "Catherine's")


_NURSERY_KINDS = ("Nursery", "Children's Centre Nursery", "Pre-school", "Day Nursery")


Schools = tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]


def _schools() -> dict[str, Schools]:
    """Invented schools per LA: (name, establishment number, phase)."""
    out = {}
    for i, la in enumerate(sorted({la for _, la in DISTRICTS.values()})):
        primaries: list[tuple[str, str]] = []
        secondaries: list[tuple[str, str]] = []
        nurseries: list[str] = []
        for j in range(10):
            place = _PLACE_WORDS[(i * 7 + j) % len(_PLACE_WORDS)]
            if j % 4 == 3:
                name = f"St {_SAINTS[(i + j) % len(_SAINTS)]} Catholic Primary School"
            else:
                name = f"{place} {'Primary School' if j % 2 else 'Primary Academy'}"
            primaries.append((name, f"{2000 + 37 * j + 3 * i:04d}"))
        for j in range(4):
            place = _PLACE_WORDS[(i * 5 + j + 11) % len(_PLACE_WORDS)]
            name = f"{place} {('Academy', 'High School', 'School', 'College')[j]}"
            secondaries.append((name, f"{4000 + 53 * j + 5 * i:04d}"))
        for j in range(4):
            place = _PLACE_WORDS[(i * 3 + j + 17) % len(_PLACE_WORDS)]
            nurseries.append(f"{place} {_NURSERY_KINDS[j]}")
        out[la] = (primaries, secondaries, nurseries)
    return out


_SCHOOLS = _schools()
