"""Documents: PDF only (by content), 20 MB at most, clean names, through the storage API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.models import Resource
from resources.uploads import MAX_DOCUMENT_BYTES
from tests.resources.staff import resource_form

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        }
    }
    return tmp_path


def upload(client, name, content):
    return client.post(
        "/admin/resources/resource/add/",
        resource_form(document=SimpleUploadedFile(name, content, "application/pdf")),
    )


def test_a_pdf_is_stored_under_a_clean_name(editor_client, media):
    response = upload(editor_client, "Étude 2024 (version finale).PDF", PDF)

    assert response.status_code == 302, response.content.decode()[:3000]
    name = Resource.objects.get().document.name
    assert name.startswith("ressources/") and name.endswith(".pdf")
    assert "etude-2024-version-finale" in name and " " not in name and ".." not in name
    assert (media / name).read_bytes() == PDF


def test_the_document_is_served_only_once_its_resource_is_published(
    editor_client, client, media, administrator_client
):
    upload(editor_client, "guide.pdf", PDF)
    resource = Resource.objects.get()
    url = f"/ressources/{resource.slug}/document.pdf"
    assert client.get(url).status_code == 404  # a draft's document stays private
    staff = editor_client.get(url)
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == PDF

    administrator_client.post(
        "/admin/resources/resource/", {"action": "publish", "_selected_action": [resource.pk]}
    )
    public = client.get(url)
    assert public.status_code == 200
    assert public["Content-Type"] == "application/pdf"
    assert 'filename="guide-partenariat-local.pdf"' in public["Content-Disposition"]
    assert url in client.get(f"/ressources/{resource.slug}/").content.decode()


def test_a_file_named_pdf_that_is_not_one_is_refused(editor_client, media):
    response = upload(editor_client, "rapport.pdf", b"MZ\x90\x00 not a pdf at all")

    assert response.status_code == 200
    assert "Ce fichier n’est pas un PDF" in response.content.decode()
    assert not Resource.objects.exists()
    assert not any(media.rglob("*.pdf"))


def test_a_file_over_20_mb_is_refused_with_its_size(editor_client, media):
    response = upload(editor_client, "gros.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)

    assert response.status_code == 200
    assert "la limite est de 20 Mo" in response.content.decode()
    assert not Resource.objects.exists()


def test_an_html_page_with_a_pdf_header_further_in_is_refused(editor_client, media):
    polyglot = b"<!doctype html><html><script>alert(document.domain)</script>\n%PDF-1.4\n" + PDF

    response = upload(editor_client, "rapport.pdf", polyglot)

    assert response.status_code == 200
    assert "Ce fichier n’est pas un PDF\u00a0: un PDF commence par «\u00a0%PDF-\u00a0»" in (
        response.content.decode()
    )
    assert not Resource.objects.exists()
    assert not any(media.rglob("*.pdf"))
