from django.views.generic import TemplateView


class DashboardView(TemplateView):
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav="dashboard",
            coordinated_areas=list(self.request.user.coordinated_areas.all()),
            **kwargs,
        )
