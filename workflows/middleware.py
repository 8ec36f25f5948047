"""A flow lock that could not be had is a conflict (409), never a 500 (viewflow-guide §7)."""

from django.shortcuts import render
from viewflow.workflow.exceptions import FlowLockFailed


class FlowLockConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, FlowLockFailed):
            return render(
                request, "workflows/conflict.html", {"message": "该案件正在被他人办理，请稍后重试。"}, status=409
            )
        return None
