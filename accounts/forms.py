from django import forms

CODE_HELP = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        error_messages={"required": "Enter the code from your authenticator app", "max_length": "Enter a 6-digit code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label="Code from the app",
        max_length=6,
        min_length=6,
        help_text="After adding this site, the app shows a 6-digit code that changes every 30 seconds.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "Enter all 6 digits of the code",
            "max_length": "Enter the 6 digits of the code, nothing else",
        },
    )
