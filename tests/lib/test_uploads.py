"""msap.lib.uploads: a file is judged by its content (sniffed type) and its size, and a private
file leaves only as a sandboxed attachment."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from msap.lib.uploads import UploadError, check_upload, private_file_response, sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8


def test_the_type_comes_from_the_content_not_the_name():
    assert check_upload(SimpleUploadedFile("scan.png", PDF)) == "pdf"
    assert sniff(PNG) == "png" and sniff(b"\xff\xd8\xff\xe0") == "jpg"
    with pytest.raises(UploadError, match="Type de fichier refusé"):
        check_upload(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"))


def test_only_the_allowed_types_pass():
    with pytest.raises(UploadError, match="seuls les fichiers PDF sont acceptés"):
        check_upload(SimpleUploadedFile("photo.png", PNG), allowed=("pdf",))


def test_empty_and_oversized_files_are_refused_in_french():
    with pytest.raises(UploadError, match="vide"):
        check_upload(SimpleUploadedFile("vide.pdf", b""))
    with pytest.raises(UploadError, match=r"trop volumineux .* 1 Ko au maximum"):
        check_upload(SimpleUploadedFile("gros.pdf", PDF + b"0" * 2048), max_bytes=1024)


def test_the_read_position_is_left_at_the_start():
    upload = SimpleUploadedFile("scan.pdf", PDF)
    check_upload(upload)
    assert upload.read(5) == b"%PDF-"


class StoredFile:
    """A field file's opening behaviour, without a model."""

    def __init__(self, content: bytes | None, name="private/x"):
        self.content, self.name = content, name

    def open(self, mode):
        if self.content is None:
            raise FileNotFoundError(self.name)
        return ContentFile(self.content, name=self.name)


def test_a_private_file_leaves_as_a_sandboxed_attachment_named_after_its_type():
    response = private_file_response(StoredFile(PDF), "attestation-caf", missing="Introuvable.")
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="attestation-caf.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_missing_from_storage_is_a_404_with_the_given_message():
    with pytest.raises(Http404, match=r"Le fichier est introuvable\."):
        private_file_response(StoredFile(None), "x", missing="Le fichier est introuvable.")


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
OFFICE = ("pdf", "docx", "xlsx", "odt", "ods")


def test_office_documents_are_recognised_by_their_archives_manifest():
    assert check_upload(SimpleUploadedFile("lettre.pdf", DOCX), allowed=OFFICE) == "docx"
    assert check_upload(SimpleUploadedFile("budget", ODS), allowed=OFFICE) == "ods"


def test_a_plain_zip_or_a_broken_one_is_not_an_office_document():
    for content in (_zip({"virus.exe": b"MZ"}), b"PK\x03\x04 truncated"):
        with pytest.raises(UploadError, match="Type de fichier refusé"):
            check_upload(SimpleUploadedFile("lettre.docx", content), allowed=OFFICE)


def test_office_documents_are_refused_where_only_scans_are_accepted():
    with pytest.raises(UploadError, match="Type de fichier refusé"):
        check_upload(SimpleUploadedFile("lettre.docx", DOCX))


def test_an_office_document_leaves_with_the_type_checked_at_upload():
    response = private_file_response(StoredFile(DOCX), "piece-1", missing="x", kind="docx")
    assert 'filename="piece-1.docx"' in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
