from django.urls import path

from . import api, views

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
    path("report/", views.ReportView.as_view(), name="report"),
    path("data/", views.DataDictionaryView.as_view(), name="data"),
    path("api/v1/", api.IndexApi.as_view(), name="api-index"),
    path("api/v1/recommendations", api.RecommendationListApi.as_view(), name="api-recommendations"),
    # Any text after the slash, so a malformed number still gets the API's JSON 404.
    path(
        "api/v1/recommendations/<path:number>",
        api.RecommendationDetailApi.as_view(),
        name="api-recommendation",
    ),
    path("api/v1/topics", api.TopicListApi.as_view(), name="api-topics"),
    path("api/v1/statuses", api.StatusListApi.as_view(), name="api-statuses"),
    path("api/v1/milestones", api.MilestoneListApi.as_view(), name="api-milestones"),
    path("api/v1/summary", api.SummaryApi.as_view(), name="api-summary"),
    path("api/v1/openapi.json", api.OpenApiDocument.as_view(), name="api-openapi"),
]
