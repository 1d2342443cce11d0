"""The real window on a real database, shared by the window's test modules (defined in
test_main_window, where they began)."""

from tests.ui.test_main_window import answers, window  # noqa: F401 (fixtures)
