"""The commitment ledger: targets and results of every report, and indicators over years."""

from .extract import KIND_RESULT, KIND_TARGET, Commitment, extract_commitments
from .store import build_ledger, filter_ledger, ledger_for, load_ledger, save_ledger

__all__ = [
    "KIND_RESULT", "KIND_TARGET", "Commitment", "extract_commitments",
    "build_ledger", "filter_ledger", "ledger_for", "load_ledger", "save_ledger",
]
