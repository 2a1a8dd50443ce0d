import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.uploads import validate_image
from news.models import NewsItem, Photo
from tests.factories import EMPTY_INLINES_FOR_PHOTO, image_bytes, image_upload, make_item, make_photo

pytestmark = pytest.mark.django_db


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate_image(upload)
    return raised.value


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(image_format):
    validate_image(SimpleUploadedFile("photo", image_bytes(image_format=image_format)))


def test_a_text_file_renamed_jpg_is_refused():
    error = refusal(SimpleUploadedFile("photo.jpg", b"Not a photo at all, just some words.\n" * 20))
    assert error.code == "invalid_type"
    assert "JPEG, PNG or WebP" in error.message


def test_a_truncated_jpeg_is_refused():
    assert refusal(SimpleUploadedFile("photo.jpg", image_bytes()[:200])).code == "invalid_type"


def test_a_gif_is_refused_even_though_it_is_an_image():
    assert refusal(SimpleUploadedFile("photo.gif", image_bytes(image_format="GIF"))).code == "invalid_type"


def test_an_empty_file_is_refused():
    assert refusal(SimpleUploadedFile("photo.jpg", b"")).code == "empty"


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr("common.uploads.IMAGE_MAX_MEGABYTES", 0.001)
    error = refusal(image_upload())
    assert error.code == "too_large"


def test_a_photo_without_alt_text_is_refused_with_a_clear_message(lewisham_item):
    photo = Photo(item=lewisham_item, image=image_upload(), alt_text="")
    with pytest.raises(ValidationError) as raised:
        photo.full_clean()
    assert raised.value.message_dict["alt_text"] == ["Describe the image in the alt text, for people who cannot see it"]


def test_a_lead_image_needs_alt_text(lewisham_item):
    lewisham_item.lead_image = image_upload()
    with pytest.raises(ValidationError) as raised:
        lewisham_item.full_clean(exclude=["partnerships"])
    assert "lead_image_alt" in raised.value.message_dict


def admin_change_form(item: NewsItem, **photo) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "slug": item.slug,
        "summary": item.summary,
        "publication_status": item.publication_status,
        "publish_at_0": "01/01/2026",
        "publish_at_1": "09:00:00",
        "date": "01/01/2026",
        "date_precision": "day",
        "partnerships": [p.pk for p in item.partnerships.all()],
        **EMPTY_INLINES_FOR_PHOTO,
        "photos-TOTAL_FORMS": "1",
        "photos-0-order": "1",
        **{f"photos-0-{name}": value for name, value in photo.items()},
    }


def test_admin_refuses_a_gallery_photo_without_alt_text(client, bob, lewisham_item):
    client.force_login(bob)
    response = client.post(
        f"/admin/news/newsitem/{lewisham_item.pk}/change/",
        admin_change_form(lewisham_item, image=image_upload(), alt_text=""),
    )
    assert response.status_code == 200
    assert "Describe the image in the alt text, for people who cannot see it" in response.content.decode()
    assert not Photo.objects.exists()


def test_admin_refuses_a_non_image_renamed_jpg(client, bob, lewisham_item):
    client.force_login(bob)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(
        f"/admin/news/newsitem/{lewisham_item.pk}/change/",
        admin_change_form(lewisham_item, image=fake, alt_text="A photo"),
    )
    assert "The file must be a photo or picture in JPEG, PNG or WebP format" in response.content.decode()
    assert not Photo.objects.exists()


