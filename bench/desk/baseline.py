"""The baseline of the desk bench: the least a Django view can do to record a request.

Same middleware stack as the quick entry (session, CSRF, authentication, OTP, messages, axes),
authenticated and CSRF-checked like it, and one INSERT into the same table with the fields the
client sends taken at face value: no form, no validation, no lookup, no template. The ratio
desk/baseline is the price of what the quick entry does on top.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from msap.desk.models import ServiceRequest


@login_required
@require_POST
def insert_one(request):
    obj = ServiceRequest.objects.create(
        house_id=int(request.POST["house"]),
        agent=request.user,
        category_id=int(request.POST["category"]),
        occurred_at=timezone.now(),
    )
    return HttpResponseRedirect(f"/banc/insertion/?enregistree={obj.pk}")
