from tests.support.xserver import tray_display  # noqa: F401 - a fixture
