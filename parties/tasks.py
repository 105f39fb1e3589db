"""Background tasks of the parties domain (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from .services.documents import build_contact_list_document


@task()
def build_contact_list_pdf(area_id):
    """The area's contact list as a PDF, stored for the download (issue 20)."""
    build_contact_list_document(area_id)
