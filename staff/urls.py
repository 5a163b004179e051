"""Staff pages of our own, under /admin/ with the admin's layout, sign-in and permissions
(each view is wrapped in admin.site.admin_view and checks its own permission)."""

app_name = "staff"

urlpatterns: list = [
    # The weekly update screen (staff/weekly.py) and the spreadsheet import (staff/imports.py)
    # add their paths here.
]
