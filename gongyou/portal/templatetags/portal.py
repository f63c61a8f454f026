from django import template
from django.conf import settings

register = template.Library()

# The ACFTU workers' service hotline, as published by the unions; a deployment may set another
# (GONGYOU_PORTAL_HOTLINE, '' to hide it). Not in domain-facts: kept as editable setting.
DEFAULT_HOTLINE = "12351"


@register.simple_tag
def portal_hotline() -> str:
    return str(getattr(settings, "GONGYOU_PORTAL_HOTLINE", DEFAULT_HOTLINE) or "")
