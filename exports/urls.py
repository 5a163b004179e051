from django.urls import path, re_path

from recommendations import converters  # noqa: F401 (the <code:...> converter)

from . import api, report, views

app_name = "exports"

urlpatterns = [
    path(
        "export/recommendations.csv", views.RecommendationsCsv.as_view(), name="recommendations-csv"
    ),
    path(
        "export/recommendations.xlsx",
        views.RecommendationsXlsx.as_view(),
        name="recommendations-xlsx",
    ),
    path("export/updates.csv", views.UpdatesCsv.as_view(), name="updates-csv"),
    path("export/summary.csv", views.SummaryCsv.as_view(), name="summary-csv"),
    path("report/", report.ReportView.as_view(), name="report"),
    path("report.pdf", report.ReportPdfView.as_view(), name="report-pdf"),
    path(
        "report/page-<str:day>.css", report.ReportPageStylesheet.as_view(), name="report-page-css"
    ),
    path("data/", views.DataDictionaryView.as_view(), name="data"),
    path("api/v1/", api.IndexApi.as_view(), name="api-index"),
    path("api/v1/plans", api.PlanListApi.as_view(), name="api-plans"),
    path(
        "api/v1/plans/<slug:plan>/recommendations/<code:code>",
        api.RecommendationDetailApi.as_view(),
        name="api-recommendation",
    ),
    path("api/v1/recommendations", api.RecommendationListApi.as_view(), name="api-recommendations"),
    # The address from before there were several plans: permanently to the first plan's.
    path(
        "api/v1/recommendations/<code:code>",
        api.MainPlanRecommendationApi.as_view(),
        name="api-main-plan-recommendation",
    ),
    path("api/v1/topics", api.TopicListApi.as_view(), name="api-topics"),
    path("api/v1/statuses", api.StatusListApi.as_view(), name="api-statuses"),
    path("api/v1/milestones", api.MilestoneListApi.as_view(), name="api-milestones"),
    path("api/v1/summary", api.SummaryApi.as_view(), name="api-summary"),
    path("api/v1/openapi.json", api.OpenApiDocument.as_view(), name="api-openapi"),
    # Anything else under the API, a malformed plan or code included: the API's JSON 404.
    re_path(r"^api/v1/.", api.NotFoundApi.as_view(), name="api-not-found"),
]
