"""Django's loaddata, then the search documents of what it loaded.

A fixture's saves are raw: Django asks signal handlers not to read other rows during them (the
data may be half loaded), so search/signals.py skips them and the documents are written here,
once the whole fixture is in, in the same transaction.
"""

from django.core.management.commands import loaddata

from plans.models import Party
from recommendations.models import Recommendation, Responsibility, StatusUpdate, Topic
from search.documents import rebuild_all

SEARCHED_MODELS = {Recommendation, Topic, Party, Responsibility, StatusUpdate}


class Command(loaddata.Command):
    help = f"{loaddata.Command.help} Then rebuilds the search documents."

    def loaddata(self, fixture_labels):
        super().loaddata(fixture_labels)
        if self.models & SEARCHED_MODELS:
            rebuild_all(Recommendation, using=self.using)
