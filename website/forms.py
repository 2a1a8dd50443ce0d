from django import forms

from common.validators import plain_text_only


class ContactForm(forms.Form):
    """A resident's message to a partnership: emailed to its inbox, with their address to reply to."""

    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name", "max_length": "Your name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="So that they can reply. We will not use it for anything else.",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    message = forms.CharField(
        label="Your message",
        help_text="Do not include medical details: this is not a way to get medical help.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your message",
            "max_length": "Your message must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["name", "message"]:
            plain_text_only(self.fields[name])
