"""The group_rental use cases, one module per aggregate (cases, inspections, photos, orders and their
service, escalation) and their shared helpers; callers import the module they need."""
