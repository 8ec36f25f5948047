from django.urls import path

from cases.web import region_views

from . import api, public_views, views

task_urls = [
    path("inbox/", views.inbox, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("queue/claim/", views.queue_claim, name="queue-claim"),
    path("queue/assign/", views.queue_assign, name="queue-assign"),
    path("<int:task_id>/", views.task_detail, name="detail"),
    path("<int:task_id>/assign/", views.task_assign, name="assign"),
    path("<int:task_id>/release/", views.task_release, name="release"),
    path("<int:task_id>/complete/", views.task_complete, name="complete"),
    path("start/<slug:name>/", views.flow_start, name="start"),
    path("leader/", views.leader_screen, name="leader"),
]

complaint_staff_urls = [
    path("new/", views.complaint_new, name="new"),
    path("import/", views.complaint_import, name="import"),
]

public_urls = [
    path("complaint/", public_views.complaint_form, name="complaint"),
    path("status/", public_views.complaint_status, name="status"),
    path("regions.json", region_views.public_regions, name="regions"),
    path("status/documents/<int:doc_id>/", public_views.complaint_document, name="status-document"),
]

api_urls = [
    path("complaints/", api.ComplaintSubmitAPI.as_view(), name="api-complaint-submit"),
    path("complaints/<str:receipt_no>/", api.ComplaintStatusAPI.as_view(), name="api-complaint-status"),
    path("flows/", api.FlowListAPI.as_view(), name="api-flow-list"),
    path("flows/<slug:name>/start/", api.FlowStartAPI.as_view(), name="api-flow-start"),
    path("leader/", api.LeaderScreenAPI.as_view(), name="api-leader"),
    path("tasks/", api.TaskListAPI.as_view(), name="api-task-list"),
    path("tasks/<int:task_id>/", api.TaskDetailAPI.as_view(), name="api-task-detail"),
    path("tasks/<int:task_id>/assign/", api.TaskAssignAPI.as_view(), name="api-task-assign"),
    path("tasks/<int:task_id>/complete/", api.TaskCompleteAPI.as_view(), name="api-task-complete"),
]
