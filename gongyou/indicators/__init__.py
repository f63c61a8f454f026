"""Read-only indicators, dashboards and briefings computed from records the user may see."""
