"""An S3 endpoint for the tests: moto's standalone server (``moto[server]``, a real HTTP S3 API on
localhost) stands in for MinIO or AWS S3.

``.ci/run`` starts one and exports ``PORTAL_TEST_S3_ENDPOINT``; without it the ``s3_endpoint`` fixture
starts ``moto_server`` itself on a free port (it comes with the dev extras), so ``make test`` exercises S3
on a fresh clone too."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from portal.core.s3config import s3_storages

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


def client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, connect_timeout=2),
    )


def answers(endpoint: str) -> bool:
    try:
        client(endpoint).list_buckets()
    except Exception:  # noqa: BLE001 - any failure means "not there (yet)"
        return False
    return True


def moto_server_command() -> list[str] | None:
    script = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    return [script] if script else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_moto_server(log_path: Path) -> tuple[subprocess.Popen, str] | None:
    command = moto_server_command()
    if command is None:
        return None
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own dev dependency
            [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        if answers(endpoint):
            return process, endpoint
        time.sleep(0.2)
    process.terminate()
    return None


def public_read_policy(bucket: str, prefix: str = "media") -> str:
    """The bucket policy README "Files" asks for: anybody may read the public prefix, nothing else."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_buckets(endpoint: str) -> dict[str, str]:
    """A public bucket (its media/ prefix readable by anybody) and a private one, with fresh names."""
    s3 = client(endpoint)
    suffix = uuid.uuid4().hex[:12]
    buckets = {"public": f"portal-public-{suffix}", "private": f"portal-private-{suffix}"}
    for name in buckets.values():
        s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=buckets["public"], Policy=public_read_policy(buckets["public"]))
    return buckets


def drop_buckets(endpoint: str, buckets: dict[str, str]) -> None:
    s3 = client(endpoint)
    for name in buckets.values():
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for entry in page.get("Contents", ()):
                s3.delete_object(Bucket=name, Key=entry["Key"])
        s3.delete_bucket(Bucket=name)


def environment(endpoint: str, buckets: dict[str, str], **extra: str) -> dict[str, str]:
    """The variables an operator sets for ``PORTAL_STORAGE=s3`` (.env.example), for these buckets."""
    return {
        "PORTAL_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "S3_PUBLIC_BUCKET": buckets["public"],
        "S3_PRIVATE_BUCKET": buckets["private"],
        **CREDENTIALS,
        **extra,
    }


def storages_setting(env: dict[str, str], staticfiles: dict) -> dict:
    public, private, _origins = s3_storages(env)
    return {"default": public, "private": private, "staticfiles": staticfiles}


def endpoint_from_environment() -> str:
    return os.environ.get("PORTAL_TEST_S3_ENDPOINT", "")
