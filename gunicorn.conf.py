"""gunicorn settings for Lector in production: `gunicorn -c gunicorn.conf.py config.wsgi`.

Workers and threads were chosen by measurement on the 2-core benchmark machine (README, "Serving in production");
override them per host with environment variables:

    WEB_CONCURRENCY   worker processes (default 2)
    GUNICORN_THREADS  threads per worker (default 4; 1 gives plain sync workers)
    PORT              port to listen on (default 8000), on 127.0.0.1
    GUNICORN_BIND     full address instead, e.g. 0.0.0.0:8000 behind a load balancer on another host
    GUNICORN_TIMEOUT  seconds a worker may stay silent before it is restarted (default 120)

Anything else gunicorn takes can be added with GUNICORN_CMD_ARGS, e.g. GUNICORN_CMD_ARGS="--access-logfile -".
"""

import os

wsgi_app = "config.wsgi"
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# gthread: a worker's heartbeat runs beside its requests, so a long streamed export is not killed as a hung worker,
# and a slow client holds one thread rather than a whole process.
worker_class = "gthread" if threads > 1 else "sync"

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 30  # scripts reuse their connection (requests.Session) between API calls
# The heartbeat file on a RAM disk, so a slow or full disk never makes a busy worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Unused here, and every gunicorn of a user (this one, the live server, the benches' own) would claim the one
# ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True
