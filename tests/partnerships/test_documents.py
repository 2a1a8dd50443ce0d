import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from common.uploads import validate_document
from partnerships.models import PlanDocument
from tests.factories import make_plan, pdf_upload


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_upload(name: str = "plan.docx") -> SimpleUploadedFile:
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    return SimpleUploadedFile(name, data)


def odt_upload(name: str = "plan.odt") -> SimpleUploadedFile:
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
    return SimpleUploadedFile(name, data)


def error_code(upload) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_document(upload)
    return raised.value.code


@pytest.mark.parametrize("upload", [pdf_upload(), docx_upload(), odt_upload()], ids=["pdf", "docx", "odt"])
def test_pdf_docx_and_odt_are_accepted(upload):
    validate_document(upload)


def test_a_script_renamed_to_pdf_is_refused_by_its_content():
    upload = SimpleUploadedFile("plan.pdf", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError, match="must be a PDF, Word"):
        validate_document(upload)


def test_a_zip_that_is_not_a_document_is_refused():
    assert error_code(SimpleUploadedFile("plan.docx", zip_bytes({"evil.exe": b"MZ"}))) == "invalid_type"


def test_a_pdf_named_as_word_document_is_refused_with_a_rename_hint():
    with pytest.raises(ValidationError) as raised:
        validate_document(pdf_upload("plan.docx"))
    assert raised.value.code == "extension_mismatch"
    assert "rename it to end in .pdf" in raised.value.messages[0]


def test_an_empty_file_is_refused():
    assert error_code(SimpleUploadedFile("plan.pdf", b"")) == "empty"


@override_settings(DOCUMENT_MAX_MEGABYTES=1)
def test_a_file_over_the_size_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as raised:
        validate_document(upload)
    assert raised.value.code == "too_large"
    assert raised.value.messages[0] == "The file must be smaller than 1.0\xa0MB (this one is 1.0\xa0MB)"


@pytest.mark.django_db
def test_saved_document_records_its_type_and_size(greenwich):
    document = PlanDocument(plan=make_plan(greenwich), kind="full", title="The plan", file=odt_upload())
    document.full_clean()
    document.save()
    assert (document.file_type, document.type_label) == ("odt", "OpenDocument text")
    assert document.file_size == document.file.size > 0
    assert document.file.name.startswith(f"plan-documents/{greenwich.slug}/plan")


@pytest.mark.django_db
def test_admin_upload_of_a_disguised_file_shows_the_error_and_saves_nothing(client, alice, greenwich):
    plan = make_plan(greenwich, "Winter plan")
    client.force_login(alice)
    url = f"/admin/partnerships/plan/{plan.pk}/change/"
    form = {
        "partnership": greenwich.pk,
        "title": "Winter plan, revised",
        "slug": plan.slug,
        "summary": plan.summary,
        "publication_status": "published",
        "publish_at_0": "01/01/2026",
        "publish_at_1": "09:00:00",
        "stage": "draft",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-kind": "full",
        "documents-0-title": "Full plan",
        "documents-0-file": SimpleUploadedFile("plan.pdf", b"MZ not really a pdf"),
        "documents-0-order": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "The file must be a PDF, Word (.docx) or OpenDocument text (.odt) document" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Winter plan" and plan.documents.count() == 0
