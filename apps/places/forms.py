from django import forms

from apps.places.models import Place


class PlaceForm(forms.ModelForm):
    aliases = forms.CharField(
        required=False,
        help_text="Other ways the reports write it, one per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Place
        fields = ["name", "aliases", "latitude", "longitude", "country_code", "admin1"]
        labels = {"country_code": "Country code (SY)", "admin1": "Region"}
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["aliases"] = "\n".join(self.instance.aliases)

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def _post_clean(self):
        """The service validates the model (with the project set); the form only parses."""
