from django import forms

from apps.quantities.grammar import QUALIFIERS
from apps.quantities.models import VagueMagnitude


class VagueMagnitudeForm(forms.ModelForm):
    class Meta:
        model = VagueMagnitude
        fields = ["words", "low", "conservative", "high"]
        help_texts = {
            "words": "As written in reports, e.g. “dozens” or “a handful of”.",
            "conservative": "The single figure recorded (ACLED: the most conservative reading).",
            "high": "Empty: no upper bound.",
        }

    def clean_words(self):
        return " ".join(self.cleaned_data["words"].lower().split())

    def clean(self):
        data = super().clean()
        low, conservative, high = data.get("low"), data.get("conservative"), data.get("high")
        if low is not None and conservative is not None and conservative < low:
            self.add_error("conservative", "Must not be below low.")
        if high is not None and conservative is not None and high < conservative:
            self.add_error("high", "Must not be below the conservative figure.")
        return data


QUALIFIER_CHOICES = [("", "—"), *[(q, q.replace("_", " ")) for q in QUALIFIERS]]
