"""Uploaded documents: PDF only, checked by content, with a size limit and a clean name."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# A PDF reader tolerates bytes before the header, but a browser may then sniff the file
# as HTML (a polyglot): the file must start with it.
PDF_HEADER = b"%PDF-"


def validate_pdf(file) -> None:
    if file.size > MAX_DOCUMENT_BYTES:
        size = number_format(file.size / 1024 / 1024, decimal_pos=1)
        raise ValidationError(
            f"Le fichier pèse {size} Mo : la limite est de 20 Mo. "
            "Compressez-le ou indiquez plutôt un lien externe.",
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(len(PDF_HEADER))
    file.seek(position)
    if head != PDF_HEADER:
        raise ValidationError(
            "Ce fichier n’est pas un PDF\u00a0: un PDF commence par «\u00a0%PDF-\u00a0», "
            "celui-ci non (quel que soit son nom). Enregistrez le document au format PDF.",
            code="not_pdf",
        )


def document_path(instance, filename: str) -> str:
    """ressources/<year>/<slugified-name>.pdf: no spaces, accents or path tricks."""
    stem = slugify(PurePath(filename).stem)[:80] or "document"
    return f"ressources/{timezone.now().year}/{stem}.pdf"
