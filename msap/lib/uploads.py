"""Check uploaded files by their content, not their name: size limit and sniffed type."""

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from msap.lib.forms import human_size

# Magic numbers of the types we accept for scans and attestations.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
}
TYPE_LABELS = {"pdf": "PDF", "png": "PNG", "jpg": "JPEG"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}

# Office documents are ZIP containers: their kind is read from the archive's own manifest
# (OOXML's word/ or xl/ part, OpenDocument's `mimetype` entry), never from the file's name.
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
TYPE_LABELS.update({"docx": "Word", "xlsx": "Excel", "odt": "ODT", "ods": "ODS"})


class UploadError(ValueError):
    pass


def sniff(head: bytes) -> str | None:
    for kind, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return kind
    return None


def office_kind(upload) -> str | None:
    """The office kind of a ZIP upload ("docx", "xlsx", "odt", "ods"), or None. Reads only the
    archive's directory and its small `mimetype` entry; leaves the upload at its start."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "ignore").strip()
                for kind in ("odt", "ods"):
                    if declared == OFFICE_CONTENT_TYPES[kind]:
                        return kind
            if "[Content_Types].xml" in names:
                for kind, part in OFFICE_PARTS.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def check_upload(upload, allowed=("pdf", "png", "jpg"), max_bytes: int | None = None) -> str:
    """Return the sniffed type of `upload`, or raise UploadError with a French message."""
    max_bytes = max_bytes or settings.MSAP_MAX_UPLOAD_BYTES
    if upload.size > max_bytes:
        raise UploadError(
            _("Le fichier est trop volumineux (%(size)s) : %(max)s au maximum.")
            % {"size": human_size(upload.size), "max": human_size(max_bytes)}
        )
    if upload.size == 0:
        raise UploadError(_("Le fichier est vide."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None and head.startswith(ZIP_MAGIC) and set(allowed) & set(OFFICE_CONTENT_TYPES):
        kind = office_kind(upload)
    if kind not in allowed:
        labels = ", ".join(TYPE_LABELS[a] for a in allowed)
        raise UploadError(
            _("Type de fichier refusé : seuls les fichiers %(types)s sont acceptés.")
            % {"types": labels}
        )
    return kind


def private_file_response(fieldfile, stem: str, *, missing: str, kind: str | None = None):
    """Stream a private upload as an attachment named `stem` + the extension of its sniffed type.

    The only way out of MEDIA_ROOT (no public URL): callers check permissions first. Never
    rendered inline, never sniffed by the browser, sandboxed if opened anyway. `missing` is the
    French message of the 404 when the file is gone from storage; `kind`, the type checked at
    upload when the first bytes cannot tell it (an office document).
    """
    import logging

    from django.http import FileResponse, Http404

    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        logging.getLogger(__name__).error("private file missing: %s", fieldfile.name)
        raise Http404(missing) from None
    kind = kind or sniff(handle.read(16))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}.{kind or 'bin'}",
        content_type={**CONTENT_TYPES, **OFFICE_CONTENT_TYPES}.get(
            kind, "application/octet-stream"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_response(content: bytes, content_type: str, filename: str):
    """A document the application made (a PDF letter, an export) as a download named
    `filename`, never sniffed by the browser."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
