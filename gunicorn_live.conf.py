"""gunicorn settings for Lector's live server: `gunicorn -c gunicorn_live.conf.py`, beside the main server
(`gunicorn -c gunicorn.conf.py config.wsgi`). It serves the reading view's live streams (apps/live) from
config.asgi with uvicorn's worker: each open stream is a coroutine, not a thread or a process, and each worker
process has one PostgreSQL listener for all of its streams (README, "Live updates").

    LIVE_CONCURRENCY   worker processes (default 1: one process holds thousands of idle streams)
    LIVE_PORT          port to listen on (default 8001), on 127.0.0.1
    LIVE_BIND          full address instead, e.g. 0.0.0.0:8001 behind a load balancer on another host
"""

import os

wsgi_app = "config.asgi:application"
bind = [os.environ.get("LIVE_BIND") or f"127.0.0.1:{os.environ.get('LIVE_PORT', '8001')}"]
workers = int(os.environ.get("LIVE_CONCURRENCY", "1"))
worker_class = "uvicorn_worker.UvicornWorker"
# Streams never end by themselves: on a restart, close them soon (browsers reconnect at once to the new workers).
graceful_timeout = 5
timeout = 60
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True  # as gunicorn.conf.py: unused, and the path would be the app server's
