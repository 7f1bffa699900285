"""Check uploaded files by their content, not their name: size limit and sniffed type."""

from django.conf import settings

from msap.lib.forms import human_size

# Magic numbers of the types we accept for scans and attestations.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
}
TYPE_LABELS = {"pdf": "PDF", "png": "PNG", "jpg": "JPEG"}


class UploadError(ValueError):
    pass


def sniff(head: bytes) -> str | None:
    for kind, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return kind
    return None


def check_upload(upload, allowed=("pdf", "png", "jpg"), max_bytes: int | None = None) -> str:
    """Return the sniffed type of `upload`, or raise UploadError with a French message."""
    max_bytes = max_bytes or settings.MSAP_MAX_UPLOAD_BYTES
    if upload.size > max_bytes:
        raise UploadError(
            f"Le fichier est trop volumineux ({human_size(upload.size)}) : {human_size(max_bytes)} au maximum."
        )
    if upload.size == 0:
        raise UploadError("Le fichier est vide.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind not in allowed:
        labels = ", ".join(TYPE_LABELS[a] for a in allowed)
        raise UploadError(f"Type de fichier refusé : seuls les fichiers {labels} sont acceptés.")
    return kind
