"""Seed news: the Lewisham event write-up of October 2018, as its source page tells it.

The source gives the month but not the day, and no venue address: the date is stored as 1 October
2018 and shown as "October 2018", and the address is left empty. The source's photo album is not
available, so the gallery holds generated placeholder images, each saying so in its alt text.
"""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from common.seed import load_once
from news.models import IssueRaised, NewsItem, Photo, Quote, Workshop
from partnerships.models import Partnership

LEWISHAM_EVENT_KEY = "news:lewisham-october-2018-event"

CHRIS_BEST = "Councillor Chris Best"
CHRIS_BEST_ROLE = "Deputy Mayor and Cabinet Member for Health, Wellbeing and Older People"

LEWISHAM_EVENT = {
    "kind": NewsItem.Kind.EVENT_WRITE_UP,
    "title": "Health and care partners working together for a healthier Lewisham",
    "slug": "working-together-for-a-healthier-lewisham-october-2018",
    "date": datetime.date(2018, 10, 1),
    "date_precision": NewsItem.DatePrecision.MONTH,
    "summary": (
        "Local residents and community organisations joined staff from NHS services and Lewisham Council at "
        "the Deptford Lounge to discuss how everyone can work together to achieve better health and care."
    ),
    "body": (
        "<p>Last week local residents and community organisations joined staff from NHS services and Lewisham "
        "Council at an event at the Deptford Lounge to discuss how everyone can work together to achieve "
        "better health and care.</p>"
        "<p>Participants were shown a short film which introduced Lewisham Health and Care Partners*, the "
        "challenges we face and how organisations and local people need to work together.</p>"
        "<p>There was a really positive vibe in all of the workshops and there were many interesting ideas "
        "about how we can work differently together.</p>"
    ),
    "venue_name": "Deptford Lounge",
    "opened_by_name": CHRIS_BEST,
    "opened_by_role": CHRIS_BEST_ROLE,
    "workshops_introduction": "Guests were invited to join one of three workshops covering how we can:",
    "issues_introduction": "Here are some of the issues raised:",
    "next_steps": (
        "Many people asked to see the feedback from the event and want to see what actions are being taken as "
        "a result. We will publish what we heard and how it will be used."
    ),
    "gallery_title": "Working together for a healthier Lewisham event October 2018",
    "notes": (
        "*Lewisham Health and Care Partners (LHCP) is a partnership of the main health and care commissioners "
        "and providers in Lewisham. The partners include NHS Lewisham Clinical Commissioning Group, Lewisham "
        "Council, One Health Lewisham, South London and Maudsley NHS Foundation Trust, Lewisham and Greenwich "
        "NHS Trust and Lewisham Local Medical Committee.\n\n"
        "LHCP provide system-wide leadership, strategic direction and a collective view on the transformational "
        "change required in health and care across Lewisham."
    ),
    "placeholder_note": (
        "The photos are generated placeholders: upload the event's own photos, with alt text. The source gives "
        "the month (October 2018) but not the day, and not the venue's address."
    ),
}

WORKSHOPS = [
    "Maintain health and wellbeing",
    "Align our resources for adults at a neighbourhood level",
    "Get advice, care and treatment at the right place at the right time",
]

ISSUES_RAISED = [
    "To deal with the whole person there needs to be a joint assessment of their care needs as well as their "
    "medical needs",
    "People were frustrated with the current fragmented system and want better coordination of care",
    "Staff may be able to take on a wider range of responsibilities with the right training and support",
    "Communication across the system is key – IT needs to be improved",
    "Care workers need enough time to do their job properly in order to meet people's needs",
    "Awareness of services and activities available could be improved and better signposting to services, "
    "advice and opportunities. Also, the range of activities is limited for some groups",
    "The importance of making the best use of a person's own support network and the support already "
    "available from the community",
    "We should make better use of our open spaces.",
]

QUOTES = [
    (
        "In Lewisham we are committed to improving and transforming the local health and care system. To do "
        "this we need to listen to local people and staff so that we can continue to improve people's health "
        "and wellbeing and deliver high quality, personalised and seamless care. I was delighted to be part of "
        "the event and really impressed by the enthusiasm to work together from everyone who attended.",
        CHRIS_BEST,
        CHRIS_BEST_ROLE,
    ),
    (
        "I really enjoyed the event. It was an excellent example of collaborative working with input from local "
        "people and colleagues across the local NHS and Council. It was great to see some new faces at the event "
        "as well as others already engaged with us. There were many suggestions on how health and care could be "
        "improved and I look forward to working with partners to translate many of these into actions.",
        "Martin Wilkinson",
        "Chair of the Lewisham Health and Care Partners Executive Board",
    ),
]

PLACEHOLDER_PHOTO_COUNT = 4
# NHS blue, dark blue, green, purple: white text on each passes WCAG AA contrast.
PLACEHOLDER_COLOURS = ["#005eb8", "#003087", "#007f3b", "#330072"]


def placeholder_image(number: int, total: int, *, size=(1200, 800)) -> bytes:
    """A plain coloured JPEG that says it is a placeholder, so nobody mistakes it for a real photo."""
    image = Image.new("RGB", size, PLACEHOLDER_COLOURS[(number - 1) % len(PLACEHOLDER_COLOURS)])
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size[0] // 14)
    small = ImageFont.load_default(size=size[0] // 20)
    middle = (size[0] // 2, size[1] // 2)
    draw.text((middle[0], middle[1] - size[1] // 12), "Placeholder photo", fill="white", font=font, anchor="mm")
    draw.text((middle[0], middle[1] + size[1] // 12), f"{number} of {total}", fill="white", font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def load_lewisham_event(lewisham: Partnership) -> None:
    item = NewsItem(publication_status=NewsItem.Status.PUBLISHED, **LEWISHAM_EVENT)
    item.full_clean(exclude=["partnerships"])
    item.save()
    item.partnerships.set([lewisham])
    Workshop.objects.bulk_create(
        Workshop(item=item, title=title, order=order) for order, title in enumerate(WORKSHOPS, start=1)
    )
    IssueRaised.objects.bulk_create(
        IssueRaised(item=item, text=text, order=order) for order, text in enumerate(ISSUES_RAISED, start=1)
    )
    Quote.objects.bulk_create(
        Quote(item=item, text=text, speaker_name=name, speaker_role=role, order=order)
        for order, (text, name, role) in enumerate(QUOTES, start=1)
    )
    for number in range(1, PLACEHOLDER_PHOTO_COUNT + 1):
        photo = Photo(
            item=item,
            order=number,
            alt_text=(
                f"Placeholder image {number} of {PLACEHOLDER_PHOTO_COUNT}: a plain coloured panel standing in "
                "for a photo from the event, which has not been uploaded yet"
            ),
        )
        photo.image.save(
            f"placeholder-{number}.jpg", ContentFile(placeholder_image(number, PLACEHOLDER_PHOTO_COUNT)), save=False
        )
        photo.full_clean()
        photo.save()


def load_news() -> list[str]:
    """Load the seed news once. Waits (loads nothing) until the Lewisham partnership exists."""
    lewisham = Partnership.objects.filter(slug="lewisham").first()
    if lewisham is None:
        return []
    if load_once(LEWISHAM_EVENT_KEY, lambda: load_lewisham_event(lewisham)):
        return [LEWISHAM_EVENT_KEY]
    return []
