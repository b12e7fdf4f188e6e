"""The letter form: the draft the therapist checks and completes before it is rendered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from softtissue.letters.models import BODY_FIELDS, Letter
from softtissue.limits import formfield

if TYPE_CHECKING:
    LetterModelForm = forms.ModelForm[Letter]
else:
    # django-stubs makes ModelForm generic for the type checker only.
    LetterModelForm = forms.ModelForm

DISCHARGE_ONLY = ("outcomes", "advice")
REASON_LABELS = {
    Letter.Kind.REFERRAL: "Reason for referral",
    Letter.Kind.CLEARANCE: "Contraindication and techniques planned",
    Letter.Kind.DISCHARGE: "Reason for discharge",
}


class LetterForm(LetterModelForm):
    """Recipient and body of one kind of letter; every field is checked before rendering."""

    class Meta:
        formfield_callback = formfield
        model = Letter
        fields = list(BODY_FIELDS)
        # Every part of the body but the recipient's kind and name is free text.
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in BODY_FIELDS
            if name not in ("recipient", "recipient_name")
        }
        error_messages = {
            "recipient_name": {"required": "Name the person or service the letter is to."},
            "reason": {"required": "Say why you are writing: the letter needs a reason."},
        }

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["reason"].label = REASON_LABELS[Letter.Kind(kind)]
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)
        recipient.choices = Letter.Recipient.choices
        if kind != Letter.Kind.DISCHARGE:
            for name in DISCHARGE_ONLY:
                del self.fields[name]

    def clean_recipient(self) -> str:
        """An A&E handover is a referral; other letters go to a named clinician."""
        recipient = str(self.cleaned_data["recipient"])
        if recipient == Letter.Recipient.EMERGENCY and self.kind != Letter.Kind.REFERRAL:
            raise forms.ValidationError("An A&E handover can only be a referral letter.")
        return recipient
