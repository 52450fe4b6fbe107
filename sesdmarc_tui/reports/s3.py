"""Reports from an S3 bucket fed by an SES receipt rule: raw MIME messages, one per object.

Only objects not seen before are downloaded: what was extracted from each object is kept in a
local cache keyed by bucket, key and ETag, so a daily reading fetches the day's new mail and
nothing else. SES's own ``AMAZON_SES_SETUP_NOTIFICATION`` test object is skipped, and so are
objects older than ``since`` (a report arrives after the period it covers, so an object
written before ``since`` cannot hold a report that ends after it).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sesdmarc_tui.core.reports.collection import SETUP_NOTIFICATION
from sesdmarc_tui.core.reports.limits import Limits
from sesdmarc_tui.core.reports.model import Problem
from sesdmarc_tui.reports.unpack import Item, extract

if TYPE_CHECKING:
    from sesdmarc_tui.aws.s3 import S3Adapter, S3Object


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def parse_s3_url(text: str) -> S3Location:
    """``s3://bucket/prefix`` -> location; ``ValueError`` for anything else."""
    if not text.startswith("s3://"):
        raise ValueError(f"{text!r} is not an s3://BUCKET/PREFIX address.")
    bucket, _, prefix = text[5:].partition("/")
    if not 3 <= len(bucket) <= 63 or not all(c.isalnum() or c in "-." for c in bucket):
        raise ValueError(f"{bucket!r} is not an S3 bucket name.")
    return S3Location(bucket.lower(), prefix)


class ObjectCache:
    """What each object held, as extracted, in files only the owner can read."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _path(self, bucket: str, key: str) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(f"{bucket}/{key}".encode()).hexdigest()
        return self.directory / bucket / f"{digest}.json.gz"

    def get(self, bucket: str, obj: S3Object) -> list[Item] | None:
        path = self._path(bucket, obj.key)
        try:
            if path is None or not path.is_file():
                return None
            data = json.loads(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError, EOFError):
            return None
        if data.get("etag") != obj.etag:
            return None
        items: list[Item] = [(d["name"], base64.b64decode(d["xml"])) for d in data["documents"]]
        items += [Problem(p["source"], p["kind"], p["message"]) for p in data["problems"]]
        return items

    def put(self, bucket: str, obj: S3Object, items: list[Item]) -> None:
        path = self._path(bucket, obj.key)
        if path is None:
            return
        documents = [
            {"name": i[0], "xml": base64.b64encode(i[1]).decode()}
            for i in items
            if isinstance(i, tuple)
        ]
        problems = [i.to_json() for i in items if isinstance(i, Problem)]
        payload = {"key": obj.key, "etag": obj.etag, "documents": documents, "problems": problems}
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temp = path.with_suffix(".tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(gzip.compress(json.dumps(payload).encode()))
            temp.replace(path)
        except OSError:
            return  # a cache that cannot be written only costs a download next time


@dataclass
class S3Reading:
    location: S3Location
    new: int = 0
    cached: int = 0
    skipped: int = 0
    items: list[Item] = field(default_factory=list)


def from_s3(
    adapter: S3Adapter,
    location: S3Location,
    limits: Limits,
    cache: ObjectCache,
    *,
    since: float | None = None,
) -> S3Reading:
    reading = S3Reading(location)
    for obj in adapter.objects(location.bucket, location.prefix):
        if obj.key.rsplit("/", 1)[-1] == SETUP_NOTIFICATION or obj.key.endswith("/"):
            reading.skipped += 1
            continue
        if since is not None and obj.modified and obj.modified < since:
            reading.skipped += 1
            continue
        found = cache.get(location.bucket, obj)
        if found is not None:
            reading.cached += 1
            reading.items.extend(found)
            continue
        reading.new += 1
        reading.items.extend(_fresh(adapter, location, obj, limits, cache))
    return reading


def _fresh(
    adapter: S3Adapter, location: S3Location, obj: S3Object, limits: Limits, cache: ObjectCache
) -> Iterator[Item]:
    from sesdmarc_tui.aws.errors import AwsError

    name = f"s3://{location.bucket}/{obj.key}"
    if obj.size > limits.max_input_bytes:
        yield Problem(name, "too_large", f"Larger than {limits.max_input_bytes:,} bytes; not read.")
        return
    try:
        data = adapter.read(location.bucket, obj.key, limits.max_input_bytes)
    except AwsError as exc:
        yield Problem(name, "unreadable", exc.message)
        return
    items = list(extract(name, data, limits))
    cache.put(location.bucket, obj, items)
    yield from items
