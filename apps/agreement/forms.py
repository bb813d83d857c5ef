from django import forms


class AgreementForm(forms.Form):
    """Two or more annotators of the project, and optionally one document."""

    annotators = forms.MultipleChoiceField(
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text="Members who annotated; choose two or more."
    )
    document = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    curated = forms.BooleanField(required=False, label="Compare each with the curated layer")

    def __init__(self, *args, annotators: list[str], documents: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotators"].choices = [(name, name) for name in annotators]
        self.fields["document"].choices = [("", "All documents they all annotated"), *documents]

    def clean(self):
        cleaned = super().clean()
        names = cleaned.get("annotators")
        if names is not None and len(names) < (1 if cleaned.get("curated") else 2):
            self.add_error(
                "annotators",
                "Choose at least one annotator." if cleaned.get("curated") else "Choose at least two annotators.",
            )
        return cleaned
