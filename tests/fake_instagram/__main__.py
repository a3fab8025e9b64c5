"""Run the fake Instagram standalone: ``PYTHONPATH=tests python -m fake_instagram``.

Prints one JSON line (base_url, post_url, counts) then serves until
interrupted or terminated. ``GET /__fake__/stats`` returns the request counts
and the server's own time.
"""

from __future__ import annotations

import argparse
import json
import threading

from . import FakeInstagram


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="fake_instagram", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--reply-rate", type=float, default=0.0)
    parser.add_argument("--anchor", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with FakeInstagram(args.host, args.port) as fake:
        post = fake.post(args.comments, seed=args.seed, page_size=args.page_size,
                         reply_rate=args.reply_rate, anchor=args.anchor)
        print(json.dumps({"base_url": fake.base_url, "post_url": post.url,
                          "media_id": post.media_id, "top_level": len(post.comments),
                          "total": len(post.all_ids())}), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
