"""S3 for the reports bucket: create it, let SES write to it, list and read what arrived.

Objects are read with a size limit checked twice: the listed size before the download, and
the bytes actually read (at most the limit plus one), so a report mailbox cannot make the
wizard download a huge object.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.session import AwsSession

SERVICE = "s3"
MISSING_BUCKET = ("404", "NoSuchBucket", "NotFound")
MISSING_POLICY = ("NoSuchBucketPolicy",)


@dataclass(frozen=True)
class S3Object:
    key: str
    size: int
    etag: str
    modified: float  # UTC seconds


class S3Adapter:
    def __init__(self, session: AwsSession) -> None:
        self.session = session

    def _call(self, operation: str, method: str, **params: Any) -> Any:
        return self.session.call(SERVICE, operation, method, **params)

    def bucket_exists(self, bucket: str) -> bool:
        """False when there is no such bucket; ``AwsError`` when it is someone else's."""
        try:
            self._call("HeadBucket", "head_bucket", Bucket=bucket)
        except AwsError as exc:
            if exc.code in MISSING_BUCKET or exc.kind is ErrorKind.NOT_FOUND:
                return False
            if exc.kind in (ErrorKind.ACCESS_DENIED, ErrorKind.EXPLICIT_DENY):
                raise AwsError(
                    exc.kind,
                    f"The bucket {bucket} exists but this account cannot use it.",
                    "Bucket names are global: choose another name, or grant s3:ListBucket.",
                    code=exc.code,
                ) from exc
            raise
        return True

    def create_bucket(self, bucket: str) -> None:
        params: dict[str, Any] = {"Bucket": bucket}
        if self.session.region != "us-east-1":  # us-east-1 refuses a location constraint
            params["CreateBucketConfiguration"] = {"LocationConstraint": self.session.region}
        self._call("CreateBucket", "create_bucket", **params)

    def block_public_access(self, bucket: str) -> None:
        flags = dict.fromkeys(
            ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"),
            True,
        )
        self._call(
            "PutPublicAccessBlock",
            "put_public_access_block",
            Bucket=bucket,
            PublicAccessBlockConfiguration=flags,
        )

    def bucket_policy(self, bucket: str) -> str | None:
        try:
            found = self._call("GetBucketPolicy", "get_bucket_policy", Bucket=bucket)
        except AwsError as exc:
            if exc.code in MISSING_POLICY:
                return None
            raise
        policy = found.get("Policy")
        return str(policy) if policy else None

    def put_bucket_policy(self, bucket: str, policy_json: str) -> None:
        self._call("PutBucketPolicy", "put_bucket_policy", Bucket=bucket, Policy=policy_json)

    def objects(self, bucket: str, prefix: str = "") -> Iterator[S3Object]:
        for item in self.session.paginate(
            SERVICE, "ListObjectsV2", "list_objects_v2", "Contents", Bucket=bucket, Prefix=prefix
        ):
            modified = item.get("LastModified")
            yield S3Object(
                key=str(item["Key"]),
                size=int(item.get("Size") or 0),
                etag=str(item.get("ETag") or "").strip('"'),
                modified=modified.timestamp() if hasattr(modified, "timestamp") else 0.0,
            )

    def read(self, bucket: str, key: str, max_bytes: int) -> bytes:
        """The object's bytes; ``AwsError`` (``invalid_input``) when it is over ``max_bytes``."""
        found = self._call("GetObject", "get_object", Bucket=bucket, Key=key)
        body = found["Body"]
        try:
            declared = int(found.get("ContentLength") or 0)
            data: bytes = body.read(max_bytes + 1) if declared <= max_bytes else b""
        finally:
            body.close()
        if declared > max_bytes or len(data) > max_bytes:
            raise AwsError(
                ErrorKind.INVALID_INPUT,
                f"s3://{bucket}/{key} is larger than {max_bytes:,} bytes; not read.",
            )
        return data

    def put(self, bucket: str, key: str, data: bytes) -> None:
        self._call("PutObject", "put_object", Bucket=bucket, Key=key, Body=data)
