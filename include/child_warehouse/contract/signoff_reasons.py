"""Why a province's sign-off (approval.json, submission contract §7) is refused or withdrawn, in
Vietnamese with English beside it. Every reason names the approval file and, where one file decides
it, that file and the hash the province gave."""

from __future__ import annotations

from child_warehouse.contract.reasons import Reason

APPROVAL = "approval.json"
MAX_APPROVAL_BYTES = 1024 * 1024  # a sign-off lists a few files; anything larger is not one


def unreadable(detail: str) -> Reason:
    return Reason(
        "signoff_unreadable",
        f"Không đọc được tệp {APPROVAL}: {detail}. Hãy gửi lại tệp JSON theo mẫu của hợp đồng (mục 7).",
        f"{APPROVAL} could not be read: {detail}. Send it again as JSON in the contract's form (§7).",
    )


def wrong_place(field: str, given: object, expected: str) -> Reason:
    return Reason(
        "signoff_wrong_place",
        f"Tệp {APPROVAL} ghi {field} = '{given}' nhưng nằm trong thư mục '{expected}'.",
        f"{APPROVAL} says {field} = '{given}' but lies in the folder for '{expected}'.",
    )


def no_files() -> Reason:
    return Reason(
        "signoff_no_files",
        f"Tệp {APPROVAL} không liệt kê tệp nào trong mục 'files': không có nội dung để phê duyệt.",
        f"{APPROVAL} lists no file under 'files': there is nothing to approve.",
    )


def not_held(name: str, sha256: str) -> Reason:
    return Reason(
        "signoff_contents_not_held",
        f"{APPROVAL} phê duyệt {name} (sha256 {sha256[:12]}…) nhưng kho dữ liệu không có tệp nào của tỉnh "
        "trong kỳ này với nội dung đó. Hãy phê duyệt đúng tệp đã gửi (tính lại sha256 của tệp).",
        f"{APPROVAL} approves {name} (sha256 {sha256[:12]}…) but the warehouse holds no file of the "
        "province for this period with those contents. Approve the file that was sent (compute its "
        "sha256 again).",
    )


def superseded_version(name: str, version: int, current: int) -> Reason:
    return Reason(
        "signoff_older_version",
        f"{APPROVAL} phê duyệt {name} phiên bản {version}, nhưng phiên bản đang dùng là {current}. "
        "Hãy phê duyệt phiên bản mới nhất.",
        f"{APPROVAL} approves version {version} of {name}, but version {current} is the one in use. "
        "Approve the latest version.",
    )


def rejected_file(name: str, reason_vi: str | None, reason_en: str | None) -> Reason:
    return Reason(
        "signoff_rejected_file",
        f"{APPROVAL} phê duyệt {name}, nhưng tệp này đã bị từ chối ({reason_vi or 'xem trang Tóm tắt'}). "
        "Hãy sửa, gửi lại, rồi phê duyệt tệp mới.",
        f"{APPROVAL} approves {name}, but that file was rejected ({reason_en or 'see the Summary sheet'}). "
        "Correct it, send it again, then approve the new file.",
    )


def withdrawn(name: str, version: int) -> Reason:
    return Reason(
        "signoff_withdrawn",
        f"Phê duyệt đã bị rút lại vì tỉnh gửi lại {name} (phiên bản {version}) sau khi phê duyệt. "
        f"Hãy gửi {APPROVAL} mới cho nội dung hiện tại.",
        f"The sign-off was withdrawn because the province sent {name} again (version {version}) after "
        f"approving. Send a new {APPROVAL} for the current contents.",
    )


def superseded() -> Reason:
    return Reason(
        "signoff_superseded",
        f"Đã có tệp {APPROVAL} mới hơn cho kỳ này; tệp này không còn hiệu lực.",
        f"A newer {APPROVAL} arrived for this period; this one no longer applies.",
    )
