"""A NinjaAPI that answers unknown paths and refused methods in its own error shape.

Ninja answers those itself (Django's HTML 404, a bare 405); an API whose clients parse every
answer gives them its own body instead. Subclasses say how: `not_found` and `method_not_allowed`.
"""

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import re_path
from ninja import NinjaAPI


class ShapedAPI(NinjaAPI):
    def not_found(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        raise NotImplementedError

    def method_not_allowed(self, request: HttpRequest, allowed: str) -> HttpResponse:
        raise NotImplementedError

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = self._shaped(pattern.callback)
        # Last: anything else under the API's prefix is its own 404, not the site's HTML page.
        urls.append(re_path(r"^.*$", self.not_found, name="not-found"))
        return urls

    def _shaped(self, view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return self.not_found(request)
            if isinstance(response, HttpResponseNotAllowed):
                return self.method_not_allowed(request, response["Allow"])
            return response

        return wrapper
