"""A small HTTP load client over loopback: agents logged in through the login form, posting the
quick entry like a browser (CSRF cookie and token, Origin header, a fresh idempotency key).

Standard library only: http.client, one keep-alive connection per thread (a sync gunicorn
worker closes it after each response; http.client then reconnects), threads for concurrency.
Two ways to drive load:
- open_loop: a fixed schedule (request i is due at t0 + i/rate) whatever the server does;
  latency counts from the due time, so a slow server is not hidden by a client that waits
  (no "coordinated omission").
- closed_loop: N clients each sending as soon as the previous answer came: the maximum
  throughput the server sustains at that concurrency.
"""

import http.client
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Client:
    """One connection per thread to 127.0.0.1:port."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.timeout = timeout
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        return conn

    def request(
        self, method: str, path: str, *, body: bytes | None = None, cookies=None
    ) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "msap-bench/1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin  # what a browser sends with a form POST
            headers["Referer"] = self.origin + path
        conn = self._conn()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self._local.conn = None
            raise
        return Response(resp.status, resp.headers, data)


def _update_cookies(cookies: dict, response: Response) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            cookies[name] = morsel.value


@dataclass
class Session:
    """A logged-in agent: cookies, the form's CSRF token, and what their form offers."""

    email: str
    house_id: int
    cookies: dict
    token: str
    partner_ids: list[int]
    commune: str


def login(
    client: Client, email: str, password: str, house_id: int, partner_ids, commune
) -> Session:
    cookies: dict[str, str] = {}
    page = client.request("GET", "/connexion/")
    _update_cookies(cookies, page)
    token = TOKEN.search(page.body).group(1).decode()
    form = urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token})
    done = client.request("POST", "/connexion/", body=form.encode(), cookies=cookies)
    _update_cookies(cookies, done)  # the session, and the CSRF secret rotated at login
    if done.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {email} refused (HTTP {done.status})")
    entry = client.request("GET", "/saisie/", cookies=cookies)
    if entry.status != 200:
        raise RuntimeError(f"quick entry of {email}: HTTP {entry.status}")
    _update_cookies(cookies, entry)
    token = TOKEN.search(entry.body).group(1).decode()
    return Session(email, house_id, cookies, token, list(partner_ids), commune)


@dataclass
class Catalogue:
    """Ids the client fills the form with (read from the database before the run)."""

    categories: dict[str, int]  # code -> pk
    items: dict[int, list[int]]  # category pk -> item pks
    procedures: dict[int, list[str]]  # partner pk -> labels


CATEGORY_WEIGHTS = {"A": 24, "B1": 38, "B2": 24, "B3": 9, "C": 5}


def entry_form(session: Session, catalogue: Catalogue, rng: random.Random) -> dict:
    """A common request as an agent types it: a partner of the house, a category, sometimes a
    procedure from the type-ahead, an item, a commune; the rest left at its default."""
    partner = rng.choice(session.partner_ids) if session.partner_ids else ""
    code = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    category = catalogue.categories[code]
    labels = catalogue.procedures.get(partner, [])
    items = catalogue.items.get(category, [])
    return {
        "house": session.house_id,
        "partner": partner,
        "category": category,
        "procedure": rng.choice(labels) if labels and rng.random() < 0.5 else "",
        "item": rng.choice(items) if items and rng.random() < 0.5 else "",
        "channel": "counter",
        "duration_minutes": rng.choice((5, 10, 10, 20, 30)),
        "outcome": "answered",
        "autonomy": rng.choice(("", "alone", "with_help", "done_for")),
        "age_band": rng.choice(("", "u26", "26_39", "40_59", "60_74", "75p")),
        "commune": session.commune if rng.random() < 0.5 else "",
        "first_visit": rng.choice(("", "oui", "non")),
        "group_size": 1,
        "occurred_at": "",
        "notes": "",
    }


def poster(
    client: Client, path: str, sessions: list[Session], catalogue: Catalogue, seed: int
) -> Callable[[], bool]:
    """A function posting one request to `path` for a random agent; True when recorded
    (302 to the "enregistree" URL)."""
    lock = threading.Lock()
    rng = random.Random(seed)

    def post() -> bool:
        with lock:  # random.Random is not meant to be shared between threads unguarded
            session = rng.choice(sessions)
            form = entry_form(session, catalogue, rng)
        form["key"] = uuid.uuid4().hex
        form["csrfmiddlewaretoken"] = session.token
        try:
            r = client.request("POST", path, body=urlencode(form).encode(), cookies=session.cookies)
        except (OSError, http.client.HTTPException):
            return False
        return r.status == 302 and "enregistree=" in (r.headers.get("Location") or "")

    return post


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)  # successful requests only
    ok: int = 0
    errors: int = 0
    elapsed_s: float = 0.0

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def record(self, ok: bool, latency_ms: float) -> None:
        """One answer: its latency when it succeeded, else one more error (under the caller's lock)."""
        if ok:
            self.ok += 1
            self.latencies_ms.append(latency_ms)
        else:
            self.errors += 1

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, max(0, round(p / 100 * len(data) + 0.5) - 1))]


def open_loop(
    send: Callable[[], bool], *, rate: float, duration: float, threads: int = 64
) -> Result:
    """`rate` requests a second for `duration` seconds on a fixed schedule."""
    total = int(rate * duration)
    result, lock = Result(), threading.Lock()

    def one(due: float) -> None:
        ok = send()
        latency = (time.perf_counter() - due) * 1000
        with lock:
            result.record(ok, latency)

    start = time.perf_counter() + 0.1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for i in range(total):
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, due)
    result.elapsed_s = time.perf_counter() - start
    return result


def closed_loop(
    send: Callable[[], bool], *, clients: int, duration: float, limit: int = 200_000
) -> Result:
    """`clients` loops sending back to back for `duration` seconds (at most `limit` requests)."""
    result, lock = Result(), threading.Lock()
    deadline = time.perf_counter() + duration
    sent = [0]

    def loop() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= limit:
                    return
                sent[0] += 1
            began = time.perf_counter()
            ok = send()
            latency = (time.perf_counter() - began) * 1000
            with lock:
                result.record(ok, latency)

    start = time.perf_counter()
    workers = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(duration + 30)
    result.elapsed_s = time.perf_counter() - start
    return result
