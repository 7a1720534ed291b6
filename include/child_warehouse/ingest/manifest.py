"""The optional manifest.json beside a period's files (contract §1): what the province says it sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from child_warehouse.contract import reasons
from child_warehouse.contract.reasons import Reason
from child_warehouse.storage import Blob

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 1024**2


@dataclass(frozen=True)
class Manifest:
    province_code: str | None
    period: str | None
    files: dict[str, dict] = field(default_factory=dict)


def parse(text: str) -> Manifest:
    """A manifest from its JSON text; a document of the wrong shape is refused."""
    document = json.loads(text)
    if not isinstance(document, dict) or not isinstance(document.get("files", {}), dict):
        raise ValueError("manifest.json must be an object with a 'files' object")
    files = {str(k): v for k, v in document.get("files", {}).items() if isinstance(v, dict)}
    province, period = document.get("province_code"), document.get("period")
    return Manifest(
        None if province is None else str(province), None if period is None else str(period), files
    )


def load_beside(file_url: str) -> Manifest | None:
    """The manifest in the same folder as a file, None when there is none; unreadable is refused."""
    blob = Blob(f"{file_url.rsplit('/', 1)[0]}/{MANIFEST_NAME}")
    file_name = file_url.rsplit("/", 1)[-1]
    try:
        size = blob.size()
    except FileNotFoundError:
        return None
    try:
        if size > MAX_MANIFEST_BYTES:
            raise ValueError(f"manifest.json is {size} bytes")
        with blob.open() as handle:
            return parse(handle.read(MAX_MANIFEST_BYTES).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise reasons.FileRejected(
            reasons.manifest_mismatch(
                file_name, f"không đọc được manifest.json ({error})", f"unreadable ({error})"
            )
        ) from error


def _mismatch(file_name: str, what_vi: str, what_en: str, stated: object, found: object) -> Reason:
    return reasons.manifest_mismatch(
        file_name,
        f"{what_vi} ghi {stated} nhưng thực tế là {found}",
        f"it states {what_en} {stated} but the file has {found}",
    )


def identity_problem(
    manifest: Manifest, file_name: str, province: str, period: str, sha256: str
) -> Reason | None:
    """Province and period must match the folder; a stated sha256 must match the bytes."""
    if manifest.province_code is not None and manifest.province_code != province:
        return _mismatch(file_name, "mã tỉnh", "province_code", manifest.province_code, f"folder {province}")
    if manifest.period is not None and manifest.period != period:
        return _mismatch(file_name, "kỳ báo cáo", "period", manifest.period, f"folder {period}")
    stated = manifest.files.get(file_name, {}).get("sha256")
    if stated is not None and str(stated).lower() != sha256:
        return _mismatch(file_name, "sha256", "sha256", stated, sha256)
    return None


def rows_problem(manifest: Manifest, file_name: str, rows: int) -> Reason | None:
    stated = manifest.files.get(file_name, {}).get("rows")
    if stated is not None and str(stated) != str(rows):
        return _mismatch(file_name, "số dòng", "rows", stated, rows)
    return None
