"""Translatable names of harvest run states."""
from flask_babel import lazy_gettext as _l

RUN_STATUS_LABELS = {
    "queued": _l("queued"),
    "running": _l("running"),
    "waiting": _l("waiting (Instagram asks to slow down)"),
    "paused": _l("paused: Instagram needs you"),
    "complete": _l("complete"),
    "stopped": _l("stopped"),
    "failed": _l("failed"),
}
