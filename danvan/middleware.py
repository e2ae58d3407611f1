"""Site-wide middleware."""


class VietnameseByDefaultMiddleware:
    """Serve Vietnamese unless the user chose another language with the switcher.

    Many officials' browsers are set to English; the browser's Accept-Language header
    must not turn a Vietnamese Party commission's site into English. Django's
    LocaleMiddleware then falls back to the language cookie and ``LANGUAGE_CODE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
