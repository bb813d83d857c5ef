from django import forms


class AgreementForm(forms.Form):
    """Two or more annotators of the project, and optionally one document."""

    annotators = forms.MultipleChoiceField(
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text="Members who annotated; choose two or more."
    )
    document = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, annotators: list[str], documents: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotators"].choices = [(name, name) for name in annotators]
        self.fields["document"].choices = [("", "All documents they all annotated"), *documents]

    def clean_annotators(self) -> list[str]:
        names = self.cleaned_data["annotators"]
        if len(names) < 2:
            raise forms.ValidationError("Choose at least two annotators.")
        return names
