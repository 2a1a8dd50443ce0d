import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def reject_control_characters(value: str) -> None:
    """Refuse invisible control codes (pasted from other programs or sent by scripts); keep new lines and tabs."""
    if any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in str(value)):
        raise ValidationError(
            "Your answer contains characters we cannot accept, such as invisible control codes. "
            "Retype the part you pasted.",
            code="control_characters",
        )


def plain_text_only(field):
    """Refuse control characters in ``field`` with our own words (instead of Django's "Null characters are
    not allowed", which would also appear). Returns the field."""
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    if reject_control_characters not in field.validators:
        field.validators.append(reject_control_characters)
    return field


def normalise_postcode(value: str) -> str:
    """'se109gb ' -> 'SE10 9GB'; raises ValidationError if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    match = UK_POSTCODE.match(compact)
    if not match:
        raise ValidationError("Enter a full UK postcode, like SE10 9GB", code="invalid_postcode")
    return f"{match.group(1)} {match.group(2)}"
