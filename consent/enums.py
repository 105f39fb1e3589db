from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentAction(models.TextChoices):
    """Audit action types written to the ärende's log (CaseEvent.action); registered with
    cases.audit in ConsentConfig.ready()."""

    RECORDED = "consent.recorded", _("Samtycke registrerades")
    REVOKED = "consent.revoked", _("Samtycke återkallades")
    VIEWED = "consent.viewed", _("Samtycken visades")
    DOCUMENT_VIEWED = "consent.document_viewed", _("Samtyckesdokument öppnades")
