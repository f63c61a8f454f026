"""Occupation lookup for code inputs: suggestions while typing and the name of a complete code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongyou.core.forms import LOOKUP_SIZE, lookup_query

from .selectors import occupation_list, occupation_names


@login_required
@require_GET
def occupation_options(request: HttpRequest) -> HttpResponse:
    q = lookup_query(request.GET, max_length=40)
    options = list(occupation_list(q=q).values_list("code", "name")[:LOOKUP_SIZE]) if q else []
    context = {"options": options, "field": "occupation", "label": occupation_names().get(q, "")}
    return render(request, "lookup.html", context)
