"""Builders of the charter tests: real uploads and evidence through the service."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from msap.charter import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "attestation.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def evidence(actor, house, commitment: str, kind: str, dated_on: dt.date, **extra):
    return services.record_evidence(
        actor,
        house,
        commitment=commitment,
        kind=kind,
        dated_on=dated_on,
        upload=extra.pop("upload", None) or pdf_upload(),
        **extra,
    )
