"""The form to record a leaflet as given."""

from __future__ import annotations

from typing import Any

from django import forms

from softtissue.clients.forms import PlainLabels
from softtissue.education.leaflets import all_leaflets


class GiveLeafletForm(PlainLabels, forms.Form):
    """Which leaflet the client was given."""

    id_prefix = "leaflet"

    condition_id = forms.ChoiceField(label="Leaflet")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a leaflet")] + [
            (leaflet.condition_id, leaflet.title) for leaflet in all_leaflets()
        ]
