"""Group rental (群租): inspections, determinations, rectification orders, service, follow-up."""
