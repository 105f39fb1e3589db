class InvalidFormIs400Mixin:
    """Answer a form with errors with 400 Bad Request, so bad input is never a silent 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
