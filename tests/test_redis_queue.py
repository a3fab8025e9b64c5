"""The job queue on Redis (GIVEAWAY_REDIS_URL), run when CI provides a Redis server.

The default test run needs no Redis: this module only has tests when
``GIVEAWAY_TEST_REDIS_URL`` is set (``.ci/run`` sets it for its PostgreSQL pass).
"""
import os
import threading
import time

from huey import RedisHuey

REDIS_URL = os.environ.get("GIVEAWAY_TEST_REDIS_URL")


def _redis_app(app):
    from giveaway import jobs
    app.config.update(REDIS_URL=REDIS_URL, HUEY_IMMEDIATE=False)
    jobs.init_app(app)
    return app.extensions["huey"]


if REDIS_URL:
    def test_jobs_go_through_redis_and_a_consumer_runs_them(app, monkeypatch):
        huey = _redis_app(app)
        assert isinstance(huey, RedisHuey)
        huey.flush()
        ran = []
        monkeypatch.setitem(app.extensions["huey_tasks"], "probe",
                            huey.task(name="probe")(lambda value: ran.append(value)))
        from giveaway.jobs import enqueue
        enqueue("probe", 42)
        assert huey.pending_count() == 1
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
        thread = threading.Thread(target=consumer.run, daemon=True)
        # run the consumer without its signal handlers (not in the main thread)
        monkeypatch.setattr(consumer, "_set_signal_handlers", lambda: None)
        thread.start()
        deadline = time.monotonic() + 10
        while not ran and time.monotonic() < deadline:
            time.sleep(0.05)
        consumer.stop(graceful=False)
        assert ran == [42]
