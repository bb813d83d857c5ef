from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.agreement import selectors
from apps.agreement.forms import AgreementForm
from apps.projects.selectors import Member, access_project

DISAGREEMENT_LIMIT = 200


@require_GET
def agreement_page(request, project_id: int):
    """Inter-annotator agreement of chosen members: scores per tag and overall, and where they disagree."""
    project, membership = access_project(request.user, project_id)
    documents = selectors.annotated_documents(project)
    form = AgreementForm(request.GET or None, annotators=selectors.annotators_in_project(project), documents=documents)
    report = None
    if form.is_valid():
        report = selectors.project_agreement(
            project, form.cleaned_data["annotators"], form.cleaned_data["document"], form.cleaned_data["curated"]
        )
    titles = dict(documents)
    context = {
        "project": project,
        "member": Member(membership),
        "form": form,
        "report": report,
        "tag_rows": list(report.per_tag.items()) if report else [],
        "alpha_rows": list(report.unitizing.per_category.items()) if report and report.unitizing else [],
        "disagreements": [
            {"title": titles.get(d.span.document, ""), "item": d} for d in report.disagreements[:DISAGREEMENT_LIMIT]
        ]
        if report
        else [],
        "disagreement_count": len(report.disagreements) if report else 0,
        "disagreement_limit": DISAGREEMENT_LIMIT,
    }
    return render(request, "agreement/page.html", context, status=400 if form.errors else 200)
