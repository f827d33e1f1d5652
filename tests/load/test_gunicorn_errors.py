"""A gunicorn worker that answers an error response stays up.

gunicorn logs the requests it refuses itself (one with two Content-Length headers, say) through
our access-log class too, with an environment that lacks the path; the masking must not crash
the worker then, or one bad request from anyone on the internet takes a worker down.
"""

import socket
import time

from tests.load.harness import gunicorn_server, server_env


def raw_request(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_worker_answers_a_malformed_request_and_stays_up(app):
    with gunicorn_server("wsgi:app", server_env(app), workers=1) as server:
        (worker,) = server.wait_for_workers(1)
        answer = raw_request(server.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          b"Content-Length: 0\r\nContent-Length: 0\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
        time.sleep(0.5)  # a worker that crashed would be gone and replaced by now
        assert server.workers() == {worker}
        ok = raw_request(server.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      b"Connection: close\r\n\r\n")
        assert ok.startswith(b"HTTP/1.1 200"), ok[:200]
        server.log.seek(0)
        log = server.log.read().decode()
        assert "Traceback" not in log and "Worker exiting" not in log, log[-2000:]
