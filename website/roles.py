"""Staff roles across every app: groups and their permissions, kept in step with the code after every migrate."""

from django.contrib.auth.models import Group, Permission

PARTNERSHIP_EDITOR = "Partnership editor"

# model label -> actions an editor may take on it (within their own partnerships).
EDITOR_PERMISSIONS = {
    "partnerships.partnership": ["view", "change"],
    "partnerships.membership": ["view", "add", "change", "delete"],
    "partnerships.organisation": ["view", "add", "change"],
    "partnerships.priority": ["view", "add", "change", "delete"],
    "partnerships.caseforchangeissue": ["view", "add", "change", "delete"],
    "partnerships.plan": ["view", "add", "change", "delete"],
    "partnerships.plandocument": ["view", "add", "change", "delete"],
    "partnerships.video": ["view", "add", "change", "delete"],
    "partnerships.borough": ["view"],
    "consultations.consultation": ["view", "add", "change", "delete"],
    "consultations.consultationdocument": ["view", "add", "change", "delete"],
    "consultations.discussionrequest": ["view", "change"],
    "consultations.outcome": ["view", "add", "change", "delete"],
    "consultations.outcomeaction": ["view", "add", "change", "delete"],
    "surveys.survey": ["view", "add", "change", "delete"],
    "surveys.section": ["view", "add", "change", "delete"],
    "surveys.question": ["view", "add", "change", "delete"],
    "surveys.choice": ["view", "add", "change", "delete"],
    # "add" is entering paper and event responses; "change" is approving or rejecting held ones.
    "surveys.response": ["view", "add", "change"],
    "surveys.answer": ["view"],
    "news.newsitem": ["view", "add", "change", "delete"],
    "news.workshop": ["view", "add", "change", "delete"],
    "news.issueraised": ["view", "add", "change", "delete"],
    "news.quote": ["view", "add", "change", "delete"],
    "news.photo": ["view", "add", "change", "delete"],
    "news.event": ["view", "add", "change", "delete"],
}

COMMS_LEAD = "Comms lead"
EQUALITY_DATA_EXPORTER = "Equality data exporter"

# Comms leads see dashboards and individual responses of their own partnerships' consultations.
# Actions with an underscore are full permission codenames.
COMMS_LEAD_PERMISSIONS = {
    "consultations.consultation": ["view"],
    "surveys.survey": ["view", "view_dashboard", "view_individual_responses", "erase_responses"],
    # "change" is approving or rejecting responses held for review, which means reading them.
    "surveys.response": ["view", "change"],
    "surveys.answer": ["view"],
}
EQUALITY_DATA_EXPORTER_PERMISSIONS = {"surveys.survey": ["export_equality_data"]}

GROUPS = {
    PARTNERSHIP_EDITOR: EDITOR_PERMISSIONS,
    COMMS_LEAD: COMMS_LEAD_PERMISSIONS,
    EQUALITY_DATA_EXPORTER: EQUALITY_DATA_EXPORTER_PERMISSIONS,
}


def permissions_for(spec: dict[str, list[str]]) -> list[Permission]:
    wanted = set()
    for label, actions in spec.items():
        app_label, model = label.split(".")
        wanted.update((app_label, action if "_" in action else f"{action}_{model}") for action in actions)
    permissions = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}).select_related(
        "content_type"
    )
    return [p for p in permissions if (p.content_type.app_label, p.codename) in wanted]


def ensure_staff_groups(**kwargs) -> None:
    for name, spec in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(spec))
