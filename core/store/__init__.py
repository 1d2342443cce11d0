"""The local SQLite database: one Store, opened once and passed along.

    store.py          the Store (forms, revisions, imports, settings, backup and restore)
    schema.py         tables and migrations        errors.py   every failure as a Chinese message
    lock.py           one writer per database      serialize.py  a form as the JSON kept per revision
    unit_settings.py  the unit's settings kept in the database

The names a caller needs are importable from core.store itself.
"""

from core.store.errors import (
                               DiskFullError,
                               DuplicateFormError,
                               FormNotFoundError,
                               NewerDatabaseError,
                               NotADatabaseError,
                               StoreBusyError,
                               StoreCorruptError,
                               StoreError,
                               StoreLockedError,
                               StoreMissingError,
                               StoreReadOnlyError,
)
from core.store.store import (
                               DB_ENV,
                               REVISION_REASONS,
                               SEAL_REASONS,
                               FormSummary,
                               ImportResult,
                               RevisionInfo,
                               SavePoint,
                               SaveResult,
                               SourceWorkbook,
                               Store,
                               StoredForm,
                               default_db_path,
                               lock_path,
                               resolve_db_path,
                               restore_backup_file,
                               verify_database_file,
)

__all__ = [
    "DB_ENV", "REVISION_REASONS", "SEAL_REASONS", "DiskFullError", "DuplicateFormError", "FormNotFoundError",
    "FormSummary", "ImportResult", "NewerDatabaseError", "NotADatabaseError", "RevisionInfo", "SavePoint",
    "SaveResult", "SourceWorkbook", "Store", "StoreBusyError", "StoreCorruptError", "StoreError", "StoreLockedError",
    "StoreMissingError", "StoreReadOnlyError", "StoredForm", "default_db_path", "lock_path", "resolve_db_path",
    "restore_backup_file", "verify_database_file",
]
