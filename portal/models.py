# No models. A models module makes `migrate` send post_migrate for this app, which creates
# the page cache's version table and bumps the version (portal/apps.py).
