from django.shortcuts import render

from .models import Recommendation


def home(request):
    progress = Recommendation.objects.published().progress()
    return render(request, "home.html", {"progress": progress})
