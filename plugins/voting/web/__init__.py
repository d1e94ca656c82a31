"""The voting plugin's HTTP layer: the staff API and console pages, the owners' ballot page and the
public verification page."""
