"""What every ModelAdmin of ours shares: an object outside the user's reach answers 404, no bulk delete
(a delete goes through a service, object by object), and a rule's ValidationError becomes a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect

from ..actors import Actor


class ScopedAdmin:
    """Mixed into a ModelAdmin whose get_queryset is the user's reach."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # absent, or outside the user's reach: the same answer (SPEC §2)
            raise Http404
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The forms check the services' rules; a rule broken meanwhile (a concurrent change) is a message and
        # the page again, its transaction rolled back: never a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.refused(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.refused(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @staticmethod
    def refused(request, error: ValidationError) -> None:
        for message in error.messages:
            messages.error(request, message)


def bind(form_class, actor: Actor):
    """The form class with the acting user on it (the rules the form checks depend on who acts)."""
    return type(form_class.__name__, (form_class,), {"actor": actor})
