from django.conf import settings
from django.contrib import admin

# Names the manager sees on every admin page.
admin.site.site_header = f"{settings.PORTAL_CITY} progress portal: staff"
admin.site.site_title = "Progress portal staff"
admin.site.index_title = "Weekly update"
# The index lists everything; without the side menu the lists get the whole width.
admin.site.enable_nav_sidebar = False
