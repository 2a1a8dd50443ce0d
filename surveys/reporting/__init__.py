"""Survey reporting: dashboards, exports, and the figures other apps publish.

Every figure passes through ``disclosure``. Other apps use only what is imported here.
"""

from surveys.reporting.key_figures import KeyFigures, key_figures

__all__ = ["KeyFigures", "key_figures"]
