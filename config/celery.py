"""The Celery app. Tasks live in <app>/tasks.py and call one service each."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhiqian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _load_urlconf(**_kwargs):
    # viewflow's node.reverse() needs the URLconf imported (viewflow-guide gotcha 10).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
