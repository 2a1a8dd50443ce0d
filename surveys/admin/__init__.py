"""Survey admin, by who uses each part: the builder (surveys, sections, questions, choices), paper
entry and the About you section, held-response review, the export audit, and residents' data rights
(erasure, subject access, withdrawal requests).

Every admin here is limited to the partnerships the member of staff edits.
"""

from surveys.admin import builder, data_rights, questions, responses  # noqa: F401 (registers the admins)
