"""Confirm what cannot be undone: a page that says what will happen, before the POST that does it.

The pattern of every deletion and irreversible action: its URL answers GET with this page (works
without JavaScript) and POST by doing it. Screens link to the GET; the page's button posts,
carrying the fields the action needs (a date, where to go next).
"""

from django.shortcuts import render


def confirmation(
    request,
    *,
    title: str,
    question: str,
    consequence: str,
    button: str,
    cancel_url: str,
    fields: dict | None = None,
    details: list[tuple[str, str]] | None = None,
):
    """The confirmation page of the action at request.path. `details` are (label, value) rows
    describing the record concerned; `fields` are posted along as hidden inputs."""
    return render(
        request,
        "msap/confirm.html",
        {
            "title": title,
            "question": question,
            "consequence": consequence,
            "button": button,
            "cancel_url": cancel_url,
            "fields": fields or {},
            "details": details or [],
            "action_url": request.path,
        },
    )
