"""Weifang's rules for wuye: the Civil Code thresholds (Shandong restates them) plus Weifang's own
limits on proxies and its city e-voting system."""
