"""Running the app under uvicorn in a background thread, for tests, benchmarks and notebooks.

    with running(create_app("conflict.duckdb")) as url:     # http://127.0.0.1:PORT
        httpx.get(url + "/api/health")
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Iterator


@contextlib.contextmanager
def running(app, host: str = "127.0.0.1", port: int = 0, timeout: float = 20.0) -> Iterator[str]:
    """Serve `app` until the block ends (port 0: any free port); yields the base URL."""
    import uvicorn
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    # uvicorn binds the socket itself: asyncio then sets TCP_NODELAY on each connection (a socket made
    # here with proto 0 would not get it, and every response would wait 40 ms for a delayed ACK)
    thread = threading.Thread(target=server.run, daemon=True, name="sitroom-serve")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the server did not start within {timeout:g} s")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
