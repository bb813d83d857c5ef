from django import forms

from apps.projects.models import Project, Role, Tag


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "description", "guidelines"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "guidelines": forms.Textarea(attrs={"rows": 16, "class": "monospace"}),
        }


class ProjectSettingsForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        fields = [*ProjectForm.Meta.fields, "focus_countries"]
        labels = {"focus_countries": "Focus countries"}

    def clean_focus_countries(self) -> list[str]:
        codes = [code.strip().upper() for code in self.cleaned_data["focus_countries"] if code.strip()]
        wrong = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if wrong:
            raise forms.ValidationError(f"Two-letter ISO country codes, separated by commas (not {', '.join(wrong)}).")
        return codes


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANNOTATOR)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["slug", "label", "color", "shortcut", "kind", "description"]
        widgets = {
            "color": forms.TextInput(attrs={"type": "color"}),
            "description": forms.TextInput(attrs={"size": 40}),
            "shortcut": forms.TextInput(attrs={"size": 2, "maxlength": 1}),
        }
        help_texts = {"slug": "Used by exports and the API; cannot change later.", "shortcut": "One key."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # left out: plain for a new tag, unchanged for an edit


class TagEditForm(TagForm):
    class Meta(TagForm.Meta):
        fields = ["label", "color", "shortcut", "kind", "description"]


class TagDeleteForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("retag", "Retag its annotations to"), ("delete", "Delete its annotations")], widget=forms.RadioSelect
    )
    retag_to = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False)

    def __init__(self, *args, tag: Tag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retag_to"].queryset = Tag.objects.filter(project_id=tag.project_id).exclude(pk=tag.pk)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "retag" and not cleaned.get("retag_to"):
            self.add_error("retag_to", "Choose the tag that takes over its annotations.")
        return cleaned
