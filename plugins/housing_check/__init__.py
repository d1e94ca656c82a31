"""Housing-status checks (住房状况核查) for subsidised-housing applicants, within 10 working days."""
