from django.middleware.locale import LocaleMiddleware


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose another language (cookie or URL).

    Many phones in Indonesia run with an English system language; their users still expect a
    government service in Indonesian, so the browser's Accept-Language is not followed on pages.
    API clients say what they want, so the APIs (/api/, /open311/) do follow it.
    """

    def process_request(self, request):
        if not request.path.startswith(("/api/", "/open311/")):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
