"""When to ask a feed again: pure functions of times in seconds (epoch), so tests need no clock.

A feed is asked about as often as it publishes (a week over its entries of the last week),
never more often than the floor (15 minutes unless the user lowers it) nor less than daily;
what the server says wins when it asks for less (RSS <ttl>, Cache-Control max-age, Expires,
Retry-After). Failures back off exponentially from the floor; a feed that keeps failing,
or answers 410 Gone, is disabled.
"""
from __future__ import annotations

import email.utils
import re
from datetime import datetime, timezone

FLOOR_S = 15 * 60  # GDELT's cadence: no news desk needs a feed more often
CEILING_S = 24 * 3600  # every feed is asked at least daily
WEEK_S = 7 * 24 * 3600
MAX_ERRORS = 8  # consecutive failures (backing off from 15 min, about 2.7 days of trying) disable a feed
MAX_WAIT_S = 7 * 24 * 3600  # a server's Retry-After or Expires is honoured up to a week
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.I)


def clamp(value: float, floor: float, ceiling: float) -> float:
    return max(floor, min(ceiling, value))


def rate_interval(entry_times: list[float], now: float, floor: float = FLOOR_S, ceiling: float = CEILING_S) -> float:
    """Seconds between polls from how many entries the feed published in the last week."""
    recent = [t for t in entry_times if now - WEEK_S <= t <= now + 24 * 3600]
    return clamp(WEEK_S / len(recent), floor, ceiling) if recent else ceiling


def http_date(value: str | None) -> float | None:
    """An HTTP date (Expires, Retry-After, Last-Modified) as epoch seconds."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait that a Retry-After header asks for (delay seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_WAIT_S)
    when = http_date(value)
    return None if when is None else clamp(when - now, 0, MAX_WAIT_S)


def server_hint(headers: dict[str, str], ttl_minutes: str | None, now: float) -> float:
    """Seconds the server says the feed stays fresh (TTL, Cache-Control max-age, Expires); 0 when silent."""
    hints = [0.0]
    if ttl_minutes and str(ttl_minutes).strip().isdigit():
        hints.append(int(str(ttl_minutes).strip()) * 60.0)
    cache = headers.get("cache-control", "")
    found = _MAX_AGE.search(cache)
    if found:
        hints.append(float(found.group(1)))
    elif headers.get("expires"):
        expires = http_date(headers["expires"])
        if expires is not None:
            hints.append(expires - now)
    return min(max(hints), MAX_WAIT_S)


def next_interval(rate: float, hint: float, ceiling: float = CEILING_S) -> float:
    """The rate's interval, or longer when the server asks (a hint past the ceiling is cut to it)."""
    return max(rate, min(hint, ceiling))


def backoff(errors: int, floor: float = FLOOR_S, ceiling: float = CEILING_S) -> float:
    """Seconds before trying a failing feed again: the floor, doubled per consecutive failure."""
    return clamp(floor * 2 ** max(errors - 1, 0), floor, ceiling)


def iso(t: float | None) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, timezone.utc).replace(microsecond=0).isoformat()


def epoch(value: str | None) -> float | None:
    return None if not value else datetime.fromisoformat(value).timestamp()
