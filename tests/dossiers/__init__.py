"""Helpers shared by the personal-file tests: scans (the files come from DossierFactory)."""

# The smallest files each sniffed type accepts (their magic numbers, then some bytes).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOT_A_SCAN = b"MZ\x90\x00 this is a Windows executable, whatever its name says"
