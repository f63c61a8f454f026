"""Region lookup for code inputs: suggestions while typing and the name of a complete code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongyou.core.forms import LOOKUP_SIZE, lookup_field, lookup_query

from .selectors import region_is_known, region_label, region_list


@login_required
@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for a region-code input (a datalist) and the name of a complete code."""
    field = lookup_field(request.GET)
    q = lookup_query(request.GET, max_length=20)
    regions = list(region_list(q=q)[:LOOKUP_SIZE]) if q else []
    options = [(r.code, region_label(r.code)) for r in regions]
    context = {
        "options": options,
        "field": field,
        "label": region_label(q) if region_is_known(q) else "",
    }
    return render(request, "lookup.html", context)
