"""Loads the partnerships, their members, priorities, plans and videos from seed/content.py."""

from django.core.files.base import ContentFile

from common.pdf import placeholder_pdf
from common.seed import load_once
from partnerships.models import (
    Borough,
    CaseForChangeIssue,
    Membership,
    Organisation,
    Partnership,
    Plan,
    PlanDocument,
    Priority,
    Video,
)
from partnerships.seed import content

PUBLISHED = Partnership.Status.PUBLISHED


def organisation(name: str) -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        name=name, defaults={"organisation_type": content.ORGANISATIONS[name]}
    )
    return found


def borough(name: str) -> Borough:
    found, _ = Borough.objects.get_or_create(name=name, defaults={"slug": name.lower()})
    return found


PARTNERSHIP_FIELDS = [
    "name", "slug", "kind", "summary", "about", "vision", "reports_into", "established_on", "operating_status",
    "status_explanation", "history", "priorities_introduction", "case_for_change_introduction", "contact_name",
    "contact_email", "website_url", "display_order", "placeholder_note",
]  # fmt: skip


def load_partnership(spec: dict) -> None:
    fields = {field: spec[field] for field in PARTNERSHIP_FIELDS if field in spec}
    fields["placeholder_note"] = " ".join(filter(None, [spec.get("placeholder_note"), content.DATA_PROTECTION_NOTE]))
    partnership = Partnership(
        publication_status=PUBLISHED,
        borough=borough(spec["borough"]) if "borough" in spec else None,
        data_controller=content.DATA_CONTROLLER,
        **fields,
    )
    partnership.full_clean()
    partnership.save()
    partnership.boroughs.set([borough(name) for name in spec.get("boroughs", [])])
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation=organisation(name), role=role, order=order)
        for order, (name, role) in enumerate(spec.get("members", []), start=1)
    )
    Priority.objects.bulk_create(
        [Priority(partnership=partnership, kind=Priority.Kind.AIM, title=t, order=i) for i, t in
         enumerate(spec.get("aims", []), start=1)]
        + [Priority(partnership=partnership, kind=Priority.Kind.FOCUS_AREA, title=t, order=i) for i, t in
           enumerate(spec.get("focus_areas", []), start=1)]
    )  # fmt: skip
    CaseForChangeIssue.objects.bulk_create(
        CaseForChangeIssue(partnership=partnership, text=text, order=order)
        for order, text in enumerate(spec.get("case_for_change", []), start=1)
    )
    for plan_spec in spec.get("plans", []):
        load_plan(partnership, plan_spec)
    for video_spec in spec.get("videos", []):
        video = Video(partnership=partnership, **video_spec)
        video.full_clean()
        video.save()


def load_plan(partnership: Partnership, spec: dict) -> None:
    fields = {k: v for k, v in spec.items() if k not in {"documents", "approving_bodies"}}
    plan = Plan(partnership=partnership, publication_status=PUBLISHED, **fields)
    plan.full_clean()
    plan.save()
    plan.approving_bodies.set([organisation(name) for name in spec.get("approving_bodies", [])])
    for order, document_spec in enumerate(spec.get("documents", []), start=1):
        pdf = placeholder_pdf(
            document_spec["title"],
            ["Placeholder document.", "The real document has not been uploaded yet.", f"Plan: {plan.title}"],
        )
        document = PlanDocument(
            plan=plan,
            kind=document_spec["kind"],
            title=document_spec["title"],
            order=order,
            placeholder_note=document_spec["placeholder_note"],
        )
        document.file.save(document_spec["filename"], ContentFile(pdf, name=document_spec["filename"]), save=False)
        document.full_clean()
        document.save()


def load_partnerships() -> list[str]:
    loaded = []
    for name in content.BOROUGHS:
        borough(name)
    for spec in content.PARTNERSHIPS:
        if load_once(spec["key"], lambda spec=spec: load_partnership(spec)):
            loaded.append(spec["key"])
    return loaded
