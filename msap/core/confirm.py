"""Confirm what cannot be undone: a page that says what will happen, before the POST that does it.

The pattern of every deletion and irreversible action: its URL answers GET with this page (works
without JavaScript) and POST by doing it. Screens link to the GET; the page's button posts,
carrying the fields the action needs (a date, where to go next).
"""

from django.contrib import messages
from django.shortcuts import redirect, render

from msap.core.forms import refusal_as_message


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


def dated_ending(request, form, *, invalid: str, confirm, end, done_url: str):
    """Ending something on a day the form's `ended_on` gives (a departure, the end of a post):
    GET confirms with `confirm(day)`'s arguments, POST calls `end(day)` (a refusal becomes an
    error message); both go back to `done_url`, an invalid day said by `invalid`."""
    if not form.is_valid():
        messages.error(request, invalid)
    elif request.method == "GET":
        day = form.cleaned_data["ended_on"]
        return confirmation(request, fields={"ended_on": day.isoformat()}, **confirm(day))
    else:
        with refusal_as_message(request):
            end(form.cleaned_data["ended_on"])
    return redirect(done_url)


def confirmed(request, *, act, done: str, back_url: str, **page):
    """A deletion or another irreversible action with no choice to make: GET shows the
    confirmation page (`page`: its title, question, consequence, button, details, fields; cancel
    goes back to `back_url`), POST calls `act()` and says `done` (a refusal becomes an error
    message); both end at `back_url`."""
    if request.method == "GET":
        return confirmation(request, cancel_url=back_url, **page)
    with refusal_as_message(request):
        act()
        messages.success(request, done)
    return redirect(back_url)
