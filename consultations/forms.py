from django import forms

from common.nhsuk import nhsuk_options
from common.validators import plain_text_only
from consultations.models import DiscussionRequest


class DiscussionRequestForm(forms.ModelForm):
    class Meta:
        model = DiscussionRequest
        fields = ["group_name", "contact_name", "email", "group_size", "preferred_format", "preferred_dates", "message"]
        labels = {
            "group_name": "Name of your group",
            "contact_name": "Your name",
            "email": "Your email address",
            "group_size": "Roughly how many people are in your group?",
            "preferred_format": "How would you like to meet?",
            "preferred_dates": "When could your group meet?",
            "message": "Anything else we should know (optional)",
        }
        help_texts = {
            "email": "We will only use this to arrange the discussion.",
            "preferred_dates": "For example, “Tuesday evenings in March” or the date of your next meeting.",
            "message": "For example, access needs or languages spoken in your group.",
        }
        widgets = {
            "group_size": forms.RadioSelect,
            "preferred_format": forms.RadioSelect,
            "preferred_dates": forms.Textarea(attrs={"rows": 3}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "group_name": {
                "required": "Enter the name of your group",
                "max_length": "The name of your group must be 200 characters or fewer",
            },
            "contact_name": {"required": "Enter your name", "max_length": "Your name must be 200 characters or fewer"},
            "email": {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "max_length": "Your email address must be 254 characters or fewer",
            },
            "group_size": {
                "required": "Select roughly how many people are in your group",
                "invalid_choice": "Select one of the group sizes",
            },
            "preferred_format": {
                "required": "Select how you would like to meet",
                "invalid_choice": "Select one of the ways to meet",
            },
            "preferred_dates": {
                "required": "Tell us when your group could meet",
                "max_length": "When your group could meet must be 500 characters or fewer",
            },
            "message": {"max_length": "Your message must be 1000 characters or fewer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                plain_text_only(field)


class SubscriptionForm(forms.Form):
    """An email address and explicit consent to one email, when the results are published."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will only use it to tell you about the results of this consultation.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    consent = forms.BooleanField(
        label="Your consent",
        widget=forms.CheckboxInput(
            attrs=nhsuk_options(checkbox_label="Email me when the results of this consultation are published")
        ),
        error_messages={"required": "Tick the box to say you want an email when the results are published"},
    )
