"""What every ModelAdmin of ours shares: an object outside the user's reach answers 404, no bulk delete
(a delete goes through a service, object by object), and a rule's ValidationError becomes a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404


class ScopedAdmin:
    """Mixed into a ModelAdmin whose get_queryset is the user's reach."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # absent, or outside the user's reach: the same answer (SPEC §2)
            raise Http404
        return obj

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @staticmethod
    def refused(request, error: ValidationError) -> None:
        for message in error.messages:
            messages.error(request, message)


def bind(form_class, actor):
    """The form class with the acting user on it (the rules the form checks depend on who acts)."""
    return type(form_class.__name__, (form_class,), {"actor": actor})
