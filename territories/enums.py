from django.db import models

# The 18 regions of France (13 metropolitan, 5 overseas), by INSEE code.
REGION_CODES = [
    "01", "02", "03", "04", "06",
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94",
]  # fmt: skip


class SizeBand(models.TextChoices):
    SMALL = "moins-de-2000", "Moins de 2 000 habitants"
    MEDIUM = "2000-a-19999", "De 2 000 à 19 999 habitants"
    LARGE = "20000-et-plus", "20 000 habitants et plus"


# Tile-grid map of the regions: a short label per region (positions in site.css).
REGION_TILES = {
    "32": "HDF", "28": "NOR", "11": "IDF", "44": "GES", "53": "BRE",
    "52": "PDL", "24": "CVL", "27": "BFC", "75": "NAQ", "84": "ARA",
    "76": "OCC", "93": "PAC", "94": "COR", "01": "GUA", "02": "MTQ",
    "03": "GUF", "04": "RÉU", "06": "MAY",
}  # fmt: skip
