from django import forms
from django.conf import settings

from apps.documents.importers import SUPPORTED_EXTENSIONS, human_size
from apps.documents.models import Document


class PasteForm(forms.Form):
    """A document pasted as text."""

    title = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), strip=False)
    source_url = forms.URLField(required=False, max_length=2000, assume_scheme="https")
    author = forms.CharField(required=False, max_length=300)
    published = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [file for file in files if file]
        if not files:
            raise forms.ValidationError("Choose one or more files.", code="required")
        return files


class UploadForm(forms.Form):
    """One or many files: .txt, .md, .html, .jsonl."""

    files = MultipleFileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are settings, read when the form is made so that a changed setting shows at once.
        self.fields["files"].help_text = (
            f"{', '.join(SUPPORTED_EXTENSIONS)}; up to {human_size(settings.LECTOR_IMPORT_MAX_FILE_BYTES)} a file "
            f"and {human_size(settings.LECTOR_IMPORT_MAX_BATCH_BYTES)} in all."
        )


class DocumentMetadataForm(forms.ModelForm):
    """Title and metadata of a document; the text is fixed once imported."""

    source_url = forms.URLField(required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Document
        fields = ["title", "source_url", "author", "published"]
        widgets = {"published": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
