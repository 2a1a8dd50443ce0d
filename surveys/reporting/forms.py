from django import forms

from common.validators import reject_control_characters


class NewThemeForm(forms.Form):
    new_theme = forms.CharField(
        max_length=100,
        strip=True,
        validators=[reject_control_characters],
        error_messages={
            "required": "Enter a name for the new theme",
            "max_length": "A theme name must be 100 characters or fewer",
        },
    )
