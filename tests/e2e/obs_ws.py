"""obs_ws.py — the obs-websocket v5 side of the end-to-end harness (obs_session.py): the
protocol's event-subscription bits and op codes, the harness's exceptions, and _WsClient, a
synchronous client over an asyncio loop in a daemon thread.

Standard library + python3-websockets (Debian 12 ships 10.4) only.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import json
import threading
import time
import uuid
from typing import Any, Callable, Optional

import websockets

# obs-websocket v5 EventSubscription bits (src/eventhandler/types/EventSubscription.h).
EVENT_SUB_GENERAL = 1 << 0
EVENT_SUB_CONFIG = 1 << 1
EVENT_SUB_SCENES = 1 << 2
EVENT_SUB_INPUTS = 1 << 3
EVENT_SUB_TRANSITIONS = 1 << 4
EVENT_SUB_FILTERS = 1 << 5
EVENT_SUB_OUTPUTS = 1 << 6
EVENT_SUB_SCENE_ITEMS = 1 << 7
EVENT_SUB_MEDIA_INPUTS = 1 << 8
EVENT_SUB_VENDORS = 1 << 9
EVENT_SUB_UI = 1 << 10
# Every non-high-volume subscription (the protocol's "All" = 0x7FF).
EVENT_SUB_ALL = (1 << 11) - 1

# WebSocket op codes.
OP_HELLO, OP_IDENTIFY, OP_IDENTIFIED = 0, 1, 2
OP_EVENT, OP_REQUEST, OP_REQUEST_RESPONSE = 5, 6, 7


class ObsError(RuntimeError):
    pass


class ObsStartupError(ObsError):
    pass


class ObsTimeout(ObsError, TimeoutError):
    pass


class ObsConnectionClosed(ObsError):
    pass


class ObsRequestError(ObsError):
    def __init__(self, request_type: str, code: int, comment: str):
        super().__init__(f"{request_type} failed: code {code}: {comment}")
        self.request_type = request_type
        self.code = code
        self.comment = comment


def _auth_string(password: str, salt: str, challenge: str) -> str:
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()


# ------------------------------------------------------------------ websocket client


class _WsClient:
    """obs-websocket v5 client: an asyncio loop in a daemon thread, synchronous API."""

    def __init__(self, port: int, password: str, subscriptions: int):
        self.port = port
        self.password = password
        self.subscriptions = subscriptions
        self.closed = False
        self.close_reason = ""
        self.negotiated_rpc = None
        self.hello: dict = {}
        self._ws = None
        self._pending: dict[str, asyncio.Future] = {}
        self._events: list[dict] = []
        self._consumed: list[bool] = []
        self._cond = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="obs-ws", daemon=True)
        self._thread.start()

    # -- lifecycle
    def connect(self, timeout: float) -> None:
        fut = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
        try:
            fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise ObsTimeout(f"websocket handshake took over {timeout:.0f} s")

    async def _connect(self) -> None:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}", subprotocols=["obswebsocket.json"],
            max_size=None, ping_interval=None, open_timeout=10, close_timeout=2)
        try:
            hello = json.loads(await ws.recv())
            if hello.get("op") != OP_HELLO:
                raise ObsError(f"expected Hello, got {hello!r}")
            self.hello = hello["d"]
            ident: dict[str, Any] = {"rpcVersion": 1, "eventSubscriptions": self.subscriptions}
            auth = self.hello.get("authentication")
            if auth:
                ident["authentication"] = _auth_string(self.password, auth["salt"], auth["challenge"])
            await ws.send(json.dumps({"op": OP_IDENTIFY, "d": ident}))
            try:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
            except websockets.ConnectionClosed as e:
                raise ObsError(f"Identify refused: close code {e.code} {e.reason!r}") from None
            if reply.get("op") != OP_IDENTIFIED:
                raise ObsError(f"expected Identified, got {reply!r}")
            self.negotiated_rpc = reply["d"].get("negotiatedRpcVersion")
        except BaseException:
            await ws.close()
            raise
        self._ws = ws
        self._loop.create_task(self._reader())

    async def _reader(self) -> None:
        ws = self._ws
        try:
            async for raw in ws:
                msg = json.loads(raw)
                op, d = msg.get("op"), msg.get("d", {})
                if op == OP_EVENT:
                    with self._cond:
                        d["_received"] = time.monotonic()  # ours, for timing; not OBS's
                        self._events.append(d)
                        self._consumed.append(False)
                        self._cond.notify_all()
                elif op == OP_REQUEST_RESPONSE:
                    fut = self._pending.pop(d.get("requestId"), None)
                    if fut and not fut.done():
                        fut.set_result(d)
        except websockets.ConnectionClosed:
            pass
        except Exception as e:  # a bad frame: record it, drop the connection
            self.close_reason = f"reader failed: {e!r}"
        finally:
            if not self.close_reason:
                self.close_reason = f"closed: code {ws.close_code} {ws.close_reason!r}"
            self.closed = True
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ObsConnectionClosed(self.close_reason))
            self._pending.clear()
            with self._cond:
                self._cond.notify_all()

    def close(self) -> None:
        """Close the connection (abort it when OBS does not answer) and stop the loop."""
        if self._loop.is_closed():
            return

        async def shutdown() -> None:
            ws = self._ws
            if ws is not None:
                # A polite close handshake, but never wait long: OBS may be hung or gone.
                closing = asyncio.ensure_future(ws.close())
                await asyncio.wait([closing], timeout=2)
                if ws.transport is not None:
                    ws.transport.abort()
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            if tasks:
                _, pending = await asyncio.wait(tasks, timeout=3)
                for t in pending:
                    t.cancel()
                if pending:
                    await asyncio.wait(pending, timeout=1)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(6)
        except Exception:
            pass
        self.closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(3)
        if not self._thread.is_alive():
            self._loop.close()

    # -- requests
    async def _send_request(self, request_type: str, data: Optional[dict]) -> dict:
        if self.closed or self._ws is None:
            raise ObsConnectionClosed(self.close_reason or "not connected")
        rid = uuid.uuid4().hex
        fut = self._loop.create_future()
        self._pending[rid] = fut
        d: dict[str, Any] = {"requestType": request_type, "requestId": rid}
        if data is not None:
            d["requestData"] = data
        try:
            await self._ws.send(json.dumps({"op": OP_REQUEST, "d": d}))
            return await fut
        finally:
            self._pending.pop(rid, None)

    def request_raw(self, request_type: str, data: Optional[dict], timeout: float) -> dict:
        fut = asyncio.run_coroutine_threadsafe(self._send_request(request_type, data), self._loop)
        try:
            return fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise ObsTimeout(f"{request_type}: no response within {timeout:g} s") from None
        except websockets.ConnectionClosed:
            raise ObsConnectionClosed(self.close_reason or "connection closed") from None

    # -- events
    def wait_event(self, predicate: Callable[[dict], bool], timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            start = 0
            while True:
                for i in range(start, len(self._events)):
                    if not self._consumed[i] and predicate(self._events[i]):
                        self._consumed[i] = True
                        return self._events[i]
                start = len(self._events)
                if self.closed:
                    raise ObsConnectionClosed(f"while waiting for an event: {self.close_reason}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ObsTimeout(f"no matching event within {timeout:g} s "
                                     f"({len(self._events)} events received)")
                self._cond.wait(left)

    def events(self) -> list[dict]:
        with self._cond:
            return list(self._events)

    def clear_events(self) -> None:
        with self._cond:
            self._consumed = [True] * len(self._events)
