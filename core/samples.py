"""The two sample forms (示例) added on a true first start, and which of them are still untouched.

A sample stays marked 示例 (in the list and the title bar) until the clerk edits or deletes it, so
nobody mistakes the shipped example for a form of their own unit. The ids of the untouched samples
are kept in the database's settings, beside the forms they name.
"""

from __future__ import annotations

from core.paths import resource
from core.store import ImportResult, Store

SAMPLES_KEY = "samples_offered"  # "1": the samples were offered once (also: an empty database wanted)
SAMPLE_IDS_KEY = "sample_forms"  # comma-separated ids of the samples not edited yet


def add_samples(store: Store) -> list[ImportResult]:
    """On the first start with an empty database, the two seed forms as 示例 forms (once only)."""
    if store.setting(SAMPLES_KEY) == "1":
        return []  # checked first: listing a big database at every start costs time
    if store.list_forms():  # a database from before the samples: never offer them there
        decline_samples(store)
        return []
    from core.importing import import_file  # openpyxl loads only when the samples are added

    imported: list[ImportResult] = []
    for path in sorted(resource("samples").glob("*.xlsx")):
        imported += import_file(store, path, keep_samples=True).results
    with store.transaction():
        store.set_setting(SAMPLES_KEY, "1")
        store.set_setting(SAMPLE_IDS_KEY, ",".join(str(r.id) for r in imported))
    return imported


def decline_samples(store: Store) -> None:
    """A database the clerk asked to be empty: never add the samples to it."""
    store.set_setting(SAMPLES_KEY, "1")


def sample_ids(store: Store) -> set[int]:
    """The ids of the sample forms the clerk has neither edited nor deleted."""
    return {int(part) for part in store.setting(SAMPLE_IDS_KEY).split(",") if part.strip().isdigit()}


def forget_sample(store: Store, form_id: int) -> None:
    """The form was edited or deleted: it is no longer an untouched sample."""
    left = sample_ids(store) - {form_id}
    store.set_setting(SAMPLE_IDS_KEY, ",".join(str(i) for i in sorted(left)))
