"""The commitment ledger: a view over the facts (targets and results of every report),
filterable by indicator, period, measure and kind, and indicators over years."""

from .store import filter_ledger, indicator_matches, ledger_for, parse_period

__all__ = ["filter_ledger", "indicator_matches", "ledger_for", "parse_period"]
