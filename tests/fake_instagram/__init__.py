"""A fake Instagram private API for tests and benchmarks.

Usage::

    with FakeInstagram() as fake:
        post = fake.post(5000, seed=3, reply_rate=0.1)
        fake.faults.add("throttle", at={4, 9})
        client = make_client(fixture_settings(), api_base=fake.base_url, timeout=2,
                             delay_range=None)

Standalone: ``PYTHONPATH=tests python -m fake_instagram --comments 50000``.
"""

from .data import HOST_PK, FakePost, generate_post
from .faults import KINDS as FAULT_KINDS
from .faults import Faults
from .recording import Sleeps, Store
from .server import FakeInstagram


def fixture_settings(user_pk: int = HOST_PK) -> dict:
    """An instagrapi settings dict for a logged-in session; no network needed."""
    return {
        "cookies": {
            "sessionid": f"{user_pk}%3AFAKEsession%3A27",
            "ds_user_id": str(user_pk),
            "csrftoken": "fakecsrftoken",
            "mid": "ZfakeMID",
        },
        "authorization_data": {
            "ds_user_id": str(user_pk),
            "sessionid": f"{user_pk}%3AFAKEsession%3A27",
        },
        "uuids": {
            "phone_id": "57d64c41-a916-3fa5-bd7a-3796c1dab122",
            "uuid": "8aa373c6-f316-44d7-b49e-d74563f4a8f3",
            "client_session_id": "6c296d0a-3534-4dce-b5aa-a6a6ab017443",
            "advertising_id": "8dc88b76-dfbc-44dc-abbc-31a6f1d54b04",
            "android_device_id": "android-e021b636049dc0e9",
            "request_id": "72a4ec46-3b4c-4a0c-95e5-c3a5a2d2d5f6",
            "tray_session_id": "d0a1cf43-43ee-4a2d-9c38-3b0b1e3f3a3a",
        },
        "mid": "ZfakeMID",
    }


__all__ = ["FAULT_KINDS", "FakeInstagram", "FakePost", "Faults", "HOST_PK", "Sleeps", "Store",
           "fixture_settings", "generate_post"]
