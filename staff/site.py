"""The admin site's names.

The header names the city from its City record, read per request: templates/admin/
base_site.html prints `city`, which pages.context_processors.portal gives every page (one
query, made only when printed). `site_header` is what it prints without one.
"""

from django.contrib import admin

admin.site.site_header = "Progress portal: staff"
admin.site.site_title = "Progress portal staff"
admin.site.index_title = "Weekly update"
# The index lists everything; without the side menu the lists get the whole width.
admin.site.enable_nav_sidebar = False
