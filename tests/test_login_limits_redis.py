"""The login limits hold across processes when their storage is Redis (as with gunicorn -w N).

Only collected when ``GIVEAWAY_TEST_REDIS_URL`` is set (CI sets it), like
tests/test_redis_queue.py. Two separate Python processes, each its own app
(as two gunicorn workers are), try wrong passwords on one account: together
they get no more tries than the limit allows.
"""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

REDIS_URL = os.environ.get("GIVEAWAY_TEST_REDIS_URL")

WORKER = """
import json, sys
from giveaway import create_app
config, instance, tries = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
client = create_app(config, instance_path=instance).test_client()
codes = [client.post("/login", data={"email": "staff@test.fr", "password": "wrong password"})
         .status_code for _ in range(tries)]
print(json.dumps(codes))
"""


def _workers(app, tmp_path, storage: str, tries: int = 6) -> list[int]:
    config = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
              "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
              "PASSWORD_HASH_PROFILE": "CHEAPEST", "HUEY_IMMEDIATE": True,
              "RATELIMIT_STORAGE_URI": storage,
              "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(config),
                                   str(tmp_path / f"worker{n}"), str(tries)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=str(Path(__file__).parents[1]))
                 for n in range(2)]
    codes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        codes += json.loads(out)
    return codes


if REDIS_URL:
    def test_two_worker_processes_share_the_login_counts(app, tmp_path):
        codes = _workers(app, tmp_path, REDIS_URL)
        # A wait is read before the password is checked and a failure counted after it:
        # two workers at the boundary may both pass, so at most one try more than the
        # limit (10) gets through — never the limit per worker (without Redis: 12 of 12).
        assert codes.count(200) in (10, 11) and codes.count(429) == 12 - codes.count(200)

