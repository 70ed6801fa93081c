"""Uploads in an S3-compatible store (MEDIA_STORAGE=s3), against a real S3 server.

moto's server runs on loopback and answers the S3 API over HTTP; django-storages and
boto3 talk to it as they would to any S3-compatible store. Marked `s3`: they run when
CFIT_TEST_S3=1 (CI).
"""

import io
import os
import subprocess
import sys
import tarfile
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3File

from cfit.groups.models import WorkingGroupDocument
from cfit.groups.tests.conftest import PDF
from cfit.groups.tests.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
)
from cfit.lib.stored_files import is_local, opened_locally
from cfit.monitoring.models import ImportStatus, PurchaseImport
from cfit.monitoring.tests.factories import (
    PurchaseReportFactory,
    ReportingPeriodFactory,
)
from cfit.settings import s3_media_backend

from .processes import ROOT, free_port
from .test_backup import empty_database  # noqa: F401 - a fixture of this module too

pytestmark = pytest.mark.s3

SLUG = "city-of-alphen"
KEYS = {
    "AWS_ACCESS_KEY_ID": "cfit-test",
    "AWS_SECRET_ACCESS_KEY": "cfit-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.name = f"cfit-uploads-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client("s3", endpoint_url=endpoint, **_boto_keys())
        self.client.create_bucket(Bucket=self.name)

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def _boto_keys() -> dict[str, str]:
    return {
        "aws_access_key_id": KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": KEYS["AWS_SECRET_ACCESS_KEY"],
        "region_name": KEYS["AWS_DEFAULT_REGION"],
    }


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A new, empty bucket that the site keeps its uploads in."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    bucket = Bucket(s3_endpoint)
    # Nothing may land on the disk: the media folder is one that cannot exist.
    settings.MEDIA_ROOT = tmp_path / "not-used"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_backend(
            bucket=bucket.name, endpoint_url=s3_endpoint, region="us-east-1"
        ),
    }
    return bucket


@pytest.mark.django_db
def test_an_upload_through_the_web_is_kept_in_the_bucket_checked_and_stored(
    client, procurer_a, bucket, settings
):
    ReportingPeriodFactory(year=2025)
    report = PurchaseReportFactory(
        organisation=procurer_a.memberships.get().organisation
    )
    file = io.BytesIO(b"Product group,Quantity\nlaptop,10\nlaptop,11\n")
    file.name = "purchases.csv"
    client.force_login(procurer_a)

    response = client.post(
        reverse("monitoring:upload", kwargs={"slug": SLUG, "year": 2025}),
        {"file": file},
    )
    purchase_import = PurchaseImport.objects.get()
    kept = bucket.keys()
    preview = client.get(response["Location"]).context["preview"]
    client.post(
        reverse(
            "monitoring:import-confirm",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        ),
        {"mode": "add"},
    )
    purchase_import.refresh_from_db()

    assert len(kept) == 1
    assert kept[0].startswith("imports/") and kept[0].endswith(".csv")
    assert [row.quantity for row in preview] == ["10", "11"]
    assert purchase_import.status == ImportStatus.DONE
    assert report.lines.count() == 2
    assert bucket.keys() == []  # a stored file is not kept
    assert not settings.MEDIA_ROOT.exists()  # and nothing went to the disk


@pytest.mark.django_db
def test_the_parser_gets_a_local_copy_of_a_file_in_the_bucket(bucket):
    name = default_storage.save("imports/2025/12/p.csv", ContentFile(b"a,b\n"))
    stored = PurchaseImport(file=name).file

    with opened_locally(stored) as file:
        # A plain file on this server: the forked reader never uses the parent's
        # connection to the store.
        assert not isinstance(file, S3File)
        assert os.fstat(file.fileno()).st_size == 4
        assert file.read() == b"a,b\n"
    assert not is_local(stored)


@pytest.mark.django_db
def test_a_document_in_the_bucket_is_downloaded_by_a_member(client, procurer_a, bucket):
    working_group = WorkingGroupFactory(slug="battery-criteria", proposed_by=procurer_a)
    WorkingGroupMembershipFactory(working_group=working_group, user=procurer_a)
    client.force_login(procurer_a)

    client.post(
        reverse("groups:document-upload", kwargs={"slug": working_group.slug}),
        {"title": "Draft", "file": SimpleUploadedFile("draft.pdf", PDF)},
    )
    document = WorkingGroupDocument.objects.get()
    download = client.get(
        reverse(
            "groups:document", kwargs={"slug": working_group.slug, "pk": document.pk}
        )
    )

    assert bucket.keys() == [document.file.name]
    assert bucket.read(document.file.name) == PDF
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_carry_the_files_in_the_bucket(
    bucket,
    tmp_path,
    empty_database,  # noqa: F811 - the fixture imported above
):
    name = default_storage.save("imports/2025/12/purchases.csv", ContentFile(b"a,b\n"))
    archive = tmp_path / "cfit-backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        archived = opened.extractfile(f"media/{name}").read()
    restored_bucket = Bucket(bucket.endpoint)

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env={
            **os.environ,
            **KEYS,
            "DEBUG": "1",
            "DATABASE_URL": empty_database.url,
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": restored_bucket.name,
            "AWS_S3_ENDPOINT_URL": bucket.endpoint,
        },
        capture_output=True,
        text=True,
    )

    assert archived == b"a,b\n"
    assert result.returncode == 0, result.stderr
    assert restored_bucket.keys() == [name]
    assert restored_bucket.read(name) == b"a,b\n"