def test_admin_adds_a_photo_and_shows_a_preview_of_a_copy_not_the_original(client, bob, lewisham_item):
    client.force_login(bob)
    response = client.post(
        f"/admin/news/newsitem/{lewisham_item.pk}/change/",
        admin_change_form(lewisham_item, image=image_upload(), alt_text="People at the event", caption="Hello"),
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    page = client.get(f"/admin/news/newsitem/{lewisham_item.pk}/change/").content.decode()
    assert photo.picture.src in page
    assert photo.image.url not in page


def test_renditions_are_made_at_480_and_960_pixels_in_webp_and_jpeg(lewisham_item):
    photo = make_photo(lewisham_item, image=image_upload(size=(2000, 1000)))
    files = {(f["width"], f["format"]): f for f in photo.renditions["files"]}
    assert set(files) == {(480, "webp"), (480, "jpg"), (960, "webp"), (960, "jpg")}
    storage = photo.image.storage
    for (width, extension), file in files.items():
        with storage.open(file["name"]) as stored, Image.open(stored) as image:
            assert image.size == (width, width // 2)
            assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[extension]


def test_a_small_photo_is_never_enlarged(lewisham_item):
    photo = make_photo(lewisham_item, image=image_upload(size=(600, 400)))
    assert sorted({f["width"] for f in photo.renditions["files"]}) == [480, 600]


def test_renditions_carry_no_camera_metadata(lewisham_item):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "green").save(buffer, "JPEG", exif=exif)
    photo = make_photo(lewisham_item, image=SimpleUploadedFile("photo.jpg", buffer.getvalue()))
    for file in photo.renditions["files"]:
        with photo.image.storage.open(file["name"]) as stored, Image.open(stored) as image:
            assert not image.getexif()


def test_pages_offer_the_copies_with_srcset_and_never_link_the_original(client, lewisham_item):
    lewisham_item.lead_image = image_upload()
    lewisham_item.lead_image_alt = "The Deptford Lounge"
    lewisham_item.save()
    photo = make_photo(lewisham_item, caption="Workshop tables")
    page = client.get(lewisham_item.get_absolute_url()).content.decode()
    for picture in [lewisham_item.lead_picture, photo.picture]:
        assert f'srcset="{picture.webp_srcset}"' in page
        assert f'srcset="{picture.jpeg_srcset}"' in page
        assert " 480w, " in picture.jpeg_srcset and picture.jpeg_srcset.endswith(" 960w")
    assert 'sizes="' in page
    assert 'alt="Residents talking around a table"' in page and "Workshop tables" in page
    for original in [lewisham_item.lead_image, photo.image]:
        assert os.path.basename(original.name) not in page
        assert original.url not in page


def test_the_copies_are_served_and_the_original_is_not(client, lewisham_item):
    photo = make_photo(lewisham_item)
    small = photo.picture.src
    response = client.get(small)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # a JPEG
    assert "public" in response["Cache-Control"]
    original_name = os.path.basename(photo.image.name)
    assert client.get(f"{lewisham_item.get_absolute_url()}images/{original_name}").status_code == 404
    assert client.get(photo.image.url).status_code == 404


def test_copies_of_a_draft_items_photos_are_not_served_to_the_public(client, bob, lewisham):
    item = make_item(lewisham, title="Draft", publication_status=NewsItem.Status.DRAFT)
    photo = make_photo(item)
    assert client.get(photo.picture.src).status_code == 404
    client.force_login(bob)
    response = client.get(photo.picture.src)
    response.close()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_replacing_or_deleting_a_photo_removes_its_old_files(lewisham_item, django_capture_on_commit_callbacks):
    photo = make_photo(lewisham_item)
    storage = photo.image.storage
    first = [photo.image.name, *(f["name"] for f in photo.renditions["files"])]
    with django_capture_on_commit_callbacks(execute=True):
        photo.image = image_upload(colour="red")
        photo.save()
    assert not any(storage.exists(name) for name in first)
    second = [photo.image.name, *(f["name"] for f in photo.renditions["files"])]
    assert all(storage.exists(name) for name in second)
    with django_capture_on_commit_callbacks(execute=True):
        lewisham_item.delete()
    assert not any(storage.exists(name) for name in second)


def test_saving_again_does_not_reread_or_remake_a_stored_image(lewisham_item):
    photo = make_photo(lewisham_item)
    renditions = photo.renditions
    photo.image.storage.delete(photo.image.name)  # even if the original has gone missing
    photo.caption = "A new caption"
    photo.full_clean()
    photo.save()
    photo.refresh_from_db()
    assert photo.renditions == renditions
